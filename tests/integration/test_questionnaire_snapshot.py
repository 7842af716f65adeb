"""A cycle keeps the exact questionnaire it was opened with: editing or replacing the file
afterwards never changes how a past return displays or scores.

Returns point at a stored copy of the file's text (QuestionnaireVersion.source_text and its
hash), and every page and the scoring read that copy; the file on disk is read only when a
new cycle is created.
"""

from datetime import date, timedelta

from audit_app.data.scores import score_and_store
from audit_app.extensions import db
from audit_app.models import AuditCycle, OrganisationKind, Return, ReturnStatus
from scoring import Answer, score_return
from scoring.definitions import content_hash, parse_questionnaire

from ..support.client import soup
from ..support.cycles import date_fields, organisation_with_contacts, signed_in_admin
from ..support.factories import PASSWORD, make_partnership
from ..support.returns import (
    answers_of,
    complete_every_section,
    post_page,
    questionnaire_text,
    respondent_for,
    section_path,
    sign_off_data,
)

FILE_NAME = "test-schools-2025.1.yaml"
OLD_WORDING = "Do leaders build a culture of listening to children?"
NEW_WORDING = "Do senior leaders and governors model a culture of listening to pupils?"
NEW_QUESTION = "Do pupils help to write the school's safeguarding policy?"


def edited(text: str) -> str:
    """The same file (same id and version) reworded, re-pointed and with a question added."""
    changes = [
        (f"text: {OLD_WORDING}", f"text: {NEW_WORDING}"),
        # The return answers "termly": worth full marks before the edit, nothing after it.
        (
            "{value: termly, label: Every term, points: 2}",
            "{value: termly, label: Every term, points: 0}",
        ),
        (
            "      - id: culture.self-rating\n",
            f"      - id: culture.pupils-write-policy\n        text: {NEW_QUESTION}\n        type: yes_no\n"
            "      - id: culture.self-rating\n",
        ),
    ]
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def new_cycle_form(name: str) -> dict:
    opens = date.today() - timedelta(days=10)
    return {
        "name": name,
        "s11_questionnaire": "none",
        "schools_questionnaire": FILE_NAME,
        "fe_questionnaire": "none",
        "kinds": ["school"],
        "reminder_days": "14, 7, 1",
        "reminder_every_days": "7",
        "chase_days": "14",
        "letter_days": "1",
        **date_fields("opens_on", opens),
        **date_fields("initial_deadline", opens + timedelta(days=40)),
        **date_fields("final_deadline", opens + timedelta(days=60)),
    }


def create_cycle_from_the_file(admin_client, name: str) -> AuditCycle:
    response = admin_client.submit("/cycles/new", new_cycle_form(name))
    assert response.status_code == 302, soup(response).select_one(".govuk-error-summary")
    return db.session.scalar(db.select(AuditCycle).where(AuditCycle.name == name))


def shown(client, path: str) -> str:
    """The page's main content as a reader sees it, without one-off notification banners."""
    response = client.get(path)
    assert response.status_code == 200, path
    main = soup(response).select_one("main")
    for banner in main.select(".govuk-notification-banner"):
        banner.decompose()
    return main.get_text(" ", strip=True)


def pages_of(client, audit_return: Return) -> dict[str, str]:
    return {
        path: shown(client, path)
        for path in (
            f"/returns/{audit_return.id}/check",
            section_path(audit_return, "setting"),
            section_path(audit_return, "culture"),
            section_path(audit_return, "records"),
        )
    }


def sent_return_on_a_file_cycle(client, app, tmp_path):
    """A school's return, sent, in a cycle created through the app from a file in a folder of our own."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    app.config["QUESTIONNAIRES_DIR"] = str(folder)
    path = folder / FILE_NAME
    original = questionnaire_text(version="2025.1")
    path.write_text(original, encoding="utf-8")

    partnership = make_partnership()
    school = organisation_with_contacts(partnership, "Abbey Fields Primary School", OrganisationKind.SCHOOL)
    admin_client = app.test_client()
    signed_in_admin(admin_client, partnership)
    cycle = create_cycle_from_the_file(admin_client, "Schools safeguarding audit 2026")
    opening = admin_client.post(
        f"/cycles/{cycle.id}/open", data={"csrf_token": admin_client.csrf_token("/cycles/new")}
    )
    assert opening.status_code == 302
    audit_return = db.session.scalar(
        db.select(Return).where(Return.cycle_id == cycle.id, Return.organisation_id == school.id)
    )

    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    complete_every_section(client, audit_return)
    sent = post_page(client, f"/returns/{audit_return.id}/declaration", sign_off_data(), {"send": "Send"})
    assert sent.headers["Location"] == f"/returns/{audit_return.id}/sent"
    db.session.expire_all()
    assert audit_return.status is ReturnStatus.SUBMITTED
    return audit_return, path, original, admin_client


def test_editing_the_file_and_storing_it_again_never_changes_a_past_return(client, app, tmp_path):
    audit_return, path, original, admin_client = sent_return_on_a_file_cycle(client, app, tmp_path)
    version = audit_return.questionnaire_version
    assert version.source_text == original
    assert version.content_hash == content_hash(original)
    pages_before = pages_of(client, audit_return)
    score_before = audit_return.score
    assert score_before is not None  # scored when it was sent
    assert OLD_WORDING in pages_before[section_path(audit_return, "culture")]

    # The file is edited in place, keeping its id and version, as a safeguarding lead might.
    changed = edited(original)
    path.write_text(changed, encoding="utf-8")
    # The edit would matter if anything read the file: the same answers score differently on it.
    answers = [Answer(question_id, value) for question_id, value in answers_of(audit_return).items()]
    on_the_edited_file = score_return(parse_questionnaire(changed), answers, audit_return.duty)
    assert on_the_edited_file.to_dict() != score_before

    # A new cycle made from the edited file stores a copy of its own; the old copy is untouched.
    later = create_cycle_from_the_file(admin_client, "Schools safeguarding audit 2027")
    [later_choice] = {cq.questionnaire_version for cq in later.questionnaires}
    assert later_choice.id != version.id
    assert later_choice.source_text == changed
    db.session.expire_all()
    assert audit_return.questionnaire_version_id == version.id
    assert version.source_text == original
    assert version.content_hash == content_hash(original)

    # The past return reads and scores exactly as it did.
    pages_after = pages_of(client, audit_return)
    culture = pages_after[section_path(audit_return, "culture")]
    assert OLD_WORDING in culture
    assert NEW_WORDING not in culture
    assert NEW_QUESTION not in culture
    assert pages_after == pages_before
    rescored = score_and_store(audit_return)
    db.session.commit()
    assert rescored.to_dict() == score_before
    db.session.expire_all()
    assert audit_return.score == score_before


def test_removing_the_file_leaves_past_returns_readable_and_scored_as_before(client, app, tmp_path):
    audit_return, path, _original, _admin = sent_return_on_a_file_cycle(client, app, tmp_path)
    pages_before = pages_of(client, audit_return)
    score_before = audit_return.score

    path.unlink()

    assert pages_of(client, audit_return) == pages_before
    assert score_and_store(audit_return).to_dict() == score_before
