"""`flask backup create` and `flask backup restore`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..data.backup import BackupError, create_backup, restore_backup
from ..models import utcnow

backup_cli = AppGroup("backup", help="Back up or restore the database and the evidence files.")


@backup_cli.command("create")
@click.argument("destination", required=False, type=click.Path(path_type=Path))
def create(destination: Path | None) -> None:
    """Write a backup archive (default: instance/backups/backup-<time>.tar.gz)."""
    if destination is None:
        destination = Path(current_app.instance_path) / "backups" / f"backup-{utcnow():%Y%m%d-%H%M%S}.tar.gz"
    summary = create_backup(destination, Path(current_app.config["EVIDENCE_DIR"]))
    click.echo(f"Backed up {summary.describe()}")


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(path_type=Path, exists=True, dir_okay=False))
def restore(archive: Path) -> None:
    """Restore an archive into an empty, migrated database (run `flask db upgrade` first)."""
    try:
        summary = restore_backup(archive, Path(current_app.config["EVIDENCE_DIR"]))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {summary.describe()}")
