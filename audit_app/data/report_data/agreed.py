"""Agreed actions as the reports show them: a cycle's actions, their tallies by sector,
and the actions an organisation agreed before the cycle under way."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from reports import data as rd
from reports.board_figures import ALL_ORGANISATIONS
from scoring.definitions.model import Questionnaire

from ...extensions import db
from ...models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AuditCycle,
    ChallengeEvent,
    Organisation,
    Partnership,
    Return,
)
from ..scores import lineage
from .common import previous_cycle, sector_of, uk_day

ACTION_STATUS = {
    ActionStatus.OPEN: "open",
    ActionStatus.IN_PROGRESS: "in_progress",
    ActionStatus.DONE: "completed",
}


def cycle_actions(
    partnership: Partnership, cycle: AuditCycle, organisation_ids: list[int] | None = None
) -> list[tuple[ActionItem, Organisation]]:
    """Actions the partnership agreed in a cycle, from one of its returns or one of its
    challenge events: by organisation name, then soonest due."""
    in_cycle = or_(
        ActionItem.return_id.in_(select(Return.id).where(Return.cycle_id == cycle.id)),
        ActionItem.agenda_item_id.in_(
            select(AgendaItem.id)
            .join(ChallengeEvent, ChallengeEvent.id == AgendaItem.event_id)
            .where(ChallengeEvent.cycle_id == cycle.id)
        ),
    )
    query = (
        select(ActionItem, Organisation)
        .join(Organisation, Organisation.id == ActionItem.organisation_id)
        .where(ActionItem.partnership_id == partnership.id, in_cycle)
    )
    if organisation_ids is not None:
        query = query.where(ActionItem.organisation_id.in_(organisation_ids))
    rows = db.session.execute(query.order_by(Organisation.name, ActionItem.due_on, ActionItem.id))
    return [(action, organisation) for action, organisation in rows]


def titles_of(questionnaire: Questionnaire | None) -> dict[str, str]:
    return {} if questionnaire is None else {s.id: s.title for s in questionnaire.sections}


def action_line(action: ActionItem, titles: dict[str, str]) -> rd.ActionLine:
    """An action for a report: its standard by title ("Whole return" when it has none)."""
    standard = titles.get(action.section_id, action.section_id) if action.section_id else "Whole return"
    return rd.ActionLine(
        standard, action.description, action.owner, action.due_on, ACTION_STATUS[action.status]
    )


def action_tallies(partnership: Partnership, cycle: AuditCycle, today: date) -> tuple[rd.ActionTally, ...]:
    """The cycle's agreed actions by status, sector by sector (alphabetical), then all."""
    rows = cycle_actions(partnership, cycle)
    if not rows:
        return ()
    groups: dict[str, list[ActionItem]] = {}
    for action, organisation in rows:
        groups.setdefault(sector_of(organisation), []).append(action)

    def tally(group: str, actions: list[ActionItem]) -> rd.ActionTally:
        statuses = [action.status for action in actions]
        return rd.ActionTally(
            group,
            statuses.count(ActionStatus.OPEN),
            statuses.count(ActionStatus.IN_PROGRESS),
            statuses.count(ActionStatus.DONE),
            sum(a.status is not ActionStatus.DONE and a.due_on < today for a in actions),
        )

    everyone = tally(ALL_ORGANISATIONS, [action for action, _ in rows])
    return (*(tally(group, groups[group]) for group in sorted(groups)), everyone)


def actions_for_return(partnership: Partnership, audit_return: Return) -> list[ActionItem]:
    """The actions agreed on this return, or at a challenge event of its cycle about its organisation."""
    rows = cycle_actions(partnership, audit_return.cycle, [audit_return.organisation_id])
    return [action for action, _ in rows]


def earlier_actions(
    partnership: Partnership, audit_return: Return
) -> tuple[AuditCycle | None, list[ActionItem]]:
    """The actions agreed with the organisation (or the organisations it replaced) in the
    cycle before this return's, and that cycle; with no earlier cycle, every action agreed
    before this one opened."""
    cycle: AuditCycle = audit_return.cycle
    before = previous_cycle(partnership, cycle)
    organisations = lineage(audit_return.organisation_id)
    mine = select(ActionItem).where(
        ActionItem.partnership_id == partnership.id, ActionItem.organisation_id.in_(organisations)
    )
    if before is None:
        rows = db.session.scalars(mine.order_by(ActionItem.due_on, ActionItem.id))
        return None, [
            a for a in rows if a.return_id != audit_return.id and uk_day(a.created_at) < cycle.opens_on
        ]
    linked = [action for action, _ in cycle_actions(partnership, before, organisations)]
    # Actions recorded against neither a return nor an event count for the cycle they were agreed in.
    loose = db.session.scalars(
        mine.where(ActionItem.return_id.is_(None), ActionItem.agenda_item_id.is_(None)).order_by(
            ActionItem.id
        )
    )
    between = [a for a in loose if before.opens_on <= uk_day(a.created_at) < cycle.opens_on]
    return before, sorted([*linked, *between], key=lambda a: (a.due_on, a.id))
