"""Section pages: every question type saved and shown again, show_if without JavaScript,
"not applicable", validation, and saving to come back later."""

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Answer, CycleStatus, ReturnSection, ReturnStatus, ReturnStatusChange

from ..support.client import soup
from ..support.factories import PASSWORD, make_partnership, set_status
from ..support.returns import (
    COMPLETE_ANSWERS,
    answers_of,
    error_messages,
    respondent_for,
    save_section,
    school_return,
    section_path,
)


def signed_in_return(client, duty="s175"):
    audit_return = school_return(make_partnership(), duty=duty)
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    return audit_return


def value_of(page, name):
    field = page.select_one(f"[name='{name}']")
    if field.name == "textarea":
        return field.get_text()
    return field.get("value")


def checked(page, name):
    return sorted(field["value"] for field in page.select(f"input[name='{name}'][checked]"))


def test_every_question_type_is_saved_in_its_stored_shape_and_shown_again(client):
    audit_return = signed_in_return(client)
    notes = "Two new governors joined in the spring.\nBoth are trained."
    response = save_section(
        client, audit_return, "setting", {**COMPLETE_ANSWERS["setting"], "setting.notes": notes}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == section_path(audit_return, "culture")
    save_section(client, audit_return, "culture", COMPLETE_ANSWERS["culture"])

    stored = answers_of(audit_return)
    assert stored["setting.pupils"] == 240
    assert stored["setting.dsl"] == {"name": "Nadia Kowalski", "role": "", "trained_on": "2025-09-04"}
    assert stored["setting.policy-date"] == "2025-09-01"
    assert stored["setting.notes"] == notes
    assert stored["culture.listening"] == "partly"
    assert stored["culture.whistleblowing"] == "yes"
    assert stored["culture.routes"] == ["trusted-adults", "worry-box"]
    assert stored["culture.survey"] == "termly"
    assert stored["culture.self-rating"] == "green"

    setting = soup(client.get(section_path(audit_return, "setting")))
    assert value_of(setting, "setting.pupils") == "240"
    assert value_of(setting, "setting.dsl--name") == "Nadia Kowalski"
    assert [f["value"] for f in setting.select("input[name='setting.dsl--trained-on']")] == [
        "04",
        "09",
        "2025",
    ]
    assert [f["value"] for f in setting.select("input[name='setting.policy-date']")] == ["01", "09", "2025"]
    assert value_of(setting, "setting.notes").strip() == notes
    culture = soup(client.get(section_path(audit_return, "culture")))
    assert checked(culture, "culture.listening") == ["partly"]
    assert checked(culture, "culture.routes") == ["trusted-adults", "worry-box"]
    assert checked(culture, "culture.self-rating") == ["green"]


def test_a_decimal_number_and_thousands_separators_are_read(client):
    audit_return = signed_in_return(client)
    save_section(client, audit_return, "setting", {"setting.pupils": "1,240"}, later=True)
    assert answers_of(audit_return)["setting.pupils"] == 1240
    save_section(client, audit_return, "setting", {"setting.pupils": "12.5"}, later=True)
    assert answers_of(audit_return)["setting.pupils"] == 12.5


def test_hints_and_statutory_references_are_shown(client):
    audit_return = signed_in_return(client)
    page = soup(client.get(section_path(audit_return, "culture")))
    text = page.get_text(" ", strip=True)
    assert "Think about how pupils raise worries." in text
    assert "Statutory references: KCSIE 2025, Part 1" in text
    assert "Statutory references: KCSIE 2025, Part 2" in text  # the section's own
    assert "Fully meets the standard." in text  # a rating's meaning under it


def test_a_question_revealed_by_show_if_is_hidden_until_its_condition_holds(client):
    audit_return = signed_in_return(client)
    page = soup(client.get(section_path(audit_return, "culture")))
    gap = page.select_one("[id='question-culture.whistleblowing-gap']")
    assert gap.has_attr("hidden")
    assert '"question": "culture.whistleblowing"' in gap["data-show-if"]


def test_show_if_works_without_javascript_by_showing_the_page_again(client):
    audit_return = signed_in_return(client)
    answers = {**COMPLETE_ANSWERS["culture"], "culture.whistleblowing": "no"}
    response = save_section(client, audit_return, "culture", answers)
    # The answer reveals a question on this page: the page comes back rather than moving on.
    assert response.status_code == 302
    assert response.headers["Location"] == section_path(audit_return, "culture")
    page = soup(client.get(section_path(audit_return, "culture")))
    assert "1 more question on this page needs answering" in page.get_text(" ", strip=True)
    assert not page.select_one("[id='question-culture.whistleblowing-gap']").has_attr("hidden")
    assert answers_of(audit_return)["culture.whistleblowing"] == "no"

    again = save_section(client, audit_return, "culture", {**answers, "culture.whistleblowing-gap": ""})
    assert error_messages(again) == ["Question 3: enter your answer"]
    done = save_section(
        client,
        audit_return,
        "culture",
        {**answers, "culture.whistleblowing-gap": "Adopt the trust's procedure"},
    )
    assert done.headers["Location"] == section_path(audit_return, "records")
    assert answers_of(audit_return)["culture.whistleblowing-gap"] == "Adopt the trust's procedure"


def test_answering_a_revealed_question_in_the_same_post_moves_on(client):
    audit_return = signed_in_return(client)
    answers = {
        **COMPLETE_ANSWERS["culture"],
        "culture.whistleblowing": "no",
        "culture.whistleblowing-gap": "A plan",
    }
    response = save_section(client, audit_return, "culture", answers)
    assert response.headers["Location"] == section_path(audit_return, "records")


def test_a_hidden_questions_input_is_ignored(client):
    audit_return = signed_in_return(client)
    answers = {**COMPLETE_ANSWERS["culture"], "culture.whistleblowing-gap": "Sent while hidden"}
    save_section(client, audit_return, "culture", answers)
    assert "culture.whistleblowing-gap" not in answers_of(audit_return)


def test_not_applicable_needs_a_reason(client):
    audit_return = signed_in_return(client)
    answers = {**COMPLETE_ANSWERS["culture"], "culture.survey": "not-applicable"}
    response = save_section(client, audit_return, "culture", answers)
    assert response.status_code == 200
    assert error_messages(response) == ["Question 5: enter why this question does not apply to you"]
    page = soup(response)
    assert page.select_one(".govuk-error-summary a")["href"] == "#culture.survey--na-reason"
    assert page.title.get_text().startswith("Error: ")

    reason = "We are an infant school and ask parents instead"
    save_section(client, audit_return, "culture", {**answers, "culture.survey--na-reason": reason})
    row = db.session.scalar(select(Answer).where(Answer.question_id == "culture.survey"))
    assert row.value is None and row.na_reason == reason
    page = soup(client.get(section_path(audit_return, "culture")))
    assert checked(page, "culture.survey") == ["not-applicable"]
    assert value_of(page, "culture.survey--na-reason").strip() == reason


def test_not_applicable_on_a_question_without_options_is_a_checkbox(client):
    audit_return = signed_in_return(client)
    answers = {
        "records.files-moved": "not-applicable",
        "records.files-moved--na-reason": "We have no such files",
    }
    save_section(client, audit_return, "records", answers, later=True)
    row = db.session.scalar(select(Answer).where(Answer.question_id == "records.files-moved"))
    assert row.na_reason == "We have no such files"


def test_validation_errors_are_listed_in_the_summary_and_linked_to_their_fields(client):
    audit_return = signed_in_return(client)
    response = save_section(
        client,
        audit_return,
        "setting",
        {
            "setting.pupils": "about forty",
            "setting.dsl--name": "",
            "setting.dsl--trained-on": ["31", "2", "2025"],
            "setting.policy-date": ["1", "", "2025"],
            "setting.notes": "Kept as typed",
        },
    )
    assert response.status_code == 200
    assert error_messages(response) == [
        "Question 1: enter a number, like 24 or 2.5",
        "Question 2: training date must be a real date",
        "Question 3: date must include a month",
    ]
    page = soup(response)
    # A date's error links to its first input, or to the part it says is missing (GOV.UK date input pattern).
    assert [a["href"] for a in page.select(".govuk-error-summary a")] == [
        "#setting.pupils",
        "#setting.dsl--trained-on-day",
        "#setting.policy-date-month",
    ]
    # Everything typed is on the page again.
    assert value_of(page, "setting.pupils") == "about forty"
    assert [f["value"] for f in page.select("input[name='setting.dsl--trained-on']")] == ["31", "2", "2025"]
    assert value_of(page, "setting.notes").strip() == "Kept as typed"
    # What could be saved was saved.
    assert answers_of(audit_return) == {"setting.notes": "Kept as typed"}
    assert "Your other answers on this page have been saved." in page.get_text(" ", strip=True)


def test_save_and_continue_asks_for_every_required_answer(client):
    audit_return = signed_in_return(client)
    response = save_section(client, audit_return, "culture", {"culture.listening": "yes"})
    assert error_messages(response) == [
        "Question 2: select yes or no",
        "Question 4: select at least one option",
        "Question 5: select an answer",
        "Question 6: select a rating",
    ]
    assert answers_of(audit_return) == {"culture.listening": "yes"}
    row = db.session.scalar(select(ReturnSection).where(ReturnSection.section_id == "culture"))
    assert row.completed is False


def test_none_of_these_cannot_be_chosen_with_another_option(client):
    audit_return = signed_in_return(client)
    answers = {**COMPLETE_ANSWERS["culture"], "culture.routes": ["worry-box", "none"]}
    response = save_section(client, audit_return, "culture", answers)
    assert error_messages(response) == [
        "Question 4: select “None of these” only if none of the other options applies"
    ]


def test_an_option_that_was_not_offered_is_refused(client):
    audit_return = signed_in_return(client)
    response = save_section(client, audit_return, "culture", {"culture.listening": "maybe"}, later=True)
    assert error_messages(response) == ["Question 1: select one of the options shown"]
    assert answers_of(audit_return) == {}


def test_a_short_year_links_to_the_year_input(client):
    audit_return = signed_in_return(client)
    response = save_section(
        client, audit_return, "setting", {"setting.policy-date": ["1", "9", "25"]}, later=True
    )
    assert error_messages(response) == ["Question 3: year must include 4 numbers"]
    assert soup(response).select_one(".govuk-error-summary a")["href"] == "#setting.policy-date-year"


def test_a_training_date_in_the_future_is_refused(client):
    audit_return = signed_in_return(client)
    data = {"setting.dsl--name": "Sam Okafor", "setting.dsl--trained-on": ["1", "1", "2999"]}
    response = save_section(client, audit_return, "setting", data, later=True)
    assert error_messages(response) == ["Question 2: training date must be today or in the past"]


def test_save_and_come_back_later_keeps_a_draft_and_returns_to_the_task_list(client):
    audit_return = signed_in_return(client)
    response = save_section(client, audit_return, "setting", {"setting.pupils": "12"}, later=True)
    assert response.headers["Location"] == f"/returns/{audit_return.id}"
    task_list = soup(client.get(response.headers["Location"]))
    assert "Your answers have been saved." in task_list.get_text(" ", strip=True)
    assert answers_of(audit_return) == {"setting.pupils": 12}
    assert value_of(soup(client.get(section_path(audit_return, "setting"))), "setting.pupils") == "12"


def test_clearing_an_answer_removes_it(client):
    audit_return = signed_in_return(client)
    save_section(client, audit_return, "setting", {"setting.pupils": "12"}, later=True)
    save_section(client, audit_return, "setting", {"setting.pupils": ""}, later=True)
    assert answers_of(audit_return) == {}


def test_the_first_save_starts_the_return(client):
    audit_return = signed_in_return(client)
    save_section(client, audit_return, "setting", {"setting.pupils": "12"}, later=True)
    save_section(client, audit_return, "culture", {"culture.listening": "yes"}, later=True)
    db.session.refresh(audit_return)
    assert audit_return.status is ReturnStatus.IN_PROGRESS
    assert audit_return.started_at is not None
    changes = db.session.scalars(
        select(ReturnStatusChange).where(ReturnStatusChange.return_id == audit_return.id)
    ).all()
    assert [(c.from_status, c.to_status) for c in changes] == [
        (None, ReturnStatus.NOT_STARTED),
        (ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS),
    ]


def test_posting_to_a_sent_return_gets_a_clear_page(client):
    audit_return = signed_in_return(client)
    path = section_path(audit_return, "setting")
    page = soup(client.get(path))
    token = page.select_one("input[name=csrf_token]")["value"]
    set_status(audit_return, ReturnStatus.SUBMITTED)
    response = client.post(path, data={"csrf_token": token, "version": "0", "setting.pupils": "5"})
    assert response.status_code == 409
    assert soup(response).h1.get_text(strip=True) == "This return has already been sent"
    assert answers_of(audit_return) == {}


def test_posting_to_a_closed_cycle_gets_a_clear_page(client):
    audit_return = signed_in_return(client)
    path = section_path(audit_return, "setting")
    token = soup(client.get(path)).select_one("input[name=csrf_token]")["value"]
    audit_return.cycle.status = CycleStatus.CLOSED
    db.session.commit()
    response = client.post(path, data={"csrf_token": token, "version": "0", "setting.pupils": "5"})
    assert response.status_code == 409
    assert soup(response).h1.get_text(strip=True) == "This audit is closed"
    assert answers_of(audit_return) == {}
    # The pages still show the answers, without forms.
    assert soup(client.get(path)).select("form input[name='setting.pupils']") == []


def test_an_expired_page_is_shown_again_with_everything_typed(client):
    audit_return = signed_in_return(client)
    path = section_path(audit_return, "setting")
    version = soup(client.get(path)).select_one("input[name=version]")["value"]
    response = client.post(
        path, data={"csrf_token": "from-an-old-session", "version": version, "setting.pupils": "77"}
    )
    assert response.status_code == 200
    page = soup(response)
    assert "This page had expired" in page.get_text(" ", strip=True)
    assert value_of(page, "setting.pupils") == "77"
    assert answers_of(audit_return) == {}
    resent = client.post(
        path,
        data={
            "csrf_token": page.select_one("input[name=csrf_token]")["value"],
            "version": version,
            "setting.pupils": "77",
            "later": "Save and come back later",
        },
    )
    assert resent.status_code == 302
    assert answers_of(audit_return) == {"setting.pupils": 77}
