"""The feedback letter to an agency: what its reader sees on the page."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from reports.data import Addressee, FeedbackLetter, OrganisationRef, Signatory
from reports.feedback_letter import build_feedback_letter

from .report_builders import (
    AMBER,
    EIGHT_STANDARDS,
    GREEN,
    PARTNERSHIP,
    RAG,
    RED,
    S11_CYCLE,
    action,
    pdf_pages,
    pdf_text,
    render_first_page,
    result,
)


def make_letter(**changes) -> FeedbackLetter:
    s1, s2, s3, s4, s5, s6, s7, s8 = EIGHT_STANDARDS
    letter = FeedbackLetter(
        partnership=PARTNERSHIP,
        organisation=OrganisationRef("St Mary’s Hospice & Family Support", "agency", "Voluntary and faith"),
        cycle=S11_CYCLE,
        letter_date=date(2026, 6, 12),
        addressee=Addressee("Zoë Ætheling", "Chief Executive", ("1 Sacré Cœur Lane", "Demoton DM2 2BB")),
        scale=RAG,
        standards=(
            result(s1, "green", "green"),
            result(s2, "green", "green"),
            result(s3, "amber", "green"),
            result(s4, "amber", "amber"),
            result(s5, "green", "green"),
            # Scored amber; the panel moderated it down to red.
            replace(result(s6, "amber", "amber"), moderated_rating=RED),
            result(s7, "green", "amber"),
            result(s8, None, None, not_applicable=True),
        ),
        strengths=("Training uptake reached 96% of front-line staff.",),
        developments=("Record DBS renewal dates for volunteers in the single central record.",),
        actions=(
            action(
                "Safer recruitment", "Audit volunteer files for DBS checks", "Head of HR", date(2026, 9, 30)
            ),
            action(
                "Clear line of accountability",
                "Name a deputy safeguarding lead",
                "Chief Executive",
                date(2026, 7, 31),
            ),
        ),
        signatory=Signatory("Dr Amara Okonkwo", "Independent Chair and Scrutineer"),
        challenge_event_on=date(2026, 5, 14),
    )
    return replace(letter, **changes)


@pytest.fixture(scope="module")
def letter_pdf() -> bytes:
    return build_feedback_letter(make_letter())


def test_letter_names_the_partnership_addressee_organisation_and_date(letter_pdf):
    text = pdf_text(letter_pdf)
    assert "Demoshire Safeguarding Children Partnership" in text
    assert "Dear Zoë Ætheling," in text
    assert "St Mary’s Hospice & Family Support" in text
    assert "1 Sacré Cœur Lane" in text
    assert "12 June 2026" in text
    assert "Section 11 audit 2025-26" in text
    assert "challenge event on 14 May 2026" in text


def test_every_standard_is_listed_with_both_ratings_in_words(letter_pdf):
    text = pdf_text(letter_pdf)
    assert "6 Safer recruitment Amber Red (moderated)" in text
    assert "3 Clear line of accountability Green Amber" in text
    assert "8 Information sharing Not applicable Not applicable" in text


def test_the_agreement_with_the_self_assessment_is_summed_up_in_words(letter_pdf):
    # Seven standards rated both ways: five agree, s3 and s6 lower, s7 higher.
    assert (
        "matches your self-assessment for 4 of the 7 standards you rated; it is higher for 1 and lower for 2"
        in pdf_text(letter_pdf)
    )


def test_the_chart_is_labelled_with_its_series_and_rating_bands(letter_pdf):
    text = pdf_text(letter_pdf)
    assert "Figure 1. Your self-assessment and the partnership's rating" in text
    assert "Rating band (a longer bar is a better rating)" in text
    for label in ("Your self-assessment", "Partnership rating", "Green", "Amber", "Red"):
        assert label in text


def test_strengths_developments_and_actions_with_owners_and_dates_appear(letter_pdf):
    text = pdf_text(letter_pdf)
    assert "Training uptake reached 96% of front-line staff." in text
    assert "Record DBS renewal dates for volunteers" in text
    assert "Audit volunteer files for DBS checks Head of HR 30 September 2026" in text
    assert "Name a deputy safeguarding lead Chief Executive 31 July 2026" in text


def test_the_letter_is_signed_by_the_independent_chair(letter_pdf):
    text = pdf_text(letter_pdf)
    assert "Yours sincerely, Dr Amara Okonkwo Independent Chair and Scrutineer" in text


def test_every_page_is_numbered_out_of_the_total(letter_pdf):
    pages = pdf_pages(letter_pdf)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert page.startswith("Demoshire Safeguarding Children Partnership")


def test_a_letter_with_nothing_agreed_says_so_rather_than_leaving_gaps():
    text = pdf_text(build_feedback_letter(make_letter(strengths=(), developments=(), actions=())))
    assert "No actions were agreed this cycle." in text
    assert "The panel did not record particular strengths this cycle." in text


def test_a_rating_scale_of_four_words_is_used_as_given():
    fully, mostly, partly, not_met = (
        replace(GREEN, id="fully", label="Fully met"),
        replace(GREEN, id="mostly", label="Mostly met"),
        replace(AMBER, id="partly", label="Partially met"),
        replace(RED, id="not", label="Not met"),
    )
    s1, s2 = EIGHT_STANDARDS[:2]
    standards = (
        replace(result(s1, None), self_rating=fully, scored_rating=mostly),
        replace(result(s2, None), self_rating=partly, scored_rating=not_met),
    )
    text = pdf_text(
        build_feedback_letter(make_letter(scale=(fully, mostly, partly, not_met), standards=standards))
    )
    assert "Fully met Mostly met" in text
    assert "Partially met Not met" in text


def test_page_one_renders_as_an_image(letter_pdf, tmp_path):
    assert render_first_page(letter_pdf, tmp_path).stat().st_size > 1000


def test_a_letter_without_standards_still_reads_and_has_no_empty_chart():
    text = pdf_text(build_feedback_letter(make_letter(standards=())))
    assert "None of the standards has both a self-assessment and a partnership rating to compare." in text
    assert "Figure 1." not in text
