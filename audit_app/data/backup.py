"""Backing up and restoring a whole installation: every table and every evidence file.

A backup is one ``.tar.gz`` archive holding a manifest, one JSON-lines file per
table (rows in primary-key order, values in JSON form) and the evidence files
under ``evidence/``. Because the table files are plain data rather than a
database's own dump format, a backup taken from SQLite restores into
PostgreSQL and the other way round — the way to move the embedded demo onto a
real server. Large PostgreSQL installations can use ``pg_dump`` as well (see
docs/deploy.md); this format is the one the tests prove end to end.

Restoring refuses to write into a database that already holds data, and runs
in one transaction: it either restores everything or nothing.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Date, DateTime, LargeBinary, func, insert, select, text, update
from sqlalchemy.engine import Connection

from ..extensions import db
from ..models import utcnow
from ..models.base import UTCDateTime

FORMAT = "safeguarding-audit-backup/1"


class BackupError(Exception):
    """The archive cannot be restored; the message says why."""


@dataclass(frozen=True)
class BackupSummary:
    tables: dict[str, int]
    evidence_files: int
    path: Path

    def describe(self) -> str:
        rows = sum(self.tables.values())
        return f"{rows:,} rows in {len(self.tables)} tables and {self.evidence_files} evidence files: {self.path}"


def _to_json(value, column_type):
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if hasattr(value, "value") and not isinstance(value, dict | list):  # an enum
        return value.value
    return value


def _from_json(value, column_type):
    if value is None:
        return None
    if isinstance(column_type, UTCDateTime | DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    if isinstance(column_type, LargeBinary):
        return base64.b64decode(value)
    return value


def _tables():
    return list(db.metadata.sorted_tables)  # parents before children


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(utcnow().timestamp())
    archive.addfile(info, io.BytesIO(data))


def create_backup(destination: Path, evidence_dir: Path) -> BackupSummary:
    """Write a backup archive of the whole database and the evidence folder to ``destination``."""
    counts: dict[str, int] = {}
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_suffix(destination.suffix + ".partial")
    evidence_files = (
        sorted(p for p in evidence_dir.rglob("*") if p.is_file()) if evidence_dir.exists() else []
    )
    # One read transaction, so the tables agree with each other.
    with db.engine.connect() as connection, tarfile.open(partial, "w:gz") as archive:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        for table in _tables():
            order = list(table.primary_key.columns) or list(table.columns)
            lines = []
            for row in connection.execute(select(table).order_by(*order)).mappings():
                lines.append(
                    json.dumps(
                        {c.name: _to_json(row[c.name], c.type) for c in table.columns},
                        ensure_ascii=False,
                        sort_keys=True,
                    )
                )
            counts[table.name] = len(lines)
            _add_bytes(archive, f"tables/{table.name}.jsonl", ("\n".join(lines)).encode())
        hashes = {}
        for path in evidence_files:
            relative = path.relative_to(evidence_dir).as_posix()
            data = path.read_bytes()
            hashes[relative] = hashlib.sha256(data).hexdigest()
            _add_bytes(archive, f"evidence/{relative}", data)
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        manifest = {
            "format": FORMAT,
            "created_at": utcnow().isoformat(),
            "schema_revision": revision,
            "tables": counts,
            "evidence": hashes,
        }
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    partial.replace(destination)
    return BackupSummary(counts, len(evidence_files), destination)


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.loads(archive.extractfile("manifest.json").read())
    except (KeyError, AttributeError, json.JSONDecodeError) as exc:
        raise BackupError(
            "This is not a backup made by the toolkit: it has no readable manifest.json."
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"This backup is in format {manifest.get('format')!r}; this version reads {FORMAT!r}."
        )
    return manifest


def _reset_sequences(connection: Connection) -> None:
    # Rows arrive with their ids, so PostgreSQL's id sequences must be moved past them.
    for table in _tables():
        if "id" in table.columns and connection.dialect.name == "postgresql":
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'),"
                    f' COALESCE((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
                )
            )


def restore_backup(source: Path, evidence_dir: Path) -> BackupSummary:
    """Restore an archive into an empty, migrated database and an empty evidence folder."""
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 (closed by the with-block below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{source} cannot be opened as a backup archive: {exc}") from exc
    with archive:
        manifest = _read_manifest(archive)
        with db.engine.begin() as connection:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if revision != manifest["schema_revision"]:
                raise BackupError(
                    f"The backup was taken at schema revision {manifest['schema_revision']}, but this database is "
                    f"at {revision}. Run `flask db upgrade` on a database at the backup's revision, restore, then "
                    "upgrade."
                )
            for table in _tables():
                if connection.execute(select(func.count()).select_from(table)).scalar():
                    raise BackupError(
                        f"The database is not empty (table {table.name} has rows). Restore into a new database."
                    )
            files = _checked_evidence(archive, manifest, evidence_dir)
            counts = {}
            for table in _tables():
                member = archive.extractfile(f"tables/{table.name}.jsonl")
                raw = member.read().decode() if member else ""
                rows = [
                    {c.name: _from_json(record.get(c.name), c.type) for c in table.columns}
                    for record in (json.loads(line) for line in raw.splitlines() if line)
                ]
                _insert_rows(connection, table, rows)
                counts[table.name] = len(rows)
                if counts[table.name] != manifest["tables"].get(table.name, 0):
                    raise BackupError(f"The archive's {table.name} rows do not match its manifest.")
            _reset_sequences(connection)
        # Files last: everything about them was checked before the database was touched.
        for target, data in files:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return BackupSummary(counts, len(files), source)


def _insert_rows(connection: Connection, table, rows: list[dict]) -> None:
    """Insert a table's rows; links to rows of the same table (a successor, a previous cycle) go in second."""
    if not rows:
        return
    self_links = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    # Columns such as updated_at move on by themselves in an UPDATE: keep their restored values.
    stamped = [column.name for column in table.columns if column.onupdate is not None]
    pending = []
    for row in rows:
        links = {name: row[name] for name in self_links if row[name] is not None}
        if links:
            pending.append((row["id"], {**links, **{name: row[name] for name in stamped}}))
            row.update(dict.fromkeys(links))
    connection.execute(insert(table), rows)
    for row_id, values in pending:
        connection.execute(update(table).where(table.c.id == row_id).values(**values))


def _checked_evidence(
    archive: tarfile.TarFile, manifest: dict, evidence_dir: Path
) -> list[tuple[Path, bytes]]:
    """Every evidence file of the archive, checked against its hash and for a safe, free place to go."""
    root = evidence_dir.resolve()
    files = []
    for relative, expected in manifest["evidence"].items():
        target = (root / relative).resolve()
        if root not in target.parents:
            raise BackupError(f"The archive names an evidence file outside the folder: {relative}")
        try:
            data = archive.extractfile(f"evidence/{relative}").read()
        except (KeyError, AttributeError) as exc:
            raise BackupError(f"The evidence file {relative} is missing from the archive.") from exc
        if hashlib.sha256(data).hexdigest() != expected:
            raise BackupError(f"The evidence file {relative} is damaged in the archive.")
        if target.exists():
            raise BackupError(f"The evidence folder already holds {relative}. Restore into an empty folder.")
        files.append((target, data))
    return files
