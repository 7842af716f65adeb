"""Command-line entry points, under `flask ...`."""

from flask import Flask

from .demo import demo_cli
from .questionnaires import questionnaires


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(questionnaires)
