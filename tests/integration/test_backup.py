"""A populated installation round-trips through `flask backup create` and `flask backup restore`."""

import io
import json
import tarfile
from datetime import date
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import select

from audit_app import create_app
from audit_app.data.backup import _tables, _to_json
from audit_app.demo.seed import seed_demo
from audit_app.extensions import db
from audit_app.models import Evidence, EvidenceKind, Return, utcnow

from ..conftest import MIGRATIONS, _fresh_postgres_database, config_for


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table, in a comparable form."""
    tables = {}
    for table in _tables():
        order = list(table.primary_key.columns)
        rows = db.session.execute(select(table).order_by(*order)).mappings()
        tables[table.name] = [{c.name: _to_json(row[c.name], c.type) for c in table.columns} for row in rows]
    return tables


def populate(app) -> Path:
    seed_demo(date(2026, 11, 21))
    evidence_dir = Path(app.config["EVIDENCE_DIR"])
    (evidence_dir / "ab").mkdir(parents=True)
    stored = evidence_dir / "ab" / "0f1e2d3c.pdf"
    stored.write_bytes(b"%PDF-1.4 a safeguarding policy")
    audit_return = db.session.scalars(select(Return).order_by(Return.id)).first()
    db.session.add(
        Evidence(
            return_id=audit_return.id,
            question_id="policy.has-policy",
            kind=EvidenceKind.FILE,
            original_filename="Safeguarding policy 2026.pdf",
            stored_name="ab/0f1e2d3c.pdf",
            size_bytes=stored.stat().st_size,
            uploaded_at=utcnow(),
        )
    )
    db.session.commit()
    return stored


def empty_target(kind: str, url: str, tmp_path: Path, postgres_url: str | None):
    """A second, empty, migrated installation to restore into."""
    if kind == "sqlite":
        target_url = f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        target_url = _fresh_postgres_database(postgres_url, "audit_restore")
    config = config_for(target_url, tmp_path)
    config["EVIDENCE_DIR"] = str(tmp_path / "restored-evidence")
    target = create_app(config)
    with target.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS)
    return target


@pytest.mark.parametrize("into", ["sqlite", "postgresql"])
def test_a_populated_installation_round_trips_through_a_backup(app, database, tmp_path, into, request):
    stored = populate(app)
    before = snapshot()
    archive = tmp_path / "backup.tar.gz"
    result = app.test_cli_runner().invoke(args=["backup", "create", str(archive)])
    assert result.exit_code == 0, result.output
    assert "evidence files" in result.output

    postgres_url = request.getfixturevalue("postgres_url") if into == "postgresql" else None
    target = empty_target(into, database.url, tmp_path, postgres_url)
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
        assert result.exit_code == 0, result.output
        after = snapshot()
        db.session.remove()
        db.engine.dispose()
    assert after == before
    assert sum(len(rows) for rows in after.values()) > 1000
    restored = Path(target.config["EVIDENCE_DIR"]) / "ab" / "0f1e2d3c.pdf"
    assert restored.read_bytes() == stored.read_bytes()


def test_restoring_into_a_database_that_holds_data_is_refused(app, tmp_path):
    populate(app)
    archive = tmp_path / "backup.tar.gz"
    app.test_cli_runner().invoke(args=["backup", "create", str(archive)])
    before = snapshot()
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code == 1
    assert "The database is not empty" in result.output
    assert "Traceback" not in result.output
    assert snapshot() == before


def test_a_damaged_evidence_file_stops_the_restore_before_anything_is_written(
    app, database, tmp_path, request
):
    populate(app)
    archive = tmp_path / "backup.tar.gz"
    app.test_cli_runner().invoke(args=["backup", "create", str(archive)])
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("evidence/"):
                data = data.replace(b"policy", b"forged")
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    postgres_url = request.getfixturevalue("postgres_url") if database.backend == "postgresql" else None
    target = empty_target(database.backend, database.url, tmp_path, postgres_url)
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["backup", "restore", str(damaged)])
        assert result.exit_code == 1
        assert "is damaged in the archive" in result.output
        assert all(rows == [] for rows in snapshot().values())
        db.session.remove()
        db.engine.dispose()
    assert not Path(target.config["EVIDENCE_DIR"]).exists()


def test_a_file_that_is_not_a_backup_gets_a_clear_message(app, tmp_path):
    bogus = tmp_path / "holiday-photos.tar.gz"
    bogus.write_bytes(b"not an archive at all")
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(bogus)])
    assert result.exit_code == 1
    assert "cannot be opened as a backup archive" in result.output


def test_the_manifest_lists_every_table_and_file(app, tmp_path):
    populate(app)
    archive = tmp_path / "backup.tar.gz"
    app.test_cli_runner().invoke(args=["backup", "create", str(archive)])
    with tarfile.open(archive, "r:gz") as backup:
        manifest = json.loads(backup.extractfile("manifest.json").read())
    assert set(manifest["tables"]) == {table.name for table in _tables()}
    assert list(manifest["evidence"]) == ["ab/0f1e2d3c.pdf"]
    assert manifest["tables"]["organisation"] > 50
