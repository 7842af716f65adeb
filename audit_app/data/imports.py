"""Storing register imports: what is held before, the writes, and the record of each run.

A GIAS file can hold 50,000 establishments, so the import never asks the
database about one row at a time: :func:`held_organisations` reads every
organisation with a URN in one query, and :func:`write_gias_plan` writes in
batches (bulk INSERT … RETURNING, bulk UPDATE by primary key). Nothing here
commits except :func:`commit`, so that an import is one transaction: the
caller commits once everything is written, or rolls back.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update

from ..audit_trail import recorded_values
from ..extensions import db
from ..models import (
    AuditLogEntry,
    Contact,
    ContactRole,
    ImportRun,
    Organisation,
    OrganisationKind,
    Partnership,
    partnership_organisation,
    utcnow,
)

if TYPE_CHECKING:
    from ..organisations.agency_plan import AgencyPlan
    from ..organisations.gias_plan import GiasPlan

GIAS_KIND = "gias_establishments"
AGENCIES_KIND = "agencies"
BATCH = 2000

Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    pass


@dataclass(slots=True)
class HeldOrganisation:
    """An organisation already in the database, as the GIAS import compares it."""

    id: int
    urn: int
    in_partnership: bool
    successor_id: int | None
    values: dict[str, Any]  # its columns, by name
    head: tuple[int, str] | None = None  # the head teacher's contact: (id, name)


def _is_head(position: str) -> bool:
    """Whether a contact's position names the head of the school or college."""
    words = position.casefold()
    return "head" in words or "principal" in words


def held_organisations(partnership: Partnership) -> dict[int, HeldOrganisation]:
    """Every organisation with a URN, whichever partnership holds it, by URN."""
    members = set(
        db.session.scalars(
            select(partnership_organisation.c.organisation_id).where(
                partnership_organisation.c.partnership_id == partnership.id
            )
        )
    )
    table = Organisation.__table__
    held: dict[int, HeldOrganisation] = {}
    by_id: dict[int, HeldOrganisation] = {}
    for row in db.session.execute(select(table).where(table.c.urn.is_not(None)).order_by(table.c.id)):
        values = dict(row._mapping)
        organisation = HeldOrganisation(
            id=values["id"],
            urn=values["urn"],
            in_partnership=values["id"] in members,
            successor_id=values["successor_id"],
            values=values,
        )
        held[organisation.urn] = organisation
        by_id[organisation.id] = organisation
    heads = db.session.execute(
        select(Contact.organisation_id, Contact.id, Contact.name, Contact.position)
        .where(Contact.role == ContactRole.ESCALATION)
        .order_by(Contact.id)
    )
    for organisation_id, contact_id, name, position in heads:
        organisation = by_id.get(organisation_id)
        if organisation is not None and organisation.head is None and _is_head(position or ""):
            organisation.head = (contact_id, name)
    return held


