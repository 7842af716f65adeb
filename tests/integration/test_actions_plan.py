"""Action plans: agreeing actions, changing and completing them, overdue actions flagged on the
return and listed, the organisation recording progress, and actions carried into the next cycle."""

from datetime import date, timedelta

from sqlalchemy import select

from audit_app.data import actions
from audit_app.data.scores import score_and_store
from audit_app.extensions import db
from audit_app.models import ActionItem, ActionStatus, OrganisationKind, Role

from ..support.client import soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user
from ..support.returns import error_messages, respondent_for
from ..support.review import assign, earlier_cycle, flag_codes, make_reviewer, review_path, sent_return

TODAY = date.today()


def plan_path(organisation) -> str:
    return f"/review/organisations/{organisation.id}/actions"


def date_fields(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def plan_rows(response) -> list[list[str]]:
    table = soup(response).select_one("table")
    return [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in table.select("tbody tr")]


def only_action(organisation) -> ActionItem:
    return db.session.scalar(select(ActionItem).where(ActionItem.organisation_id == organisation.id))


def test_a_reviewer_adds_an_action_linked_to_a_standard(client):
    partnership = make_partnership()
    audit_return = sent_return(partnership)
    school = audit_return.organisation
    reviewer = make_reviewer(partnership)
    assign(audit_return, reviewer)
    client.sign_in(reviewer.email, PASSWORD)
    due = TODAY + timedelta(days=60)

    response = client.submit(
        f"{plan_path(school)}/new",
        {
            "description": "Run a pupil survey on safeguarding every term.",
            "section": "culture",
            "owner": "Deputy head",
            "due_on": date_fields(due),
        },
    )

    assert response.headers["Location"] == plan_path(school)
    action = only_action(school)
    assert (action.section_id, action.owner, action.due_on) == ("culture", "Deputy head", due)
    assert (action.status, action.return_id, action.created_by_id) == (
        ActionStatus.OPEN,
        audit_return.id,
        reviewer.id,
    )
    [row] = plan_rows(client.get(plan_path(school)))
    assert row[:5] == [
        "Run a pupil survey on safeguarding every term.",
        "Safeguarding culture",
        "Deputy head",
        f"{due.day} {due:%B %Y}",
        "Open",
    ]


def test_an_action_needs_a_description_an_owner_and_a_real_due_date(client):
    partnership = make_partnership()
    school = make_organisation(partnership, "Abbey Fields Primary School")
    admin = make_user(Role.ADMIN, partnership)
    client.sign_in(admin.email, PASSWORD)

    response = client.submit(
        f"{plan_path(school)}/new",
        {"description": "", "section": "", "owner": "", "due_on": ["31", "2", "2027"]},
    )

    assert soup(response).title.get_text().startswith("Error: Add an action")
    assert error_messages(response) == [
        "Enter what the organisation needs to do",
        "Enter who is responsible for the action",
        "The date the action is due must be a real date, like 27 3 2027",
    ]
    past = client.submit(
        f"{plan_path(school)}/new",
        {
            "description": "Train governors",
            "section": "",
            "owner": "Clerk",
            "due_on": date_fields(TODAY - timedelta(days=1)),
        },
    )
    assert error_messages(past) == ["The date the action is due must be today or in the future"]


def test_an_action_is_changed_and_completed_with_evidence(client):
    partnership = make_partnership()
    school = make_organisation(partnership, "Abbey Fields Primary School")
    action = actions.add_action(partnership, school, "Review the policy", "DSL", TODAY + timedelta(days=30))
    admin = make_user(Role.ADMIN, partnership)
    client.sign_in(admin.email, PASSWORD)
    path = f"/review/actions/{action.id}"
    fields = {"description": "Review the child protection policy", "section": "", "owner": "DSL"}

    no_evidence = client.submit(path, {**fields, "due_on": date_fields(action.due_on), "status": "done"})
    assert error_messages(no_evidence) == ["Enter the evidence that the action has been completed"]

    client.submit(
        path,
        {
            **fields,
            "due_on": date_fields(action.due_on),
            "status": "done",
            "completion_evidence": "Approved by governors on 3 March.",
        },
    )

    db.session.refresh(action)
    assert action.description == "Review the child protection policy"
    assert (action.status, action.completed_on) == (ActionStatus.DONE, TODAY)
    assert action.completion_evidence == "Approved by governors on 3 March."
    [row] = plan_rows(client.get(plan_path(school)))
    assert row[4] == "Done"
    assert "Evidence: Approved by governors on 3 March." in row[0]


def test_overdue_actions_are_tagged_listed_and_flag_the_return(client):
    partnership = make_partnership()
    audit_return = sent_return(partnership)
    school = audit_return.organisation
    action = actions.add_action(
        partnership, school, "Train all governors", "Clerk", TODAY + timedelta(days=5)
    )
    assert "ACTIONS_OVERDUE" not in flag_codes(audit_return)

    score_and_store(audit_return, today=TODAY + timedelta(days=6))
    db.session.commit()

    assert "ACTIONS_OVERDUE" in flag_codes(audit_return)
    action.due_on = TODAY - timedelta(days=3)
    db.session.commit()
    admin = make_user(Role.ADMIN, partnership)
    client.sign_in(admin.email, PASSWORD)
    [row] = plan_rows(client.get(plan_path(school)))
    assert row[4] == "Overdue"
    listed = soup(client.get("/review/actions/overdue")).select("tbody tr")
    assert [[cell.get_text(" ", strip=True) for cell in row.select("th, td")][:5] for row in listed] == [
        ["Abbey Fields Primary School", "Train all governors", "Clerk", f"{action.due_on:%-d %B %Y}", "3"]
    ]


def test_completing_an_overdue_action_clears_the_flag(client):
    partnership = make_partnership()
    audit_return = sent_return(partnership)
    action = actions.add_action(
        partnership, audit_return.organisation, "Train all governors", "Clerk", TODAY + timedelta(days=1)
    )
    action.due_on = TODAY - timedelta(days=10)
    score_and_store(audit_return)
    db.session.commit()
    assert "ACTIONS_OVERDUE" in flag_codes(audit_return)

    actions.update_action(action, completion_evidence="All trained in June.", status=ActionStatus.DONE)

    assert "ACTIONS_OVERDUE" not in flag_codes(audit_return)


def test_the_respondent_sees_their_actions_and_records_progress(client):
    partnership = make_partnership()
    audit_return = sent_return(partnership)
    school = audit_return.organisation
    action = actions.add_action(
        partnership, school, "Update the SCR", "Business manager", TODAY + timedelta(days=9)
    )
    respondent = respondent_for(audit_return)
    client.sign_in(respondent.email, PASSWORD)

    page = client.get(plan_path(school))
    assert soup(page).select_one("tbody a").get_text(" ", strip=True).startswith("Record progress")
    assert soup(page).find("a", string="Add an action") is None
    response = client.submit(
        f"/review/actions/{action.id}/progress",
        {"status": "in_progress", "completion_evidence": "Half the staff files checked."},
    )

    assert response.headers["Location"] == plan_path(school)
    db.session.refresh(action)
    assert action.status is ActionStatus.IN_PROGRESS
    assert action.completion_evidence == "Half the staff files checked."
    assert client.get(f"/review/actions/{action.id}").status_code == 403
    assert client.get(f"{plan_path(school)}/new").status_code == 403


def test_another_organisations_respondent_cannot_see_the_action_plan(client):
    partnership = make_partnership()
    school = make_organisation(partnership, "Abbey Fields Primary School")
    action = actions.add_action(partnership, school, "Update the SCR", "Business manager", TODAY)
    other = make_organisation(partnership, "Oakbridge Primary School")
    stranger = make_user(Role.RESPONDENT, partnership, other)
    client.sign_in(stranger.email, PASSWORD)

    assert client.get(plan_path(school)).status_code == 404
    assert client.get(f"/review/actions/{action.id}/progress").status_code == 404


def test_a_reviewer_of_another_partnership_cannot_see_the_action_plan(client):
    partnership = make_partnership()
    school = make_organisation(partnership, "Abbey Fields Primary School")
    action = actions.add_action(partnership, school, "Update the SCR", "Business manager", TODAY)
    elsewhere = make_reviewer(make_partnership("Otherton Safeguarding Children Partnership"))
    client.sign_in(elsewhere.email, PASSWORD)

    assert client.get(plan_path(school)).status_code == 404
    assert client.get(f"/review/actions/{action.id}").status_code == 404


def test_a_board_viewer_cannot_open_action_plans(client):
    partnership = make_partnership()
    school = make_organisation(partnership, "Abbey Fields Primary School")
    board = make_user(Role.BOARD_VIEWER, partnership)
    client.sign_in(board.email, PASSWORD)

    assert client.get(plan_path(school)).status_code == 403
    assert client.get("/review/actions/overdue").status_code == 403


def test_open_actions_from_last_cycle_are_carried_into_the_next_return(client):
    partnership = make_partnership()
    agency = make_organisation(
        partnership, "Demoshire Constabulary", kind=OrganisationKind.AGENCY, duty="s175"
    )
    last_year = earlier_cycle(partnership, agency)
    still_open = actions.add_action(
        partnership,
        agency,
        "Audit referral quality",
        "DI Shah",
        TODAY - timedelta(days=200),
        return_id=last_year.id,
    )
    finished = actions.add_action(
        partnership,
        agency,
        "Name a deputy lead",
        "Chief Supt",
        TODAY - timedelta(days=250),
        return_id=last_year.id,
    )
    actions.update_action(finished, completion_evidence="Deputy named in March.", status=ActionStatus.DONE)
    this_year = sent_return(partnership, organisation=agency)
    actions.add_action(
        partnership, agency, "A new action", "DI Shah", TODAY + timedelta(days=90), return_id=this_year.id
    )
    reviewer = make_reviewer(partnership)
    assign(this_year, reviewer)
    client.sign_in(reviewer.email, PASSWORD)

    page = soup(client.get(review_path(this_year)))
    carried = next(t for t in page.select("table") if "earlier cycles" in t.caption.get_text())
    rows = [r.get_text(" ", strip=True) for r in carried.select("tbody tr")]
    assert len(rows) == 1
    assert rows[0].startswith("Audit referral quality")
    assert "Overdue Is this done?" in rows[0]
    assert carried.find("a")["href"] == f"/review/actions/{still_open.id}"
    assert "ACTIONS_OVERDUE" in flag_codes(this_year)
    client.sign_out()

    client.sign_in(respondent_for(this_year).email, PASSWORD)
    respondent_page = soup(client.get(review_path(this_year, "questions")))
    mine = next(t for t in respondent_page.select("table") if "earlier cycles" in t.caption.get_text())
    assert mine.find("a")["href"] == f"/review/actions/{still_open.id}/progress"


def test_the_daily_run_flags_returns_whose_actions_have_become_overdue(client, runner):
    partnership = make_partnership()
    audit_return = sent_return(partnership)
    actions.add_action(partnership, audit_return.organisation, "Train all governors", "Clerk", TODAY)
    db.session.commit()
    assert "ACTIONS_OVERDUE" not in flag_codes(audit_return)  # due today: not overdue yet

    later = TODAY + timedelta(days=2)
    result = runner.invoke(args=["reminders", "send", "--today", later.isoformat()])
    assert result.exit_code == 0, result.output
    assert "Scored again 1 return with actions newly overdue." in result.output
    db.session.expire_all()

    admin = make_user(Role.ADMIN, partnership)
    client.sign_in(admin.email, PASSWORD)
    flags = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(" ", strip=True)
        for row in soup(client.get(review_path(audit_return))).select(".govuk-summary-list__row")
        if row.select_one("dt")
    }
    assert flags["Actions overdue"] == (
        f"1 agreed action is past the due date and not completed (the oldest was due {TODAY:%-d %B %Y})."
    )
    dashboard = soup(client.get(f"/cycles/{audit_return.cycle_id}"))
    [row] = [r for r in dashboard.select("tbody tr") if audit_return.reference in r.get_text()]
    assert "Actions overdue" in [tag.get_text(strip=True) for tag in row.select(".govuk-tag")]


def test_the_respondent_sees_the_overdue_tag_on_their_action_plan(client):
    partnership = make_partnership()
    audit_return = sent_return(partnership)
    school = audit_return.organisation
    late = actions.add_action(partnership, school, "Train all governors", "Clerk", TODAY + timedelta(days=1))
    late.due_on = TODAY - timedelta(days=3)
    actions.add_action(partnership, school, "Update the SCR", "Business manager", TODAY + timedelta(days=9))
    db.session.commit()
    client.sign_in(respondent_for(audit_return).email, PASSWORD)

    page = soup(client.get(plan_path(school)))
    tags = {
        row.select("td")[0].get_text(" ", strip=True): [
            t.get_text(strip=True) for t in row.select(".govuk-tag")
        ]
        for row in page.select("tbody tr")
    }
    assert [
        tag for description, found in tags.items() if "Train all governors" in description for tag in found
    ] == ["Overdue"]
    assert not any(
        "Overdue" in found for description, found in tags.items() if "Update the SCR" in description
    )
