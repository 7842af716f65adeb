"""A school's whole return in Chromium: from the invitation to the PDF copy, once with the
mouse and once with the keyboard alone, checking every page with axe-core on the way.

The demo partnership is served by this module's own server, so the invitations
can be made in its database. Questions are answered quickly: the first option
of each, short text and numbers, this year's dates.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import flask_migrate
import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from audit_app import create_app
from audit_app.data import people
from audit_app.data.invitations import create_invitation
from audit_app.demo.seed import seed_demo
from audit_app.extensions import db
from audit_app.models import Organisation, OrganisationKind, Return, ReturnStatus, Role

from ..support.evidence import pdf
from .conftest import ROOT, axe_violations, click_through, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "a long and memorable passphrase"
TODAY = date.today()


@dataclass
class Journey:
    base: str
    links: dict[str, str]  # who -> invitation path
    return_ids: dict[str, int]
    violations: dict[str, list]
    app: object = None  # for the few steps that change the database behind the browser's back


@pytest.fixture(scope="module")
def journey(tmp_path_factory):
    folder = tmp_path_factory.mktemp("journey")
    app = create_app(
        {
            "AUDIT_ENV": "test",
            "SECRET_KEY": "journey-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'audit.db'}",
            "EVIDENCE_DIR": str(folder / "evidence"),
        }
    )
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "audit_app" / "migrations"))
        seed_demo(TODAY)
        schools = db.session.scalars(
            select(Return)
            .join(Organisation, Organisation.id == Return.organisation_id)
            .where(
                Return.status == ReturnStatus.NOT_STARTED,
                Return.duty.in_(["s175", "s157"]),
                Organisation.kind == OrganisationKind.SCHOOL,
            )
            .order_by(Return.id)
            .limit(3)
        ).all()
        links = {
            "mouse": create_invitation(schools[0], "mouse.dsl@school.example"),
            "keyboard": create_invitation(schools[1], "keyboard.dsl@school.example"),
            # For the account pages' own states: a form sent empty, and someone with an account.
            "errors": create_invitation(schools[2], "errors.dsl@school.example"),
            "existing": create_invitation(schools[2], "deputy.dsl@school.example"),
        }
        return_ids = {"mouse": schools[0].id, "keyboard": schools[1].id, "pair": schools[2].id}
        # Someone already set up on the first school's return (for the layout checks) and
        # on a third (where two of their sessions save the same section at once).
        colleague = people.create_user("deputy.dsl@school.example", "Owen Pryce", PASSWORD)
        for school in (schools[0], schools[2]):
            people.grant_role(
                colleague, Role.RESPONDENT, school.cycle.partnership, organisation_id=school.organisation_id
            )
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Journey(f"http://127.0.0.1:{server.server_port}", links, return_ids, {}, app)
    server.shutdown()


def check(page, journey: Journey, name: str, shot: bool = True) -> None:
    """Keep a screenshot of the page and note what axe-core finds on it."""
    if shot:
        screenshot(page, f"journey-{name}")
    found = axe_violations(page)
    if found:
        journey.violations[name] = found


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


# ---- with the mouse ----------------------------------------------------------

# Fill every shown, empty answer on a section page the quick way: the first option of
# each question, and short values elsewhere. Inputs for "not applicable" reasons and
# evidence descriptions are left alone (their names carry "--").
FILL_PAGE = """() => {
  const shown = (el) => !el.closest('[hidden]') && !el.closest('.govuk-radios__conditional--hidden')
    && !el.closest('.govuk-checkboxes__conditional--hidden');
  const form = document.querySelector('main form');
  const groups = new Set();
  const names = [];
  for (const input of form.querySelectorAll('input, textarea')) {
    if (!shown(input) || input.type === 'hidden' || input.type === 'file') continue;
    names.push([input.type, input.name, input.id]);
  }
  return names;
}"""


def answer_everything(page) -> None:
    seen_groups = set()
    for kind, name, element_id in page.evaluate(FILL_PAGE):
        locator = page.locator(f"[id='{element_id}']")
        if kind in ("radio", "checkbox"):
            if name in seen_groups or name.endswith(("--na", "--remove")):
                continue
            seen_groups.add(name)
            if not page.locator(f"[name='{name}']:checked").count():
                locator.check()
        elif "--na-reason" in name or name.endswith("--evidence") or locator.input_value():
            continue
        elif element_id.endswith("-day"):
            locator.fill(str(TODAY.day))
        elif element_id.endswith("-month"):
            locator.fill(str(TODAY.month))
        elif element_id.endswith("-year"):
            locator.fill(str(TODAY.year))
        else:
            if name.endswith("--name"):
                locator.fill("Sam Okafor")
            elif locator.get_attribute("inputmode") == "decimal":
                locator.fill("12")
            else:
                locator.fill("Reviewed by the safeguarding lead this year.")


def section_heading(page) -> str:
    return page.locator("h1").inner_text()


def test_a_school_completes_its_whole_return_with_the_mouse(browser, journey):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(journey.base + journey.links["mouse"])
    assert page.locator("h1").inner_text() == "Set up your account"
    check(page, journey, "00-set-up-account")
    page.get_by_label("Full name").fill("Maya Chaudhry")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    click_through(page.get_by_role("button", name="Create account and continue"))

    expect(page.locator("main")).to_contain_text("You have completed 0 of")
    check(page, journey, "01-task-list")
    task_list_url = page.url
    click_through(page.locator(".govuk-task-list__link").first)

    # A validation error on the first page, before answering it.
    click_through(page.get_by_role("button", name="Save and continue"))
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(page, journey, "02-section-errors")
    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("document.activeElement.tagName") in ("INPUT", "TEXTAREA")

    number = 3
    saved_for_later = uploaded = False
    while "/sections/" in page.url:
        heading = section_heading(page)
        answer_everything(page)
        file_inputs = page.locator("main input[type=file]:visible")
        if not uploaded and file_inputs.count():
            file_inputs.first.set_input_files(
                files=[{"name": "policy.pdf", "mimeType": "application/pdf", "buffer": pdf("Our policy")}]
            )
            uploaded = True
        check(page, journey, f"{number:02d}-{re.sub(r'[^a-z]+', '-', heading.lower()).strip('-')[:40]}")
        number += 1
        if number == 6 and not saved_for_later:
            # Come back later: the task list shows the section in progress; resume it.
            click_through(page.get_by_role("button", name="Save and come back later"))
            assert "Your answers have been saved." in page.locator(".govuk-notification-banner").inner_text()
            row = page.locator(".govuk-task-list__item", has_text=heading)
            assert "In progress" in row.inner_text() or "Completed" in row.inner_text()
            click_through(row.get_by_role("link"))
            assert section_heading(page) == heading
            saved_for_later = True
            continue
        click_through(page.get_by_role("button", name="Save and continue"))
        assert page.locator(".govuk-error-summary").count() == 0, page.locator(
            ".govuk-error-summary"
        ).inner_text()
    assert uploaded
    assert page.url == task_list_url
    assert re.search(r"You have completed (\d+) of \1 sections", page.locator("main").inner_text())
    check(page, journey, f"{number:02d}-task-list-complete")

    click_through(page.get_by_role("link", name="Check your answers and send the return"))
    assert page.locator("h1").inner_text() == "Check your answers before sending your return"
    assert "policy.pdf" in page.locator("main").inner_text()
    check(page, journey, "30-check-answers")
    click_through(page.get_by_role("button", name="Continue to the declaration"))
    check(page, journey, "31-declaration")

    click_through(page.get_by_role("button", name="Accept and send return"))
    expect(page).to_have_title(re.compile("^Error: "))
    check(page, journey, "32-declaration-errors")
    for fieldset in page.locator("main form fieldset:has(legend.govuk-fieldset__legend--m)").all():
        fieldset.get_by_label("Full name").fill("Helen Brierley")
        fieldset.get_by_label("Job title or position").fill("Head teacher")
        fieldset.get_by_label("Day").fill(str(TODAY.day))
        fieldset.get_by_label("Month").fill(str(TODAY.month))
        fieldset.get_by_label("Year").fill(str(TODAY.year))
    click_through(page.get_by_role("button", name="Accept and send return"))

    assert page.locator(".govuk-panel__title").inner_text() == "Return sent"
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"C\d{3}-\d{5}", reference)
    check(page, journey, "33-sent")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download a copy of your return (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"return-{reference}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    # Afterwards the return is there to read, not to change.
    page.goto(task_list_url)
    click_through(page.locator(".govuk-task-list__link").first)
    assert page.locator("main form input[type=radio], main form input[type=text]").count() == 0
    check(page, journey, "34-sent-section-read-only")
    context.close()
    assert journey.violations == {}, json.dumps(journey.violations, indent=1)


def test_section_pages_reflow_at_320_pixels_and_at_200_percent_zoom(browser, journey):
    for viewport, scale in (({"width": 320, "height": 640}, 1), ({"width": 640, "height": 450}, 2)):
        context = browser.new_context(viewport=viewport, device_scale_factor=scale)
        page = context.new_page()
        page.goto(journey.base + "/sign-in")
        page.get_by_label("Email address").fill("deputy.dsl@school.example")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        click_through(page.get_by_role("button", name="Sign in"))
        page.wait_for_url(re.compile(r"/returns$"))
        task_list = f"{journey.base}/returns/{journey.return_ids['mouse']}"
        page.goto(task_list)
        click_through(page.locator(".govuk-task-list__link").nth(1))
        for url in [journey.base + "/returns", task_list, page.url, task_list + "/check"]:
            page.goto(url)
            assert no_horizontal_scroll(page), f"{url} scrolls sideways at {viewport['width']} px"
        screenshot(page, f"journey-check-{viewport['width']}px")
        context.close()


# ---- with the keyboard alone ------------------------------------------------------------

ACTIVE = """() => {
  const el = document.activeElement;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return {tag: el.tagName, type: el.type || '', name: el.name || '', id: el.id || '',
          text: (el.innerText || el.value || '').trim(), checked: !!el.checked, value: el.value || '',
          label: label, decimal: el.getAttribute('inputmode') === 'decimal'};
}"""


def active(page) -> dict:
    return page.evaluate(ACTIVE)


def tab_to(page, wanted, limit: int = 300) -> dict:
    """Press Tab until the focused element is the one ``wanted`` picks out."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = active(page)
        if wanted(focused):
            return focused
    raise AssertionError("never reached the element wanted by pressing Tab")


