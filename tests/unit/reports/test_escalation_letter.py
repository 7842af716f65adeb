import io
from datetime import date

from pypdf import PdfReader

from reports.escalation_letter import Addressee, EscalationLetter, build_escalation_letter

from .report_builders import render_first_page

LETTER = EscalationLetter(
    partnership="Demoshire Safeguarding Children Partnership",
    letter_date=date(2026, 12, 12),
    organisation="St Mary’s CofE Primary School",
    address=("1 Church Lane", "Demchester", "DM1 2AB"),
    addressees=(
        Addressee("Mrs Ruth Okafor", "Head teacher"),
        Addressee("Mr Tom Aziz", "Chair of governors"),
    ),
    cycle="Schools and colleges safeguarding audit 2026",
    reference="C002-00017",
    opened_on=date(2026, 9, 7),
    initial_deadline=date(2026, 11, 6),
    final_deadline=date(2026, 12, 4),
    duty="section 175 of the Education Act 2002",
    progress="has not been started",
    signatory="Professor Alison Carver",
    signatory_role="Independent scrutineer",
    service_url="https://audit.demoshire.example",
    business_unit_email="safeguarding-audit@demoshire.example",
)


def text_of(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_letter_names_the_organisation_its_addressees_and_the_deadlines_missed():
    text = text_of(build_escalation_letter(LETTER))
    for expected in (
        "Demoshire Safeguarding Children Partnership",
        "12 December 2026",
        "St Mary’s CofE Primary School",
        "1 Church Lane",
        "Dear Mrs Ruth Okafor and Mr Tom Aziz,",
        "Head teacher",
        "Chair of governors",
        "Schools and colleges safeguarding audit 2026",
        "C002-00017",
        "6 November 2026",
        "4 December 2026",
        "has not been started",
    ):
        assert expected in text, expected


def test_the_letter_cites_section_16H_and_the_section_14B_power_it_replaced():
    text = text_of(build_escalation_letter(LETTER))
    assert "section 16H of the Children Act 2004" in text
    assert "section 14B" in text
    assert "Local Safeguarding Children Boards" in text
    assert "section 175 of the Education Act 2002" in text


def test_the_letter_says_what_to_do_now_and_is_signed_by_the_chair():
    text = text_of(build_escalation_letter(LETTER))
    assert "What to do now" in text
    assert "26 December 2026" in text  # 14 days from the letter's date
    assert "safeguarding-audit@demoshire.example" in text
    assert (
        text.index("Yours sincerely")
        < text.index("Professor Alison Carver")
        < text.index("Independent scrutineer")
    )


def test_the_same_letter_gives_the_same_bytes():
    assert build_escalation_letter(LETTER) == build_escalation_letter(LETTER)


def test_a_letter_with_no_named_addressee_still_has_a_greeting():
    letter = EscalationLetter(**{**LETTER.__dict__, "addressees": (Addressee("", "Head teacher"),)})
    assert "Dear colleague," in text_of(build_escalation_letter(letter))


def test_the_letter_renders_a_page_with_its_header_and_body(tmp_path):
    render_first_page(build_escalation_letter(LETTER), tmp_path)
