"""Moderating a return's standards: agreeing, a different rating with its reason, the score stored
again, evidence found not adequate, and ratings that fell since the last cycle."""

from sqlalchemy import select

import scoring
from audit_app.data.evidence import store_file
from audit_app.data.scores import score_and_store
from audit_app.extensions import db
from audit_app.models import Evidence, StandardModeration

from ..support.client import soup
from ..support.evidence import pdf
from ..support.factories import PASSWORD, make_organisation, make_partnership
from ..support.returns import error_messages
from ..support.review import (
    SENT_ANSWERS,
    assign,
    earlier_cycle,
    flag_codes,
    make_reviewer,
    questionnaire_for,
    review_path,
    sent_return,
    stored_score,
)


def reviewing(client, answers=None):
    partnership = make_partnership()
    audit_return = sent_return(partnership, answers=answers)
    reviewer = make_reviewer(partnership)
    assign(audit_return, reviewer)
    client.sign_in(reviewer.email, PASSWORD)
    return audit_return


def moderation(audit_return, section_id="culture"):
    return db.session.scalar(
        select(StandardModeration).where(
            StandardModeration.return_id == audit_return.id, StandardModeration.section_id == section_id
        )
    )


def test_the_standard_page_shows_the_ratings_the_answers_and_the_choices(client):
    audit_return = reviewing(client)

    page = soup(client.get(review_path(audit_return, "standards", "culture")))

    assert page.h1.get_text(strip=True) == "Safeguarding culture"
    summary = page.select_one(".govuk-summary-list").get_text(" ", strip=True)
    assert "Organisation’s own rating Green" in summary
    assert "Rating its answers score Green" in summary
    answers = page.get_text(" ", strip=True)
    assert "Do leaders build a culture of listening to children? Partly" in answers
    labels = [label.get_text(strip=True) for label in page.select(".govuk-radios__label")]
    assert labels == ["Agree with the organisation's own rating: Green", "Amber", "Red"]
    assert page.select_one(".govuk-radios__divider").get_text(strip=True) == "or"


def test_agreeing_keeps_the_self_rating_beside_the_judgement(client):
    audit_return = reviewing(client)
    before = stored_score(audit_return)

    response = client.submit(review_path(audit_return, "standards", "culture"), {"rating": "agree"})

    assert response.status_code == 302
    row = moderation(audit_return)
    assert (row.self_rating, row.scored_rating, row.moderated_rating) == ("green", "green", None)
    assert stored_score(audit_return).overall == before.overall
    table = soup(client.get(review_path(audit_return))).select_one("table")
    culture = table.select("tbody tr")[0].get_text(" ", strip=True)
    assert culture.startswith("Safeguarding culture Green Green Agreed: Green")


def test_a_different_rating_needs_a_reason(client):
    audit_return = reviewing(client)

    response = client.submit(review_path(audit_return, "standards", "culture"), {"rating": "amber"})

    assert response.status_code == 200
    assert soup(response).title.get_text().startswith("Error: Safeguarding culture")
    assert error_messages(response) == ["Enter why you have given a different rating"]
    assert moderation(audit_return) is None


def test_nothing_chosen_asks_for_a_rating(client):
    audit_return = reviewing(client)

    response = client.submit(review_path(audit_return, "standards", "culture"), {"reason": "Looked again"})

    assert error_messages(response) == [
        "Select whether you agree with the organisation's rating, or a different rating"
    ]


def test_a_moderated_rating_stores_the_score_as_scoring_moderate_says(client):
    audit_return = reviewing(client)
    before = stored_score(audit_return)
    assert before.overall.rating == "green"

    response = client.submit(
        review_path(audit_return, "standards", "culture"),
        {"rating": "red", "reason": "Pupils we spoke to did not know who to tell."},
    )

    assert response.status_code == 302
    expected = scoring.moderate(questionnaire_for(audit_return), before, {"culture": "red"})
    after = stored_score(audit_return)
    assert after == expected
    assert after.overall.rating == "amber"
    assert after.scored_overall == before.scored_overall
    row = moderation(audit_return)
    assert (row.self_rating, row.scored_rating, row.moderated_rating) == ("green", "green", "red")
    assert row.reason == "Pupils we spoke to did not know who to tell."
    page = soup(client.get(review_path(audit_return)))
    overall = next(r for r in page.select(".govuk-summary-list__row") if "Overall rating" in r.get_text())
    assert "Amber after moderation; its answers score Green" in overall.get_text(" ", strip=True)


def test_agreeing_with_an_own_rating_the_answers_do_not_reach_makes_it_the_final_rating(client):
    answers = {**SENT_ANSWERS, "culture.listening": "no", "culture.survey": "never"}
    audit_return = reviewing(client, answers)
    before = stored_score(audit_return)
    assert before.standard("culture").rating == "amber"

    client.submit(review_path(audit_return, "standards", "culture"), {"rating": "agree"})

    after = stored_score(audit_return)
    assert after.standard("culture").final_rating == "green"
    assert after == scoring.moderate(questionnaire_for(audit_return), before, {"culture": "green"})


