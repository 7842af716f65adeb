"""``flask organisations ...``: import the GIAS establishment file and a list of agencies.

Both commands check the whole file first and write nothing if any row has
an error: the errors are printed (file, row, column, what is wrong) and the
command exits with status 1. ``--dry-run`` prints what would change and
stops there.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

organisations_cli = AppGroup("organisations", help="The organisation register: GIAS and agency imports.")

# Files smaller than this are read too fast for a progress bar to mean anything.
PROGRESS_FROM_BYTES = 2 * 1024 * 1024
SHOWN = 20  # rows of each list printed; the counts cover the rest


def _partnership(slug: str | None):
    from ..data.organisations import all_partnerships

    partnerships = all_partnerships()
    if slug:
        for partnership in partnerships:
            if partnership.slug == slug:
                return partnership
        raise click.UsageError(f"There is no partnership “{slug}”. Known: {_slugs(partnerships)}.")
    if len(partnerships) == 1:
        return partnerships[0]
    if not partnerships:
        raise click.UsageError("There are no partnerships in this database yet.")
    raise click.UsageError(f"Choose the partnership with --partnership: one of {_slugs(partnerships)}.")


def _slugs(partnerships) -> str:
    return ", ".join(p.slug for p in partnerships) or "none"


def _print_problems(errors) -> None:
    for problem in errors[:200]:
        click.echo(str(problem), err=True)
    if len(errors) > 200:
        click.echo(f"… and {len(errors) - 200:,} more errors.", err=True)


def _print_list(title: str, items: list, describe) -> None:
    if not items:
        return
    click.echo(f"\n{title}:")
    for item in items[:SHOWN]:
        click.echo(f"  {describe(item)}")
    if len(items) > SHOWN:
        click.echo(f"  … and {len(items) - SHOWN:,} more")


def _describe_changes(organisation) -> str:
    changes = "; ".join(f"{c.field}: {c.old or 'blank'} → {c.new or 'blank'}" for c in organisation.changes)
    return f"{organisation.urn} {organisation.name}" + (f" ({changes})" if changes else "")


def _describe_skipped(skipped: dict) -> str:
    if skipped["name"] is None:
        rows = "row" if skipped["count"] == 1 else "rows"
        return f"{skipped['label']}: {skipped['detail']} ({skipped['count']:,} {rows})"
    return f"{skipped['label']}: row {skipped['row']}, {skipped['urn']} {skipped['name']}"


def _describe_agency(agency) -> str:
    changes = "; ".join(f"{c.field}: {c.old or 'none'} → {c.new}" for c in agency.changes)
    return f"{agency.name} ({changes})"


@organisations_cli.command("import-gias")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--la", "la", help="LA codes to keep, separated by commas (default: the partnership's).")
@click.option(
    "--links",
    "links_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The GIAS links file, to connect schools to their successors.",
)
@click.option("--dry-run", is_flag=True, help="Show what would change, and change nothing.")
@click.option("--partnership", "slug", help="The partnership's slug (needed if there are several).")
def import_gias(file: Path, la: str | None, links_file: Path | None, dry_run: bool, slug: str | None) -> None:
    """Import a GIAS edubasealldata FILE into a partnership's register."""
    from ..organisations.forms import parse_la_codes
    from ..organisations.importing import RegisterFile, import_gias_file

    partnership = _partnership(slug)
    if la:
        try:
            la_codes = parse_la_codes(la)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--la") from None
    elif partnership.la_codes:
        la_codes = list(partnership.la_codes)
    else:
        raise click.UsageError(f"{partnership.name} has no LA codes: give them with --la, like --la 850,851.")

    establishments = RegisterFile(file, file.name)
    links = RegisterFile(links_file, links_file.name) if links_file else None
    size = establishments.size()
    show_bars = size >= PROGRESS_FROM_BYTES
    click.echo(
        f"{'Checking' if dry_run else 'Importing'} {file.name} for {partnership.name}, LA {', '.join(la_codes)}"
    )
    # The file is read twice (once to find its encoding, once for its rows).
    with click.progressbar(
        length=2 * size, label="Reading", hidden=not show_bars, file=sys.stderr
    ) as reading:
        # A dry run writes nothing: a "Writing" bar would sit at 0%.
        writing_bar = click.progressbar(
            length=1, label="Writing", hidden=not show_bars or dry_run, file=sys.stderr
        )

        def writing(done: int, total: int) -> None:
            writing_bar.length = max(total, 1)
            writing_bar.update(done - writing_bar.pos)

        with writing_bar:
            plan, run = import_gias_file(
                partnership,
                establishments,
                la_codes,
                links,
                dry_run=dry_run,
                reading=reading.update,
                progress=writing,
            )

    counts = plan.counts()
    _print_list("New", plan.new, lambda o: f"{o.urn} {o.name}")
    _print_list("Added from another partnership's register", plan.added, _describe_changes)
    _print_list("Updated", plan.updated, _describe_changes)
    _print_list("Marked closed", plan.closed, _describe_changes)
    _print_list(
        "Successor links", plan.links, lambda k: f"{k.urn} {k.name} → {k.successor_urn} {k.successor_name}"
    )
    skipped = run.summary["skipped"]
    _print_list("Skipped", skipped, _describe_skipped)
    for warning in plan.warnings:
        click.echo(f"\n{warning}")
    verb = "would be" if dry_run or plan.errors else "were"
    click.echo(
        f"\n{counts['new']:,} new, {counts['added']:,} added from another partnership, {counts['updated']:,} updated, "
        f"{counts['closed']:,} closed, {counts['linked']:,} successor links, {counts['unchanged']:,} unchanged, "
        f"{counts['skipped']:,} skipped ({verb} imported; {plan.rows_read:,} rows read)."
    )
    if plan.errors:
        _print_problems(plan.errors)
        click.echo(
            f"{counts['errors']:,} errors: nothing was imported. Correct the file and run this again.",
            err=True,
        )
        raise click.exceptions.Exit(1)
    if dry_run:
        click.echo("This was a dry run: nothing was changed.")


@organisations_cli.command("import-agencies")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change, and change nothing.")
@click.option("--partnership", "slug", help="The partnership's slug (needed if there are several).")
def import_agencies(file: Path, dry_run: bool, slug: str | None) -> None:
    """Import a partnership's list of agencies (agencies.csv)."""
    from ..organisations.importing import RegisterFile, import_agency_file

    partnership = _partnership(slug)
    plan, _ = import_agency_file(partnership, RegisterFile(file, file.name), dry_run=dry_run)
    counts = plan.counts()
    _print_list("New", plan.new, lambda a: a.name)
    _print_list(
        "Updated",
        plan.updated,
        _describe_agency,
    )
    _print_list("In the register but not in the file (left as they are)", plan.not_in_file, str)
    for warning in plan.warnings:
        click.echo(warning)
    verb = "would be" if dry_run or plan.errors else "were"
    click.echo(
        f"\n{counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged ({verb} imported)."
    )
    if plan.errors:
        _print_problems(plan.errors)
        click.echo(
            f"{counts['errors']} errors: nothing was imported. Correct the file and run this again.", err=True
        )
        raise click.exceptions.Exit(1)
    if dry_run:
        click.echo("This was a dry run: nothing was changed.")
