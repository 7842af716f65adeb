"""`flask people export` and `flask people erase`: a person's data on request."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from ..data.personal_data import erase_person, export_person

people_cli = AppGroup("people", help="Export or erase the data held about a person.")


@people_cli.command("export")
@click.argument("email")
@click.option("--to", "destination", type=click.Path(path_type=Path), help="Write the JSON here.")
def export(email: str, destination: Path | None) -> None:
    """Everything held about EMAIL, as JSON (a subject access request)."""
    data = json.dumps(export_person(email), indent=2, ensure_ascii=False)
    if destination:
        destination.write_text(data, encoding="utf-8")
        click.echo(f"Written to {destination}")
    else:
        click.echo(data)


@people_cli.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(email: str, yes: bool) -> None:
    """Erase EMAIL's name and address wherever they are held, and close their account."""
    if not yes:
        click.confirm(f"Erase everything held about {email}? This cannot be undone", abort=True)
    click.echo(erase_person(email).describe())
