"""The PDF copy of a return, read back as a person would: its text through pypdf, its pages as images."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from reports.return_copy import SectionCopy, build_return_pdf
from reports.styles import uk_date_time

from .return_copy_builders import answer, sample_copy


def pages_text(pdf: bytes) -> list[str]:
    """Each page's words, with the line breaks of the layout folded into single spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def all_text(pdf: bytes) -> str:
    return " ".join(pages_text(pdf))


@pytest.fixture(scope="module")
def copy_text() -> str:
    return all_text(build_return_pdf(sample_copy()))


def test_the_copy_names_the_organisation_cycle_questionnaire_and_reference(copy_text):
    assert "St Mary’s Church of England Primary School" in copy_text
    assert "Schools and colleges audit 2025-26" in copy_text
    assert "Section 175 / 157 safeguarding audit (version 2025.1)" in copy_text
    assert "C001-00042" in copy_text
    assert "URN 100123" in copy_text
    assert "Local authority Demoshire" in copy_text


def test_the_submitted_moment_is_shown_as_a_uk_date_and_time(copy_text):
    assert "Submitted 12 March 2026 at 2:05pm" in copy_text


def test_each_section_is_headed_with_its_title_and_self_rating(copy_text):
    for title in (
        "Standard 1: Senior management commitment",
        "Standard 5: Safeguarding training",
        "Standard 8: Information sharing",
    ):
        assert title in copy_text
    assert "Self-rating: Green" in copy_text and "Self-rating: Amber" in copy_text


def test_questions_appear_beside_their_answers(copy_text):
    assert "1.1 Is there a named senior lead for safeguarding? Yes" in copy_text
    assert "12 March 2026" in copy_text
    assert "Sam Okafor, trained 3 February 2025" in copy_text
    assert "Partly" in copy_text


def test_an_unanswered_question_says_so(copy_text):
    assert "moved within 5 school days of a pupil leaving? Not answered" in copy_text


def test_a_not_applicable_answer_shows_its_reason(copy_text):
    assert (
        "Not applicable Why it does not apply: The school has no apprentices or work placements" in copy_text
    )


def test_evidence_names_and_references_are_listed(copy_text):
    assert "Job description – DSL.pdf" in copy_text
    assert "Training matrix 2025-26.xlsx" in copy_text
    assert "Link: staff training log on the trust intranet" in copy_text
    assert "Reference: KCSIE 2025 paragraph 103" in copy_text


def test_the_declaration_and_every_sign_off_close_the_copy(copy_text):
    assert "We confirm that this return is accurate" in copy_text
    assert copy_text.index("Declaration") > copy_text.index("Standard 8: Information sharing")
    for line in (
        "Head teacher Ætheling Price Head teacher 10 March 2026",
        "Zoë Sacré Cœur-Smith Deputy head 11 March 2026",
        "Chair of governors Priya Natarajan Chair 12 March 2026",
    ):
        assert line in copy_text


def test_curly_apostrophes_and_ligatures_survive_as_the_same_characters(copy_text):
    assert "St Mary’s" in copy_text and "St Mary's" not in copy_text
    assert "Trust Œuvre Learning Trust" in copy_text
    assert "Ætheling" in copy_text and "Cœur" in copy_text


def test_every_page_carries_the_partnership_and_its_number_of_pages():
    pdf = build_return_pdf(sample_copy())
    pages = pages_text(pdf)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "Demoshire Safeguarding Children Partnership" in page
        assert f"Reference C001-00042 · page {number} of {len(pages)}" in page


def test_a_long_return_runs_over_several_pages_and_keeps_every_question():
    pdf = build_return_pdf(sample_copy(questions_per_section=25))
    pages = pages_text(pdf)
    assert len(pages) > 5
    assert "page 1 of " + str(len(pages)) in pages[0]
    text = " ".join(pages)
    for standard in ("1", "5", "8"):
        for n in range(1, 26):
            assert f"{standard}.{n} " in text


def test_an_answer_longer_than_a_page_splits_across_pages_instead_of_failing():
    essay = " ".join(f"Sentence {n} of a very long answer about supervision." for n in range(600))
    copy = sample_copy(
        sections=[SectionCopy("Standard 9: Supervision", "Red", [answer("9.1", "How?", essay)])]
    )
    text = all_text(build_return_pdf(copy))
    assert "Sentence 0 of a very long answer" in text
    assert "Sentence 599 of a very long answer" in text


def test_text_that_looks_like_markup_is_printed_as_typed():
    copy = sample_copy(
        organisation_name="Smith & Jones <Academy>",
        sections=[
            SectionCopy(
                "Odd <b>standard</b>", None, [answer("1.1", "Tags & <i>ampersands</i>?", "a < b & c")]
            )
        ],
    )
    text = all_text(build_return_pdf(copy))
    assert "Smith & Jones <Academy>" in text
    assert "Odd <b>standard</b>" in text
    assert "a < b & c" in text


def test_a_return_not_yet_submitted_or_signed_says_so():
    text = all_text(build_return_pdf(sample_copy(submitted_at=None, sign_offs=[], status="In progress")))
    assert "Submitted Not submitted" in text
    assert "No one has signed off this return yet." in text


def test_summer_times_are_shown_in_british_summer_time():
    assert uk_date_time(datetime(2026, 6, 1, 11, 0, tzinfo=UTC)) == "1 June 2026 at midday"
    assert uk_date_time(datetime(2026, 6, 1, 23, 0, tzinfo=UTC)) == "2 June 2026 at midnight"
    assert uk_date_time(datetime(2026, 1, 9, 9, 30, tzinfo=UTC)) == "9 January 2026 at 9:30am"


def test_the_same_copy_always_gives_the_same_bytes():
    assert build_return_pdf(sample_copy()) == build_return_pdf(sample_copy())


def test_page_one_renders_to_an_image(tmp_path):
    pdftoppm = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
    source = tmp_path / "copy.pdf"
    source.write_bytes(build_return_pdf(sample_copy()))
    subprocess.run(
        [pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "1", str(source), str(tmp_path / "page")], check=True
    )
    (image,) = tmp_path.glob("page-*.png")
    assert image.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert image.stat().st_size > 5000  # a page with text on it, not a blank sheet


def test_names_beyond_windows_1252_are_printed_too():
    # Chromium's Liberation fonts, which the test set-up installs, cover these.
    copy = sample_copy(
        organisation_name="Ysgol Gŵyr", sign_offs=[], declaration="Łucja Wróbel confirms this."
    )
    text = all_text(build_return_pdf(copy))
    assert "Ysgol Gŵyr" in text
    assert "Łucja Wróbel" in text
