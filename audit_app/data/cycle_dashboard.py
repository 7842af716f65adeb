"""A cycle's dashboard: where every return stands, return rates by deadline and by
sector, the flags on each return, non-returns and non-compliant organisations.

Everything is read in a few queries (the returns with their organisations, the
questionnaire snapshots they use, the chases sent) and then computed in memory,
with the roll-ups done by the scoring core (``scoring.return_rates``,
``scoring.non_returning``, ``scoring.non_compliant``, ``scoring.flags_for``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import selectinload

import scoring
from scoring.batch import BatchScores
from scoring.definitions.model import Questionnaire

from ..extensions import db
from ..models import (
    AuditCycle,
    Organisation,
    OrganisationKind,
    Partnership,
    QuestionnaireVersion,
    Return,
    ReturnStatus,
    partnership_organisation,
)
from .chasing import chase_counts
from .scores import questionnaire_of

UK = ZoneInfo("Europe/London")  # deadlines are days in England

# The app's statuses in the scoring core's words.
_SCORING_STATUS = {
    ReturnStatus.NOT_STARTED: scoring.ReturnStatus.NOT_STARTED,
    ReturnStatus.IN_PROGRESS: scoring.ReturnStatus.IN_PROGRESS,
    ReturnStatus.SUBMITTED: scoring.ReturnStatus.SUBMITTED,
    ReturnStatus.CHANGES_REQUESTED: scoring.ReturnStatus.RETURNED_FOR_CHANGES,
    ReturnStatus.ACCEPTED: scoring.ReturnStatus.ACCEPTED,
}
DEADLINE_FLAGS = frozenset(
    {
        scoring.FlagCode.NOT_STARTED,
        scoring.FlagCode.IN_PROGRESS_OVERDUE,
        scoring.FlagCode.NON_RETURN,
        scoring.FlagCode.LATE,
    }
)
# The four stages a return moves through; a return sent back for changes was submitted.
CATEGORIES = ("not_started", "in_progress", "submitted", "accepted")


def uk_day(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UK).date()


@dataclass
class ReturnRow:
    """One return on the dashboard, with what the list, the figures and the exports need."""

    audit_return: Return
    organisation: Organisation
    flags: list[scoring.Flag] = field(default_factory=list)
    chases: int = 0
    last_chased: date | None = None
    overdue: bool = False  # not returned, past the initial deadline, final deadline not passed
    non_return: bool = False  # not returned, past the final deadline

    @property
    def id(self) -> int:
        return self.audit_return.id

    @property
    def status(self) -> ReturnStatus:
        return self.audit_return.status

    @property
    def category(self) -> str:
        return category_of(self.status)

    @property
    def returned(self) -> bool:
        return self.status.is_returned

    def started_on(self) -> date | None:
        return uk_day(self.audit_return.started_at)

    def submitted_on(self) -> date | None:
        return uk_day(self.audit_return.submitted_at)

    def accepted_on(self) -> date | None:
        return uk_day(self.audit_return.accepted_at)


def category_of(status: ReturnStatus) -> str:
    if status is ReturnStatus.CHANGES_REQUESTED:
        return "submitted"
    return status.value


def _members(partnership: Partnership):
    return select(partnership_organisation.c.organisation_id).where(
        partnership_organisation.c.partnership_id == partnership.id
    )


def _questionnaires(version_ids: set[int]) -> dict[int, Questionnaire]:
    if not version_ids:
        return {}
    versions = db.session.scalars(
        select(QuestionnaireVersion).where(QuestionnaireVersion.id.in_(sorted(version_ids)))
    )
    return {version.id: questionnaire_of(version) for version in versions}


def _flags(
    row: ReturnRow, cycle: AuditCycle, questionnaire: Questionnaire, today: date
) -> list[scoring.Flag]:
    """Stored flags (from scoring at submission), with the deadline flag worked out for today.

    A stored deadline flag describes the day the return was scored; for a return not
    yet submitted it goes stale as the deadlines pass, so it is always recomputed.
    """
    audit_return = row.audit_return
    stored = [scoring.Flag.from_dict(flag) for flag in audit_return.flags or []]
    if (audit_return.flags is not None and row.returned) or questionnaire is None:
        return stored
    try:
        context = scoring.ReturnContext(
            status=_SCORING_STATUS[audit_return.status],
            initial_deadline=cycle.initial_deadline,
            final_deadline=cycle.final_deadline,
            today=today,
            started_at=None if audit_return.status is ReturnStatus.NOT_STARTED else audit_return.started_at,
            submitted_at=audit_return.submitted_at if row.returned else None,
        )
    except ValueError:
        # Timestamps that disagree with the status (a hand-edited row): show the stored flags only.
        return stored
    deadline = scoring.flags_for(questionnaire, context)
    return deadline + [flag for flag in stored if flag.code not in DEADLINE_FLAGS]


def return_rows(cycle: AuditCycle, partnership: Partnership, today: date) -> list[ReturnRow]:
    """Every return of the cycle from an organisation in this partnership, by organisation name.

    In a joint cycle each partnership sees the returns of its own organisations, so
    an agency belonging to both is counted by both.
    """
    pairs = db.session.execute(
        select(Return, Organisation)
        .join(Organisation, Organisation.id == Return.organisation_id)
        .where(Return.cycle_id == cycle.id, Return.organisation_id.in_(_members(partnership)))
        .options(selectinload(Organisation.contacts))  # one more query, for the exports' contact columns
        .order_by(Organisation.name, Organisation.id)
    ).all()
    questionnaires = _questionnaires({r.questionnaire_version_id for r, _ in pairs})
    chased = chase_counts([r.id for r, _ in pairs])
    rows = []
    for audit_return, organisation in pairs:
        row = ReturnRow(audit_return, organisation)
        row.chases, row.last_chased = chased.get(audit_return.id, (0, None))
        if not row.returned:
            row.non_return = today > cycle.final_deadline
            row.overdue = cycle.initial_deadline < today <= cycle.final_deadline
        row.flags = _flags(row, cycle, questionnaires[audit_return.questionnaire_version_id], today)
        rows.append(row)
    return rows


# ---- figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    count: int | None  # None: does not apply at this point
    total: int

    @property
    def percent(self) -> float | None:
        if self.count is None or not self.total:
            return None
        return 100 * self.count / self.total


@dataclass(frozen=True)
class Column:
    """The returns counted as they stood on one day."""

    label: str
    on: date
    reached: bool  # False: the deadline is still to come, so the figures are those so far
    counts: dict[str, Count]


def _category_on(row: ReturnRow, day: date) -> str:
    accepted, submitted, started = row.accepted_on(), row.submitted_on(), row.started_on()
    if accepted is not None and accepted <= day:
        return "accepted"
    if submitted is not None and submitted <= day:
        return "submitted"
    if started is not None and started <= day:
        return "in_progress"
    return "not_started"


def status_columns(rows: list[ReturnRow], cycle: AuditCycle, today: date) -> list[Column]:
    """Counts by status today, at the initial deadline and at the final deadline."""
    total = len(rows)
    today_counts = {name: Count(sum(r.category == name for r in rows), total) for name in CATEGORIES}
    today_counts["overdue"] = Count(sum(r.overdue for r in rows), total)
    today_counts["non_return"] = Count(sum(r.non_return for r in rows), total)
    columns = [Column("Today", today, True, today_counts)]
    for label, deadline, late_kind in (
        ("At the initial deadline", cycle.initial_deadline, "overdue"),
        ("At the final deadline", cycle.final_deadline, "non_return"),
    ):
        reached = today > deadline
        day = deadline if reached else today
        categories = [_category_on(r, day) for r in rows]
        counts = {name: Count(categories.count(name), total) for name in CATEGORIES}
        not_returned = sum(c in ("not_started", "in_progress") for c in categories)
        counts["overdue"] = Count(not_returned if reached and late_kind == "overdue" else None, total)
        counts["non_return"] = Count(not_returned if reached and late_kind == "non_return" else None, total)
        columns.append(Column(label, deadline, reached, counts))
    return columns


def register_frame(rows: list[ReturnRow], sector: Callable[[ReturnRow], str] | None = None) -> pd.DataFrame:
    """The scoring core's register of returns: one row per organisation invited."""
    frame = pd.DataFrame(
        {
            "return_id": pd.Series([r.id for r in rows], dtype="int64"),
            "organisation_id": pd.Series([r.organisation.id for r in rows], dtype="int64"),
            "submitted_at": pd.Series([r.audit_return.submitted_at for r in rows], dtype=object),
        }
    )
    if sector is not None:
        frame["sector"] = pd.Series([sector(r) for r in rows], dtype=object)
    return frame


