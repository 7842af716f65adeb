"""Reviewing a return in Chromium: the business unit assigns the auditor, who moderates a
standard (meeting the error first), asks the organisation a question, accepts the return and
agrees an action; axe-core checks the review pages and the action plan on the way.

The demo partnership is served by this module's own server, so assigning the reviewer and
accepting a return change nothing the other browser tests look at.
"""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta

import flask_migrate
import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from audit_app import create_app
from audit_app.demo.seed import DEMO_PASSWORD, seed_demo
from audit_app.extensions import db
from audit_app.models import ChallengeQuestion, Organisation, Return, ReturnStatus, StandardModeration

from .conftest import ROOT, axe_violations, complete_second_step, screenshot

pytestmark = pytest.mark.e2e

ADMIN = "manager@demoshire-partnership.example"
REVIEWER = "auditor@demoshire-partnership.example"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo served on a free port, with the id and organisation of a submitted agency return."""
    folder = tmp_path_factory.mktemp("review")
    app = create_app(
        {
            "AUDIT_ENV": "test",
            "SECRET_KEY": "review-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'audit.db'}",
            "EVIDENCE_DIR": str(folder / "evidence"),
        }
    )
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "audit_app" / "migrations"))
        seed_demo(date.today())
        audit_return = db.session.scalars(
            select(Return)
            .where(Return.status == ReturnStatus.SUBMITTED, Return.duty == "s11")
            .order_by(Return.id)
        ).first()
        chosen = (audit_return.id, db.session.get(Organisation, audit_return.organisation_id).name)
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield app, f"http://127.0.0.1:{server.server_port}", chosen
    server.shutdown()


def sign_in(page, base: str, email: str, authenticator) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_second_step(page, base, email, authenticator)
    page.wait_for_load_state()


def accessible(page, name: str) -> None:
    screenshot(page, f"review-{name}")
    assert axe_violations(page) == [], name


def test_an_auditor_moderates_asks_and_accepts_a_return(browser, demo, authenticator):
    app, base, (return_id, organisation) = demo
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()

    # The business unit assigns the auditor.
    sign_in(page, base, ADMIN, authenticator)
    page.goto(f"{base}/review/returns/{return_id}/reviewer")
    accessible(page, "assign")
    page.get_by_label("Ravi Chandran").check()
    page.get_by_role("button", name="Assign reviewer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Ravi Chandran will review this return."
    )
    page.get_by_role("button", name="Sign out").click()

    # The auditor finds it at the top of their list.
    sign_in(page, base, REVIEWER, authenticator)
    expect(page).to_have_url(f"{base}/review")
    assigned = page.locator("table", has=page.locator("caption", has_text="Assigned to you"))
    with page.expect_navigation():
        assigned.get_by_role("link", name=re.compile(re.escape(organisation))).click()
    expect(page.locator("h1")).to_have_text(organisation)
    accessible(page, "overview")

    # A different rating without a reason is refused, then given with one.
    with page.expect_navigation():
        page.locator("table", has_text="Own rating").get_by_role("link").first.click()
    standard_url = page.url
    accessible(page, "standard")
    band = page.locator("input[name=rating]").nth(1)
    band_label = page.locator(f"label[for='{band.get_attribute('id')}']").inner_text()
    band.check()
    page.get_by_role("button", name="Save your rating").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you have given a different rating"
    )
    accessible(page, "standard-error")
    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("document.activeElement.name") == "reason"
    page.get_by_label("Reason for your rating").fill("The board minutes do not show safeguarding reports.")
    page.get_by_role("button", name="Save your rating").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your rating of")
    page.goto(standard_url)
    expect(page.locator(".govuk-summary-list").first).to_contain_text(f"Reviewer’s rating {band_label}")
    with page.expect_navigation():
        page.get_by_role("link", name="Back to the review").click()

    # A question to the organisation.
    with page.expect_navigation():
        page.get_by_role("button", name="Ask a question").click()
    accessible(page, "ask")
    page.get_by_label("Your question").fill("Which board meetings discussed safeguarding this year?")
    page.get_by_role("button", name="Ask the question").click()
    expect(page.locator("main")).to_contain_text("Which board meetings discussed safeguarding this year?")

    # Accepted.
    with page.expect_navigation():
        page.get_by_role("button", name="Accept the return").click()
    accessible(page, "accept")
    page.get_by_role("button", name="Accept the return").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The return has been accepted.")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Accepted")
    accessible(page, "accepted")

    # An action agreed on the organisation's action plan.
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("action plan$")).click()
    accessible(page, "action-plan-empty")
    with page.expect_navigation():
        page.get_by_role("button", name="Add an action").click()
    page.get_by_label("What needs to be done?").fill("Report on safeguarding to the board every quarter.")
    page.get_by_label("Owner").fill("Chief nurse")
    due = date.today() + timedelta(days=90)
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Save action").click()
    expect(page.locator("tbody tr")).to_contain_text("Report on safeguarding to the board every quarter.")
    accessible(page, "action-plan")
    context.close()

    with app.app_context():
        audit_return = db.session.get(Return, return_id)
        assert audit_return.status is ReturnStatus.ACCEPTED
        moderation = db.session.scalar(
            select(StandardModeration).where(StandardModeration.return_id == return_id)
        )
        assert moderation.reason == "The board minutes do not show safeguarding reports."
        assert audit_return.score["standards"][0]["moderated_rating"] == moderation.moderated_rating
        asked = db.session.scalar(select(ChallengeQuestion).where(ChallengeQuestion.return_id == return_id))
        assert asked.question == "Which board meetings discussed safeguarding this year?"
        db.session.remove()
