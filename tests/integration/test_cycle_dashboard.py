"""The dashboard on the demo data, checked against counts made directly from the database."""

import csv
import io
from collections import Counter
from datetime import date, timedelta

import pandas as pd
import pytest
from openpyxl import load_workbook

from audit_app.data.scores import questionnaire_of
from audit_app.demo.seed import DEMO_PASSWORD
from audit_app.extensions import db
from audit_app.models import (
    AuditCycle,
    Message,
    MessageStage,
    Organisation,
    Return,
    ReturnStatus,
    Role,
)
from audit_app.registers.agencies import AGENCY_TYPE_LABELS, AgencyType

from ..support.client import soup
from ..support.factories import PASSWORD, make_partnership, make_user

TODAY = date.today()
MANAGER = "manager@demoshire-partnership.example"


def seed(runner):
    result = runner.invoke(args=["demo", "seed", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    s11, schools = db.session.scalars(db.select(AuditCycle).order_by(AuditCycle.id)).all()
    return s11, schools


def table(page, caption: str) -> list[list[str]]:
    for candidate in page.select("table.govuk-table"):
        found = candidate.select_one("caption")
        if found and found.get_text(" ", strip=True).startswith(caption):
            return [
                [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.select("th, td")]
                for row in candidate.select("tr")
            ]
    raise AssertionError(f"no table captioned {caption!r}")


def cell(count: int, total: int) -> str:
    return f"{count} ({round(100 * count / total)}%)"


def returns_of(cycle) -> list[Return]:
    return db.session.scalars(db.select(Return).where(Return.cycle_id == cycle.id)).all()


def day(moment):
    return moment.date() if moment else None


def test_the_status_counts_match_the_database_today_and_at_each_deadline(runner, client):
    s11, _schools = seed(runner)
    client.sign_in(MANAGER, DEMO_PASSWORD)
    rows = {
        r[0].split(" ")[0]: r[1:]
        for r in table(soup(client.get(f"/cycles/{s11.id}")), "Returns by status")[1:]
    }
    returns = returns_of(s11)
    total = len(returns)
    by_status = Counter(r.status for r in returns)
    submitted = by_status[ReturnStatus.SUBMITTED] + by_status[ReturnStatus.CHANGES_REQUESTED]
    not_returned = by_status[ReturnStatus.NOT_STARTED] + by_status[ReturnStatus.IN_PROGRESS]
    assert (
        s11.initial_deadline < TODAY <= s11.final_deadline
    )  # the demo's S11 cycle is past its first deadline

    assert rows["Not"][0] == cell(by_status[ReturnStatus.NOT_STARTED], total)
    assert rows["In"][0] == cell(by_status[ReturnStatus.IN_PROGRESS], total)
    assert rows["Submitted"][0] == cell(submitted, total)
    assert rows["Accepted"][0] == cell(by_status[ReturnStatus.ACCEPTED], total)
    assert rows["Overdue"][0] == cell(not_returned, total)
    assert rows["Non-return"][0] == cell(0, total)
    assert rows["All"] == [str(total)] * 3

    initial = s11.initial_deadline
    returned_by_initial = sum(1 for r in returns if r.submitted_at and day(r.submitted_at) <= initial)
    accepted_by_initial = sum(1 for r in returns if r.accepted_at and day(r.accepted_at) <= initial)
    started_by_initial = sum(
        1
        for r in returns
        if r.started_at
        and day(r.started_at) <= initial
        and not (r.submitted_at and day(r.submitted_at) <= initial)
    )
    assert rows["Accepted"][1] == cell(accepted_by_initial, total)
    assert rows["Submitted"][1] == cell(returned_by_initial - accepted_by_initial, total)
    assert rows["In"][1] == cell(started_by_initial, total)
    assert rows["Overdue"][1] == cell(total - returned_by_initial, total)
    assert rows["Not"][1] == cell(total - returned_by_initial - started_by_initial, total)
    # The final deadline is still to come: no non-returns yet, and the column says its figures are so far.
    assert rows["Non-return"][2] == "–"
    header = table(soup(client.get(f"/cycles/{s11.id}")), "Returns by status")[0]
    assert header[3].endswith("(so far)")


def test_return_rates_by_sector_match_the_database(runner, client):
    s11, schools = seed(runner)
    client.sign_in(MANAGER, DEMO_PASSWORD)

    by_type = {
        r[0]: r[1:] for r in table(soup(client.get(f"/cycles/{s11.id}")), "Returns by agency type")[1:]
    }
    rows = db.session.execute(
        db.select(Organisation.agency_type, Return.submitted_at)
        .join(Organisation, Organisation.id == Return.organisation_id)
        .where(Return.cycle_id == s11.id)
    ).all()
    expected = Counter(AGENCY_TYPE_LABELS[AgencyType(t)] for t, _ in rows)
    on_time = Counter(
        AGENCY_TYPE_LABELS[AgencyType(t)] for t, s in rows if s and day(s) <= s11.initial_deadline
    )
    assert {label: int(values[0]) for label, values in by_type.items()} == dict(expected)
    for label, values in by_type.items():
        assert values[5] == cell(on_time[label], expected[label])

    page = soup(client.get(f"/cycles/{schools.id}?by=phase"))
    by_phase = {r[0]: r[1:] for r in table(page, "Returns by school phase")[1:]}
    phases = db.session.execute(
        db.select(Organisation.phase, Return.status)
        .join(Organisation, Organisation.id == Return.organisation_id)
        .where(Return.cycle_id == schools.id)
    ).all()
    assert {label: int(values[0]) for label, values in by_phase.items()} == dict(
        Counter(phase or "Not recorded" for phase, _ in phases)
    )
    not_started = Counter(phase or "Not recorded" for phase, s in phases if s is ReturnStatus.NOT_STARTED)
    assert {label: int(values[1]) for label, values in by_phase.items()} == {
        label: not_started[label] for label in by_phase
    }
    by_duty = table(soup(client.get(f"/cycles/{schools.id}?by=duty")), "Returns by duty")
    assert sum(int(r[1]) for r in by_duty[1:]) == len(returns_of(schools))


def test_the_list_filters_searches_sorts_and_shows_each_organisations_flags(runner, client):
    s11, _schools = seed(runner)
    client.sign_in(MANAGER, DEMO_PASSWORD)

    def names(query: str) -> list[str]:
        page = soup(client.get(f"/cycles/{s11.id}?{query}"))
        return [a.get_text(strip=True) for a in page.select("tbody a.govuk-link")]

    returns = returns_of(s11)
    not_returned = sorted(r.organisation.name for r in returns if not r.status.is_returned)
    assert names("status=overdue") == sorted(not_returned, key=str.casefold)
    assert names("status=accepted") == sorted(
        (r.organisation.name for r in returns if r.status is ReturnStatus.ACCEPTED), key=str.casefold
    )
    assert names("q=constab") == ["Demoshire Constabulary"]
    assert names("q=CONSTAB&status=submitted") == []
    submitted = [r for r in returns if r.submitted_at]
    newest_first = sorted(
        submitted, key=lambda r: (-r.submitted_at.date().toordinal(), r.organisation.name.casefold())
    )
    assert names("sort=submitted")[: len(submitted)] == [r.organisation.name for r in newest_first]
    police = next(r for r in returns if r.organisation.name == "Demoshire Constabulary")
    assert names("sector=Police+force") == ["Demoshire Constabulary"]

    page = soup(client.get(f"/cycles/{s11.id}?q=Constabulary"))
    row = page.select_one("form[action$='/chase'] tbody tr")
    assert [t.get_text(strip=True) for t in row.select(".govuk-tag")] == [
        "Not started – overdue",
        "Not started",
    ]
    assert police.flags is None  # never scored: the deadline flag is worked out on the page
    critical = [r for r in returns if r.flags and any(f["code"] == "CRITICAL_FAIL" for f in r.flags)]
    assert critical, "the demo has returns failing a critical question"
    assert sorted(names("flag=CRITICAL_FAIL"), key=str.casefold) == sorted(
        (r.organisation.name for r in critical), key=str.casefold
    )
    # Only outstanding returns can be chosen for chasing.
    assert len(page.select("input[name=return_id]")) == 1
    everyone = soup(client.get(f"/cycles/{s11.id}"))
    assert len(everyone.select("input[name=return_id]")) == len(not_returned)


def test_chasing_a_selection_queues_a_chase_to_each_copied_to_its_escalation_contacts(runner, client):
    s11, _schools = seed(runner)
    client.sign_in(MANAGER, DEMO_PASSWORD)
    returns = sorted(
        (r for r in returns_of(s11) if not r.status.is_returned), key=lambda r: r.organisation.name
    )
    chosen = returns[:2]
    query = "&".join(f"return_id={r.id}" for r in chosen)
    page = soup(client.get(f"/cycles/{s11.id}/chase?{query}"))
    checked = [box["value"] for box in page.select("input[name=return_ids][checked]")]
    assert checked == [str(r.id) for r in chosen]

    response = client.submit(f"/cycles/{s11.id}/chase?{query}", {"return_ids": [str(r.id) for r in chosen]})
    assert response.headers["Location"] == "/cycles/outbox"
    banner = (
        soup(client.get("/cycles/outbox")).select_one(".govuk-notification-banner").get_text(" ", strip=True)
    )
    # A chase to each lead contact (with their own start link), and a copy without one to the escalation contacts.
    assert "Chase emails sent: 0, kept in the outbox: 4, failed: 0." in banner
    chases = db.session.scalars(
        db.select(Message).where(Message.stage == MessageStage.CHASE).order_by(Message.id)
    ).all()
    by_id = sorted(chosen, key=lambda r: r.id)  # queued in return order
    assert [m.return_id for m in chases] == [r.id for r in by_id for _ in range(2)]
    for (message, copy), audit_return in zip(zip(chases[::2], chases[1::2], strict=True), by_id, strict=True):
        contacts = audit_return.organisation.contacts
        key = f"chase:{audit_return.id}:manual:{TODAY.isoformat()}"
        assert (message.to, message.cc, message.idempotency_key) == (
            next(c.email for c in contacts if c.role.value == "lead"),
            "",
            key,
        )
        assert (copy.to, copy.idempotency_key) == (
            ", ".join(c.email for c in contacts if c.role.value == "escalation"),
            key + "/copy",
        )
        assert "/start/" in message.body and "/start/" not in copy.body

    # Chasing them again the same day sends nothing more.
    client.submit(f"/cycles/{s11.id}/chase?{query}", {"return_ids": [str(r.id) for r in chosen]})
    assert (
        db.session.scalar(db.select(db.func.count(Message.id)).where(Message.stage == MessageStage.CHASE))
        == 4
    )
    dashboard = soup(client.get(f"/cycles/{s11.id}?q={chosen[0].organisation.name.split()[0]}"))
    assert f"{TODAY.day} {TODAY:%B %Y} (1)" in dashboard.get_text(" ", strip=True)

    empty = client.submit(f"/cycles/{s11.id}/chase", {})
    assert soup(empty).title.get_text().startswith("Error: ")
    assert [a.get_text(strip=True) for a in soup(empty).select(".govuk-error-summary a")] == [
        "Select at least one organisation to chase"
    ]
    returned = next(r for r in returns_of(s11) if r.status.is_returned)
    refused = client.submit(f"/cycles/{s11.id}/chase", {"return_ids": [str(returned.id)]})
    assert (
        "Select from the organisations shown" in soup(refused).select_one(".govuk-error-summary").get_text()
    )


def red_in_database(cycle) -> dict[str, tuple[str | None, list[str]]]:
    """Each returned organisation with a red standard or a red overall rating, worked out here from the stored scores."""
    found = {}
    for audit_return in returns_of(cycle):
        if not audit_return.status.is_returned or not audit_return.score:
            continue
        questionnaire = questionnaire_of(audit_return.questionnaire_version)
        scale = questionnaire.scale
        red = []
        for standard in audit_return.score["standards"]:
            final = standard.get("moderated_rating") or standard["rating"]
            if final and scale.rating(final).colour == "red":
                red.append(questionnaire.section(standard["section_id"]).title)
        overall = audit_return.score["overall"]["rating"]
        if red or (overall and scale.rating(overall).colour == "red"):
            found[audit_return.organisation.name] = (scale.rating(overall).label if overall else None, red)
    return found


def test_non_returns_and_non_compliant_lists_download_as_csv_and_xlsx(runner, client):
    s11, _schools = seed(runner)
    client.sign_in(MANAGER, DEMO_PASSWORD)
    not_returned = {r.organisation.name: r for r in returns_of(s11) if not r.submitted_at}

    response = client.get(f"/cycles/{s11.id}/non-returns.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    records = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert {r["Organisation"] for r in records} == set(not_returned)
    for record in records:
        audit_return = not_returned[record["Organisation"]]
        assert record["Reference"] == audit_return.reference
        assert record["Status"] == audit_return.status.label
        assert record["Started on"] == (
            audit_return.started_at.date().isoformat() if audit_return.started_at else ""
        )
        lead = next(c for c in audit_return.organisation.contacts if c.role.value == "lead")
        assert record["Lead contact email"] == lead.email

    workbook = client.get(f"/cycles/{s11.id}/non-returns.xlsx")
    frame = pd.read_excel(io.BytesIO(workbook.get_data()), sheet_name="Non-returns")
    assert list(frame.columns)[:3] == ["Reference", "Organisation", "URN"]
    assert set(frame["Organisation"]) == set(not_returned)
    sheet = load_workbook(io.BytesIO(workbook.get_data()))["Non-returns"]
    started_column = [c.value for c in sheet[1]].index("Started on") + 1
    started = [sheet.cell(row, started_column) for row in range(2, sheet.max_row + 1)]
    assert any(c.value is not None for c in started)
    assert all(c.is_date for c in started if c.value is not None)

    expected = red_in_database(s11)
    assert expected, "the demo should have some red ratings"
    page = soup(client.get(f"/cycles/{s11.id}/non-compliant"))
    assert [r[0] for r in table(page, f"{len(expected)} organisations")[1:]] == sorted(
        expected, key=str.casefold
    )
    found = list(
        csv.DictReader(
            io.StringIO(client.get(f"/cycles/{s11.id}/non-compliant.csv").get_data().decode("utf-8-sig"))
        )
    )
    assert {
        r["Organisation"]: (
            r["Overall rating"] or None,
            r["Red standards"].split("; ") if r["Red standards"] else [],
        )
        for r in found
    } == expected
    xlsx = pd.read_excel(io.BytesIO(client.get(f"/cycles/{s11.id}/non-compliant.xlsx").get_data()))
    assert set(xlsx["Organisation"]) == set(expected)
    assert pd.api.types.is_datetime64_any_dtype(xlsx["Submitted on"])
    assert (xlsx["Standards rated red"] == [len(expected[name][1]) for name in xlsx["Organisation"]]).all()


def test_the_publishable_list_names_organisations_and_their_status_only(runner, client):
    s11, _schools = seed(runner)
    # Move the final deadline into the past, so the cycle has non-returns to name.
    s11.final_deadline = TODAY - timedelta(days=1)
    s11.initial_deadline = min(s11.initial_deadline, s11.final_deadline)
    db.session.commit()
    client.sign_in(MANAGER, DEMO_PASSWORD)
    page = client.get(f"/cycles/{s11.id}/published")
    text = page.get_data(as_text=True)
    listed = {r[0]: r[1] for r in table(soup(page), "")[1:]}
    non_returns = {r.organisation.name for r in returns_of(s11) if not r.submitted_at}
    red = set(red_in_database(s11))
    assert set(listed) == non_returns | red
    assert {listed[name] for name in non_returns} == {"Did not return by the final deadline"}
    assert {listed[name] for name in red - non_returns} <= {
        "Returned: one or more safeguarding standards not met"
    }
    lowered = text.lower()
    assert "@" not in text.split("<main", 1)[1]
    for word in ("score", "amber", "green", "critical", "lead contact"):
        assert word not in lowered.split("<main", 1)[1], word
    published_csv = client.get(f"/cycles/{s11.id}/published.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(published_csv)))
    assert rows[0] == ["Organisation", "Status"]
    assert {r[0] for r in rows[1:]} == set(listed)
    assert "@" not in published_csv


def test_board_viewers_read_the_figures_but_not_contacts_and_others_are_kept_out(runner, client):
    s11, _schools = seed(runner)
    client.sign_in("board@demoshire-partnership.example", DEMO_PASSWORD)
    page = soup(client.get(f"/cycles/{s11.id}"))
    assert page.select("input[name=return_id]") == []
    assert "@" not in page.select_one("main").get_text()
    for path in (
        f"/cycles/{s11.id}/non-returns",
        f"/cycles/{s11.id}/non-returns.csv",
        f"/cycles/{s11.id}/non-compliant.xlsx",
        f"/cycles/{s11.id}/chase",
        "/cycles/outbox",
        "/cycles/new",
    ):
        assert client.get(path).status_code == 403, path
    assert client.get(f"/cycles/{s11.id}/published").status_code == 200
    client.sign_out()

    client.sign_in("auditor@demoshire-partnership.example", DEMO_PASSWORD)
    assert client.get(f"/cycles/{s11.id}").status_code == 403
    client.sign_out()

    stranger = make_user(Role.ADMIN, make_partnership("Elsewhere"))
    client.sign_in(stranger.email, PASSWORD)
    for path in (
        f"/cycles/{s11.id}",
        f"/cycles/{s11.id}/non-returns.csv",
        f"/cycles/{s11.id}/published",
        f"/cycles/{s11.id}/chase",
        f"/cycles/{s11.id + 999}",
    ):
        assert client.get(path).status_code == 404, path


@pytest.fixture
def outbox_with_a_letter(runner):
    s11, _schools = seed(runner)
    s11.final_deadline = TODAY - timedelta(days=3)
    s11.initial_deadline = TODAY - timedelta(days=10)
    db.session.commit()
    # The first run invites; the letter can only follow on a later day.
    for when in (TODAY - timedelta(days=12), TODAY):
        result = runner.invoke(args=["reminders", "send", "--today", when.isoformat()])
        assert result.exit_code == 0, result.output
    db.session.expire_all()
    return s11


def test_the_outbox_lists_messages_newest_first_with_filters_and_shows_each_in_full(
    client, outbox_with_a_letter
):
    client.sign_in(MANAGER, DEMO_PASSWORD)
    page = soup(client.get("/cycles/outbox"))
    listed = table(page, "")
    assert listed[0] == ["Subject", "To", "Stage", "Queued", "Delivery", "Attempts"]
    stages = [row[2] for row in listed[1:]]
    assert stages.index("Chair's letter") < stages.index("Invitation")  # newest first
    assert {row[4] for row in listed[1:]} == {"Kept in outbox"}

    letters = soup(client.get("/cycles/outbox?stage=letter"))
    assert {row[2] for row in table(letters, "")[1:]} == {"Chair's letter"}
    nothing = soup(client.get("/cycles/outbox?stage=letter&status=failed"))
    assert "No messages match these filters." in nothing.get_text(" ", strip=True)

    letter = db.session.scalars(
        db.select(Message).where(Message.stage == MessageStage.LETTER).order_by(Message.id)
    ).first()
    detail = soup(client.get(f"/cycles/outbox/{letter.id}"))
    assert detail.h1.get_text(strip=True) == letter.subject
    text = detail.get_text(" ", strip=True)
    assert letter.to in text and "section 16H" in text
    link = detail.find("a", string=lambda s: s and s.endswith("(PDF)"))
    pdf = client.get(link["href"])
    assert pdf.mimetype == "application/pdf"
    assert pdf.get_data().startswith(b"%PDF")

    other_admin = make_user(Role.ADMIN, make_partnership("Elsewhere"))
    client.sign_out()
    client.sign_in(other_admin.email, PASSWORD)
    assert client.get(f"/cycles/outbox/{letter.id}").status_code == 404
    assert client.get(f"/cycles/outbox/{letter.id}/letter.pdf").status_code == 404
    assert "No messages" in soup(client.get("/cycles/outbox")).get_text()


def test_a_name_that_looks_like_a_formula_is_exported_as_text():
    from audit_app.cycles.exports import csv_bytes, xlsx_bytes

    frame = pd.DataFrame(
        {"Organisation": ['=HYPERLINK("http://x.example")', "St Mary’s"], "Submitted on": [TODAY, None]}
    )
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"))))
    assert rows[1][0] == '\'=HYPERLINK("http://x.example")'
    assert rows[2] == ["St Mary’s", ""]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(frame, "Test")))["Test"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("'=")
    assert sheet["B2"].is_date


def status_table(client, cycle) -> tuple[list[str], dict[str, list[str]]]:
    """The "Returns by status" table: its header, and each row's cells by the row's label."""
    rows = table(soup(client.get(f"/cycles/{cycle.id}")), "Returns by status")
    labels = ("Not started", "In progress", "Submitted", "Accepted", "Overdue", "Non-return", "All returns")
    by_label = {next(label for label in labels if row[0].startswith(label)): row[1:] for row in rows[1:]}
    return rows[0], by_label


def test_after_the_final_deadline_non_returns_are_counted_and_a_late_return_moves_todays_rate(client):
    from ..support.cycles import open_s11_cycle, organisation_with_contacts, return_of, start, submit

    partnership = make_partnership()
    agencies = [
        organisation_with_contacts(partnership, name, agency_type="police")
        for name in ("Early Police", "Late Police", "Started Police", "Silent Police")
    ]
    initial, final = TODAY - timedelta(days=40), TODAY - timedelta(days=10)
    cycle = open_s11_cycle(partnership, agencies, TODAY - timedelta(days=90), initial, final)
    early, late, started, silent = (return_of(cycle, a) for a in agencies)
    submit(early, TODAY - timedelta(days=45))
    submit(late, TODAY - timedelta(days=20))  # between the deadlines
    start(started, TODAY - timedelta(days=30))
    admin = make_user(Role.ADMIN, partnership)
    client.sign_in(admin.email, PASSWORD)

    header, rows = status_table(client, cycle)
    assert header[3] == f"At the final deadline, {final.day} {final:%B %Y}"  # reached: no "(so far)"
    assert rows["Non-return"] == ["2 (50%)", "–", "2 (50%)"]
    assert rows["Overdue"] == ["0 (0%)", "3 (75%)", "–"]
    assert rows["Submitted"] == ["2 (50%)", "1 (25%)", "2 (50%)"]
    assert rows["In progress"] == ["1 (25%)", "0 (0%)", "1 (25%)"]
    assert rows["Not started"] == ["1 (25%)", "3 (75%)", "1 (25%)"]
    by_type = table(soup(client.get(f"/cycles/{cycle.id}")), "Returns by agency type")
    assert by_type[0][-2:] == ["Returned by the initial deadline", "Returned by the final deadline"]
    assert by_type[1][0] == "Police force" and by_type[1][-2:] == ["1 (25%)", "2 (50%)"]
    tags = {
        row.select_one("a[href^='/organisations/']").get_text(strip=True): row.select_one(
            ".govuk-tag"
        ).get_text(strip=True)
        for row in soup(client.get(f"/cycles/{cycle.id}")).select("tbody tr")
        if row.select_one(".govuk-tag")
    }
    assert tags["Silent Police"] == "Not started – non-return"

    submit(silent, TODAY)  # the last one sends its return, late

    header, rows = status_table(client, cycle)
    assert rows["Non-return"] == ["1 (25%)", "–", "2 (50%)"]  # today moves; the deadline's figure is history
    assert rows["Submitted"] == ["3 (75%)", "1 (25%)", "2 (50%)"]
    assert rows["Not started"] == ["0 (0%)", "3 (75%)", "1 (25%)"]
    by_type = table(soup(client.get(f"/cycles/{cycle.id}")), "Returns by agency type")
    assert by_type[1][-2:] == ["1 (25%)", "2 (50%)"]
