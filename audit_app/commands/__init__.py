"""Command-line entry points, under `flask ...`."""

from flask import Flask

from ..jobs_views import jobs_cli
from .backup import backup_cli
from .demo import demo_cli
from .organisations import organisations_cli
from .people import people_cli
from .questionnaires import questionnaires
from .reminders import reminders_cli


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(people_cli)
    app.cli.add_command(questionnaires)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(organisations_cli)
    app.cli.add_command(reminders_cli)
