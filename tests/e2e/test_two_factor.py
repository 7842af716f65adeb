"""Two-factor sign-in in a real browser, under the service's Content-Security-Policy."""

import time

import pyotp
import pytest

from audit_app.demo.seed import DEMO_PASSWORD

from .conftest import axe_violations, complete_second_step, screenshot

pytestmark = pytest.mark.e2e

ADMIN = "manager@demoshire-partnership.example"
REVIEWER = "auditor@demoshire-partnership.example"
BOARD_VIEWER = "board@demoshire-partnership.example"
RESPONDENT = "priya.natarajan@demoshire-police.example"

# Records what the Content-Security-Policy blocks, before any of the page's own scripts run.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched_page(page):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.add_init_script(WATCH_CSP)
    page.console_messages = messages
    return page


def csp_problems(page) -> list[str]:
    blocked = page.evaluate("window.cspViolations")
    reported = [text for text in page.console_messages if "Content Security Policy" in text]
    return blocked + reported


def a_wrong_code(key: str) -> str:
    """A code the app would not show in any step the service accepts now or soon."""
    now = int(time.time() // 30)
    shown = {pyotp.TOTP(key).generate_otp(step) for step in range(now - 1, now + 4)}
    return next(
        code for code in ("000000", "111111", "222222", "333333", "444444", "555555") if code not in shown
    )


def press_sign_in(page, base: str, email: str) -> None:
    """Everything from the keyboard: type, Tab between fields, Enter to send."""
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: not url.endswith("/sign-in"))


def test_the_demo_admin_sets_up_two_factor_and_signs_in_with_the_keyboard(
    watched_page, live_app, live_server, authenticator
):
    page = watched_page
    # Start from an admin who has never set up an app, whatever ran before.
    result = live_app.test_cli_runner().invoke(args=["users", "reset-2fa", ADMIN])
    assert result.exit_code == 0, result.output

    press_sign_in(page, live_server, ADMIN)
    assert page.url == f"{live_server}/sign-in/set-up-two-factor"
    assert page.title() == "Set up two-factor authentication – Safeguarding self-audit"
    qr_code = page.get_by_role(
        "img", name="QR code that adds Safeguarding self-audit to an authenticator app"
    )
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0")
    page.locator("summary", has_text="I cannot scan the QR code").focus()
    page.keyboard.press("Enter")
    key = page.locator("#two-factor-key")
    assert key.is_visible()
    authenticator.add(live_server, ADMIN, key.inner_text())
    screenshot(page, "two-factor-set-up")
    assert axe_violations(page) == []

    page.get_by_label("Code from your authenticator app").focus()
    page.keyboard.type(authenticator.code(live_server, ADMIN))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/business-unit")
    assert "Two-factor authentication is set up" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server}/sign-in")

    press_sign_in(page, live_server, ADMIN)
    assert page.url == f"{live_server}/sign-in/two-factor"
    assert page.locator("h1").inner_text() == "Enter the code from your authenticator app"
    screenshot(page, "two-factor-code")
    assert axe_violations(page) == []

    code_field = page.get_by_label("Enter the code from your authenticator app")
    code_field.focus()
    page.keyboard.type(a_wrong_code(authenticator.key(live_server, ADMIN)))
    page.keyboard.press("Enter")
    page.locator(".govuk-error-summary").wait_for()
    assert page.title().startswith("Error: Enter the code from your authenticator app")
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    screenshot(page, "two-factor-wrong-code")
    assert axe_violations(page) == []

    code_field.fill(authenticator.code(live_server, ADMIN))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/business-unit")
    assert page.locator("h1").inner_text() == "Audit cycles"
    assert csp_problems(page) == []


def test_govuk_frontend_works_under_the_content_security_policy(watched_page, live_server):
    page = watched_page
    page.goto(f"{live_server}/sign-in")
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    password = page.get_by_label("Password", exact=True)
    password.fill("a secret")
    page.get_by_role("button", name="Show password").click()
    assert password.get_attribute("type") == "text"
    assert csp_problems(page) == []


def test_home_pages_load_without_anything_blocked(watched_page, live_server, authenticator):
    page = watched_page
    for email, path in ((RESPONDENT, "/returns"), (REVIEWER, "/review"), (BOARD_VIEWER, "/board")):
        page.goto(f"{live_server}/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        complete_second_step(page, live_server, email, authenticator)
        page.wait_for_url(f"{live_server}{path}")
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{live_server}/sign-in")
    assert csp_problems(page) == []