@dataclass(frozen=True)
class SectorLine:
    sector: str
    total: int
    by_category: dict[str, int]
    returned_by_initial: int
    returned_by_final: int


def sector_lines(
    rows: list[ReturnRow], cycle: AuditCycle, sector: Callable[[ReturnRow], str]
) -> list[SectorLine]:
    """Return rates at both deadlines (from ``scoring.return_rates``) and today's statuses, by sector."""
    if not rows:
        return []
    rates = scoring.return_rates(
        register_frame(rows, sector), cycle.initial_deadline, cycle.final_deadline, by="sector"
    )
    lines = []
    for record in rates.to_dict("records"):
        members = [r for r in rows if sector(r) == record["sector"]]
        lines.append(
            SectorLine(
                sector=record["sector"],
                total=int(record["expected"]),
                by_category={name: sum(r.category == name for r in members) for name in CATEGORIES},
                returned_by_initial=int(record["returned_by_initial"]),
                returned_by_final=int(record["returned_by_final"]),
            )
        )
    return lines


# ---- non-returns and non-compliance -----------------------------------------------


def non_returns(rows: list[ReturnRow], cycle: AuditCycle) -> list[ReturnRow]:
    """Nothing submitted by the final deadline (or not yet, before it): by organisation name."""
    if not rows:
        return []
    late = scoring.non_returning(register_frame(rows), cycle.final_deadline)
    wanted = set(late["return_id"].tolist())
    return [r for r in rows if r.id in wanted]


