"""Evidence on section pages: uploads, descriptions and links, refusals and removal."""

from io import BytesIO

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Evidence, EvidenceKind

from ..support.client import soup
from ..support.evidence import pdf
from ..support.factories import PASSWORD, make_partnership
from ..support.returns import (
    COMPLETE_ANSWERS,
    answers_of,
    error_messages,
    respondent_for,
    save_section,
    school_return,
    section_path,
)


def signed_in_return(client):
    audit_return = school_return(make_partnership())
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    return audit_return


def evidence_of(audit_return):
    db.session.expire_all()
    return db.session.scalars(
        select(Evidence).where(Evidence.return_id == audit_return.id).order_by(Evidence.id)
    ).all()


def upload(content: bytes, name: str):
    return (BytesIO(content), name)


def test_a_question_that_takes_evidence_has_an_upload_and_a_description(client):
    audit_return = signed_in_return(client)
    page = soup(client.get(section_path(audit_return, "culture")))
    assert page.select_one("input[type=file][name='culture.listening--file']") is not None
    assert page.select_one("textarea[name='culture.listening--evidence']") is not None
    assert page.select_one("input[type=file][name='culture.whistleblowing--file']") is None
    assert "The minutes where this was discussed. Evidence is needed if you answer Yes." in page.get_text(
        " ", strip=True
    )
    assert page.select_one("main form")["enctype"] == "multipart/form-data"


def test_an_upload_and_a_link_are_kept_with_the_answer(client):
    audit_return = signed_in_return(client)
    data = {
        **COMPLETE_ANSWERS["culture"],
        "culture.listening": "yes",
        "culture.listening--file": upload(pdf("Minutes of the governing board"), "minutes.pdf"),
        "culture.listening--evidence": "https://school.example/policies/listening.pdf",
    }
    response = save_section(client, audit_return, "culture", data)
    assert response.status_code == 302, error_messages(response)
    file, link = evidence_of(audit_return)
    assert (file.kind, file.original_filename, file.question_id) == (
        EvidenceKind.FILE,
        "minutes.pdf",
        "culture.listening",
    )
    assert (link.kind, link.url) == (EvidenceKind.LINK, "https://school.example/policies/listening.pdf")
    page = soup(client.get(section_path(audit_return, "culture")))
    attached = [
        label.get_text(strip=True) for label in page.select("[name='culture.listening--remove'] + label")
    ]
    assert attached == ["minutes.pdf", "https://school.example/policies/listening.pdf"]
    assert page.select_one(f"a[href='/evidence/{file.id}']") is not None


def test_a_refused_upload_is_explained_and_everything_typed_is_kept(client):
    audit_return = signed_in_return(client)
    data = {
        "culture.listening": "yes",
        "culture.whistleblowing": "no",
        "culture.listening--evidence": "Described here",
        "culture.listening--file": upload(b"", "empty.pdf"),
    }
    response = save_section(client, audit_return, "culture", data, later=True)
    assert response.status_code == 200
    assert error_messages(response) == ["Question 1: the selected file is empty"]
    page = soup(response)
    assert page.select_one(".govuk-error-summary a")["href"] == "#culture.listening--file"
    assert (
        page.select_one("textarea[name='culture.listening--evidence']").get_text().strip() == "Described here"
    )
    assert page.select_one("input[name='culture.whistleblowing'][value='no']").has_attr("checked")
    # The answers and the description were saved; only the file was refused.
    assert answers_of(audit_return)["culture.whistleblowing"] == "no"
    assert [item.kind for item in evidence_of(audit_return)] == [EvidenceKind.LINK]


def test_a_file_of_the_wrong_type_is_refused(client):
    audit_return = signed_in_return(client)
    data = {"culture.listening--file": upload(b"MZ not a document", "policy.exe")}
    response = save_section(client, audit_return, "culture", data, later=True)
    assert error_messages(response) == [
        "Question 1: the selected file must be a PDF, DOCX, XLSX, ODT, PNG or JPG"
    ]
    assert evidence_of(audit_return) == []


