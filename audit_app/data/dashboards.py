"""The figures on each role's home page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    AuditCycle,
    CycleStatus,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Partnership,
    Return,
    ReturnStatus,
    User,
    cycle_partnership,
    partnership_organisation,
)
from .people import organisation_ids_for


@dataclass
class CycleOverview:
    cycle: AuditCycle
    total: int = 0
    by_status: Counter = field(default_factory=Counter)
    returned_by_initial: int = 0
    overdue: int = 0

    @property
    def returned(self) -> int:
        return sum(count for status, count in self.by_status.items() if status.is_returned)


def _visible_cycles(partnership: Partnership):
    return (
        select(AuditCycle)
        .join(cycle_partnership, cycle_partnership.c.cycle_id == AuditCycle.id)
        .where(cycle_partnership.c.partnership_id == partnership.id)
    )


def _in_partnership(partnership: Partnership):
    """Returns of organisations in this partnership (a joint cycle holds others' too)."""
    return Return.organisation_id.in_(
        select(partnership_organisation.c.organisation_id).where(
            partnership_organisation.c.partnership_id == partnership.id
        )
    )


def cycle_overviews(partnership: Partnership, today: date) -> list[CycleOverview]:
    cycles = list(
        db.session.scalars(
            _visible_cycles(partnership).order_by(AuditCycle.opens_on.desc(), AuditCycle.id.desc())
        )
    )
    overviews = {cycle.id: CycleOverview(cycle) for cycle in cycles}
    if not cycles:
        return []
    rows = db.session.execute(
        select(Return.cycle_id, Return.status, Return.submitted_at).where(
            Return.cycle_id.in_(overviews), _in_partnership(partnership)
        )
    )
    for cycle_id, status, submitted_at in rows:
        overview = overviews[cycle_id]
        overview.total += 1
        overview.by_status[status] += 1
        deadline = overview.cycle.initial_deadline
        if submitted_at is not None and submitted_at.date() <= deadline:
            overview.returned_by_initial += 1
        if not status.is_returned and today > deadline:
            overview.overdue += 1
    return [overviews[cycle.id] for cycle in cycles]


def organisation_counts(partnership: Partnership) -> dict[OrganisationKind, int]:
    rows = db.session.execute(
        select(Organisation.kind, func.count(Organisation.id))
        .join(partnership_organisation, partnership_organisation.c.organisation_id == Organisation.id)
        .where(
            partnership_organisation.c.partnership_id == partnership.id,
            Organisation.status == OrganisationStatus.OPEN,
        )
        .group_by(Organisation.kind)
    )
    counts = dict.fromkeys(OrganisationKind, 0)
    counts.update(dict(rows.all()))
    return counts


def returns_for_review(partnership: Partnership) -> list[Return]:
    return list(
        db.session.scalars(
            select(Return)
            .join(AuditCycle, AuditCycle.id == Return.cycle_id)
            .join(cycle_partnership, cycle_partnership.c.cycle_id == AuditCycle.id)
            .where(
                cycle_partnership.c.partnership_id == partnership.id,
                _in_partnership(partnership),
                Return.status.in_([ReturnStatus.SUBMITTED, ReturnStatus.CHANGES_REQUESTED]),
            )
            .options(joinedload(Return.organisation), joinedload(Return.cycle))
            .order_by(Return.submitted_at, Return.id)
        )
    )


def returns_for_respondent(user: User, partnership: Partnership) -> list[Return]:
    organisation_ids = organisation_ids_for(user, partnership)
    if not organisation_ids:
        return []
    return list(
        db.session.scalars(
            select(Return)
            .join(AuditCycle, AuditCycle.id == Return.cycle_id)
            .join(cycle_partnership, cycle_partnership.c.cycle_id == AuditCycle.id)
            .join(Organisation, Organisation.id == Return.organisation_id)
            .where(
                cycle_partnership.c.partnership_id == partnership.id,
                Return.organisation_id.in_(organisation_ids),
                AuditCycle.status != CycleStatus.DRAFT,
            )
            .options(joinedload(Return.organisation), joinedload(Return.cycle))
            .order_by(Organisation.name, AuditCycle.initial_deadline.desc(), Return.id)
        )
    )


def return_rates_by_kind(partnership: Partnership, cycle: AuditCycle) -> list[tuple[str, int, int]]:
    """(kind label, returned, total) for each kind of organisation in a cycle."""
    rows = db.session.execute(
        select(Organisation.kind, Return.status)
        .join(Organisation, Organisation.id == Return.organisation_id)
        .where(Return.cycle_id == cycle.id, _in_partnership(partnership))
    )
    totals: Counter = Counter()
    returned: Counter = Counter()
    for kind, status in rows:
        totals[kind] += 1
        if status.is_returned:
            returned[kind] += 1
    labels = {
        OrganisationKind.AGENCY: "Agencies",
        OrganisationKind.SCHOOL: "Schools",
        OrganisationKind.COLLEGE: "Colleges",
    }
    return [(labels[kind], returned[kind], totals[kind]) for kind in OrganisationKind if totals[kind]]
