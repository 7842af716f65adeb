"""`flask users ...`: looking after people's sign-in from the command line."""

from __future__ import annotations

import click

from ..data import people
from . import bp


@bp.cli.command("reset-2fa")
@click.argument("email")
def reset_two_factor(email: str) -> None:
    """Forget the authenticator app of the person with EMAIL.

    For someone who has lost their phone: they are signed out everywhere and
    set up a new app the next time they sign in. Check who is asking first.
    """
    user = people.get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the email address {email}")
    people.reset_two_factor(user)
    click.echo(
        f"Two-factor authentication was reset for {user.email}. They have been signed out, "
        "and will set up an authenticator app the next time they sign in."
    )
