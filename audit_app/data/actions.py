"""Action plans: the actions agreed with an organisation, followed up until they are done.

An action belongs to the partnership that agreed it and to one organisation,
usually against a standard, and often to the return or challenge-event agenda
item it came from. Actions still open when the organisation's next cycle comes
round are carried into it, for the respondent and the reviewer to check again.

Overdue actions raise ACTIONS_OVERDUE on the organisation's returns (see
data/scores.py); whenever an action changes, the organisation's returns in
cycles still running are scored again so their flags stay true. An action also
becomes overdue with no change at all, as the days pass: the daily
``flask reminders send`` scores again the returns that were last scored before
one of their actions fell due (:func:`rescore_newly_overdue`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from scoring.definitions.model import Duty

from ..extensions import db
from ..models import (
    ActionItem,
    ActionStatus,
    AuditCycle,
    CycleStatus,
    Organisation,
    Partnership,
    Return,
    User,
    cycle_partnership,
    partnership_organisation,
)
from .scores import lineage, questionnaire_of, score_and_store

STILL_OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
DESCRIPTION_LIMIT = 2_000
OWNER_LIMIT = 200  # the column's size
EVIDENCE_LIMIT = 5_000


class ActionRefused(ValueError):
    """What was given cannot be kept; ``message`` says why in words for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_overdue(action: ActionItem, today: date) -> bool:
    return action.status in STILL_OPEN and action.due_on < today


