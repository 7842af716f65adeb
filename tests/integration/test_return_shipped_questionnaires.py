"""The shipped questionnaires, answered through the app: every section page renders with the
questions for the organisation's duty, "not applicable" on a question without options, and the
sign-off roles each questionnaire asks for on the declaration page."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from audit_app.data import cycles
from audit_app.data.scores import questionnaire_of
from audit_app.extensions import db
from audit_app.models import Answer, OrganisationKind
from scoring.definitions import load_questionnaire
from scoring.definitions.model import Duty

from ..support.client import soup
from ..support.factories import PASSWORD, make_organisation, make_partnership
from ..support.returns import respondent_for, return_of, save_section, section_path

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"
SHIPPED = {
    "s11": ("s11-8-standards-2025.1.yaml", OrganisationKind.AGENCY, "s11"),
    "wt2023": ("s11-working-together-2023-2025.1.yaml", OrganisationKind.AGENCY, "s11"),
    "schools": ("s175-s157-schools-2025.1.yaml", OrganisationKind.SCHOOL, "s175"),
    "fe": ("fe-colleges-2025.1.yaml", OrganisationKind.COLLEGE, "fe"),
}


def shipped_return(client, which: str, duty: str | None = None):
    """An open return on a shipped questionnaire, with its respondent signed in."""
    filename, kind, default_duty = SHIPPED[which]
    path = QUESTIONNAIRES / filename
    version = cycles.store_questionnaire(
        load_questionnaire(path), path.read_text(encoding="utf-8"), path.name
    )
    partnership = make_partnership()
    organisation = make_organisation(
        partnership, f"{which.title()} Test Organisation", kind, duty=duty or default_duty
    )
    opens = date.today() - timedelta(days=5)
    duties = {duty or default_duty}
    cycle = cycles.create_cycle(
        partnership,
        f"{which} audit",
        opens_on=opens,
        initial_deadline=opens + timedelta(days=40),
        final_deadline=opens + timedelta(days=60),
        questionnaires={d: version for d in duties},
    )
    section_ids = [section.id for section in questionnaire_of(version).sections]
    cycles.open_cycle(cycle, [organisation], {d: section_ids for d in duties})
    db.session.commit()
    audit_return = return_of(organisation, cycle)
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    return audit_return, questionnaire_of(version)


@pytest.mark.parametrize("which", sorted(SHIPPED))
def test_every_section_page_of_a_shipped_questionnaire_renders_its_questions(client, which):
    audit_return, questionnaire = shipped_return(client, which)
    duty = Duty(audit_return.duty)
    sections = [section for section in questionnaire.sections if section.applies(duty)]
    assert sections
    for section in sections:
        response = client.get(section_path(audit_return, section.id))
        assert response.status_code == 200, section.id
        page = soup(response)
        applicable = [q for q in section.questions if q.applies(duty)]
        blocks = page.select(".app-question")
        assert [block["id"] for block in blocks] == [f"question-{q.id}" for q in applicable], section.id
        shown = [block for block in blocks if not block.has_attr("hidden")]
        assert len(shown) == sum(1 for q in applicable if q.show_if is None), section.id


def question_ids(client, audit_return, section_id: str) -> list[str]:
    page = soup(client.get(section_path(audit_return, section_id)))
    return [block["id"].removeprefix("question-") for block in page.select(".app-question")]


def test_a_question_for_one_duty_is_shown_only_on_that_dutys_returns(client, app):
    maintained, _ = shipped_return(client, "schools", duty="s175")
    on_maintained = question_ids(client, maintained, "governance")
    academy_client = app.test_client()
    academy, _ = shipped_return(academy_client, "schools", duty="s157")
    on_academy = question_ids(academy_client, academy, "governance")

    assert "governance.report-to-la" in on_maintained and "governance.report-to-la" not in on_academy
    assert (
        "governance.proprietor-standards" in on_academy
        and "governance.proprietor-standards" not in on_maintained
    )
    assert "governance.nmss-conditions" not in on_maintained + on_academy


def test_not_applicable_on_a_person_question_is_a_checkbox_kept_with_its_reason(client):
    audit_return, _ = shipped_return(client, "schools")
    path = section_path(audit_return, "setting")
    page = soup(client.get(path))
    box = page.select_one("input[type=checkbox][name='setting.designated-teacher--na']")
    assert box is not None and not box.has_attr("checked")

    reason = "We are an independent nursery with no looked-after children on roll"
    response = save_section(
        client,
        audit_return,
        "setting",
        {"setting.designated-teacher--na": "y", "setting.designated-teacher--na-reason": reason},
        later=True,
    )
    assert response.status_code == 302
    row = db.session.scalar(
        db.select(Answer).where(
            Answer.return_id == audit_return.id, Answer.question_id == "setting.designated-teacher"
        )
    )
    assert row.value is None and row.na_reason == reason

    again = soup(client.get(path))
    assert again.select_one("input[name='setting.designated-teacher--na']").has_attr("checked")
    assert again.select_one("[name='setting.designated-teacher--na-reason']").get_text().strip() == reason

    # Ticked without a reason, it is refused and linked to the reason box.
    refused = save_section(
        client, audit_return, "setting", {"setting.designated-teacher--na": "y"}, later=True
    )
    summary = soup(refused).select(".govuk-error-summary a")
    assert [a["href"] for a in summary] == ["#setting.designated-teacher--na-reason"]


@pytest.mark.parametrize(
    ("which", "duty", "roles"),
    [
        (
            "schools",
            "s175",
            ["Head teacher (or principal)", "Designated safeguarding lead", "Chair of the governing body"],
        ),
        ("s11", None, ["Accountable executive", "Named safeguarding lead"]),
        ("wt2023", None, ["Accountable executive", "Named safeguarding lead"]),
    ],
)
def test_the_declaration_page_asks_for_the_questionnaires_sign_off_roles(client, which, duty, roles):
    audit_return, _ = shipped_return(client, which, duty=duty)
    page = soup(client.get(f"/returns/{audit_return.id}/declaration"))
    legends = [legend.get_text(" ", strip=True) for legend in page.select("legend.govuk-fieldset__legend--m")]
    assert legends == roles
