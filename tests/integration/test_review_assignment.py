"""Who reviews a return: the reviewer's list, assigning reviewers (peer reviewers too), and who may open a review."""

from audit_app.extensions import db
from audit_app.models import OrganisationKind, ReturnStatus, Role

from ..support.client import soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user, set_status
from ..support.returns import error_messages, respondent_for, school_return
from ..support.review import SENT_ANSWERS, assign, make_reviewer, review_path, sent_return


def table_rows(page, caption_start: str) -> list[list[str]]:
    table = next(t for t in page.select("table") if t.caption.get_text(strip=True).startswith(caption_start))
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")] for row in table.select("tbody tr")
    ]


def test_the_reviewer_sees_returns_assigned_to_them_first_with_status_date_and_flags(client):
    partnership = make_partnership()
    # "Yes" to the listening question without evidence: one NO_EVIDENCE flag, at least.
    mine = sent_return(
        partnership, "Abbey Fields Primary School", answers={**SENT_ANSWERS, "culture.listening": "yes"}
    )
    other = sent_return(partnership, "Oakbridge Primary School")
    make_organisation(partnership, "Not Yet Started School")
    reviewer = make_reviewer(partnership)
    assign(mine, reviewer)
    client.sign_in(reviewer.email, PASSWORD)

    page = soup(client.get("/review"))

    assert page.h1.get_text(strip=True) == "Returns to review"
    [assigned] = table_rows(page, "Assigned to you")
    assert assigned[0].startswith("Abbey Fields Primary School")
    assert assigned[3] == "Submitted"
    assert assigned[2] == mine.submitted_at.strftime("%-d %B %Y")
    assert "NO_EVIDENCE" in [flag["code"] for flag in mine.flags]
    assert assigned[4] == str(len(mine.flags))
    [others] = table_rows(page, "Other returns")
    assert others[0].startswith("Oakbridge Primary School")
    assert others[5] == "Not assigned"
    assert other.id != mine.id


def test_an_admin_assigns_a_reviewer_from_the_partnership(client):
    partnership = make_partnership()
    audit_return = sent_return(partnership)
    reviewer = make_reviewer(partnership, "Ravi Chandran")
    admin = make_user(Role.ADMIN, partnership)
    client.sign_in(admin.email, PASSWORD)

    page = soup(client.get(review_path(audit_return, "reviewer")))
    labels = [label.get_text(strip=True) for label in page.select(".govuk-radios__label")]
    assert labels == ["Ravi Chandran"]
    response = client.submit(review_path(audit_return, "reviewer"), {"reviewer": str(reviewer.id)})

    assert response.status_code == 302
    assert response.headers["Location"] == review_path(audit_return)
    db.session.refresh(audit_return)
    assert audit_return.reviewer_id == reviewer.id
    summary = soup(client.get(review_path(audit_return))).select_one(".govuk-summary-list")
    assert "Reviewer Ravi Chandran" in summary.get_text(" ", strip=True)
    listed = table_rows(soup(client.get("/review")), "Returns sent for review")
    assert "Ravi Chandran" in listed[0][5]
    set_status(audit_return, ReturnStatus.ACCEPTED)
    listed = table_rows(soup(client.get("/review")), "Returns sent for review")
    assert listed[0][3] == "Accepted"


def test_a_peer_reviewer_from_another_agency_can_be_assigned(client):
    partnership = make_partnership()
    police = make_organisation(partnership, "Demoshire Constabulary", kind=OrganisationKind.AGENCY)
    audit_return = sent_return(partnership)
    peer = make_reviewer(partnership, "Sergeant Lee Moss", peer_from=police)
    admin = make_user(Role.ADMIN, partnership)
    client.sign_in(admin.email, PASSWORD)

    page = soup(client.get(review_path(audit_return, "reviewer")))
    hint = page.select_one(".govuk-radios__hint").get_text(strip=True)
    assert hint == "Peer reviewer from Demoshire Constabulary"
    response = client.submit(review_path(audit_return, "reviewer"), {"reviewer": str(peer.id)})

    assert response.status_code == 302
    db.session.refresh(audit_return)
    assert audit_return.reviewer_id == peer.id