def _checked_text(value: str, limit: int, missing: str, too_long: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionRefused(missing)
    if len(value) > limit:
        raise ActionRefused(too_long)
    return value


def add_action(
    partnership: Partnership,
    organisation: Organisation,
    description: str,
    owner: str,
    due_on: date,
    section_id: str | None = None,
    return_id: int | None = None,
    agenda_item_id: int | None = None,
    user: User | None = None,
    commit: bool = True,
) -> ActionItem:
    """Agree a new action with the organisation; raises ActionRefused for an empty description or owner.

    Commits unless ``commit`` is False (for a caller that records more in the same transaction).
    """
    action = ActionItem(
        partnership_id=partnership.id,
        organisation_id=organisation.id,
        description=_checked_text(
            description,
            DESCRIPTION_LIMIT,
            "Enter what the organisation needs to do",
            f"The action must be {DESCRIPTION_LIMIT:,} characters or fewer",
        ),
        owner=_checked_text(
            owner,
            OWNER_LIMIT,
            "Enter who is responsible for the action",
            f"The owner must be {OWNER_LIMIT} characters or fewer",
        ),
        due_on=due_on,
        section_id=section_id or None,
        return_id=return_id,
        agenda_item_id=agenda_item_id,
        status=ActionStatus.OPEN,
        completion_evidence="",
        created_by_id=user.id if user else None,
    )
    db.session.add(action)
    db.session.flush()
    _rescore(organisation.id)
    if commit:
        db.session.commit()
    return action


_UNCHANGED = object()


def update_action(
    action: ActionItem,
    description: str | object = _UNCHANGED,
    owner: str | object = _UNCHANGED,
    due_on: date | object = _UNCHANGED,
    section_id: str | object | None = _UNCHANGED,
    status: ActionStatus | object = _UNCHANGED,
    completion_evidence: str | object = _UNCHANGED,
    today: date | None = None,
    commit: bool = True,
) -> ActionItem:
    """Change what is given and leave the rest; raises ActionRefused as :func:`add_action` does.

    Marking an action done records the day it was completed (today), and needs
    evidence of completion; reopening it clears the day. Who made the change is
    recorded by the audit trail.
    """
    today = today or date.today()
    if description is not _UNCHANGED:
        action.description = _checked_text(
            description,
            DESCRIPTION_LIMIT,
            "Enter what the organisation needs to do",
            f"The action must be {DESCRIPTION_LIMIT:,} characters or fewer",
        )
    if owner is not _UNCHANGED:
        action.owner = _checked_text(
            owner,
            OWNER_LIMIT,
            "Enter who is responsible for the action",
            f"The owner must be {OWNER_LIMIT} characters or fewer",
        )
    if due_on is not _UNCHANGED:
        action.due_on = due_on
    if section_id is not _UNCHANGED:
        action.section_id = section_id or None
    if completion_evidence is not _UNCHANGED:
        evidence = (completion_evidence or "").strip()
        if len(evidence) > EVIDENCE_LIMIT:
            raise ActionRefused(f"The evidence of completion must be {EVIDENCE_LIMIT:,} characters or fewer")
        action.completion_evidence = evidence
    if status is not _UNCHANGED:
        if status is ActionStatus.DONE and not action.completion_evidence:
            raise ActionRefused("Enter the evidence that the action has been completed")
        if status is ActionStatus.DONE and action.status is not ActionStatus.DONE:
            action.completed_on = today
        elif status is not ActionStatus.DONE:
            action.completed_on = None
        action.status = status
    db.session.flush()
    _rescore(action.organisation_id)
    if commit:
        db.session.commit()
    return action


def _rescore(organisation_id: int) -> None:
    """Score again the organisation's returns that are in, in cycles still running, so that
    ACTIONS_OVERDUE comes and goes with the actions."""
    returns = db.session.scalars(
        select(Return)
        .join(AuditCycle, AuditCycle.id == Return.cycle_id)
        .where(
            Return.organisation_id == organisation_id,
            AuditCycle.status == CycleStatus.OPEN,
            Return.submitted_at.is_not(None),
        )
        .order_by(Return.id)
    )
    for audit_return in returns:
        if audit_return.status.is_returned and audit_return.score:
            score_and_store(audit_return)


def _with_successors(organisation_id: int) -> list[int]:
    """The organisation and the ones that replaced it (its actions count on their returns too)."""
    found = [organisation_id]
    while len(found) < 20:  # as data/scores.lineage: a mistaken loop of links stops here
        successor = db.session.scalar(select(Organisation.successor_id).where(Organisation.id == found[-1]))
        if successor is None or successor in found:
            break
        found.append(successor)
    return found


def rescore_newly_overdue(today: date) -> int:
    """Score again, as on ``today``, each returned return in a running cycle that was last
    scored on or before the due date of an action of its organisation now overdue, so that
    ACTIONS_OVERDUE appears (and its count is right) without anyone touching the action.
    Commits; the number of returns scored again.

    Run daily, each return is scored again once per action falling due: on the next run
    it was scored after that due date, and is left alone.
    """
    latest_due: dict[int, date] = {}
    rows = db.session.execute(
        select(ActionItem.organisation_id, ActionItem.due_on)
        .where(ActionItem.status.in_(STILL_OPEN), ActionItem.due_on < today)
        .order_by(ActionItem.id)
    )
    for organisation_id, due_on in rows:
        for affected in _with_successors(organisation_id):
            latest_due[affected] = max(latest_due.get(affected, due_on), due_on)
    if not latest_due:
        return 0
    returns = db.session.scalars(
        select(Return)
        .join(AuditCycle, AuditCycle.id == Return.cycle_id)
        .where(
            Return.organisation_id.in_(sorted(latest_due)),
            AuditCycle.status == CycleStatus.OPEN,
            Return.submitted_at.is_not(None),
        )
        .order_by(Return.id)
    )
    rescored = 0
    for audit_return in returns:
        if not (audit_return.status.is_returned and audit_return.score):
            continue
        scored_at = audit_return.scored_at
        if scored_at is not None and scored_at.date() > latest_due[audit_return.organisation_id]:
            continue  # scored once the action was already overdue: its flag is there
        score_and_store(audit_return, today)
        rescored += 1
    db.session.commit()
    return rescored


def organisation_in(partnership: Partnership, organisation_id: int) -> Organisation | None:
    """The organisation if it belongs to the partnership (otherwise its action plan is not found)."""
    return db.session.scalar(
        select(Organisation)
        .join(partnership_organisation, partnership_organisation.c.organisation_id == Organisation.id)
        .where(
            Organisation.id == organisation_id,
            partnership_organisation.c.partnership_id == partnership.id,
        )
    )


def get_action(partnership: Partnership, action_id: int) -> ActionItem | None:
    return db.session.scalar(
        select(ActionItem).where(ActionItem.id == action_id, ActionItem.partnership_id == partnership.id)
    )


def actions_for_organisation(organisation: Organisation, partnership: Partnership) -> list[ActionItem]:
    """The organisation's action plan in this partnership (its predecessors' actions too):
    open actions first, soonest due first."""
    rows = db.session.scalars(
        select(ActionItem)
        .where(
            ActionItem.organisation_id.in_(lineage(organisation.id)),
            ActionItem.partnership_id == partnership.id,
        )
        .order_by(ActionItem.due_on, ActionItem.id)
    )
    return sorted(rows, key=lambda action: action.status is ActionStatus.DONE)


def overdue_actions(partnership: Partnership, today: date) -> list[ActionItem]:
    """Every action of the partnership past its due date and not done, longest overdue first."""
    return list(
        db.session.scalars(
            select(ActionItem)
            .join(Organisation, Organisation.id == ActionItem.organisation_id)
            .where(
                ActionItem.partnership_id == partnership.id,
                ActionItem.status.in_(STILL_OPEN),
                ActionItem.due_on < today,
            )
            .order_by(ActionItem.due_on, Organisation.name, ActionItem.id)
        )
    )


def carried_actions(audit_return: Return, partnership: Partnership) -> list[ActionItem]:
    """Actions from the organisation's earlier cycles that are not done yet, to check again now.

    An action counts as earlier when the return it came from is in a cycle that
    opened before this return's cycle, or, with no return, when it was agreed
    before this cycle opened.
    """
    cycle: AuditCycle = audit_return.cycle
    source = aliased(Return)
    source_cycle = aliased(AuditCycle)
    rows = db.session.scalars(
        select(ActionItem)
        .outerjoin(source, source.id == ActionItem.return_id)
        .outerjoin(source_cycle, source_cycle.id == source.cycle_id)
        .where(
            ActionItem.organisation_id.in_(lineage(audit_return.organisation_id)),
            ActionItem.partnership_id == partnership.id,
            ActionItem.status.in_(STILL_OPEN),
            or_(
                and_(ActionItem.return_id.is_not(None), source_cycle.opens_on < cycle.opens_on),
                ActionItem.return_id.is_(None),
            ),
        )
        .order_by(ActionItem.due_on, ActionItem.id)
    )
    return [
        action for action in rows if action.return_id is not None or action.created_at.date() < cycle.opens_on
    ]


@dataclass(frozen=True)
class ActionCounts:
    open: int
    overdue: int


def counts_for(organisation_id: int, partnership: Partnership, today: date) -> ActionCounts:
    rows = db.session.execute(
        select(ActionItem.due_on).where(
            ActionItem.organisation_id.in_(lineage(organisation_id)),
            ActionItem.partnership_id == partnership.id,
            ActionItem.status.in_(STILL_OPEN),
        )
    ).all()
    return ActionCounts(open=len(rows), overdue=sum(due_on < today for (due_on,) in rows))


def newest_return(organisation: Organisation, partnership: Partnership) -> Return | None:
    """The organisation's return in the partnership's newest cycle, whatever its status."""
    return db.session.scalars(
        select(Return)
        .join(AuditCycle, AuditCycle.id == Return.cycle_id)
        .join(cycle_partnership, cycle_partnership.c.cycle_id == AuditCycle.id)
        .where(
            Return.organisation_id == organisation.id,
            cycle_partnership.c.partnership_id == partnership.id,
            AuditCycle.status != CycleStatus.DRAFT,
        )
        .order_by(AuditCycle.opens_on.desc(), Return.id.desc())
        .limit(1)
    ).first()


def standards_for(organisation: Organisation, partnership: Partnership) -> list[tuple[str, str]]:
    """(id, title) of the standards an action can be linked to: those of the questionnaire the
    organisation's newest return uses, as they apply to it."""
    audit_return = newest_return(organisation, partnership)
    if audit_return is None:
        return []
    questionnaire = questionnaire_of(audit_return.questionnaire_version)
    duty = Duty(audit_return.duty)
    return [
        (section.id, section.title)
        for section in questionnaire.sections
        if section.scored and section.applies(duty)
    ]


def organisation_names(organisation_ids) -> dict[int, str]:
    ids = set(organisation_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)))
        .tuples()
        .all()
    )
