import pytest

from audit_app.demo.seed import DEMO_PASSWORD

from .conftest import axe_violations, complete_second_step, screenshot

pytestmark = pytest.mark.e2e

ACCOUNTS = [
    ("manager@demoshire-partnership.example", "/business-unit", "Audit cycles"),
    ("auditor@demoshire-partnership.example", "/review", "Returns to review"),
    ("board@demoshire-partnership.example", "/board", "Board summary"),
    ("priya.natarajan@demoshire-police.example", "/returns", "Your safeguarding returns"),
]


def sign_in(page, base: str, email: str, password: str = DEMO_PASSWORD, authenticator=None) -> None:
    """Sign in; with an ``authenticator``, give the code an admin or reviewer is asked for."""
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    if authenticator is not None:
        complete_second_step(page, base, email, authenticator)


def test_sign_in_page_has_no_accessibility_violations(page, live_server):
    page.goto(f"{live_server}/sign-in")
    assert page.title() == "Sign in – Safeguarding self-audit"
    screenshot(page, "sign-in")
    assert axe_violations(page) == []


def test_sign_in_errors_have_no_accessibility_violations(page, live_server):
    sign_in(page, live_server, "manager@demoshire-partnership.example", "wrong password")
    assert page.title().startswith("Error: Sign in")
    assert (
        page.locator(".govuk-error-summary").inner_text().count("Enter a correct email address and password")
        == 1
    )
    screenshot(page, "sign-in-error")
    assert axe_violations(page) == []


@pytest.mark.parametrize(("email", "path", "heading"), ACCOUNTS)
def test_each_role_signs_in_to_its_own_home_page(page, live_server, authenticator, email, path, heading):
    sign_in(page, live_server, email, authenticator=authenticator)
    page.wait_for_url(f"{live_server}{path}")
    assert page.locator("h1").inner_text() == heading
    assert (
        page.locator(".govuk-generic-header").inner_text().strip()
        == "Demoshire Safeguarding Children Partnership"
    )
    screenshot(page, f"home-{path.strip('/')}")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server}/sign-in")
    assert "You have signed out." in page.locator(".govuk-notification-banner").inner_text()


def test_respondent_home_shows_an_overdue_return(page, live_server):
    sign_in(page, live_server, "priya.natarajan@demoshire-police.example")
    row = page.locator("tbody tr").first
    assert row.locator("th").inner_text() == "Demoshire Constabulary"
    assert row.locator(".govuk-tag").inner_text() == "Not started – overdue"


def test_sign_in_page_reflows_at_320_pixels(page, live_server):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server}/sign-in")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320
    screenshot(page, "sign-in-320px")
