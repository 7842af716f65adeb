import pytest

from audit_app.demo.seed import DEMO_PASSWORD

from .conftest import axe_violations, complete_second_step, screenshot

pytestmark = pytest.mark.e2e

MANAGER = "manager@demoshire-partnership.example"


@pytest.fixture
def manager(page, live_server, authenticator):
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill(MANAGER)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_second_step(page, live_server, MANAGER, authenticator)
    page.wait_for_url(f"{live_server}/business-unit")
    return page


def test_the_business_unit_filters_to_overdue_chases_two_and_finds_them_in_the_outbox(manager, live_server):
    page = manager
    with page.expect_navigation():
        page.get_by_role("link", name="Section 11 audit").click()
    assert page.locator("h1").inner_text().startswith("Section 11 audit")
    screenshot(page, "cycle-dashboard")
    assert axe_violations(page) == []

    page.get_by_label("Status").select_option(label="Overdue")
    # Clicking does not wait for the page that follows: wait for it, or the old page is read.
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    rows = page.locator("form[action$='/chase'] tbody tr")
    assert rows.count() > 2
    assert all("overdue" in text for text in rows.locator(".govuk-tag").first.all_inner_texts())
    chosen = [rows.nth(n).locator("a").first.inner_text() for n in range(2)]
    for name in chosen:
        page.get_by_label(f"Select {name}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Chase selected organisations").click()

    assert page.locator("h1").inner_text() == "Chase organisations"
    assert [box.is_checked() for box in page.locator("input[name=return_ids]").all()] == [True, True]
    screenshot(page, "cycle-chase")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send chase emails").click()

    page.wait_for_url(f"{live_server}/cycles/outbox")
    # Each chase goes to its lead contact alone, with a copy (without the start link) to the escalation contacts.
    assert "kept in the outbox: 4" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_label("Stage").select_option(label="Business unit chase")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    subjects = page.locator("tbody tr td:first-child a").all_inner_texts()
    for name in chosen:
        assert f"Overdue: {name}'s Section 11 audit" in " ".join(subjects)
    screenshot(page, "cycle-outbox")
    assert axe_violations(page) == []

    with page.expect_navigation():
        page.locator("tbody tr td:first-child a").last.click()  # newest first: the last is a lead's chase
    assert "Business unit chase" in page.locator(".govuk-caption-l").inner_text()
    assert "Continue the return here" in page.locator(".govuk-inset-text").inner_text()
    screenshot(page, "cycle-message")
    assert axe_violations(page) == []


def test_the_cycle_creation_form_and_its_errors_are_accessible(manager, live_server):
    page = manager
    with page.expect_navigation():
        page.get_by_role("button", name="Create an audit cycle").click()
    assert page.locator("h1").inner_text() == "Create an audit cycle"
    assert axe_violations(page) == []

    page.get_by_label("Name of the cycle").fill("Section 11 audit 2027")
    page.get_by_label("Agencies", exact=True).check()
    page.locator("#opens_on-day").fill("31")
    page.locator("#opens_on-month").fill("2")
    page.locator("#opens_on-year").fill("2027")
    with page.expect_navigation():
        page.get_by_role("button", name="Create draft cycle").click()
    assert page.title().startswith("Error: Create an audit cycle")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "The date the cycle opens must be a real date" in summary
    assert "Select a questionnaire for agencies" in summary
    screenshot(page, "cycle-new-errors")
    assert axe_violations(page) == []

    page.get_by_label("Section 11 self-assessment - the eight standards (version 2025.1)").check()
    page.get_by_label("Schools are not in this cycle").check()
    page.get_by_label("Colleges are not in this cycle").check()
    for field, (day, month) in {
        "opens_on": (1, 2),
        "initial_deadline": (31, 3),
        "final_deadline": (30, 4),
    }.items():
        page.locator(f"#{field}-day").fill(str(day))
        page.locator(f"#{field}-month").fill(str(month))
        page.locator(f"#{field}-year").fill("2027")
    page.get_by_role("button", name="Create draft cycle").click()
    assert page.locator("h1").inner_text() == "Section 11 audit 2027"
    assert "organisations will be asked for a return" in page.locator("main").inner_text()
    screenshot(page, "cycle-draft")
    assert axe_violations(page) == []
