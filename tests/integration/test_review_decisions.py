"""Challenge questions and their answers, sending a return back for changes, accepting it,
the feedback, and the history of who did what and when."""

from flask import g, render_template
from flask_login import login_user
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import ChallengeQuestion, ReturnFeedback, ReturnStatus, ReturnStatusChange, Role

from ..support.client import soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user
from ..support.returns import error_messages, respondent_for
from ..support.review import assign, make_reviewer, review_path, sent_return


def reviewed_return(client, reviewer_name="Ravi Chandran"):
    partnership = make_partnership()
    audit_return = sent_return(partnership)
    reviewer = make_reviewer(partnership, reviewer_name)
    assign(audit_return, reviewer)
    client.sign_in(reviewer.email, PASSWORD)
    return audit_return, reviewer


def text_of(response) -> str:
    return soup(response).get_text(" ", strip=True)


def test_a_question_is_asked_answered_by_the_respondent_and_seen_by_the_reviewer(client):
    audit_return, reviewer = reviewed_return(client)
    asked = client.submit(
        review_path(audit_return, "questions", "new"),
        {"section": "culture", "question": "How do pupils with SEND raise a worry?"},
    )
    assert asked.headers["Location"] == review_path(audit_return)
    question = db.session.scalar(
        select(ChallengeQuestion).where(ChallengeQuestion.return_id == audit_return.id)
    )
    assert (question.section_id, question.asked_by_id) == ("culture", reviewer.id)
    assert question.asked_at is not None
    client.sign_out()

    respondent = respondent_for(audit_return, name="Nadia Kowalski")
    client.sign_in(respondent.email, PASSWORD)
    page = soup(client.get(review_path(audit_return, "questions")))
    card = page.select_one(".govuk-summary-card").get_text(" ", strip=True)
    assert "About Safeguarding culture" in card
    assert "How do pupils with SEND raise a worry?" in card
    assert "Not answered yet" in card
    answer_path = review_path(audit_return, "questions", str(question.id), "answer")
    assert page.select_one(".govuk-summary-card__actions a")["href"] == answer_path
    empty = client.submit(answer_path, {"response": "  "})
    assert error_messages(empty) == ["Enter your answer"]
    back = soup(empty).select_one(".govuk-back-link")
    assert (back.get_text(strip=True), back["href"]) == (
        "Back to the review of your return",
        review_path(audit_return, "questions"),
    )
    assert soup(empty).select_one(".govuk-caption-l").get_text(strip=True) == audit_return.organisation.name
    client.submit(answer_path, {"response": "Each class has a visual worry board."})
    db.session.refresh(question)
    assert question.responded_by_id == respondent.id
    assert question.responded_at is not None
    again = client.get(answer_path)
    assert again.status_code == 302
    client.sign_out()

    client.sign_in(reviewer.email, PASSWORD)
    review = text_of(client.get(review_path(audit_return)))
    assert "Answer Each class has a visual worry board." in review
    assert "Answered Nadia Kowalski" in review


def test_a_question_needs_words(client):
    audit_return, _ = reviewed_return(client)

    response = client.submit(review_path(audit_return, "questions", "new"), {"section": "", "question": ""})

    assert soup(response).title.get_text().startswith("Error: Ask the organisation a question")
    assert error_messages(response) == ["Enter your question"]


def test_the_notice_for_the_respondents_returns_page_lists_questions_to_answer(client, app):
    audit_return, _ = reviewed_return(client)
    client.submit(
        review_path(audit_return, "questions", "new"), {"section": "", "question": "Who is your DDSL?"}
    )
    client.sign_out()
    respondent = respondent_for(audit_return)
    client.sign_in(respondent.email, PASSWORD)

    # The notice is a partial the respondent's returns page includes: rendered here as that page would.
    with app.test_request_context():
        login_user(respondent)
        g.partnership = audit_return.cycle.partnership
        g.roles = {Role.RESPONDENT}
        html = render_template("review/_notices.html")
    assert "The reviewer has asked 1 question you have not answered yet." in " ".join(html.split())
    assert f'href="/review/returns/{audit_return.id}/questions"' in html


