"""Reading the audit trail (it is written by audit_app/audit_trail.py, never here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from ..extensions import db
from ..models import ActionItem, AuditLogEntry, Organisation, Partnership, Return, User, cycle_partnership

# Entries about the organisation itself that every partnership it belongs to may read:
# the record and its contacts are held once, not per partnership (models/organisations.py).
SHARED_ORGANISATION_ENTITIES = ("organisation", "contact")

# Entries on one page of a trail.
PER_PAGE = 500


@dataclass(frozen=True)
class TrailLine:
    at: datetime
    who: str
    entity: str
    entity_id: int | None
    action: str
    field: str | None
    old_value: object
    new_value: object


@dataclass(frozen=True)
class TrailPage:
    """One page of a trail, newest first, and where it stands among the others."""

    lines: list[TrailLine]
    total: int
    page: int
    pages: int
    per_page: int

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.lines else 0

    @property
    def last(self) -> int:
        return self.first + len(self.lines) - 1 if self.lines else 0


def _lines(query, page: int, per_page: int | None) -> TrailPage:
    """Page ``page`` of the entries ``query`` selects; a page past the last gives the last."""
    per_page = per_page or PER_PAGE
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = db.session.execute(
        query.outerjoin(User, User.id == AuditLogEntry.user_id)
        .add_columns(User.name)
        .order_by(AuditLogEntry.at.desc(), AuditLogEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    lines = [
        TrailLine(
            entry.at,
            name or "The system (an import, a job or a command)",
            entry.entity_type,
            entry.entity_id,
            entry.action,
            entry.field,
            entry.old_value,
            entry.new_value,
        )
        for entry, name in rows
    ]
    return TrailPage(lines, total, page, pages, per_page)


def return_in_partnership(return_id: int, partnership: Partnership) -> Return | None:
    return db.session.scalar(
        select(Return)
        .join(cycle_partnership, cycle_partnership.c.cycle_id == Return.cycle_id)
        .where(Return.id == return_id, cycle_partnership.c.partnership_id == partnership.id)
    )


def organisation_in_partnership(organisation_id: int, partnership: Partnership) -> Organisation | None:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or partnership not in organisation.partnerships:
        return None
    return organisation


def trail_for_return(audit_return: Return, page: int = 1, per_page: int | None = None) -> TrailPage:
    """Newest first: the return's own changes and those of its answers, evidence, sign-off and moderation."""
    return _lines(select(AuditLogEntry).where(AuditLogEntry.return_id == audit_return.id), page, per_page)


def about_organisations(organisation_ids, partnership: Partnership):
    """Entries about these organisations themselves (not their returns) that are this partnership's business.

    An organisation can belong to several partnerships (a police force covering two
    areas): its record and its contacts are held once and shared by every partnership
    it belongs to, but an action is seen only by the partnership that agreed it.
    """
    actions_here = select(ActionItem.id).where(
        ActionItem.organisation_id.in_(organisation_ids), ActionItem.partnership_id == partnership.id
    )
    return and_(
        AuditLogEntry.return_id.is_(None),
        AuditLogEntry.organisation_id.in_(organisation_ids),
        or_(
            AuditLogEntry.entity_type.in_(SHARED_ORGANISATION_ENTITIES),
            and_(AuditLogEntry.entity_type == "action", AuditLogEntry.entity_id.in_(actions_here)),
        ),
    )


def trail_for_organisation(
    organisation: Organisation, partnership: Partnership, page: int = 1, per_page: int | None = None
) -> TrailPage:
    """Newest first: the organisation's record, its contacts, and what of its returns and actions is this partnership's.

    A return is seen only by the partnerships that run its cycle (alone or jointly);
    anything else is another partnership's business (see :func:`about_organisations`).
    """
    returns_here = (
        select(Return.id)
        .join(cycle_partnership, cycle_partnership.c.cycle_id == Return.cycle_id)
        .where(
            Return.organisation_id == organisation.id, cycle_partnership.c.partnership_id == partnership.id
        )
    )
    return _lines(
        select(AuditLogEntry).where(
            or_(
                AuditLogEntry.return_id.in_(returns_here), about_organisations([organisation.id], partnership)
            )
        ),
        page,
        per_page,
    )
