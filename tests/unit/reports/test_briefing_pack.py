"""The challenge panel's briefing pack on one organisation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from reports.briefing_pack import build_briefing_pack
from reports.data import BriefingPack, Contact, EvidenceItem, FlagLine, OrganisationRef

from .report_builders import (
    AMBER,
    EIGHT_STANDARDS,
    GREEN,
    PARTNERSHIP,
    RED,
    S11_CYCLE,
    action,
    pdf_lines,
    pdf_pages,
    pdf_text,
    placed_lines,
    render_first_page,
    result,
)


def make_pack(**changes) -> BriefingPack:
    s1, s2, s3, *_ = EIGHT_STANDARDS
    pack = BriefingPack(
        partnership=PARTNERSHIP,
        organisation=OrganisationRef("Ætheling Youth Justice Service", "agency", "Youth justice"),
        cycle=S11_CYCLE,
        prepared_on=date(2026, 4, 30),
        panel_on=date(2026, 5, 14),
        status="submitted",
        submitted_on=date(2026, 1, 28),
        answered=57,
        required=60,
        overall=AMBER,
        standards=(
            replace(result(s1, "green", "green"), score=0.92),
            replace(result(s2, "amber", "green"), score=0.61, moderated_rating=RED),
            replace(result(s3, None, None), not_applicable=True),
        ),
        contacts=(Contact("Siân O’Brien", "Head of Service", "sian.obrien@demoshire.example"),),
        flags=(
            FlagLine(
                "SELF_RATING_MISMATCH",
                "Statement of responsibilities: rated Green by the service, scored Amber.",
                "Self-rating differs",
            ),
            FlagLine("EMPTY_EVIDENCE", "The file ‘policy.pdf’ attached to s2.q3 is empty."),
        ),
        evidence=(
            EvidenceItem(
                "s2.q3",
                "Is the safeguarding policy available to all staff?",
                "policy.pdf",
                inadequate_reason="The file is empty.",
            ),
            EvidenceItem(
                "s2.q3",
                "Is the safeguarding policy available to all staff?",
                "Intranet page",
                link="https://intranet.example/safeguarding?page=1&lang=en",
            ),
            EvidenceItem(
                "s1.q1",
                "Is there a named senior lead for safeguarding?",
                "Job description – Head of Service.docx",
            ),
        ),
        previous_actions=(
            action(
                "Safer recruitment",
                "Refresh DBS checks for sessional staff",
                "HR manager",
                date(2026, 3, 31),
                "in_progress",
            ),
            action(
                "Information sharing",
                "Sign the partnership's information-sharing agreement",
                "Head of Service",
                date(2025, 12, 1),
                "completed",
            ),
        ),
        previous_cycle="Section 11 audit 2024-25",
    )
    return replace(pack, **changes)


@pytest.fixture(scope="module")
def pack_pdf() -> bytes:
    return build_briefing_pack(make_pack())


def test_the_pack_gives_the_organisation_contacts_and_dates(pack_pdf):
    text = pdf_text(pack_pdf)
    assert "Challenge panel briefing: Ætheling Youth Justice Service" in text
    assert "Sector Youth justice" in text
    assert "Challenge panel 14 May 2026" in text
    assert "Siân O’Brien, Head of Service (sian.obrien@demoshire.example)" in text


def test_the_return_summary_shows_status_submission_progress_and_overall_rating(pack_pdf):
    text = pdf_text(pack_pdf)
    assert "Status Submitted" in text
    assert "Submitted 28 January 2026" in text
    assert "57 of 60 required questions answered (95%)" in text
    assert "Overall rating Amber" in text


def test_each_standard_shows_self_scored_and_moderated_ratings_and_score(pack_pdf):
    text = pdf_text(pack_pdf)
    assert "1 Senior management commitment to safeguarding Green Green Not moderated 92%" in text
    assert "2 Statement of responsibilities towards children Green Amber Red 61%" in text
    assert "3 Clear line of accountability Not applicable Not applicable Not applicable —" in text


def test_flags_are_listed_by_name_with_their_reason(pack_pdf):
    text = pdf_text(pack_pdf)
    assert (
        "Self-rating differs Statement of responsibilities: rated Green by the service, scored Amber." in text
    )
    assert "SELF_RATING_MISMATCH" not in text
    # A flag given without a name falls back to its code.
    assert "EMPTY_EVIDENCE The file ‘policy.pdf’ attached to s2.q3 is empty." in text


def test_evidence_is_listed_by_question_with_links_and_inadequate_reasons(pack_pdf):
    text = pdf_text(pack_pdf)
    assert "3 pieces of evidence; auditors marked 1 inadequate." in text
    assert (
        "s2.q3: Is the safeguarding policy available to all staff? policy.pdf Inadequate: The file is empty."
        in text
    )
    # A long link wraps inside its cell, so it is looked for with the line breaks taken out.
    assert "https://intranet.example/safeguarding?page=1&lang=en" in text.replace(" ", "")
    assert "Job description – Head of Service.docx No concerns recorded" in text
    # The question is printed once above its two pieces of evidence.
    assert text.count("Is the safeguarding policy available to all staff?") == 1


def test_evidence_links_can_be_followed_from_the_pdf(pack_pdf):
    import io

    from pypdf import PdfReader

    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(pack_pdf)).pages
        for annotation in page.get("/Annots", [])
    ]
    assert "https://intranet.example/safeguarding?page=1&lang=en" in links


POLICY_URL = (
    "https://demoshire-partnership.example/sites/default/files/safeguarding/policies/2025-26/"
    "child-protection-and-safeguarding-policy-version-7-final-approved-by-governors.pdf?download=1&version=7"
)


@pytest.fixture(scope="module")
def long_link_pdf() -> bytes:
    item = EvidenceItem(
        "s3.q2", "Are safeguarding duties in job descriptions?", "Policy on website", link=POLICY_URL
    )
    return build_briefing_pack(make_pack(evidence=(item,)))


def link_lines(pdf: bytes) -> list[str]:
    lines = pdf_lines(pdf)
    start = lines.index("Policy on website") + 1
    end = start
    while "".join(lines[start:end]) != POLICY_URL:
        end += 1
        assert end <= len(lines), "the link is not printed whole"
    return lines[start:end]


def test_a_long_evidence_link_breaks_only_after_slashes_and_the_like(long_link_pdf):
    lines = link_lines(long_link_pdf)
    assert len(lines) > 2
    # Each line ends where an address may break, so a reader can copy it line by line.
    assert all(line[-1] in "/?&=-._" for line in lines[:-1]), lines
    assert not any(line.startswith(("=", "&", "?", ".")) for line in lines)


def test_a_long_evidence_link_stays_inside_its_column(long_link_pdf):
    placed = placed_lines(long_link_pdf)
    check_column = next(left for left, _, line in placed if line == "Auditors' check")
    pieces = link_lines(long_link_pdf)
    rights = [right for _, right, line in placed if line in pieces]
    assert len(rights) == len(pieces)
    # The next column's text starts 3 points (its padding) after the column's edge.
    assert max(rights) <= check_column - 3


def test_last_cycles_actions_show_their_status_and_what_is_overdue(pack_pdf):
    text = pdf_text(pack_pdf)
    assert "Actions agreed in Section 11 audit 2024-25" in text
    assert "1 of 2 completed; 1 overdue at 30 April 2026." in text
    assert "Refresh DBS checks for sessional staff HR manager 31 March 2026 In progress — overdue" in text
    assert "information-sharing agreement Head of Service 1 December 2025 Completed" in text


def test_an_unsubmitted_return_with_nothing_attached_says_so():
    text = pdf_text(
        build_briefing_pack(
            make_pack(status="in_progress", submitted_on=None, evidence=(), flags=(), previous_actions=())
        )
    )
    assert "Submitted Not submitted" in text
    assert "No evidence was attached to this return." in text
    assert "No flags have been raised on this return." in text
    assert "No actions were agreed with this organisation last cycle." in text


def test_every_page_is_numbered(pack_pdf):
    pages = pdf_pages(pack_pdf)
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))


def test_page_one_renders_as_an_image(pack_pdf, tmp_path):
    assert render_first_page(pack_pdf, tmp_path).stat().st_size > 1000


def test_ratings_keep_their_own_words_when_self_and_moderated_differ():
    s1 = EIGHT_STANDARDS[0]
    standards = (replace(result(s1, "amber", "green"), moderated_rating=GREEN),)
    assert "Green Amber Green" in pdf_text(build_briefing_pack(make_pack(standards=standards)))