def test_requesting_changes_needs_a_comment_and_shows_it_to_the_respondent(client):
    audit_return, reviewer = reviewed_return(client)
    path = review_path(audit_return, "request-changes")
    empty = client.submit(path, {"comment": ""})
    assert error_messages(empty) == ["Enter what the organisation needs to change"]

    response = client.submit(path, {"comment": "Upload the child protection policy approved in September."})

    assert response.headers["Location"] == review_path(audit_return)
    db.session.refresh(audit_return)
    assert audit_return.status is ReturnStatus.CHANGES_REQUESTED
    assert audit_return.accepted_at is None
    change = db.session.scalars(
        select(ReturnStatusChange)
        .where(ReturnStatusChange.return_id == audit_return.id)
        .order_by(ReturnStatusChange.id.desc())
    ).first()
    assert (change.from_status, change.to_status) == (ReturnStatus.SUBMITTED, ReturnStatus.CHANGES_REQUESTED)
    assert change.changed_by_id == reviewer.id
    history = next(
        t
        for t in soup(client.get(review_path(audit_return))).select("table")
        if "Changes of status" in t.caption.get_text()
    )
    last = [c.get_text(" ", strip=True) for c in history.select("tbody tr")[-1].select("td")]
    assert last[1] == "Ravi Chandran"
    assert last[3] == "Upload the child protection policy approved in September."
    client.sign_out()
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    banner = soup(client.get(review_path(audit_return, "questions"))).select_one(".govuk-notification-banner")
    assert "The partnership has asked for changes to your return" in banner.get_text(" ", strip=True)
    assert "Upload the child protection policy approved in September." in banner.get_text(" ", strip=True)
    assert "Ravi Chandran" in banner.get_text(" ", strip=True)
    assert banner.find("a")["href"] == f"/returns/{audit_return.id}"


def test_a_return_sent_back_cannot_be_accepted_until_it_is_sent_again(client):
    audit_return, _ = reviewed_return(client)
    client.submit(review_path(audit_return, "request-changes"), {"comment": "Add the training dates."})

    response = client.get(review_path(audit_return, "accept"))

    assert response.status_code == 409
    assert "with the organisation for changes" in text_of(response)


def test_accepting_records_when_and_who_and_the_history_shows_it(client):
    audit_return, reviewer = reviewed_return(client)

    response = client.submit(review_path(audit_return, "accept"), {"comment": "A thorough return."})

    assert response.status_code == 302
    db.session.refresh(audit_return)
    assert audit_return.status is ReturnStatus.ACCEPTED
    assert audit_return.accepted_at is not None
    change = db.session.scalars(
        select(ReturnStatusChange)
        .where(ReturnStatusChange.return_id == audit_return.id)
        .order_by(ReturnStatusChange.id.desc())
    ).first()
    assert (change.from_status, change.to_status) == (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED)
    assert (change.changed_by_id, change.comment) == (reviewer.id, "A thorough return.")
    page = soup(client.get(review_path(audit_return)))
    history = next(t for t in page.select("table") if "Changes of status" in t.caption.get_text())
    rows = [[c.get_text(" ", strip=True) for c in r.select("td")] for r in history.select("tbody tr")]
    assert rows[-1][1:] == ["Ravi Chandran", "Submitted to accepted", "A thorough return."]
    assert ["The system", "In progress to submitted", "Sent by the organisation"] in [row[1:] for row in rows]
    assert client.get(review_path(audit_return, "accept")).status_code == 409


def test_an_admin_can_decide_without_being_the_reviewer(client):
    partnership = make_partnership()
    audit_return = sent_return(partnership)
    admin = make_user(Role.ADMIN, partnership, name="Dana Whitfield")
    client.sign_in(admin.email, PASSWORD)

    client.submit(review_path(audit_return, "accept"), {"comment": ""})

    db.session.refresh(audit_return)
    assert audit_return.status is ReturnStatus.ACCEPTED


def test_feedback_is_kept_for_the_letter(client):
    audit_return, reviewer = reviewed_return(client)
    path = review_path(audit_return, "feedback")

    client.submit(
        path,
        {
            "strengths": "Pupils know who their trusted adults are.",
            "areas_for_development": "Record the outcome of concerns.",
        },
    )

    feedback = db.session.scalar(select(ReturnFeedback).where(ReturnFeedback.return_id == audit_return.id))
    assert feedback.strengths == "Pupils know who their trusted adults are."
    assert feedback.areas_for_development == "Record the outcome of concerns."
    assert feedback.updated_by_id == reviewer.id
    page = soup(client.get(path))
    assert (
        page.select_one("textarea[name=strengths]").get_text() == "Pupils know who their trusted adults are."
    )


def test_a_respondent_of_another_organisation_cannot_see_or_answer_the_questions(client):
    audit_return, _ = reviewed_return(client)
    client.submit(
        review_path(audit_return, "questions", "new"), {"section": "", "question": "Who is your DDSL?"}
    )
    question = db.session.scalar(
        select(ChallengeQuestion).where(ChallengeQuestion.return_id == audit_return.id)
    )
    client.sign_out()
    partnership = audit_return.cycle.partnership
    other = make_organisation(partnership, "Oakbridge Primary School")
    stranger = make_user(Role.RESPONDENT, partnership, other)
    client.sign_in(stranger.email, PASSWORD)

    assert client.get(review_path(audit_return, "questions")).status_code == 404
    answer_path = review_path(audit_return, "questions", str(question.id), "answer")
    assert client.get(answer_path).status_code == 404
