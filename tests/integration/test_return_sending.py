"""Checking answers, signing the declaration, sending the return, and what it looks like afterwards."""

from datetime import date
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import ReturnStatus, ReturnStatusChange, Role, SignOff

from ..support.client import soup
from ..support.factories import PASSWORD, make_partnership, make_user, set_status
from ..support.returns import (
    COMPLETE_ANSWERS,
    complete_every_section,
    error_messages,
    hidden_fields,
    post_page,
    respondent_for,
    save_section,
    school_return,
    section_path,
    sign_off_data,
)


def signed_in_return(client, duty="s175"):
    audit_return = school_return(make_partnership(), duty=duty)
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    return audit_return


def declaration(audit_return):
    return f"/returns/{audit_return.id}/declaration"


def send(client, audit_return, data=None):
    return post_page(
        client, declaration(audit_return), sign_off_data() if data is None else data, {"send": "Send"}
    )


def test_check_answers_lists_every_section_with_change_links(client):
    audit_return = signed_in_return(client)
    complete_every_section(client, audit_return)
    page = soup(client.get(f"/returns/{audit_return.id}/check"))
    assert page.h1.get_text(strip=True) == "Check your answers before sending your return"
    headings = [h.get_text(strip=True) for h in page.select("h2.govuk-heading-m")]
    assert headings == ["Setting details", "Safeguarding culture", "Records and transfer", "Declaration"]
    row = next(r for r in page.select(".govuk-summary-list__row") if "How many pupils" in r.get_text())
    assert row.select_one(".govuk-summary-list__value").get_text(strip=True) == "240"
    change = row.select_one(".govuk-summary-list__actions a")
    assert change["href"] == section_path(audit_return, "setting") + "#question-setting.pupils"
    dsl = next(
        r for r in page.select(".govuk-summary-list__row") if "designated safeguarding lead" in r.get_text()
    )
    assert "Nadia Kowalski" in dsl.get_text(" ", strip=True)
    assert "4 September 2025" in dsl.get_text(" ", strip=True)
    missing = [a.get_text(strip=True) for a in page.select(".govuk-inset-text a")]
    assert missing == [
        "Declaration: not yet signed by the head teacher",
        "Declaration: not yet signed by the chair of governors",
    ]


def test_check_answers_lists_what_is_missing(client):
    audit_return = signed_in_return(client)
    save_section(client, audit_return, "setting", {"setting.pupils": "12"}, later=True)
    page = soup(client.get(f"/returns/{audit_return.id}/check"))
    missing = [a.get_text(strip=True) for a in page.select(".govuk-inset-text a")]
    assert missing == [
        "Setting details: 2 questions not answered",
        "Safeguarding culture: 5 questions not answered",
        "Records and transfer: 2 questions not answered",
        "Declaration: not yet signed by the head teacher",
        "Declaration: not yet signed by the chair of governors",
    ]


def test_check_answers_points_out_answers_that_ask_for_evidence_but_have_none(client):
    audit_return = signed_in_return(client)
    complete_every_section(client, audit_return)
    path = f"/returns/{audit_return.id}/check"
    assert "Answers that ask for evidence but have none" not in soup(client.get(path)).get_text()

    # "Yes" to the listening question asks for evidence; none is given.
    save_section(client, audit_return, "culture", {**COMPLETE_ANSWERS["culture"], "culture.listening": "yes"})
    page = soup(client.get(path))
    [notice] = [
        inset
        for inset in page.select(".govuk-inset-text")
        if "Answers that ask for evidence but have none" in inset.get_text()
    ]
    assert "You can still send the return" in notice.get_text()
    [link] = notice.select("a")
    assert (
        link.get_text(strip=True)
        == "Safeguarding culture: Do leaders build a culture of listening to children?"
    )
    assert link["href"] == f"{section_path(audit_return, 'culture')}#question-culture.listening"

    # Describing the evidence answers it; the return could be sent either way.
    save_section(
        client,
        audit_return,
        "culture",
        {
            **COMPLETE_ANSWERS["culture"],
            "culture.listening": "yes",
            "culture.listening--evidence": "Minutes of the pupil voice group, March",
        },
    )
    assert "Answers that ask for evidence but have none" not in soup(client.get(path)).get_text()


def test_the_declaration_shows_the_statement_and_the_roles_for_the_duty(client):
    audit_return = signed_in_return(client)
    page = soup(client.get(declaration(audit_return)))
    text = page.get_text(" ", strip=True)
    assert "We confirm that this return is accurate." in text
    legends = [legend.get_text(strip=True) for legend in page.select("legend.govuk-fieldset__legend--m")]
    assert legends == ["Head teacher", "Chair of governors"]


def test_an_academy_signs_as_a_trust_not_as_governors(client):
    audit_return = signed_in_return(client, duty="s157")
    legends = [
        legend.get_text(strip=True)
        for legend in soup(client.get(declaration(audit_return))).select("legend.govuk-fieldset__legend--m")
    ]
    assert legends == ["Head teacher", "Chair of the trust board"]


def test_sending_needs_every_signature(client):
    audit_return = signed_in_return(client)
    complete_every_section(client, audit_return)
    data = {key: value for key, value in sign_off_data().items() if key.startswith("head-teacher")}
    response = send(client, audit_return, data)
    assert response.status_code == 200
    assert error_messages(response) == [
        "Enter the full name of the chair of governors",
        "Enter their job title or position",
        "Enter the date they signed",
    ]
    db.session.refresh(audit_return)
    assert audit_return.status is ReturnStatus.IN_PROGRESS