def follow(page) -> None:
    """Press Enter on the focused link or button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_answer(page, focused: dict) -> None:
    if focused["value"]:
        return
    if focused["id"].endswith("-day"):
        page.keyboard.type(str(TODAY.day))
    elif focused["id"].endswith("-month"):
        page.keyboard.type(str(TODAY.month))
    elif focused["id"].endswith("-year"):
        page.keyboard.type(str(TODAY.year))
    elif focused["name"].endswith("--name"):
        page.keyboard.type("Tom Aziz")
    elif focused["decimal"]:
        page.keyboard.type("7")
    else:
        page.keyboard.type("In place and reviewed every year.")


IN_ERROR_SUMMARY = "!!document.activeElement.closest('.govuk-error-summary')"


def answer_page_by_keyboard(page, button: str = "Save and continue") -> None:
    """Tab through a section page: choose the first option of each group with Space, type
    into each empty answer, then press Enter on ``button``."""
    answered: set[str] = set()
    for _ in range(600):
        page.keyboard.press("Tab")
        focused = active(page)
        name = focused["name"]
        if focused["tag"] == "BUTTON" and focused["text"] == button:
            follow(page)
            return
        if not name or ("--" in name and not name.endswith(("--name", "--trained-on"))):
            continue  # links, "not applicable", evidence: left alone
        if focused["type"] in ("radio", "checkbox"):
            if name not in answered:
                answered.add(name)
                if not focused["checked"]:
                    page.keyboard.press("Space")
        elif focused["tag"] in ("INPUT", "TEXTAREA"):
            type_answer(page, focused)
    raise AssertionError(f"never reached {button} on {page.url}")


def test_a_school_completes_its_whole_return_with_the_keyboard_alone(browser, journey):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(journey.base + journey.links["keyboard"])
    for label, text in (
        ("Full name", "Tom Aziz"),
        ("Create a password", PASSWORD),
        ("Confirm your password", PASSWORD),
    ):
        tab_to(page, lambda f, label=label: f["label"].strip().startswith(label))
        page.keyboard.type(text)
    follow(page)
    assert re.search(r"/returns/\d+$", page.url)

    tab_to(
        page,
        lambda f: (
            f["tag"] == "A" and "govuk-task-list__link" in page.evaluate("document.activeElement.className")
        ),
    )
    follow(page)

    # A validation error, reached from the error summary: Enter on its first link puts the
    # focus in the field to correct, and the page is answered from there.
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Save and continue")
    follow(page)
    expect(page).to_have_title(re.compile("^Error: "))
    tab_to(page, lambda f: f["tag"] == "A" and page.evaluate(IN_ERROR_SUMMARY))
    page.keyboard.press("Enter")
    focused = active(page)
    assert focused["tag"] in ("INPUT", "TEXTAREA"), focused
    if focused["type"] in ("radio", "checkbox"):
        page.keyboard.press("Space")
    else:
        type_answer(page, focused)

    pages = 0
    while "/sections/" in page.url:
        if pages == 2:
            # Save and come back later, then resume the same section from the task list.
            heading = section_heading(page)
            answer_page_by_keyboard(page, button="Save and come back later")
            assert re.search(r"/returns/\d+$", page.url)
            assert "Your answers have been saved." in page.locator(".govuk-notification-banner").inner_text()
            tab_to(page, lambda f, heading=heading: f["tag"] == "A" and f["text"] == heading)
            follow(page)
            assert section_heading(page) == heading
        answer_page_by_keyboard(page)
        assert page.locator(".govuk-error-summary").count() == 0, page.locator(
            ".govuk-error-summary"
        ).inner_text()
        pages += 1
    assert pages >= 15
    screenshot(page, "journey-keyboard-task-list")

    tab_to(page, lambda f: f["text"] == "Check your answers and send the return")
    follow(page)
    tab_to(page, lambda f: f["text"] == "Continue to the declaration")
    follow(page)
    assert page.url.endswith("/declaration")
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = active(page)
        if focused["tag"] == "BUTTON" and focused["text"] == "Accept and send return":
            break
        if focused["tag"] == "INPUT" and focused["type"] == "text" and not focused["value"]:
            if focused["name"].endswith("--position"):
                page.keyboard.type("Chair of governors")
            else:
                type_answer(page, focused)
    follow(page)
    assert page.url.endswith("/sent")
    assert page.locator(".govuk-panel__title").inner_text() == "Return sent"
    screenshot(page, "journey-keyboard-sent")
    check(page, journey, "keyboard-sent", shot=False)

    tab_to(page, lambda f: f["text"] == "Download a copy of your return (PDF)")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")
    context.close()
    assert journey.violations == {}, json.dumps(journey.violations, indent=1)


# ---- two people on the same section -----------------------------------------------------


def signed_in_colleague(browser, journey: Journey):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(journey.base + "/sign-in")
    page.get_by_label("Email address").fill("deputy.dsl@school.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    click_through(page.get_by_role("button", name="Sign in"))
    page.wait_for_url(re.compile(r"/returns$"))
    return context, page


def test_the_page_for_two_saves_of_one_section_is_accessible(browser, journey):
    first_context, first = signed_in_colleague(browser, journey)
    second_context, second = signed_in_colleague(browser, journey)
    section = f"{journey.base}/returns/{journey.return_ids['pair']}/sections/setting"
    for page in (first, second):
        page.goto(section)
    first.locator("input[inputmode=decimal]").first.fill("101")
    click_through(first.get_by_role("button", name="Save and come back later"))
    second.locator("input[inputmode=decimal]").first.fill("202")
    click_through(second.get_by_role("button", name="Save and come back later"))
    expect(second.locator("h1")).to_have_text("This section has changed since you opened it")
    check(second, journey, "40-conflict")
    click_through(second.get_by_role("button", name="Continue"))
    expect(second).to_have_title(re.compile("^Error: "))
    check(second, journey, "41-conflict-errors")
    second.get_by_label("Save my answers instead").check()
    click_through(second.get_by_role("button", name="Continue"))
    expect(second.locator("h1")).not_to_have_text("This section has changed since you opened it")
    first_context.close()
    second_context.close()
    assert journey.violations == {}, json.dumps(journey.violations, indent=1)


# ---- the pages around the journey: account start, refusals, section errors ----------------


def test_the_account_start_pages_and_their_errors_are_accessible(browser, journey):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(journey.base + journey.links["errors"])
    assert page.locator("h1").inner_text() == "Set up your account"
    click_through(page.get_by_role("button", name="Create account and continue"))
    expect(page).to_have_title(re.compile("^Error: "))
    check(page, journey, "50-set-up-account-errors")

    page.goto(journey.base + journey.links["existing"])
    assert page.locator("h1").inner_text() == "Sign in to start your return"
    check(page, journey, "51-start-sign-in")
    page.get_by_label("Password", exact=True).fill("not the password")
    click_through(page.get_by_role("button", name="Sign in and continue"))
    expect(page).to_have_title(re.compile("^Error: "))
    check(page, journey, "52-start-sign-in-errors")

    page.goto(journey.base + "/start/not-a-real-invitation")
    assert page.locator("h1").inner_text() == "This invitation link has expired or has been used"
    check(page, journey, "53-start-expired")
    context.close()
    assert journey.violations == {}, json.dumps(journey.violations, indent=1)


def test_section_errors_the_invitation_form_and_the_refusal_page_are_accessible(browser, journey):
    context, page = signed_in_colleague(browser, journey)
    task_list = f"{journey.base}/returns/{journey.return_ids['pair']}"

    # "Not applicable" ticked without a reason.
    page.goto(f"{task_list}/sections/setting")
    box = page.locator("main input[type=checkbox][name$='--na']").first
    box.check()
    click_through(page.get_by_role("button", name="Save and come back later"))
    expect(page).to_have_title(re.compile("^Error: "))
    assert "enter why this question does not apply" in page.locator(".govuk-error-summary").inner_text()
    check(page, journey, "60-section-missing-na-reason")

    # A file of a type that is not accepted.
    page.goto(task_list)
    links = [link.get_attribute("href") for link in page.locator(".govuk-task-list__link").all()]
    for href in links:
        page.goto(journey.base + href)
        if page.locator("main input[type=file]:visible").count():
            break
    else:
        raise AssertionError("no section takes evidence files")
    page.locator("main input[type=file]:visible").first.set_input_files(
        files=[{"name": "notes.exe", "mimeType": "application/octet-stream", "buffer": b"MZ not a document"}]
    )
    click_through(page.get_by_role("button", name="Save and come back later"))
    expect(page).to_have_title(re.compile("^Error: "))
    check(page, journey, "61-section-refused-upload")

    # A file larger than the server takes is refused as soon as it is chosen, before sending.
    upload = page.locator("main input[type=file]:visible").first
    too_big = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)
    upload.set_input_files(files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": too_big}])
    refusal = page.locator(f"[id='{upload.get_attribute('id')}-size-error']")
    expect(refusal).to_have_text(
        'Error: The selected file must be smaller than 10MB: "scan.pdf" was not added. Choose a smaller file.'
    )
    assert upload.evaluate("input => input.files.length") == 0
    assert refusal.get_attribute("id") in upload.get_attribute("aria-describedby").split()
    check(page, journey, "61a-section-file-too-large")
    upload.set_input_files(
        files=[{"name": "policy.pdf", "mimeType": "application/pdf", "buffer": pdf("Policy")}]
    )
    expect(refusal).to_have_count(0)

    # Inviting a colleague, with its errors.
    page.goto(task_list)
    click_through(page.get_by_role("link", name="Invite a colleague to help with this return"))
    check(page, journey, "62-invite-colleague")
    click_through(page.get_by_role("button", name="Send invitation"))
    expect(page).to_have_title(re.compile("^Error: "))
    check(page, journey, "63-invite-colleague-errors")

    # A page opened before the return was sent, saved after: refused with 409.
    page.goto(f"{task_list}/sections/setting")
    with journey.app.app_context():
        audit_return = db.session.get(Return, journey.return_ids["pair"])
        audit_return.status = ReturnStatus.SUBMITTED
        db.session.commit()
        db.session.remove()
    click_through(page.get_by_role("button", name="Save and come back later"))
    assert page.locator("h1").inner_text() == "This return has already been sent"
    check(page, journey, "64-refused-sent-return")
    context.close()
    assert journey.violations == {}, json.dumps(journey.violations, indent=1)