def test_evidence_can_be_removed(client):
    audit_return = signed_in_return(client)
    save_section(
        client, audit_return, "culture", {"culture.listening--evidence": "The staff handbook"}, later=True
    )
    [item] = evidence_of(audit_return)
    save_section(client, audit_return, "culture", {"culture.listening--remove": str(item.id)}, later=True)
    assert evidence_of(audit_return) == []


def test_an_evidence_question_is_answered_by_an_upload(client):
    audit_return = signed_in_return(client)
    data = {
        "records.files-moved": "yes",
        "records.register--file": upload(pdf("Records policy"), "records.pdf"),
    }
    response = save_section(client, audit_return, "records", data)
    assert response.headers["Location"] == f"/returns/{audit_return.id}"  # the last section for this duty
    task_list = soup(client.get(f"/returns/{audit_return.id}"))
    status = task_list.find("a", string=lambda s: s and "Records and transfer" in s)
    assert status is not None
    assert "Completed" in status.find_parent("li").get_text(" ", strip=True)


def test_an_evidence_question_without_a_file_or_description_is_asked_for(client):
    audit_return = signed_in_return(client)
    response = save_section(client, audit_return, "records", {"records.files-moved": "yes"})
    assert error_messages(response) == ["Question 2: describe your evidence or upload a file"]


def test_a_file_over_the_evidence_limit_is_refused_on_the_page_keeping_every_answer(client, app):
    audit_return = signed_in_return(client)
    # 30MB: three times the evidence limit, within the whole request's (MAX_UPLOAD_MB). The file
    # comes first in the body, so the answers after it are read only if the upload was.
    assert app.config["MAX_CONTENT_LENGTH"] > 30 * 1024 * 1024
    data = {
        "culture.listening--file": upload(b"%PDF-1.7\n" + b"0" * (30 * 1024 * 1024), "scan.pdf"),
        "culture.listening": "yes",
        "culture.whistleblowing": "no",
        "culture.listening--evidence": "Minutes of the pupil council, March",
    }
    response = save_section(client, audit_return, "culture", data, later=True)
    response.request.environ["wsgi.input"].close()  # the test client's own spooled copy of the body

    assert response.status_code == 200
    assert error_messages(response) == ["Question 1: the selected file must be smaller than 10MB"]
    page = soup(response)
    assert page.select_one("input[name='culture.listening'][value='yes']").has_attr("checked")
    assert page.select_one("input[name='culture.whistleblowing'][value='no']").has_attr("checked")
    described = page.select_one("textarea[name='culture.listening--evidence']").get_text().strip()
    assert described == "Minutes of the pupil council, March"
    saved = answers_of(audit_return)
    assert (saved["culture.listening"], saved["culture.whistleblowing"]) == ("yes", "no")
    assert [item.kind for item in evidence_of(audit_return)] == [EvidenceKind.LINK]


def test_a_file_larger_than_any_upload_gets_a_page_saying_so_in_words(client, app):
    audit_return = signed_in_return(client)
    app.config["MAX_CONTENT_LENGTH"] = 12 * 1024 * 1024  # MAX_UPLOAD_MB, lowered to keep the test small
    too_big = app.config["MAX_CONTENT_LENGTH"] + 1024 * 1024  # over the whole request's limit
    data = {
        "culture.listening": "yes",
        "culture.listening--file": upload(b"%PDF-1.7\n" + b"0" * too_big, "scan.pdf"),
    }
    response = save_section(client, audit_return, "culture", data, later=True)
    # The test client spooled the 13MB body to a temporary file, which the refusal never read.
    response.request.environ["wsgi.input"].close()

    assert response.status_code == 413
    page = soup(response)
    assert page.h1.get_text(strip=True) == "The file is too large"
    assert [p.get_text(strip=True) for p in page.select("main p")][:2] == [
        "The selected file must be smaller than 10MB. Nothing on the page you sent it from was saved.",
        "Go back and choose a smaller file.",
    ]
    assert evidence_of(audit_return) == []
    assert answers_of(audit_return).get("culture.listening") is None
