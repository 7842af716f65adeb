"""`flask organisations import-gias` and `import-agencies`."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from audit_app.commands import organisations as organisations_command
from audit_app.extensions import db
from audit_app.models import ImportRun, Organisation, OrganisationKind, OrganisationStatus

from ..support.factories import make_organisation, make_partnership
from ..support.registers import SAMPLE_AGENCIES, SAMPLE_GIAS, agencies_file, gias_file, links_file, school


@pytest.fixture
def partnership(app):
    return make_partnership("Demoshire Safeguarding Children Partnership", slug="demoshire", la_codes=["990"])


def invoke(runner, *args: str):
    return runner.invoke(args=["organisations", *args])


def organisations(kind: OrganisationKind | None = None) -> list[Organisation]:
    query = select(Organisation).order_by(Organisation.name)
    if kind is not None:
        query = query.where(Organisation.kind == kind)
    return list(db.session.scalars(query))


def test_a_dry_run_prints_what_would_change_and_writes_nothing(runner, partnership):
    result = invoke(runner, "import-gias", str(SAMPLE_GIAS), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "40 new, 0 added from another partnership, 0 updated, 0 closed" in result.output
    assert "In a local authority the partnership does not cover: 991 Exampleton (5 rows)" in result.output
    assert "This was a dry run: nothing was changed." in result.output
    assert organisations() == []
    run = db.session.scalars(select(ImportRun)).one()
    assert (run.dry_run, run.applied_at, run.summary["counts"]["new"]) == (True, None, 40)


def test_an_import_writes_the_register_and_a_second_changes_nothing(runner, partnership):
    first = invoke(runner, "import-gias", str(SAMPLE_GIAS), "--partnership", "demoshire")
    assert first.exit_code == 0, first.output
    assert "(were imported; 58 rows read)" in first.output
    assert len(organisations(OrganisationKind.SCHOOL)) == 36
    assert len(organisations(OrganisationKind.COLLEGE)) == 4
    second = invoke(runner, "import-gias", str(SAMPLE_GIAS))
    assert (
        "0 new, 0 added from another partnership, 0 updated, 0 closed, 0 successor links, 40 unchanged"
        in (second.output)
    )
    runs = db.session.scalars(select(ImportRun).order_by(ImportRun.id)).all()
    assert [r.dry_run for r in runs] == [False, False]
    assert all(r.applied_at is not None for r in runs)


def test_la_codes_on_the_command_line_replace_the_partnerships(runner, partnership):
    result = invoke(runner, "import-gias", str(SAMPLE_GIAS), "--la", "990,991")
    assert result.exit_code == 0, result.output
    assert any(o.la_code == "991" for o in organisations())


def test_a_school_that_converted_is_closed_and_linked_to_its_academy(runner, partnership, tmp_path):
    make_organisation(partnership, "Demchester High School", urn=120108)
    file = tmp_path / "edubasealldata.csv"
    file.write_bytes(
        gias_file(
            school(urn=120108, name="Demchester High School", status=2, closed="31-08-2024"),
            school(urn=150420, name="Demchester Academy", type=28, type_name="Academy sponsor led"),
        )
    )
    links = tmp_path / "links.csv"
    links.write_bytes(links_file((120108, 150420, "Successor"), (150420, 120108, "Predecessor")))
    result = invoke(runner, "import-gias", str(file), "--links", str(links))
    assert result.exit_code == 0, result.output
    assert "120108 Demchester High School → 150420 Demchester Academy" in result.output
    high, academy = organisations()[1], organisations()[0]
    assert (high.name, high.status, high.successor) == (
        "Demchester High School",
        OrganisationStatus.CLOSED,
        academy,
    )


def test_a_bad_file_exits_1_naming_row_and_column_with_no_traceback(runner, partnership, tmp_path):
    file = tmp_path / "edubasealldata.csv"
    file.write_bytes(gias_file(school(), school(urn=100002, opened="31-02-2020"), school(urn="1000O3")))
    result = invoke(runner, "import-gias", str(file))
    assert result.exit_code == 1
    assert "edubasealldata.csv, row 3, column “OpenDate”: “31-02-2020” is not a real date." in result.output
    assert (
        "edubasealldata.csv, row 4, column “URN”: “1000O3” is not a URN: a URN is a number." in result.output
    )
    assert "2 errors: nothing was imported." in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert organisations() == []


def test_a_file_that_is_not_csv_exits_1_with_the_reason(runner, partnership, tmp_path):
    file = tmp_path / "edubasealldata.csv"
    file.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40))
    result = invoke(runner, "import-gias", str(file))
    assert result.exit_code == 1
    assert (
        "edubasealldata.csv: The file is not a GIAS CSV in Windows-1252: byte 9 is a NUL byte"
        in result.output
    )
    assert "Traceback" not in result.output


def test_several_partnerships_need_one_chosen(runner, partnership):
    make_partnership("Exampleton", slug="exampleton")
    result = invoke(runner, "import-gias", str(SAMPLE_GIAS))
    assert result.exit_code == 2
    assert "Choose the partnership with --partnership: one of demoshire, exampleton." in result.output
    assert (
        "There is no partnership “nowhere”"
        in invoke(runner, "import-gias", str(SAMPLE_GIAS), "--partnership", "nowhere").output
    )


def test_a_malformed_la_code_is_refused(runner, partnership):
    result = invoke(runner, "import-gias", str(SAMPLE_GIAS), "--la", "99O")
    assert result.exit_code == 2
    assert "“99O” is not a local authority code" in result.output


def test_agencies_import_dry_run_then_apply_then_nothing_more(runner, partnership):
    dry = invoke(runner, "import-agencies", str(SAMPLE_AGENCIES), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "17 new, 0 updated, 0 unchanged (would be imported)." in dry.output
    assert organisations() == []
    applied = invoke(runner, "import-agencies", str(SAMPLE_AGENCIES))
    assert "17 new, 0 updated, 0 unchanged (were imported)." in applied.output
    police = next(o for o in organisations() if o.name == "Demoshire Constabulary")
    assert [(c.role.value, c.email) for c in police.contacts] == [
        ("lead", "priya.natarajan@demoshire-police.example"),
        ("escalation", "martin.hale@demoshire-police.example"),
    ]
    again = invoke(runner, "import-agencies", str(SAMPLE_AGENCIES))
    assert "0 new, 0 updated, 17 unchanged (were imported)." in again.output
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 17


def test_an_agency_list_with_a_bad_row_exits_1_and_writes_nothing(runner, partnership, tmp_path):
    file = tmp_path / "agencies.csv"
    file.write_bytes(agencies_file("Demoshire Constabulary,polise,DI Natarajan,priya@police.example,,"))
    result = invoke(runner, "import-agencies", str(file))
    assert result.exit_code == 1
    assert "agencies.csv, row 2, column “agency_type”: “polise” is not an agency type" in result.output
    assert organisations() == []


def test_a_small_file_is_imported_without_a_progress_bar(runner, partnership):
    result = invoke(runner, "import-gias", str(SAMPLE_GIAS), "--dry-run")
    assert result.exit_code == 0, result.output
    assert SAMPLE_GIAS.stat().st_size < organisations_command.PROGRESS_FROM_BYTES
    assert not {"Reading", "Writing"} & set(result.output.splitlines())


def test_a_file_over_the_threshold_shows_reading_and_writing_progress(runner, partnership, monkeypatch):
    monkeypatch.setattr(organisations_command, "PROGRESS_FROM_BYTES", SAMPLE_GIAS.stat().st_size)
    result = invoke(runner, "import-gias", str(SAMPLE_GIAS))
    assert result.exit_code == 0, result.output
    # Not a terminal here, so each bar prints its label once, as it would into a cron log.
    lines = result.output.splitlines()
    assert (
        lines.index("Reading")
        < lines.index("Writing")
        < next(n for n, line in enumerate(lines) if "40 new" in line)
    )
    # A dry run writes nothing, so it has no "Writing" bar.
    dry_run = invoke(runner, "import-gias", str(SAMPLE_GIAS), "--dry-run").output.splitlines()
    assert "Reading" in dry_run and "Writing" not in dry_run


def test_on_a_terminal_the_bars_fill_to_100_percent(runner, partnership, monkeypatch):
    from click import _termui_impl

    monkeypatch.setattr(organisations_command, "PROGRESS_FROM_BYTES", 1)
    monkeypatch.setattr(_termui_impl, "isatty", lambda stream: True)  # CliRunner's stream is no terminal
    result = invoke(runner, "import-gias", str(SAMPLE_GIAS))
    assert result.exit_code == 0, result.output
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", result.output).replace("\r", "\n")
    bars = [line.strip() for line in shown.splitlines() if line.strip().endswith("%")]
    assert "Reading  [####################################]  100%" in bars, bars[-5:]
    assert "Writing  [####################################]  100%" in bars, bars[-5:]
    assert len(organisations(OrganisationKind.SCHOOL)) == 36