def test_a_second_rating_replaces_the_first(client):
    audit_return = reviewing(client)
    path = review_path(audit_return, "standards", "culture")
    client.submit(path, {"rating": "red", "reason": "No evidence of pupil voice."})

    page = soup(client.get(path))
    assert page.select_one("input[name=rating][checked]")["value"] == "red"
    client.submit(path, {"rating": "amber", "reason": "The survey results arrived."})

    assert moderation(audit_return).moderated_rating == "amber"
    assert stored_score(audit_return).standard("culture").moderated_rating == "amber"


def attach(audit_return, data: bytes, name: str) -> Evidence:
    evidence = store_file(audit_return, "culture.listening", name, data, None)
    db.session.commit()
    return evidence


def test_evidence_is_listed_with_its_download_link_and_check_problem(client):
    audit_return = reviewing(client)
    good = attach(audit_return, pdf("Minutes of the pupil council"), "pupil-council.pdf")
    blank = attach(audit_return, pdf(""), "blank.pdf")

    page = soup(client.get(review_path(audit_return, "standards", "culture")))

    link = page.find("a", string="pupil-council.pdf")
    assert link["href"] == f"/evidence/{good.id}"
    row = page.find("a", string="blank.pdf").find_parent("li").get_text(" ", strip=True)
    assert "Check the file The PDF has no text on any page" in row
    assert blank.check_problem == "The PDF has no text on any page"


def test_evidence_can_be_marked_not_adequate_and_adequate_again(client):
    audit_return = reviewing(client)
    evidence = attach(audit_return, pdf("Minutes from 2019"), "minutes.pdf")
    path = review_path(audit_return, "evidence", str(evidence.id))

    missing = client.submit(path, {"inadequate": "Mark as not adequate"})
    assert error_messages(missing) == ["Enter why the evidence is not adequate"]
    page = soup(missing)
    assert page.h1.get_text(strip=True) == "Is this evidence adequate?"
    back = page.select_one(".govuk-back-link")
    assert back["href"] == review_path(audit_return, "standards", "culture")
    assert back.get_text(strip=True).startswith("Back to ")

    response = client.submit(path, {"reason": "These minutes are from 2019.", "inadequate": "x"})
    assert response.headers["Location"] == review_path(audit_return, "standards", "culture")
    db.session.refresh(evidence)
    assert evidence.inadequate_reason == "These minutes are from 2019."
    page = soup(client.get(review_path(audit_return, "standards", "culture")))
    assert "Not adequate These minutes are from 2019." in page.get_text(" ", strip=True)

    client.submit(path, {"adequate": "Mark as adequate"})
    db.session.refresh(evidence)
    assert evidence.inadequate_reason is None


def test_evidence_of_another_return_is_not_found(client):
    audit_return = reviewing(client)
    other = sent_return(make_partnership(), "Elsewhere Academy")
    evidence = attach(other, pdf("Policy"), "policy.pdf")

    assert client.get(review_path(audit_return, "evidence", str(evidence.id))).status_code == 404


def test_a_rating_that_fell_since_the_last_cycle_is_flagged_declined(client):
    partnership = make_partnership()
    school_return = sent_return(partnership, "Abbey Fields Primary School")
    school = school_return.organisation
    last_year = earlier_cycle(partnership, school)
    assert stored_score(last_year).standard("culture").final_rating == "green"
    reviewer = make_reviewer(partnership)
    assign(school_return, reviewer)
    client.sign_in(reviewer.email, PASSWORD)
    assert "DECLINED" not in flag_codes(school_return)

    client.submit(
        review_path(school_return, "standards", "culture"),
        {"rating": "amber", "reason": "Pupil voice is gathered but not acted on."},
    )

    assert "DECLINED" in flag_codes(school_return)
    page = soup(client.get(review_path(school_return)))
    assert 'Standard "Safeguarding culture" is rated Amber, down from Green last cycle.' in page.get_text(
        " ", strip=True
    )


def test_a_predecessor_schools_rating_counts_as_last_cycle(client):
    partnership = make_partnership()
    this_year = sent_return(
        partnership,
        "Abbey Fields Academy",
        answers={**SENT_ANSWERS, "culture.listening": "no", "culture.survey": "never"},
    )
    old_school = make_organisation(partnership, "Abbey Fields Primary School", duty="s175")
    old_school.successor_id = this_year.organisation_id
    earlier_cycle(partnership, old_school)

    score_and_store(this_year)
    db.session.commit()

    assert "DECLINED" in flag_codes(this_year)
