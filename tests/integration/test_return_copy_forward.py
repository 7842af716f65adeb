"""Last year's accepted answers carried into a new return, to check and confirm."""

from datetime import date, timedelta

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Answer, Evidence, EvidenceKind, ReturnStatus, utcnow

from ..support.client import soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, set_status
from ..support.returns import (
    COMPLETE_ANSWERS,
    accepted_last_year,
    open_test_cycle,
    questionnaire_text,
    respondent_for,
    return_of,
    save_section,
    section_path,
)

LAST_YEAR = {
    "setting.pupils": 230,
    "setting.dsl": {"name": "Nadia Kowalski", "role": "", "trained_on": "2024-09-02"},
    "culture.listening": "yes",
    "culture.routes": ["trusted-adults"],
    "culture.self-rating": "amber",
}


def two_years(partnership, this_year_text=None, organisation=None, last_year_organisation=None):
    school = organisation or make_organisation(partnership, "Abbey Fields Primary School")
    before = last_year_organisation or school
    last_cycle = open_test_cycle(
        partnership, [before], name="Audit 2025", opens_on=date.today() - timedelta(days=400)
    )
    previous = accepted_last_year(
        before, last_cycle, LAST_YEAR, na={"culture.survey": "We are an infant school"}
    )
    this_cycle = open_test_cycle(partnership, [school], name="Audit 2026", text=this_year_text)
    return previous, return_of(school, this_cycle)


def copied(audit_return):
    db.session.expire_all()
    rows = db.session.scalars(select(Answer).where(Answer.return_id == audit_return.id))
    return {row.question_id: (row.value, row.na_reason, row.copied_forward) for row in rows}


def test_opening_a_new_return_copies_last_years_accepted_answers(client):
    partnership = make_partnership()
    previous, audit_return = two_years(partnership)
    db.session.add(
        Evidence(
            return_id=previous.id,
            question_id="culture.listening",
            kind=EvidenceKind.LINK,
            description="Minutes of the governors' meeting",
            uploaded_at=utcnow(),
        )
    )
    db.session.commit()
    client.sign_in(respondent_for(audit_return).email, PASSWORD)

    task_list = soup(client.get(f"/returns/{audit_return.id}"))
    assert "Answers from last year to check and confirm" in task_list.get_text(" ", strip=True)
    answers = copied(audit_return)
    assert answers["setting.pupils"] == (230, None, True)
    assert answers["culture.routes"] == (["trusted-adults"], None, True)
    assert answers["culture.survey"] == (None, "We are an infant school", True)
    [link] = db.session.scalars(select(Evidence).where(Evidence.return_id == audit_return.id)).all()
    assert (link.description, link.copied_forward) == ("Minutes of the governors' meeting", True)
    db.session.refresh(audit_return)
    assert audit_return.status is ReturnStatus.NOT_STARTED  # copying is not starting

    page = soup(client.get(section_path(audit_return, "culture")))
    tagged = page.select("[id^='question-'] .govuk-tag--yellow")
    assert [tag.get_text(strip=True) for tag in tagged] == ["From last year – check and confirm"] * 4
    assert page.select_one("input[name='culture.listening'][value='yes']").has_attr("checked")


def test_saving_the_section_confirms_its_copied_answers(client):
    partnership = make_partnership()
    _, audit_return = two_years(partnership)
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    client.get(f"/returns/{audit_return.id}")
    save_section(client, audit_return, "culture", {**COMPLETE_ANSWERS["culture"], "culture.listening": "yes"})
    answers = copied(audit_return)
    assert answers["culture.listening"] == ("yes", None, False)
    assert answers["setting.pupils"][2] is True  # another section, not yet confirmed
    page = soup(client.get(section_path(audit_return, "culture")))
    assert page.select("[id^='question-'] .govuk-tag--yellow") == []


def test_unconfirmed_copied_answers_stop_the_return_being_sent(client):
    partnership = make_partnership()
    _, audit_return = two_years(partnership)
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    client.get(f"/returns/{audit_return.id}")
    check = soup(client.get(f"/returns/{audit_return.id}/check"))
    assert "Safeguarding culture: 4 answers from last year to check and confirm" in check.get_text(
        " ", strip=True
    )


def test_answers_to_changed_or_removed_questions_are_not_copied(client):
    partnership = make_partnership()
    changed = (
        questionnaire_text()
        .replace("        type: number\n", "        type: text\n", 1)  # setting.pupils is now text
        .replace("          - {value: worry-box, label: A worry box, points: 1}\n", "")
    )
    changed = changed.replace(
        "          - {value: trusted-adults, label: Trusted adults, points: 1}\n",
        "          - {value: named-adults, label: Named adults, points: 1}\n          - {value: worry-box, label: A worry box, points: 1}\n",
    )
    _, audit_return = two_years(partnership, this_year_text=changed)
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    client.get(f"/returns/{audit_return.id}")
    answers = copied(audit_return)
    assert "setting.pupils" not in answers  # the type changed
    assert "culture.routes" not in answers  # the option chosen no longer exists
    assert answers["culture.listening"] == ("yes", None, True)


def test_history_follows_an_academy_conversion(client):
    partnership = make_partnership()
    old_school = make_organisation(partnership, "Abbey Fields Primary School")
    academy = make_organisation(partnership, "Abbey Fields Academy")
    old_school.successor = academy
    db.session.commit()
    _, audit_return = two_years(partnership, organisation=academy, last_year_organisation=old_school)
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    client.get(f"/returns/{audit_return.id}")
    assert copied(audit_return)["setting.pupils"] == (230, None, True)


def test_nothing_is_copied_from_a_return_that_was_not_accepted(client):
    partnership = make_partnership()
    previous, audit_return = two_years(partnership)
    previous.status = ReturnStatus.SUBMITTED
    db.session.commit()
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    client.get(f"/returns/{audit_return.id}")
    assert copied(audit_return) == {}


def test_opening_a_section_first_copies_too(client):
    partnership = make_partnership()
    _, audit_return = two_years(partnership)
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    page = soup(client.get(section_path(audit_return, "setting")))
    assert page.select_one("input[name='setting.pupils']")["value"] == "230"


def test_nothing_is_copied_into_a_return_already_started(client):
    partnership = make_partnership()
    _, audit_return = two_years(partnership)
    set_status(audit_return, ReturnStatus.IN_PROGRESS)
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    client.get(f"/returns/{audit_return.id}")
    assert copied(audit_return) == {}
