"""Automatic feedback to a school: its ratings, its lowest answers and similar settings, unnamed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from reports.data import OrganisationRef, PeerComparison, QuestionOutcome, SchoolFeedback, SectionFeedback
from reports.school_feedback import build_school_feedback, comparison_shares, comparison_words, lowest_scoring

from .report_builders import (
    AMBER,
    GREEN,
    PARTNERSHIP,
    RED,
    SCHOOLS_CYCLE,
    pdf_pages,
    pdf_text,
    render_first_page,
)


def question(section: str, question_id: str, text: str, answer: str, score: float) -> QuestionOutcome:
    return QuestionOutcome(section, question_id, text, answer, score)


def make_feedback(**changes) -> SchoolFeedback:
    feedback = SchoolFeedback(
        partnership=PARTNERSHIP,
        organisation=OrganisationRef("Sacré Cœur RC Primary School", "school", "Primary", "123456"),
        cycle=SCHOOLS_CYCLE,
        accepted_on=date(2026, 3, 20),
        issued_on=date(2026, 3, 21),
        overall=AMBER,
        sections=(
            SectionFeedback("culture", "Safeguarding culture", GREEN, PeerComparison(18, 5, 2)),
            SectionFeedback("policy", "Child protection policy", GREEN, PeerComparison(20, 4, 1)),
            SectionFeedback(
                "online", "Online safety, filtering and monitoring", RED, PeerComparison(10, 9, 6)
            ),
            SectionFeedback("governance", "Governance", AMBER, PeerComparison(1, 1, 1)),
            SectionFeedback("fe", "Work placements", None, None, not_applicable=True),
        ),
        questions=(
            question(
                "Safeguarding culture", "culture.q1", "Do staff know how to raise a concern?", "Yes", 1.0
            ),
            question(
                "Online safety, filtering and monitoring",
                "online.q2",
                "Has the filtering and monitoring provision been reviewed in the last year?",
                "No",
                0.0,
            ),
            question("Governance", "gov.q4", "Have all governors had safeguarding training?", "Partly", 0.5),
            question(
                "Online safety, filtering and monitoring",
                "online.q5",
                "Is a member of the senior leadership team responsible for filtering?",
                "Partly",
                0.5,
            ),
        ),
        comparison_group="primary schools in the partnership",
    )
    return replace(feedback, **changes)


@pytest.fixture(scope="module")
def feedback_pdf() -> bytes:
    return build_school_feedback(make_feedback())


def test_feedback_names_the_school_its_urn_the_audit_and_the_dates(feedback_pdf):
    text = pdf_text(feedback_pdf)
    assert "Safeguarding audit feedback for Sacré Cœur RC Primary School" in text
    assert "URN 123456" in text
    assert "Schools and colleges safeguarding audit 2025-26" in text
    assert "Return accepted 20 March 2026" in text
    assert "Feedback issued 21 March 2026" in text
    assert "Overall rating Amber" in text


def test_each_section_shows_the_school_rating_beside_similar_settings(feedback_pdf):
    text = pdf_text(feedback_pdf)
    assert "Safeguarding culture Green 72% green, 20% amber, 8% red (n=25)" in text
    assert "Online safety, filtering and monitoring Red 40% green, 36% amber, 24% red (n=25)" in text
    assert "Work placements Not applicable No similar settings yet" in text


def test_a_comparison_group_too_small_to_stay_anonymous_is_not_shown(feedback_pdf):
    assert "Governance Amber Fewer than 5 similar settings: not shown" in pdf_text(feedback_pdf)


def test_the_lowest_scoring_answers_are_listed_in_words_lowest_first(feedback_pdf):
    text = pdf_text(feedback_pdf)
    assert "Sections rated Red: Online safety, filtering and monitoring." in text
    assert "Sections rated Amber: Governance." in text
    lowest = text.index("Has the filtering and monitoring provision been reviewed in the last year? No")
    assert lowest < text.index("Have all governors had safeguarding training? Partly")
    assert "Do staff know how to raise a concern?" not in text


def test_no_other_setting_is_ever_named(feedback_pdf):
    # The input carries only counts for other settings; the words around them must not invent names.
    text = pdf_text(feedback_pdf)
    assert "primary schools in the partnership" in text
    assert "never named" in text


def test_shares_of_similar_settings_always_add_up_to_one_hundred():
    assert comparison_shares(PeerComparison(1, 1, 1)) == (34, 33, 33)
    assert sum(comparison_shares(PeerComparison(7, 5, 1))) == 100
    assert comparison_words(PeerComparison(0, 0, 5)) == "0% green, 0% amber, 100% red (n=5)"


def test_only_answers_short_of_full_marks_are_areas_to_develop_and_at_most_eight():
    answers = tuple(question("S", f"q{i}", f"Question {i}", "No", 0.0) for i in range(12))
    answers += (question("S", "full", "All fine", "Yes", 1.0),)
    picked = lowest_scoring(answers)
    assert [item.question_id for item in picked] == [f"q{i}" for i in range(8)]


def test_a_return_with_full_marks_is_told_so():
    full = tuple(replace(item, score=1.0) for item in make_feedback().questions)
    assert "Every scored answer in your return earned full marks." in pdf_text(
        build_school_feedback(make_feedback(questions=full))
    )


def test_a_short_return_gets_one_numbered_page(feedback_pdf):
    (page,) = pdf_pages(feedback_pdf)
    assert "Page 1 of 1" in page


def test_page_one_renders_as_an_image(feedback_pdf, tmp_path):
    assert render_first_page(feedback_pdf, tmp_path).stat().st_size > 1000
