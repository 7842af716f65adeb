"""Two people saving the same section: the second is shown both versions and chooses; nothing is overwritten silently."""

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import ReturnSection

from ..support.client import soup
from ..support.factories import PASSWORD, make_partnership
from ..support.returns import (
    answers_of,
    error_messages,
    hidden_fields,
    respondent_for,
    school_return,
    section_path,
)


def two_colleagues(app, client):
    audit_return = school_return(make_partnership())
    nadia = respondent_for(audit_return, name="Nadia Kowalski")
    tom = respondent_for(audit_return, name="Tom Aziz")
    other = app.test_client()
    client.sign_in(nadia.email, PASSWORD)
    other.sign_in(tom.email, PASSWORD)
    return audit_return, client, other


def section_version(audit_return, section_id):
    db.session.expire_all()
    return db.session.scalar(
        select(ReturnSection.version).where(
            ReturnSection.return_id == audit_return.id, ReturnSection.section_id == section_id
        )
    )


def test_the_second_of_two_saves_from_the_same_page_sees_both_versions(app, client):
    audit_return, nadia, tom = two_colleagues(app, client)
    path = section_path(audit_return, "setting")
    nadias_page = hidden_fields(nadia, path)
    toms_page = hidden_fields(tom, path)
    assert nadias_page["version"] == toms_page["version"] == "0"

    first = nadia.post(
        path, data={**nadias_page, "setting.pupils": "240", "later": "Save and come back later"}
    )
    assert first.status_code == 302
    second = tom.post(path, data={**toms_page, "setting.pupils": "250", "later": "Save and come back later"})

    assert second.status_code == 409
    page = soup(second)
    assert page.h1.get_text(strip=True) == "This section has changed since you opened it"
    assert "Nadia Kowalski saved" in page.get_text(" ", strip=True)
    row = next(tr for tr in page.select("tbody tr") if "How many pupils" in tr.get_text())
    cells = [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
    assert cells[1:] == ["240", "250"]
    assert "Different" in cells[0]
    # Nothing of the second save was written.
    assert answers_of(audit_return) == {"setting.pupils": 240}
    assert section_version(audit_return, "setting") == 1


def conflict(app, client):
    audit_return, nadia, tom = two_colleagues(app, client)
    path = section_path(audit_return, "setting")
    nadias_page, toms_page = hidden_fields(nadia, path), hidden_fields(tom, path)
    nadia.post(path, data={**nadias_page, "setting.pupils": "240", "save": "Save and continue"})
    response = tom.post(
        path, data={**toms_page, "setting.pupils": "250", "setting.notes": "Tom's note", "later": "Later"}
    )
    assert response.status_code == 409
    choice = {
        field["name"]: field.get("value", "") for field in soup(response).select("form input[type=hidden]")
    }
    return audit_return, tom, path, choice


def test_choosing_to_keep_their_answers_changes_nothing(app, client):
    audit_return, tom, path, choice = conflict(app, client)
    response = tom.post(path, data={**choice, "keep": "theirs"})
    assert response.headers["Location"] == path
    assert answers_of(audit_return) == {"setting.pupils": 240}
    page = soup(tom.get(path))
    assert "Your changes were not saved." in page.get_text(" ", strip=True)
    assert page.select_one("[name='setting.pupils']")["value"] == "240"


def test_choosing_to_save_mine_replaces_their_answers(app, client):
    audit_return, tom, path, choice = conflict(app, client)
    response = tom.post(path, data={**choice, "keep": "mine"})
    assert response.status_code == 302
    assert answers_of(audit_return) == {"setting.pupils": 250, "setting.notes": "Tom's note"}
    assert section_version(audit_return, "setting") == 2


def test_a_choice_must_be_made(app, client):
    audit_return, tom, path, choice = conflict(app, client)
    response = tom.post(path, data=choice)
    assert response.status_code == 409
    assert error_messages(response) == ["Select which answers you want to keep"]
    assert answers_of(audit_return) == {"setting.pupils": 240}


def test_saving_mine_is_refused_again_if_they_saved_once_more_meanwhile(app, client):
    audit_return, tom, path, choice = conflict(app, client)
    nadia = client
    nadia.post(path, data={**hidden_fields(nadia, path), "setting.pupils": "260", "later": "Later"})
    again = tom.post(path, data={**choice, "keep": "mine"})
    assert again.status_code == 409
    assert answers_of(audit_return) == {"setting.pupils": 260}


def test_a_page_posted_twice_is_a_conflict_with_oneself(client):
    audit_return = school_return(make_partnership())
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    path = section_path(audit_return, "setting")
    page = hidden_fields(client, path)
    assert client.post(path, data={**page, "setting.pupils": "1", "later": "Later"}).status_code == 302
    stale = client.post(path, data={**page, "setting.pupils": "2", "later": "Later"})
    assert stale.status_code == 409
    assert answers_of(audit_return) == {"setting.pupils": 1}


def test_saves_to_different_sections_do_not_conflict(app, client):
    audit_return, nadia, tom = two_colleagues(app, client)
    setting, records = section_path(audit_return, "setting"), section_path(audit_return, "records")
    nadias_page, toms_page = hidden_fields(nadia, setting), hidden_fields(tom, records)
    assert nadia.post(setting, data={**nadias_page, "setting.pupils": "9", "later": "L"}).status_code == 302
    assert (
        tom.post(records, data={**toms_page, "records.files-moved": "yes", "later": "L"}).status_code == 302
    )
    assert answers_of(audit_return) == {"setting.pupils": 9, "records.files-moved": "yes"}
