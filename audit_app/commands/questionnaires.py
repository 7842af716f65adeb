"""``flask questionnaires ...``: check and compare questionnaire files.

A plain click group, not a Flask AppGroup: checking files needs no app, no
configuration and no database, so the commands also work before the app is
set up (in CI, or on a content editor's machine).
"""

from __future__ import annotations

from pathlib import Path

import click

from scoring.definitions import (
    QuestionnaireError,
    check_report,
    diff_questionnaires,
    load_questionnaire,
    render_diff,
)

# The shipped questionnaires, checked when no path is given.
QUESTIONNAIRES_FOLDER = Path(__file__).resolve().parents[2] / "questionnaires"


@click.group("questionnaires")
def questionnaires() -> None:
    """Check and compare questionnaire files (see questionnaires/README.md)."""


@questionnaires.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
def check(paths: tuple[str, ...]) -> None:
    """List every problem in questionnaire files or folders (default: the shipped questionnaires)."""
    lines, status = check_report(paths or [str(QUESTIONNAIRES_FOLDER)])
    for line in lines:
        click.echo(line)
    if status:
        raise click.exceptions.Exit(status)


@questionnaires.command("diff")
@click.argument("old", type=click.Path(path_type=str))
@click.argument("new", type=click.Path(path_type=str))
def diff(old: str, new: str) -> None:
    """Show which sections and questions were added, removed or changed from OLD to NEW."""
    loaded = []
    failed = False
    for path in (old, new):
        try:
            loaded.append(load_questionnaire(path))
        except QuestionnaireError as error:
            failed = True
            for problem in error.problems:
                click.echo(str(problem), err=True)
    if failed:
        click.echo("Fix the problems above before comparing.", err=True)
        raise click.exceptions.Exit(1)
    for line in render_diff(diff_questionnaires(*loaded)):
        click.echo(line)
