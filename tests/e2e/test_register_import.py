"""Importing the sample GIAS file in Chromium: upload, read the dry run, apply, see the register.

The demo partnership already holds every school in the sample, so this test
serves a register of its own: the partnership and its business unit admin,
and nothing else yet.
"""

from __future__ import annotations

import threading

import flask_migrate
import pytest
from werkzeug.serving import make_server

from audit_app import create_app
from audit_app.data import people
from audit_app.extensions import db
from audit_app.models import Partnership, Role

from ..support.registers import SAMPLE_GIAS
from .conftest import ROOT, axe_violations, complete_second_step, screenshot

pytestmark = pytest.mark.e2e

ADMIN = "manager@testshire-partnership.example"
PASSWORD = "testshire-browser-2026"


@pytest.fixture(scope="module")
def empty_register(tmp_path_factory):
    folder = tmp_path_factory.mktemp("register")
    app = create_app(
        {
            "AUDIT_ENV": "test",
            "SECRET_KEY": "register-browser-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'audit.db'}",
            "EVIDENCE_DIR": str(folder / "evidence"),
            "IMPORTS_DIR": str(folder / "imports"),
        }
    )
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "audit_app" / "migrations"))
        partnership = Partnership(
            name="Testshire Safeguarding Children Partnership", slug="testshire", la_codes=["990"]
        )
        db.session.add(partnership)
        db.session.flush()
        people.grant_role(people.create_user(ADMIN, "Dana Whitfield", PASSWORD), Role.ADMIN, partnership)
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def sign_in(page, base: str, authenticator) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(ADMIN)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_second_step(page, base, ADMIN, authenticator)


def test_an_admin_imports_the_sample_gias_file_on_the_web(page, empty_register, authenticator):
    base = empty_register
    sign_in(page, base, authenticator)

    page.goto(f"{base}/organisations/import")
    assert page.locator("h1").inner_text() == "Import a GIAS file"
    assert page.get_by_label("Local authority codes").input_value() == "990"
    screenshot(page, "register-import-upload")
    assert axe_violations(page) == []

    page.get_by_label("GIAS establishment file").set_input_files(str(SAMPLE_GIAS))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url(f"{base}/organisations/imports/*")
    assert page.locator("h1").inner_text() == "Check the GIAS import"
    counts = page.locator(".govuk-summary-list")
    assert "New organisations" in counts.inner_text()
    assert counts.locator(".govuk-summary-list__row").first.locator("dd").inner_text().strip() == "40"
    assert page.get_by_role("table", name="Rows skipped").is_visible()
    screenshot(page, "register-import-summary")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Apply this import").click()
    page.wait_for_url(f"{base}/jobs/*")
    assert page.locator("h1").inner_text() == "Importing edubasealldata20261101.csv"
    assert page.locator(".govuk-tag").inner_text() == "Finished"
    assert "Done: 40 of 40." in page.locator("#job-progress").inner_text()
    screenshot(page, "register-import-finished")

    page.goto(f"{base}/organisations")
    assert page.locator("#register-count").inner_text() == "40 organisations"
    assert page.get_by_role("link", name="Abbey Fields Community Primary School").is_visible()
    screenshot(page, "register-list")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Abbey Fields Community Primary School").click()
    assert page.locator("h1").inner_text() == "Abbey Fields Community Primary School"
    screenshot(page, "register-organisation")
    assert axe_violations(page) == []


def test_the_type_mapping_page_is_accessible(page, empty_register, authenticator):
    base = empty_register
    sign_in(page, base, authenticator)
    page.goto(f"{base}/organisations/type-mapping")
    assert page.locator("h1").inner_text() == "Types of establishment and their duty"
    screenshot(page, "register-type-mapping")
    assert axe_violations(page) == []
