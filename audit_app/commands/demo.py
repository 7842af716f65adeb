"""`flask demo seed`: the Demoshire demonstration partnership."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="The demonstration partnership.")


@demo_cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing if the database already has users.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Pretend it is this date (YYYY-MM-DD) when placing deadlines.",
)
def seed(if_empty: bool, today) -> None:
    """Create the Demoshire partnership, its register, users and two open cycles."""
    from ..data.people import count_users
    from ..demo.seed import seed_demo

    if if_empty and count_users():
        click.echo("The database already has data; the demo was not seeded again.")
        return
    summary = seed_demo(today.date() if today else date.today())
    click.echo(summary.describe())


@demo_cli.command("sign-ins")
def sign_ins() -> None:
    """List the demo accounts and their password."""
    from ..demo.seed import DEMO_PASSWORD, demo_sign_ins

    accounts = demo_sign_ins()
    if not accounts:
        click.echo("There is no demo partnership in this database: run `flask demo seed` first.")
        return
    click.echo(f"Demo sign-ins (the password for each is {DEMO_PASSWORD}):")
    for who, email in accounts:
        click.echo(f"  {email:<48} {who}")
