"""`flask reminders send`: the daily run a deployment schedules with cron.

It queues what is due today across every open cycle — invitations not yet sent,
reminders, business-unit chases and the independent chair's letters — then
delivers everything waiting in the outbox, retrying failed messages whose back-off
has passed. Running it twice on the same day sends nothing new.

It also scores again the returns whose agreed actions have become overdue since
they were last scored, so that dashboards and review pages show ACTIONS_OVERDUE
(an action falls overdue with nothing changing in the database; see
data/actions.rescore_newly_overdue).
"""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

reminders_cli = AppGroup("reminders", help="Invitations, reminders, chases and letters.")


@reminders_cli.command("send")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Work out what is due as if it were this date (YYYY-MM-DD).",
)
@click.option("--dry-run", is_flag=True, help="List what would be queued; queue and send nothing.")
def send(today, dry_run: bool) -> None:
    """Queue the messages due today and deliver the outbox."""
    from .. import mail
    from ..cycles import sending
    from ..cycles.presenters import STAGE_LABELS
    from ..data import actions, chasing, outbox
    from ..models import utcnow

    day = today.date() if today else date.today()
    if dry_run:
        planned = chasing.plan_due(day)
        taken = outbox.keys_taken(due.key for due in planned)
        fresh = [due for due in planned if due.key not in taken]
        for due in fresh:
            recipients = ", ".join(c.email for c in due.to)
            click.echo(
                f"{STAGE_LABELS[due.stage]:<22} {due.organisation.name} – {due.cycle.name} – to {recipients}"
            )
        waiting = len(outbox.deliverable(utcnow()))
        click.echo(
            f"Dry run for {day.isoformat()}: {len(fresh)} messages would be queued; {waiting} already waiting."
        )
        return
    queued = sending.queue_due(day)
    delivered = mail.deliver_due()
    rescored = actions.rescore_newly_overdue(day)
    click.echo(f"{day.isoformat()}: queued {queued.describe()}.")
    click.echo(
        f"Delivered: {delivered.sent} sent, {delivered.kept} kept in the outbox, {delivered.failed} failed."
    )
    if rescored:
        click.echo(
            f"Scored again {rescored} return{'s' if rescored != 1 else ''} with actions newly overdue."
        )
    for error in delivered.errors[:10]:
        click.echo(f"  {error}", err=True)
    if delivered.failed:
        click.echo(
            f"Failed messages are tried again on a later run, up to {outbox.MAX_ATTEMPTS} attempts.", err=True
        )
