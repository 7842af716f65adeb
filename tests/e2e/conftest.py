"""Browser tests: the demo served in-process, driven by Playwright in Debian's Chromium.

Playwright cannot download its own browser here, so it launches the system
Chromium with the flags a closed network needs. Screenshots of the pages the
tests visit are kept in test-artifacts/screenshots.
"""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import flask_migrate
import pyotp
import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from audit_app import create_app
from audit_app.demo.seed import seed_demo
from audit_app.extensions import db

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


# When Chromium moves on before a static file (the favicon, say) has been sent, the
# development server's thread drops the open file without closing it. That is the test
# server's doing, not the app's, so only that warning is let through in browser tests.
STATIC_FILE_LEFT_OPEN = (
    r"ignore:Exception ignored in. <_io\.(FileIO|BufferedReader) name='[^']*/audit_app/static/"
    ":pytest.PytestUnraisableExceptionWarning"
)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.filterwarnings(STATIC_FILE_LEFT_OPEN))


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app holding the demo partnership (for what a test does as an operator would)."""
    folder = tmp_path_factory.mktemp("e2e")
    app = create_app(
        {
            "AUDIT_ENV": "test",
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'audit.db'}",
            "EVIDENCE_DIR": str(folder / "evidence"),
        }
    )
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "audit_app" / "migrations"))
        seed_demo(date.today())
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    """The demo partnership, served on a free port of 127.0.0.1."""
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    yield page
    context.close()


class Authenticator:
    """The authenticator app on everyone's phone: it learns a key from the set-up page.

    Keys are kept per server and email address, as several tests serve demo
    databases of their own with the same accounts in them. The service accepts
    a code's time step once only, and the tests sign in faster than once every
    30 seconds, so it moves on to the next step when the current one has been
    used, as a person would wait for a new code.
    """

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], str] = {}
        self.last_steps: dict[tuple[str, str], int] = {}

    def add(self, base: str, email: str, key: str) -> None:
        self.keys[base, email] = key.replace(" ", "")
        self.last_steps.pop((base, email), None)

    def key(self, base: str, email: str) -> str:
        return self.keys[base, email]

    def code(self, base: str, email: str) -> str:
        now = int(time.time() // 30)
        step = max(now, self.last_steps.get((base, email), -1) + 1)
        if step > now + 1:
            time.sleep((step - 1) * 30 - time.time() + 0.1)
        self.last_steps[base, email] = step
        return pyotp.TOTP(self.keys[base, email]).generate_otp(step)


@pytest.fixture(scope="session")
def authenticator() -> Authenticator:
    return Authenticator()


def complete_second_step(page, base: str, email: str, authenticator: Authenticator) -> None:
    """After the password: set up the app on first sign-in, then give its code.

    Does nothing for someone who is not asked for a code.
    """
    page.wait_for_load_state()
    if page.url == f"{base}/sign-in/set-up-two-factor":
        page.get_by_text("I cannot scan the QR code").click()
        authenticator.add(base, email, page.locator("#two-factor-key").inner_text())
    elif page.url != f"{base}/sign-in/two-factor":
        return
    page.get_by_label("code from your authenticator app").fill(authenticator.code(base, email))
    page.get_by_role("button", name="Continue").click()


def click_through(locator) -> None:
    """Click a link or button that leads to another page, and wait for that page.

    Playwright's click does not wait for the page that follows, so reading the page straight
    after a plain click may read the old one.
    """
    with locator.page.expect_navigation():
        locator.click()


def axe_violations(page) -> list[dict]:
    """WCAG 2.2 A and AA violations axe-core finds on the page as it stands."""
    page.evaluate(AXE.read_text())
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {
                runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
            });
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" "))
            }));
        }"""
    )


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
