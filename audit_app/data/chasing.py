"""What is due to whom: invitations, reminders, business-unit chases and the chair's letter.

The escalation runs reminder → business-unit chase (copied to the escalation
contacts: head teacher, chair of governors, executive lead) → a letter from the
independent chair or scrutineer. The letter rests on section 16H of the Children
Act 2004, under which the safeguarding partners may require a person or body to
give them information for their arrangements (the power that replaced the
section 14B power of Local Safeguarding Children Boards).

Only non-responders are written to: a return that has been submitted (or sent back
for changes after submission) is never reminded or chased. Each message has an
idempotency key, so planning the same day twice plans nothing new.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    AuditCycle,
    Contact,
    ContactRole,
    CycleStatus,
    Message,
    MessageStage,
    Organisation,
    Partnership,
    Return,
    ReturnStatus,
    cycle_partnership,
    partnership_organisation,
)

NOT_RETURNED = (ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS)
# What separates a due stage's key from the key of its further messages (see cycles/messages.compose).
SPLIT = "/"


# ---- the schedule ---------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """When messages go out, stored as ``AuditCycle.reminder_schedule``.

    ``reminder_days``: days before the initial deadline on which reminders go.
    ``reminder_every_days``: after the initial deadline, a reminder every so many
    days until the final deadline (0: none).
    ``chase_days``: days after the initial deadline on which the business unit's
    chase goes, copied to the escalation contacts.
    ``letter_days``: days after the final deadline on which the chair's letter goes.
    """

    reminder_days: tuple[int, ...] = (14, 7, 1)
    reminder_every_days: int = 7
    chase_days: tuple[int, ...] = (14,)
    letter_days: int = 1

    def to_dict(self) -> dict:
        return {
            "reminder_days": list(self.reminder_days),
            "reminder_every_days": self.reminder_every_days,
            "chase_days": list(self.chase_days),
            "letter_days": self.letter_days,
        }

    @classmethod
    def from_dict(cls, data: dict | None, reminder_days: Iterable[int] | None = None) -> Schedule:
        """The stored schedule; anything missing takes the default (``reminder_days``: the partnership's)."""
        data = data or {}
        default = cls()
        days = data.get("reminder_days", list(reminder_days) if reminder_days is not None else None)
        return cls(
            reminder_days=tuple(sorted({int(d) for d in days}, reverse=True))
            if days is not None
            else default.reminder_days,
            reminder_every_days=int(data.get("reminder_every_days", default.reminder_every_days)),
            chase_days=tuple(sorted({int(d) for d in data.get("chase_days", default.chase_days)})),
            letter_days=int(data.get("letter_days", default.letter_days)),
        )

    def reminder_dates(self, cycle: AuditCycle) -> list[date]:
        before = [cycle.initial_deadline - timedelta(days=d) for d in self.reminder_days]
        after = []
        if self.reminder_every_days > 0:
            day = cycle.initial_deadline + timedelta(days=self.reminder_every_days)
            while day <= cycle.final_deadline:
                after.append(day)
                day += timedelta(days=self.reminder_every_days)
        return sorted({d for d in before + after if d >= cycle.opens_on})

    def chase_dates(self, cycle: AuditCycle) -> list[date]:
        """The n-th chase's date is the n-th entry (the key counts from 1)."""
        return [cycle.initial_deadline + timedelta(days=d) for d in self.chase_days]

    def letter_date(self, cycle: AuditCycle) -> date:
        # The final deadline day itself is still on time: the letter can go the day after at the earliest.
        return cycle.final_deadline + timedelta(days=max(1, self.letter_days))


def schedule_of(cycle: AuditCycle) -> Schedule:
    return Schedule.from_dict(cycle.reminder_schedule, cycle.partnership.reminder_days)


# ---- planning -------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One message that should be queued now."""

    stage: MessageStage
    key: str
    audit_return: Return
    to: tuple[Contact, ...]
    cc: tuple[Contact, ...] = ()
    number: int = 0  # the chase's number
    scheduled_on: date | None = None
    manual: bool = False

    @property
    def cycle(self) -> AuditCycle:
        return self.audit_return.cycle

    @property
    def organisation(self) -> Organisation:
        return self.audit_return.organisation


@dataclass
class _History:
    """What has already gone to one return: its message keys and the dates of contact."""

    keys: set[str] = field(default_factory=set)
    invited_on: date | None = None
    last_contact: date | None = None


def _contacts(organisation: Organisation, role: ContactRole) -> tuple[Contact, ...]:
    return tuple(c for c in organisation.contacts if c.role is role)


def _latest(dates: Iterable[date], today: date) -> date | None:
    passed = [d for d in dates if d <= today]
    return max(passed) if passed else None


def plan_return(audit_return: Return, schedule: Schedule, history: _History, today: date) -> Due | None:
    """The one message due for a return today, if any: the most serious stage wins."""
    cycle = audit_return.cycle
    organisation = audit_return.organisation
    leads = _contacts(organisation, ContactRole.LEAD)
    escalation = _contacts(organisation, ContactRole.ESCALATION)
    if audit_return.status not in NOT_RETURNED or today < cycle.opens_on:
        return None
    rid = audit_return.id

    if history.invited_on is None and audit_return.status is ReturnStatus.NOT_STARTED:
        if not leads or f"invitation:{rid}" in history.keys:
            return None  # no one to invite yet: the draft cycle page lists these
        return Due(MessageStage.INVITATION, f"invitation:{rid}", audit_return, leads)
    # Nothing more on the day of the invitation; after it, only dates after it count.
    after = history.invited_on or cycle.opens_on - timedelta(days=1)
    if today <= after:
        return None

    letter_on = schedule.letter_date(cycle)
    if today >= letter_on and f"letter:{rid}" not in history.keys and (leads or escalation):
        to, cc = (escalation, leads) if escalation else (leads, ())
        return Due(MessageStage.LETTER, f"letter:{rid}", audit_return, to, cc, scheduled_on=letter_on)

    if today <= cycle.final_deadline and (leads or escalation):
        for number, chase_on in reversed(list(enumerate(schedule.chase_dates(cycle), start=1))):
            if after < chase_on <= today:
                key = f"chase:{rid}:{number}"
                if key in history.keys:
                    break  # the latest chase has gone; earlier missed ones are not sent late
                to, cc = (leads, escalation) if leads else (escalation, ())
                return Due(
                    MessageStage.CHASE, key, audit_return, to, cc, number=number, scheduled_on=chase_on
                )

    if leads and today <= cycle.final_deadline:
        remind_on = _latest(schedule.reminder_dates(cycle), today)
        key = f"reminder:{rid}:{remind_on}"
        # A reminder is not sent if the organisation has heard from us since its date.
        heard_since = (
            history.last_contact is not None and remind_on is not None and remind_on <= history.last_contact
        )
        if remind_on is not None and remind_on > after and key not in history.keys and not heard_since:
            return Due(MessageStage.REMINDER, key, audit_return, leads, scheduled_on=remind_on)
    return None


def _histories(return_ids: list[int]) -> dict[int, _History]:
    histories: dict[int, _History] = defaultdict(_History)
    for start in range(0, len(return_ids), 500):
        chunk = return_ids[start : start + 500]
        rows = db.session.execute(
            select(Message.return_id, Message.stage, Message.idempotency_key, Message.created_at)
            .where(Message.return_id.in_(chunk))
            .order_by(Message.id)
        )
        for return_id, stage, key, created_at in rows:
            history = histories[return_id]
            history.keys.add(key)
            day = created_at.date()
            if stage is MessageStage.INVITATION:
                history.invited_on = day
            history.last_contact = max(history.last_contact or day, day)
    return histories


def _open_returns(today: date, partnership: Partnership | None, cycle_ids: Iterable[int] | None):
    statement = (
        select(Return)
        .join(AuditCycle, AuditCycle.id == Return.cycle_id)
        .where(
            AuditCycle.status == CycleStatus.OPEN,
            AuditCycle.opens_on <= today,
            Return.status.in_(NOT_RETURNED),
        )
        .options(
            selectinload(Return.organisation).selectinload(Organisation.contacts),
            selectinload(Return.cycle).selectinload(AuditCycle.partnership),
        )
        .order_by(Return.id)
    )
    if partnership is not None:
        visible = select(cycle_partnership.c.cycle_id).where(
            cycle_partnership.c.partnership_id == partnership.id
        )
        members = select(partnership_organisation.c.organisation_id).where(
            partnership_organisation.c.partnership_id == partnership.id
        )
        statement = statement.where(AuditCycle.id.in_(visible), Return.organisation_id.in_(members))
    if cycle_ids is not None:
        statement = statement.where(AuditCycle.id.in_(list(cycle_ids)))
    return list(db.session.scalars(statement))


def plan_due(
    today: date, partnership: Partnership | None = None, cycle_ids: Iterable[int] | None = None
) -> list[Due]:
    """Every message due today across open cycles (a partnership's, or all), in return order."""
    returns = _open_returns(today, partnership, cycle_ids)
    histories = _histories([r.id for r in returns])
    schedules: dict[int, Schedule] = {}
    planned = []
    for audit_return in returns:
        cycle = audit_return.cycle
        if cycle.id not in schedules:
            schedules[cycle.id] = schedule_of(cycle)
        due = plan_return(audit_return, schedules[cycle.id], histories[audit_return.id], today)
        if due is not None:
            planned.append(due)
    return planned


def plan_manual_chases(returns: Iterable[Return], today: date) -> list[Due]:
    """A chase now for each of these returns still outstanding, at most one a day each."""
    returns = [r for r in returns if r.status in NOT_RETURNED]
    histories = _histories([r.id for r in returns])
    planned = []
    for audit_return in sorted(returns, key=lambda r: r.id):
        key = f"chase:{audit_return.id}:manual:{today.isoformat()}"
        organisation = audit_return.organisation
        leads = _contacts(organisation, ContactRole.LEAD)
        escalation = _contacts(organisation, ContactRole.ESCALATION)
        if key in histories[audit_return.id].keys or not (leads or escalation):
            continue
        to, cc = (leads, escalation) if leads else (escalation, ())
        planned.append(Due(MessageStage.CHASE, key, audit_return, to, cc, scheduled_on=today, manual=True))
    return planned


def returns_to_chase(
    cycle: AuditCycle, partnership: Partnership, return_ids: Iterable[int] | None = None
) -> list[Return]:
    """The cycle's returns from this partnership's organisations that are still outstanding
    (those of ``return_ids`` only, if given), by organisation name."""
    members = select(partnership_organisation.c.organisation_id).where(
        partnership_organisation.c.partnership_id == partnership.id
    )
    statement = (
        select(Return)
        .join(Organisation, Organisation.id == Return.organisation_id)
        .where(
            Return.cycle_id == cycle.id,
            Return.organisation_id.in_(members),
            Return.status.in_(NOT_RETURNED),
        )
        .options(selectinload(Return.organisation).selectinload(Organisation.contacts))
        .order_by(Organisation.name, Return.id)
    )
    if return_ids is not None:
        statement = statement.where(Return.id.in_(sorted(set(return_ids))))
    return list(db.session.scalars(statement))


def chase_counts(return_ids: list[int]) -> dict[int, tuple[int, date | None]]:
    """For each return: chases and letters sent so far, and the date of the latest."""
    counts: dict[int, tuple[int, date | None]] = {}
    for start in range(0, len(return_ids), 500):
        chunk = return_ids[start : start + 500]
        rows = db.session.execute(
            select(Message.return_id, Message.created_at)
            .where(
                Message.return_id.in_(chunk),
                Message.stage.in_([MessageStage.CHASE, MessageStage.LETTER]),
                # A chase's further messages (one per lead contact, the copy) count with its first.
                Message.idempotency_key.not_like(f"%{SPLIT}%"),
            )
            .order_by(Message.id)
        )
        for return_id, created_at in rows:
            number, latest = counts.get(return_id, (0, None))
            day = created_at.date()
            counts[return_id] = (number + 1, max(latest or day, day))
    return counts