def test_signatures_can_be_saved_to_come_back_later(client):
    audit_return = signed_in_return(client)
    data = {key: value for key, value in sign_off_data().items() if key.startswith("head-teacher")}
    response = post_page(client, declaration(audit_return), data, {"later": "Later"})
    assert response.headers["Location"] == f"/returns/{audit_return.id}"
    [signature] = db.session.scalars(select(SignOff)).all()
    assert (signature.role_id, signature.name, signature.signed_on) == (
        "head-teacher",
        "Helen Brierley",
        date.today(),
    )
    page = soup(client.get(declaration(audit_return)))
    assert page.select_one("[name='head-teacher--name']")["value"] == "Helen Brierley"


def test_a_return_with_missing_answers_is_not_sent(client):
    audit_return = signed_in_return(client)
    save_section(client, audit_return, "setting", {"setting.pupils": "12"}, later=True)
    response = send(client, audit_return)
    assert response.status_code == 409
    page = soup(response)
    assert page.h1.get_text(strip=True) == "You cannot send this return yet"
    assert "Safeguarding culture: 5 questions not answered" in page.get_text(" ", strip=True)
    db.session.refresh(audit_return)
    assert audit_return.status is ReturnStatus.IN_PROGRESS
    assert audit_return.score is None
    # The signatures given were kept.
    assert len(db.session.scalars(select(SignOff)).all()) == 2


def test_sending_stores_the_status_the_history_the_score_and_the_flags(client):
    audit_return = signed_in_return(client)
    complete_every_section(client, audit_return)
    # "Yes" asks for evidence, and none is given: the stored flags must say so.
    save_section(client, audit_return, "culture", {**COMPLETE_ANSWERS["culture"], "culture.listening": "yes"})
    response = send(client, audit_return)
    assert response.headers["Location"] == f"/returns/{audit_return.id}/sent"

    db.session.refresh(audit_return)
    assert audit_return.status is ReturnStatus.SUBMITTED
    assert audit_return.submitted_at is not None
    assert audit_return.score["overall"]["status"] == "rated"
    culture = next(s for s in audit_return.score["standards"] if s["section_id"] == "culture")
    assert culture["self_rating"] == "green"
    no_evidence = [flag for flag in audit_return.flags if flag["code"] == "NO_EVIDENCE"]
    assert [(flag["section_id"], flag["question_id"]) for flag in no_evidence] == [
        ("culture", "culture.listening")
    ]
    last = db.session.scalars(
        select(ReturnStatusChange)
        .where(ReturnStatusChange.return_id == audit_return.id)
        .order_by(ReturnStatusChange.id.desc())
    ).first()
    assert (last.from_status, last.to_status) == (ReturnStatus.IN_PROGRESS, ReturnStatus.SUBMITTED)


def test_the_confirmation_gives_the_reference_and_a_pdf_copy(client):
    audit_return = signed_in_return(client)
    complete_every_section(client, audit_return)
    send(client, audit_return)
    page = soup(client.get(f"/returns/{audit_return.id}/sent"))
    panel = page.select_one(".govuk-panel")
    assert panel.h1.get_text(strip=True) == "Return sent"
    assert audit_return.reference in panel.get_text(" ", strip=True)
    link = page.find("a", string="Download a copy of your return (PDF)")
    pdf = client.get(link["href"])
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.data)).pages)
    assert audit_return.reference in text
    assert "Nadia Kowalski" in text
    assert "Helen Brierley" in text


def test_a_sent_return_is_read_only(client):
    audit_return = signed_in_return(client)
    complete_every_section(client, audit_return)
    send(client, audit_return)
    section = soup(client.get(section_path(audit_return, "setting")))
    assert section.select("form input[name='setting.pupils']") == []
    assert "Once a return has been sent it cannot be changed" in section.get_text(" ", strip=True)
    assert "240" in section.select_one(".govuk-summary-list").get_text()
    check = soup(client.get(f"/returns/{audit_return.id}/check"))
    assert check.select(".govuk-summary-list__actions") == []
    assert client.get(declaration(audit_return)).headers["Location"] == f"/returns/{audit_return.id}/check"
    assert client.post(declaration(audit_return), data={}).status_code == 409


def test_sending_again_is_refused_with_a_clear_page(client):
    audit_return = signed_in_return(client)
    complete_every_section(client, audit_return)
    path = declaration(audit_return)
    page = hidden_fields(client, path)
    assert client.post(path, data={**page, **sign_off_data(), "send": "Send"}).status_code == 302
    second = client.post(path, data={**page, **sign_off_data(), "send": "Send"})
    assert second.status_code == 409
    assert soup(second).h1.get_text(strip=True) == "This return has already been sent"


def test_changes_requested_opens_the_return_again(client):
    audit_return = signed_in_return(client)
    complete_every_section(client, audit_return)
    send(client, audit_return)
    set_status(audit_return, ReturnStatus.CHANGES_REQUESTED)
    response = save_section(
        client, audit_return, "setting", {**COMPLETE_ANSWERS["setting"], "setting.pupils": "241"}
    )
    assert response.status_code == 302
    resent = send(client, audit_return)
    assert resent.headers["Location"] == f"/returns/{audit_return.id}/sent"
    db.session.refresh(audit_return)
    assert audit_return.status is ReturnStatus.SUBMITTED


def test_a_reviewer_can_download_the_pdf_copy(client):
    audit_return = signed_in_return(client)
    complete_every_section(client, audit_return)
    send(client, audit_return)
    client.sign_out()
    reviewer = make_user(Role.REVIEWER, audit_return.cycle.partnership)
    client.sign_in(reviewer.email, PASSWORD)
    assert client.get(f"/returns/{audit_return.id}/copy.pdf").mimetype == "application/pdf"
