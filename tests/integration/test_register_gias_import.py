"""Importing the GIAS establishment file on the web: the dry run, then the apply."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from audit_app import jobs
from audit_app.data import organisations as register
from audit_app.demo.gias_sample_data import GIAS_COLUMNS
from audit_app.extensions import db
from audit_app.models import (
    AuditLogEntry,
    ContactRole,
    ImportRun,
    Job,
    JobStatus,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
)

from ..support.client import soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user
from ..support.registers import (
    SAMPLE_GIAS,
    gias_file,
    keep_imports_in,
    links_file,
    school,
    upload,
)


@pytest.fixture(autouse=True)
def imports_dir(app, tmp_path):
    return keep_imports_in(app, tmp_path)


@pytest.fixture
def partnership(app):
    return make_partnership("Demoshire Safeguarding Children Partnership", la_codes=["990"])


@pytest.fixture
def admin(client, partnership):
    user = make_user(Role.ADMIN, partnership)
    client.sign_in(user.email, PASSWORD)
    return user


def check(
    client, data: bytes, name: str = "edubasealldata.csv", la_codes: str = "990", links: bytes | None = None
):
    form = {"file": upload(data, name), "la_codes": la_codes}
    if links is not None:
        form["links"] = upload(links, "links_edubasealldata.csv")
    return client.submit("/organisations/import", form, content_type="multipart/form-data")


def summary_page(client, response):
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return soup(page)


def counts(page) -> dict[str, str]:
    rows = page.select(".govuk-summary-list__row")
    return {
        row.select_one(".govuk-summary-list__key").get_text(strip=True): row.select_one(
            ".govuk-summary-list__value"
        ).get_text(strip=True)
        for row in rows
    }


def apply(client, page):
    run_id = page.select_one("input[name=import_run_id]")["value"]
    path = page.select_one("form[action='/organisations/import/apply']")
    assert path is not None, "no Apply button"
    token = page.select_one("input[name=csrf_token]")["value"]
    return client.post(
        "/organisations/import/apply", data={"csrf_token": token, "import_run_id": run_id, "submit": "Apply"}
    )


def count_organisations() -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation))


def table(page, caption: str) -> list[list[str]]:
    for candidate in page.select("table"):
        found = candidate.select_one("caption")
        if found and found.get_text(strip=True) == caption:
            return [
                [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.select("th, td")]
                for row in candidate.select("tbody tr")
            ]
    raise AssertionError(f"no table captioned {caption!r}")


def test_dry_run_shows_what_would_happen_and_changes_nothing_until_applied(client, admin, partnership):
    response = check(client, SAMPLE_GIAS.read_bytes(), "edubasealldata20261101.csv")
    page = summary_page(client, response)
    assert page.h1.get_text(strip=True) == "Check the GIAS import"
    assert counts(page) == {
        "New organisations": "40",
        "Already held by another partnership, added to yours": "0",
        "Updated": "0",
        "Marked closed": "0",
        "Successor links set": "0",
        "Unchanged": "0",
        "Rows skipped": "18",
        "Errors": "0",
    }
    skipped = table(page, "Rows skipped")
    assert ["In a local authority the partnership does not cover", "991 Exampleton", "5"] in skipped
    assert any(
        row[0] == "Proposed to open: not open yet" and "Kestrel Cross Free School" in row[1]
        for row in skipped
    )
    assert any(
        row[0] == "A type of establishment outside the audit" and row[1] == "29 Higher education institutions"
        for row in skipped
    )
    assert any(row[0] == "Closed, and not in the register" for row in skipped)
    assert count_organisations() == 0
    run = db.session.scalars(select(ImportRun)).one()
    assert (run.kind, run.filename, run.dry_run, run.applied_at) == (
        "gias_establishments",
        "edubasealldata20261101.csv",
        True,
        None,
    )
    assert len(run.sha256) == 64 and run.created_by_id == admin.id

    applied = apply(client, page)
    assert applied.status_code == 302
    assert applied.headers["Location"].startswith("/jobs/")
    progress = soup(client.get(applied.headers["Location"]))
    assert "Finished" in progress.select_one(".govuk-tag").get_text()
    job = db.session.scalars(select(Job)).one()
    assert job.status is JobStatus.FINISHED
    assert job.result["counts"]["new"] == 40
    assert count_organisations() == 40
    colleges = db.session.scalars(
        select(Organisation).where(Organisation.kind == OrganisationKind.COLLEGE)
    ).all()
    assert {c.duty for c in colleges} == {"fe"}
    db.session.refresh(run)
    assert run.dry_run is False and run.applied_at is not None and run.summary["counts"]["new"] == 40
    assert all(o in partnership.organisations for o in colleges)


def test_reimporting_the_same_file_changes_nothing(client, admin):
    apply(client, summary_page(client, check(client, SAMPLE_GIAS.read_bytes())))
    page = summary_page(client, check(client, SAMPLE_GIAS.read_bytes()))
    assert counts(page)["New organisations"] == "0"
    assert counts(page)["Updated"] == "0"
    assert counts(page)["Unchanged"] == "40"
    assert "Nothing would change" in page.get_text()
    assert page.select_one("form[action='/organisations/import/apply']") is None


def test_a_changed_row_is_listed_with_the_fields_that_change(client, admin, partnership):
    held = make_organisation(
        partnership,
        "Oakbridge Community Primary School",
        urn=100001,
        la_code="990",
        phase="Primary",
        type_code="01",
        type_name="Community school",
        opened_on=None,
    )
    register.add_contact(
        held, "Mrs Ann Oakley", "head@oakbridge.example", ContactRole.ESCALATION, "Headteacher"
    )
    page = summary_page(
        client,
        check(
            client, gias_file(school(phase="All-through", high_age=16, head_first="Bea", head_last="Lund"))
        ),
    )
    assert counts(page)["Updated"] == "1"
    [row] = table(page, "Updated")
    assert row[:2] == ["100001", "Oakbridge Community Primary School"]
    assert "Phase: Primary → All-through" in row[2]
    assert "Head teacher: Mrs Ann Oakley → Mrs Bea Lund" in row[2]
    assert "check the email address of each head teacher contact" in page.get_text()
    apply(client, page)
    db.session.refresh(held)
    assert held.phase == "All-through" and held.high_age == 16
    assert [c.name for c in held.contacts] == ["Mrs Bea Lund"]
    trail = db.session.scalars(select(AuditLogEntry).where(AuditLogEntry.organisation_id == held.id)).all()
    changes = {
        (e.entity_type, e.field): (e.old_value, e.new_value, e.user_id) for e in trail if e.action == "update"
    }
    assert changes[("organisation", "phase")] == ("Primary", "All-through", admin.id)
    # The head teacher's change is recorded, but the trail never copies a name (UK GDPR article 17).
    assert changes[("contact", "name")] == ("(set)", "(changed)", admin.id)
    assert not any(
        "Oakley" in f"{e.old_value}{e.new_value}" or "Lund" in f"{e.old_value}{e.new_value}" for e in trail
    )


def test_a_school_gias_says_is_closed_is_marked_closed(client, admin, partnership):
    held = make_organisation(partnership, "Saltmere Infant School", urn=100001)
    page = summary_page(
        client,
        check(
            client,
            gias_file(
                school(
                    name="Saltmere Infant School",
                    status=2,
                    closed="31-08-2026",
                    close_reason="Academy converter",
                )
            ),
        ),
    )
    assert counts(page)["Marked closed"] == "1"
    [row] = table(page, "Marked closed")
    assert "Status: Open → Closed" in row[2]
    apply(client, page)
    db.session.refresh(held)
    assert held.status is OrganisationStatus.CLOSED
    assert held.closed_on.isoformat() == "2026-08-31"
    assert held.close_reason == "Academy converter"


def test_the_links_file_sets_successors_through_a_chain(client, admin, partnership):
    rows = [
        school(urn=100001, name="Fenwick Infant School", status=2, closed="31-08-2011"),
        school(urn=100002, name="Fenwick Primary Academy", type=34, type_name="Academy converter"),
        school(urn=100003, name="Fenwick Vale Academy", type=34, type_name="Academy converter"),
    ]
    # 100001 → 100004 (never in the register) → 100002; 100003 is unrelated.
    links = links_file((100001, 100004, "Successor"), (100002, 100004, "Predecessor"))
    apply(client, summary_page(client, check(client, gias_file(rows[1], rows[2]))))
    infant = make_organisation(partnership, "Fenwick Infant School", urn=100001)
    page = summary_page(client, check(client, gias_file(*rows), links=links))
    assert counts(page)["Successor links set"] == "1"
    assert counts(page)["Marked closed"] == "1"
    assert table(page, "Successor links") == [
        ["Fenwick Infant School (URN 100001)", "Fenwick Primary Academy (URN 100002)"]
    ]
    apply(client, page)
    db.session.refresh(infant)
    assert infant.successor.urn == 100002 and infant.status is OrganisationStatus.CLOSED
    again = summary_page(client, check(client, gias_file(*rows), links=links))
    assert counts(again)["Successor links set"] == "0"


def test_an_organisation_another_partnership_holds_is_shared_not_duplicated(client, admin, partnership):
    neighbours = make_partnership("Exampleton Safeguarding Partnership", la_codes=["991"])
    shared = make_organisation(
        neighbours, "Oakbridge Community Primary School", urn=100001, la_code="990", phase="Primary"
    )
    page = summary_page(client, check(client, gias_file(school())))
    assert counts(page)["Already held by another partnership, added to yours"] == "1"
    assert counts(page)["New organisations"] == "0"
    apply(client, page)
    db.session.refresh(shared)
    assert {p.name for p in shared.partnerships} == {neighbours.name, partnership.name}
    assert count_organisations() == 1


def test_an_establishment_in_another_la_is_skipped_with_the_reason(client, admin):
    page = summary_page(
        client, check(client, gias_file(school(), school(urn=100002, la=991, la_name="Exampleton")))
    )
    assert counts(page)["New organisations"] == "1"
    assert table(page, "Rows skipped") == [
        ["In a local authority the partnership does not cover", "991 Exampleton", "1"]
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [school(opened="31-02-2020")],
            ["edubasealldata.csv", "2", "OpenDate", "“31-02-2020” is not a real date."],
        ),
        (
            [school(), school(urn="10000X")],
            ["edubasealldata.csv", "3", "URN", "“10000X” is not a URN: a URN is a number."],
        ),
    ],
)
def test_a_row_with_an_error_is_named_by_row_and_column_and_nothing_is_written(client, admin, rows, expected):
    page = summary_page(client, check(client, gias_file(*rows)))
    assert counts(page)["Errors"] == "1"
    assert (
        "Nothing will be imported until you correct the file"
        in page.select_one(".govuk-warning-text").get_text()
    )
    assert table(page, "Errors to correct") == [expected]
    assert page.select_one("form[action='/organisations/import/apply']") is None
    assert count_organisations() == 0


def test_a_missing_required_column_is_reported_on_the_upload_form(client, admin):
    columns = tuple(c for c in GIAS_COLUMNS if c != "URN")
    response = check(client, gias_file(school(), columns=columns))
    assert response.status_code == 200
    page = soup(response)
    assert page.title.get_text().startswith("Error: Import a GIAS file")
    assert [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")] == [
        "The file has no “URN” column, which the toolkit needs"
    ]
    assert count_organisations() == 0


def test_a_picture_renamed_csv_is_refused_with_a_clear_message(client, admin):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(64)
    page = soup(check(client, png, "edubasealldata.csv"))
    [message] = [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")]
    assert message.startswith("The file is not a GIAS CSV in Windows-1252")
    assert "not a CSV text file" in message


def test_a_workbook_is_refused_before_it_is_read(client, admin):
    page = soup(check(client, b"PK\x03\x04 workbook", "edubasealldata.xlsx"))
    assert [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")] == [
        "The selected file must be a CSV"
    ]


def test_a_file_resaved_as_utf8_is_read_and_flagged(client, admin):
    data = gias_file(school(name="St Mary’s CofE Primary School"), encoding="utf-8")
    page = summary_page(client, check(client, data))
    assert counts(page)["New organisations"] == "1"
    assert "is saved in UTF-8, not in the Windows-1252 that GIAS publishes" in page.get_text()
    assert table(page, "New organisations") == [
        ["100001", "St Mary’s CofE Primary School", "Section 175 (maintained school)"]
    ]


def test_the_la_codes_are_filled_in_from_the_partnership_and_checked(client, admin, partnership):
    partnership.la_codes = ["850", "851"]
    db.session.commit()
    page = soup(client.get("/organisations/import"))
    assert page.select_one("input[name=la_codes]")["value"] == "850, 851"
    response = check(client, gias_file(school()), la_codes="85O")
    assert [a.get_text(strip=True) for a in soup(response).select(".govuk-error-summary a")] == [
        "“85O” is not a local authority code: enter codes of up to 3 digits, like 850, 851"
    ]


def test_apply_refuses_a_file_that_changed_since_the_dry_run(client, admin, imports_dir):
    page = summary_page(client, check(client, gias_file(school())))
    [kept] = list(imports_dir.iterdir())
    kept.write_bytes(gias_file(school(name="Something else entirely")))
    response = apply(client, page)
    assert response.status_code == 302 and "/organisations/imports/" in response.headers["Location"]
    after = soup(client.get(response.headers["Location"]))
    assert (
        "has changed since it was checked, so it was not applied"
        in after.select_one(".govuk-notification-banner").get_text()
    )
    assert count_organisations() == 0


def test_apply_refuses_an_import_already_applied(client, admin):
    page = summary_page(client, check(client, gias_file(school())))
    apply(client, page)
    again = apply(client, page)
    after = soup(client.get(again.headers["Location"]))
    assert "has already been applied" in after.select_one(".govuk-notification-banner").get_text()
    assert db.session.scalar(select(func.count()).select_from(Job)) == 1
    assert count_organisations() == 1


def test_a_new_type_mapping_changes_the_duty_of_a_reimported_school(client, admin):
    apply(client, summary_page(client, check(client, gias_file(school()))))
    saved = client.submit("/organisations/type-mapping", {"type_01": "s157"})
    assert saved.status_code == 302
    page = summary_page(client, check(client, gias_file(school())))
    [row] = table(page, "Updated")
    assert "Duty: s175 → s157" in row[2]
    apply(client, page)
    assert db.session.scalars(select(Organisation.duty)).one() == "s157"


def test_a_type_mapped_to_not_audited_is_skipped(client, admin):
    client.submit("/organisations/type-mapping", {"type_01": "none"})
    page = summary_page(client, check(client, gias_file(school())))
    assert table(page, "Rows skipped") == [
        ["A type of establishment outside the audit", "01 Community school", "1"]
    ]


def test_a_file_larger_than_the_usual_upload_limit_can_be_imported(app, client, admin):
    app.config["MAX_CONTENT_LENGTH"] = 1024  # the limit for evidence documents, here far below the file
    data = SAMPLE_GIAS.read_bytes()
    assert len(data) > 50 * 1024
    page = summary_page(client, check(client, data))
    assert counts(page)["New organisations"] == "40"
    app.config["MAX_IMPORT_MB"] = 0.01
    refused = check(client, data)
    assert refused.status_code == 413
    page = soup(refused)
    assert page.h1.get_text(strip=True) == "The file is too large"
    # The import page's own limit, not the evidence limit of the rest of the app.
    assert [p.get_text(strip=True) for p in page.select("main p")][:2] == [
        "The selected file must be smaller than 10KB. Nothing on the page you sent it from was saved.",
        "Go back and choose a smaller file.",
    ]


def test_an_upload_without_its_form_token_is_refused(client, admin):
    response = client.post(
        "/organisations/import",
        data={"file": upload(gias_file(school()), "edubasealldata.csv"), "la_codes": "990"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert soup(response).h1.get_text(strip=True) == "Your page had expired"
    assert count_organisations() == 0


def test_a_job_whose_kept_file_has_gone_fails_with_a_message_and_writes_nothing(client, admin, imports_dir):
    page = summary_page(client, check(client, gias_file(school())))
    for kept in imports_dir.iterdir():
        kept.unlink()
    run = db.session.scalars(select(ImportRun)).one()
    job = jobs.start("gias_import", "Importing", {"import_run_id": run.id}, partnership_id=run.partnership_id)
    db.session.refresh(job)
    assert job.status is JobStatus.FAILED
    assert job.error == (
        "The uploaded copy of edubasealldata.csv is no longer kept. Upload the file again to check and apply it."
    )
    db.session.refresh(run)
    assert run.applied_at is None and count_organisations() == 0
    assert "is no longer kept" in soup(client.get(apply(client, page).headers["Location"])).get_text()
