"""Last year's accepted answers carried into a new return, to check and confirm."""

import logging
from datetime import date, timedelta

from sqlalchemy import select

from audit_app.data import evidence as evidence_data
from audit_app.evidence import storage
from audit_app.extensions import db
from audit_app.models import Answer, Evidence, EvidenceKind, ReturnStatus, Role, utcnow

from ..support.client import soup
from ..support.evidence import pdf
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user, set_status
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


MINUTES = pdf("Minutes of the governing board, listening to pupils")


def uploaded_last_year(previous, data=MINUTES, filename="minutes.pdf", user=None):
    """A file attached to last year's answer to culture.listening, as its respondent uploaded it."""
    item = evidence_data.store_file(previous, "culture.listening", filename, data, user)
    db.session.commit()
    return item


def described_last_year(previous):
    """A description of evidence held elsewhere, given with last year's answer to culture.listening."""
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


def evidence_of(audit_return):
    db.session.expire_all()
    return db.session.scalars(
        select(Evidence).where(Evidence.return_id == audit_return.id).order_by(Evidence.id)
    ).all()


def test_opening_a_new_return_copies_last_years_accepted_answers(client):
    partnership = make_partnership()
    previous, audit_return = two_years(partnership)
    described_last_year(previous)
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
    # Four copied answers, and the copied link under the first.
    assert [tag.get_text(strip=True) for tag in tagged] == ["From last year – check and confirm"] * 5
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


def test_a_file_uploaded_last_year_is_copied_into_a_new_file_with_the_same_bytes(client):
    partnership = make_partnership()
    previous, audit_return = two_years(partnership)
    uploader = respondent_for(previous, name="Owen Pryce")
    old = uploaded_last_year(previous, user=uploader)
    old_stored_name, old_sha256, old_uploaded_at = old.stored_name, old.sha256, old.uploaded_at
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    client.get(f"/returns/{audit_return.id}")

    [copy] = evidence_of(audit_return)
    assert copy.stored_name != old_stored_name
    assert storage.path_for(copy.stored_name).read_bytes() == MINUTES
    assert (
        copy.kind,
        copy.question_id,
        copy.original_filename,
        copy.content_type,
        copy.size_bytes,
        copy.sha256,
        copy.check_problem,
        copy.copied_forward,
    ) == (
        EvidenceKind.FILE,
        "culture.listening",
        "minutes.pdf",
        "application/pdf",
        len(MINUTES),
        old_sha256,
        None,
        True,
    )
    # Who uploaded the document, and when: the audit trail records the copy itself.
    assert (copy.uploaded_by_id, copy.uploaded_at) == (uploader.id, old_uploaded_at)
    response = client.get(f"/evidence/{copy.id}")
    assert response.status_code == 200
    assert response.get_data() == MINUTES


def test_a_copied_file_is_marked_from_last_year_until_the_section_is_saved(client):
    partnership = make_partnership()
    previous, audit_return = two_years(partnership)
    uploaded_last_year(previous)
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    client.get(f"/returns/{audit_return.id}")
    [copy] = evidence_of(audit_return)

    page = soup(client.get(section_path(audit_return, "culture")))
    box = page.select_one(f"input[name='culture.listening--remove'][value='{copy.id}']")
    item = box.find_parent(class_="govuk-checkboxes__item")
    assert item.select_one("label").get_text(strip=True) == "minutes.pdf"
    hint = item.select_one(".govuk-checkboxes__hint")
    assert hint.select_one(".govuk-tag--yellow").get_text(strip=True) == "From last year – check and confirm"
    assert hint.select_one(f"a[href='/evidence/{copy.id}']") is not None

    save_section(client, audit_return, "culture", {**COMPLETE_ANSWERS["culture"], "culture.listening": "yes"})
    [copy] = evidence_of(audit_return)
    assert copy.copied_forward is False
    page = soup(client.get(section_path(audit_return, "culture")))
    assert page.select_one(f"input[name='culture.listening--remove'][value='{copy.id}']") is not None
    assert page.select("[id^='question-'] .govuk-tag--yellow") == []


def test_files_found_inadequate_or_with_a_problem_are_not_copied(client):
    partnership = make_partnership()
    previous, audit_return = two_years(partnership)
    inadequate = uploaded_last_year(previous, filename="old minutes.pdf")
    inadequate.inadequate_reason = "These minutes are from 2019"
    db.session.commit()
    blank = uploaded_last_year(previous, data=pdf(""), filename="blank.pdf")
    assert blank.check_problem is not None
    uploaded_last_year(previous)
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    client.get(f"/returns/{audit_return.id}")
    assert [item.original_filename for item in evidence_of(audit_return)] == ["minutes.pdf"]


def test_a_file_missing_from_disk_is_left_behind_and_the_return_still_opens(client, caplog):
    partnership = make_partnership()
    previous, audit_return = two_years(partnership)
    lost = uploaded_last_year(previous)
    storage.path_for(lost.stored_name).unlink()
    described_last_year(previous)
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    with caplog.at_level(logging.WARNING):
        response = client.get(f"/returns/{audit_return.id}")
    assert response.status_code == 200
    assert f"stored file {lost.stored_name} is missing" in caplog.text
    assert copied(audit_return)["culture.listening"] == ("yes", None, True)
    assert [item.kind for item in evidence_of(audit_return)] == [EvidenceKind.LINK]


def test_removing_the_copied_file_leaves_last_years_file_for_its_reviewer(client):
    partnership = make_partnership()
    previous, audit_return = two_years(partnership)
    old = uploaded_last_year(previous)
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    client.get(f"/returns/{audit_return.id}")
    [copy] = evidence_of(audit_return)
    copy_path = storage.path_for(copy.stored_name)

    save_section(client, audit_return, "culture", {"culture.listening--remove": str(copy.id)}, later=True)
    assert evidence_of(audit_return) == []
    assert not copy_path.exists()
    client.sign_out()
    client.sign_in(make_user(Role.REVIEWER, partnership).email, PASSWORD)
    response = client.get(f"/evidence/{old.id}")
    assert response.status_code == 200
    assert response.get_data() == MINUTES


def test_a_copied_file_is_deleted_again_if_its_transaction_does_not_commit(app):
    previous, audit_return = two_years(make_partnership())
    old = uploaded_last_year(previous)
    copy = evidence_data.copy_file(old, audit_return)
    path = storage.path_for(copy.stored_name)
    assert path.read_bytes() == MINUTES
    db.session.rollback()
    assert not path.exists()
    assert storage.path_for(old.stored_name).read_bytes() == MINUTES