@dataclass(frozen=True)
class NonCompliance:
    row: ReturnRow
    overall_rating: str | None  # the label, e.g. "Red"
    red_standards: tuple[str, ...]  # standard titles, questionnaire order


def non_compliant(rows: list[ReturnRow]) -> list[NonCompliance]:
    """Returned organisations with a red standard or a red overall rating (final, moderated ratings)."""
    scored = [r for r in rows if r.returned and r.audit_return.score]
    if not scored:
        return []
    questionnaires = _questionnaires({r.audit_return.questionnaire_version_id for r in scored})
    standards, overall = [], []
    for row in scored:
        questionnaire = questionnaires[row.audit_return.questionnaire_version_id]
        if questionnaire is None:
            continue
        result = scoring.ReturnScore.from_dict(row.audit_return.score)
        for standard in result.standards:
            colour = _colour(questionnaire, standard.final_rating)
            standards.append({"return_id": row.id, "section_id": standard.section_id, "final_colour": colour})
        overall.append(
            {
                "return_id": row.id,
                "rating": result.overall.rating,
                "colour": _colour(questionnaire, result.overall.rating),
            }
        )
    batch = BatchScores(
        standards=pd.DataFrame(standards, columns=["return_id", "section_id", "final_colour"]),
        overall=pd.DataFrame(overall, columns=["return_id", "rating", "colour"]),
    )
    flagged = scoring.non_compliant(batch, register_frame(scored))
    by_id = {r.id: r for r in scored}
    found = {}
    for record in flagged.to_dict("records"):
        row = by_id[record["return_id"]]
        questionnaire = questionnaires[row.audit_return.questionnaire_version_id]
        rating = record["overall_rating"]
        found[row.id] = NonCompliance(
            row,
            questionnaire.scale.rating(rating).label if isinstance(rating, str) else None,
            tuple(questionnaire.section(section_id).title for section_id in record["red_standards"]),
        )
    return [found[r.id] for r in scored if r.id in found]


def _colour(questionnaire: Questionnaire, rating: str | None) -> str | None:
    if rating is None:
        return None
    try:
        return questionnaire.scale.rating(rating).colour
    except KeyError:
        return None


def kinds_in(rows: list[ReturnRow]) -> set[OrganisationKind]:
    return {r.organisation.kind for r in rows}
