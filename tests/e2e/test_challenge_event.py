"""A challenge event in Chromium, as the business unit runs one: create it, build its agenda
from the demo's returns, open a briefing pack, record the panel's notes and an agreed action,
then read the board summary. axe-core checks the event, agenda and board summary pages."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from audit_app.demo.seed import DEMO_PASSWORD

from .conftest import axe_violations, complete_second_step, screenshot

pytestmark = pytest.mark.e2e

ADMIN = "manager@demoshire-partnership.example"


def sign_in(page, base: str, authenticator) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(ADMIN)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_second_step(page, base, ADMIN, authenticator)
    page.wait_for_url(f"{base}/business-unit")


def test_an_admin_runs_a_challenge_event_from_agenda_to_agreed_action(page, live_server, authenticator):
    sign_in(page, live_server, authenticator)
    cycle_name = f"Section 11 audit {date.today().year}"

    page.goto(f"{live_server}/challenge/")
    page.get_by_role("button", name="Create a challenge event").click()
    page.get_by_label("Title").fill("Section 11 challenge panel")
    page.get_by_label("Audit cycle").select_option(label=cycle_name)
    day = date.today() + timedelta(days=14)
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("9:30am")
    page.get_by_label("Place").fill("Council Chamber, County Hall")
    page.get_by_role("button", name="Save event").click()
    expect(page.locator("h1")).to_have_text("Section 11 challenge panel")

    page.get_by_role("link", name="Add someone to the panel").click()
    page.get_by_label("Name of someone from outside the partnership").fill("Professor Alison Carver")
    page.get_by_label("Role on the panel").fill("Independent scrutineer")
    page.get_by_role("button", name="Add to the panel").click()
    expect(page.locator("#panel ~ table")).to_contain_text("Professor Alison Carver")
    screenshot(page, "challenge-event")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Build the agenda").click()
    expect(page.get_by_label("A standard rated red")).to_be_checked()
    page.get_by_role("button", name="Build the agenda").click()
    expect(page.locator("h1")).to_have_text("Agenda")
    first = page.locator("tbody tr").first
    organisation = first.locator("a").first.inner_text()
    expect(first.locator("li").first).to_contain_text("is rated Red")
    screenshot(page, "challenge-agenda")
    assert axe_violations(page) == []

    with page.expect_download() as download:
        first.get_by_role("link", name="Briefing pack").click()
    pack = download.value
    assert pack.suggested_filename.startswith("briefing-pack-")
    content = Path(pack.path()).read_bytes()
    text = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
    assert f"Challenge panel briefing: {organisation}" in text

    first.locator("a").first.click()
    expect(page.locator("h1")).to_have_text(organisation)
    page.get_by_label("Challenge notes").fill("The panel asked how DBS renewals are tracked.")
    page.get_by_label("The organisation's response").fill("Renewals will be flagged by the new HR system.")
    page.get_by_role("button", name="Save notes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Notes saved.")
    expect(page.get_by_label("Challenge notes")).to_have_value(
        "The panel asked how DBS renewals are tracked."
    )

    page.get_by_role("button", name="Add an agreed action").click()
    page.get_by_label("What needs to be done").fill("Audit the DBS status of every bank worker")
    page.get_by_label("Owner").fill("Director of Workforce")
    due = date.today() + timedelta(days=90)
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Add action").click()
    actions = page.locator("#actions ~ table")
    expect(actions).to_contain_text("Audit the DBS status of every bank worker")
    expect(actions).to_contain_text("Director of Workforce")
    screenshot(page, "challenge-item")
    assert axe_violations(page) == []


def test_the_board_summary_page_has_no_accessibility_violations(page, live_server, authenticator):
    sign_in(page, live_server, authenticator)
    page.goto(f"{live_server}/reports/")
    page.get_by_role("link", name="Board summary").first.click()
    expect(page.locator("h1")).to_contain_text("Board summary: ")
    expect(page.locator("#heat-map ~ table .govuk-tag").first).to_be_visible()
    screenshot(page, "board-summary")
    assert axe_violations(page) == []