def test_nobody_is_assigned_to_review_their_own_organisation(client):
    partnership = make_partnership()
    audit_return = sent_return(partnership, "Abbey Fields Primary School")
    own_peer = make_reviewer(partnership, "Hilary Abbey", peer_from=audit_return.organisation)
    admin = make_user(Role.ADMIN, partnership)
    client.sign_in(admin.email, PASSWORD)

    response = client.submit(review_path(audit_return, "reviewer"), {"reviewer": str(own_peer.id)})

    assert response.status_code == 200
    assert soup(response).title.get_text().startswith("Error: Assign a reviewer")
    assert error_messages(response) == [
        "Hilary Abbey is a peer reviewer from Abbey Fields Primary School, so cannot review its return. "
        "Select another reviewer"
    ]
    db.session.refresh(audit_return)
    assert audit_return.reviewer_id is None


def test_a_respondent_of_the_organisation_who_also_reviews_is_not_assigned_to_it(client):
    partnership = make_partnership()
    audit_return = sent_return(partnership, "Abbey Fields Primary School")
    both = respondent_for(audit_return, name="Nadia Kowalski")
    make_user_reviewer = make_reviewer(partnership, "Someone Else")
    from audit_app.data import people

    people.grant_role(both, Role.REVIEWER, partnership)
    db.session.commit()
    admin = make_user(Role.ADMIN, partnership)
    client.sign_in(admin.email, PASSWORD)

    page = soup(client.get(review_path(audit_return, "reviewer")))
    hints = [hint.get_text(strip=True) for hint in page.select(".govuk-radios__hint")]
    assert hints == ["Nadia Kowalski answers for Abbey Fields Primary School: cannot review this return"]
    response = client.submit(review_path(audit_return, "reviewer"), {"reviewer": str(both.id)})
    assert error_messages(response) == [
        "Nadia Kowalski answers for Abbey Fields Primary School, so cannot review its return. "
        "Select another reviewer"
    ]
    assert make_user_reviewer.id != both.id


def test_only_the_assigned_reviewer_or_an_admin_records_a_review(client):
    partnership = make_partnership()
    audit_return = sent_return(partnership)
    assigned = make_reviewer(partnership, "Ravi Chandran")
    other = make_reviewer(partnership, "Olu Adeyemi")
    assign(audit_return, assigned)
    client.sign_in(other.email, PASSWORD)

    page = soup(client.get(review_path(audit_return)))
    inset = page.select_one(".govuk-inset-text").get_text(strip=True)
    assert inset.startswith("This return is assigned to another reviewer")
    assert client.get(review_path(audit_return, "accept")).status_code == 403
    assert client.get(review_path(audit_return, "questions", "new")).status_code == 403


def test_a_reviewer_of_another_partnership_gets_not_found(client):
    audit_return = sent_return(make_partnership())
    elsewhere = make_reviewer(make_partnership("Otherton Safeguarding Children Partnership"))
    client.sign_in(elsewhere.email, PASSWORD)

    assert client.get(review_path(audit_return)).status_code == 404
    assert client.get(review_path(audit_return, "standards", "culture")).status_code == 404


def test_a_board_viewer_and_a_respondent_cannot_open_the_review(client):
    partnership = make_partnership()
    audit_return = sent_return(partnership)
    board = make_user(Role.BOARD_VIEWER, partnership)
    client.sign_in(board.email, PASSWORD)
    assert client.get(review_path(audit_return)).status_code == 403
    assert client.get("/review").status_code == 403
    client.sign_out()

    own_respondent = respondent_for(audit_return)
    client.sign_in(own_respondent.email, PASSWORD)
    assert client.get(review_path(audit_return)).status_code == 403
    assert client.get(review_path(audit_return, "accept")).status_code == 403


def test_a_return_not_yet_sent_cannot_be_reviewed(client):
    partnership = make_partnership()
    audit_return = school_return(partnership)
    set_status(audit_return, ReturnStatus.IN_PROGRESS)
    admin = make_user(Role.ADMIN, partnership)
    client.sign_in(admin.email, PASSWORD)

    page = soup(client.get(review_path(audit_return)))
    assert "The organisation has not sent this return yet." in page.get_text(" ", strip=True)
    response = client.get(review_path(audit_return, "accept"))
    assert response.status_code == 409
    assert "The organisation has not sent this return yet." in soup(response).get_text(" ", strip=True)
