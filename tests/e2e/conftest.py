"""Browser tests: the demo served in-process, driven by Playwright in Debian's Chromium.

Playwright cannot download its own browser here, so it launches the system
Chromium with the flags a closed network needs. Screenshots of the pages the
tests visit are kept in test-artifacts/screenshots.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import flask_migrate
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


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The demo partnership, served on a free port of 127.0.0.1."""
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