def _batches(items: Sequence, size: int = BATCH) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert(table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT many rows with the same keys: COPY on PostgreSQL, executemany elsewhere.

    On PostgreSQL, COPY takes a fraction of the server's time that tens of
    thousands of single-row INSERTs do. It runs on the session's own connection,
    so it is inside the import's transaction. Values go through each column's
    type first, as SQLAlchemy would bind them (enums to their values, JSON to
    text, aware datetimes to UTC).
    """
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql":
        for batch in _batches(rows):
            db.session.execute(insert(table), list(batch))
        return
    names = list(rows[0])
    processors = [table.c[name].type.bind_processor(dialect) for name in names]
    columns = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
    statement = f"COPY {dialect.identifier_preparer.format_table(table)} ({columns}) FROM STDIN"
    with connection.connection.dbapi_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                [
                    process(row[name]) if process else row[name]
                    for name, process in zip(names, processors, strict=True)
                ]
            )


def _bulk_update(model, rows: list[dict[str, Any]]) -> None:
    """UPDATE by primary key, grouped so that each statement sets the same columns."""
    by_columns: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_columns[frozenset(row)].append(row)
    for group in by_columns.values():
        for batch in _batches(group):
            db.session.execute(update(model), list(batch))


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Trail:
    """Audit trail entries for the import's bulk writes, which the ORM's flush never sees."""

    def __init__(self, partnership: Partnership, user_id: int | None, now) -> None:
        self.rows: list[dict[str, Any]] = []
        self.base = {"at": now, "user_id": user_id, "partnership_id": partnership.id, "return_id": None}

    def add(
        self, entity: str, entity_id: int, organisation_id: int, action: str, field_: str, old, new
    ) -> None:
        # A head teacher's name is redacted as the flush redacts it: the trail never copies a name.
        old, new = recorded_values(entity, field_, old, new)
        self.rows.append(
            self.base
            | {
                "entity_type": entity,
                "entity_id": entity_id,
                "organisation_id": organisation_id,
                "action": action,
                "field": field_,
                "old_value": _plain(old),
                "new_value": _plain(new),
            }
        )

    def write(self) -> None:
        _insert(AuditLogEntry.__table__, self.rows)


def write_gias_plan(
    partnership: Partnership, plan: GiasPlan, progress: Progress = _no_progress, user_id: int | None = None
) -> None:
    """Write what the plan says, in the caller's transaction. The plan must have no errors.

    Each new organisation gets one audit trail entry (its URN), each change
    one per column, as the trail records edits made in the app.
    """
    if plan.errors:
        raise ValueError("an import with errors writes nothing")
    now = utcnow()
    trail = _Trail(partnership, user_id, now)
    changed = plan.added + plan.updated + plan.closed
    total = len(plan.new) + len(changed) + len(plan.links)
    done = 0
    progress(done, total)

    id_of_urn = {o.urn: o.id for o in changed}
    table = Organisation.__table__
    for batch in _batches(plan.new):
        rows = [{**o.values, "urn": o.urn, "notes": "", "created_at": now, "updated_at": now} for o in batch]
        # Core, without RETURNING: the ORM's bulk insert splits rows whose blanks
        # differ into separate statements, and RETURNING makes psycopg parse one
        # enormous statement per batch; either turns seconds into minutes here.
        _insert(table, rows)
        done += len(batch)
        progress(done, total)
    if plan.new:
        new_urns = {o.urn for o in plan.new}
        created = db.session.execute(select(table.c.urn, table.c.id).where(table.c.urn.is_not(None)))
        id_of_urn.update((urn, id_) for urn, id_ in created if urn in new_urns)
        members = []
        for organisation in plan.new:
            id_ = id_of_urn[organisation.urn]
            members.append({"partnership_id": partnership.id, "organisation_id": id_})
            trail.add("organisation", id_, id_, "create", "urn", None, organisation.urn)
        _insert(partnership_organisation, members)

    if plan.added:
        _insert(
            partnership_organisation,
            [{"partnership_id": partnership.id, "organisation_id": o.id} for o in plan.added],
        )
        for o in plan.added:
            trail.add("organisation", o.id, o.id, "update", "partnership", None, partnership.name)
    _bulk_update(Organisation, [{"id": o.id, **o.values, "updated_at": now} for o in changed if o.values])
    heads = [o for o in changed if o.head_contact]
    _bulk_update(
        Contact, [{"id": o.head_contact[0], "name": o.head_contact[2], "updated_at": now} for o in heads]
    )
    for o in changed:
        for column, new in o.values.items():
            trail.add("organisation", o.id, o.id, "update", column, o.old_values.get(column), new)
    for o in heads:
        contact_id, old_name, new_name = o.head_contact
        trail.add("contact", contact_id, o.id, "update", "name", old_name, new_name)
    done += len(changed)
    progress(done, total)

    if plan.links:
        held_ids = dict(
            db.session.execute(
                select(Organisation.urn, Organisation.id).where(
                    Organisation.urn.in_(
                        {link.urn for link in plan.links} | {link.successor_urn for link in plan.links}
                    )
                )
            ).all()
        )
        held_ids.update(id_of_urn)
        successors = dict(
            db.session.execute(
                select(Organisation.id, Organisation.successor_id).where(
                    Organisation.id.in_([held_ids[link.urn] for link in plan.links])
                )
            ).all()
        )
        updates = []
        for link in plan.links:
            id_, successor_id = held_ids[link.urn], held_ids[link.successor_urn]
            updates.append({"id": id_, "successor_id": successor_id, "updated_at": now})
            trail.add("organisation", id_, id_, "update", "successor_id", successors.get(id_), successor_id)
        _bulk_update(Organisation, updates)
        done += len(plan.links)
        progress(done, total)
    trail.write()
    # Bulk statements bypass the session's objects: make it read them afresh.
    db.session.expire_all()


# ---- agencies --------------------------------------------------------------


@dataclass(slots=True)
class HeldContact:
    id: int
    name: str
    email: str
    role: ContactRole


@dataclass(slots=True)
class HeldAgency:
    id: int
    name: str
    agency_type: str | None
    contacts: list[HeldContact] = field(default_factory=list)


def held_agencies(partnership: Partnership) -> list[HeldAgency]:
    agencies = {
        id_: HeldAgency(id_, name, agency_type)
        for id_, name, agency_type in db.session.execute(
            select(Organisation.id, Organisation.name, Organisation.agency_type)
            .join(partnership_organisation, partnership_organisation.c.organisation_id == Organisation.id)
            .where(
                partnership_organisation.c.partnership_id == partnership.id,
                Organisation.kind == OrganisationKind.AGENCY,
            )
            .order_by(Organisation.id)
        )
    }
    contacts = db.session.execute(
        select(Contact.organisation_id, Contact.id, Contact.name, Contact.email, Contact.role)
        .where(Contact.organisation_id.in_(list(agencies)))
        .order_by(Contact.id)
    )
    for organisation_id, *contact in contacts:
        agencies[organisation_id].contacts.append(HeldContact(*contact))
    return list(agencies.values())


def write_agency_plan(partnership: Partnership, plan: AgencyPlan) -> None:
    """Write what the plan says, in the caller's transaction."""
    if plan.errors:
        raise ValueError("an import with errors writes nothing")
    for agency in plan.new:
        organisation = Organisation(
            kind=OrganisationKind.AGENCY, name=agency.name, duty="s11", agency_type=agency.agency_type
        )
        organisation.partnerships.append(partnership)
        for contact in agency.contacts:
            organisation.contacts.append(
                Contact(name=contact.name, email=contact.email, role=contact.role, position=contact.position)
            )
        db.session.add(organisation)
    for agency in plan.updated:
        organisation = db.session.get(Organisation, agency.id)
        if agency.agency_type is not None:
            organisation.agency_type = agency.agency_type
        for contact in agency.contacts:
            if contact.id is None:
                organisation.contacts.append(
                    Contact(
                        name=contact.name, email=contact.email, role=contact.role, position=contact.position
                    )
                )
            else:
                held = db.session.get(Contact, contact.id)
                held.name, held.email = contact.name, contact.email
    db.session.flush()


# ---- the record of each run ------------------------------------------------


def record_run(
    partnership: Partnership,
    kind: str,
    filename: str,
    sha256: str,
    summary: dict[str, Any],
    *,
    user_id: int | None,
    dry_run: bool,
) -> ImportRun:
    now = utcnow()
    run = ImportRun(
        partnership_id=partnership.id,
        kind=kind,
        filename=filename[:255],
        sha256=sha256,
        dry_run=dry_run,
        summary=summary,
        created_by_id=user_id,
        created_at=now,
        applied_at=None if dry_run else now,
    )
    db.session.add(run)
    db.session.flush()
    return run


def import_run_in(partnership: Partnership, run_id: int) -> ImportRun | None:
    run = db.session.get(ImportRun, run_id)
    if run is None or run.partnership_id != partnership.id:
        return None
    return run


def get_import_run(run_id: int) -> ImportRun | None:
    return db.session.get(ImportRun, run_id)


def claim_for_applying(run: ImportRun) -> bool:
    """Mark a dry run as applied, unless someone already has: only one apply may win.

    A conditional UPDATE rather than a read then a write, so that two
    workers applying the same run at once cannot both succeed.
    """
    claimed = db.session.execute(
        update(ImportRun)
        .where(ImportRun.id == run.id, ImportRun.applied_at.is_(None))
        .values(applied_at=utcnow(), dry_run=False)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(run)
    return claimed.rowcount == 1


def save_summary(run: ImportRun, summary: dict[str, Any]) -> None:
    run.summary = summary
    db.session.flush()


def files_still_needed() -> set[str]:
    """The hashes of the stored files that dry runs not yet applied will read again."""
    needed = set()
    for sha256, summary in db.session.execute(
        select(ImportRun.sha256, ImportRun.summary).where(ImportRun.applied_at.is_(None))
    ):
        needed.add(sha256)
        if (summary or {}).get("links_sha256"):
            needed.add(summary["links_sha256"])
    return needed


def recent_runs(partnership: Partnership, kind: str, limit: int = 5) -> list[ImportRun]:
    return list(
        db.session.scalars(
            select(ImportRun)
            .where(ImportRun.partnership_id == partnership.id, ImportRun.kind == kind)
            .order_by(ImportRun.created_at.desc(), ImportRun.id.desc())
            .limit(limit)
        )
    )


def commit() -> None:
    db.session.commit()


def rollback() -> None:
    db.session.rollback()


def partnership_of(run: ImportRun) -> Partnership:
    return db.session.get(Partnership, run.partnership_id)
