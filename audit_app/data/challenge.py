"""Challenge events: the panel, the agenda built from selection rules and edited by hand,
and what the panel records about each organisation at the event.

Each organisation on an agenda keeps the reasons it was selected, in words
(``AgendaItem.selection_reasons``: a list of ``{"code", "reason"}``), read from the
score and flags stored on its return or, for a return never sent, from where it stands
against the cycle's deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

import scoring

from ..extensions import db
from ..models import (
    ActionItem,
    AgendaItem,
    AuditCycle,
    ChallengeEvent,
    Organisation,
    OrganisationKind,
    PanelMember,
    Partnership,
    Return,
    Role,
    RoleGrant,
    User,
    utcnow,
)
from .report_data import Rated, cycle_returns, reportable_cycles, uk_day

# The selection rules, in the order the form offers them, with what each reason says in general.
RULES = {
    "all": "Every agency in the cycle (all statutory agencies)",
    "red": "A standard rated red",
    "critical": "A critical question failed",
    "non_return": "No return by the final deadline",
    "declined": "A standard's rating declined since the last cycle",
    "mismatch": "A self-rating that differs from the score",
}
BY_HAND = "added_by_hand"
NOTE_LIMIT = 20_000


class AgendaRefused(ValueError):
    """A change to the agenda that cannot be made; ``message`` says why, for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---- events and their panel ----------------------------------------------------------------


def cycles_for_events(partnership: Partnership) -> list[AuditCycle]:
    """The cycles a challenge event can be about: open or closed ones the partnership runs."""
    return reportable_cycles(partnership)


def events_for(partnership: Partnership) -> list[tuple[ChallengeEvent, AuditCycle, int]]:
    """The partnership's events, latest first, each with its cycle and the size of its agenda."""
    agenda = (
        select(AgendaItem.event_id, func.count(AgendaItem.id).label("size"))
        .group_by(AgendaItem.event_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ChallengeEvent, AuditCycle, func.coalesce(agenda.c.size, 0))
        .join(AuditCycle, AuditCycle.id == ChallengeEvent.cycle_id)
        .outerjoin(agenda, agenda.c.event_id == ChallengeEvent.id)
        .where(ChallengeEvent.partnership_id == partnership.id)
        .order_by(ChallengeEvent.starts_at.desc(), ChallengeEvent.id.desc())
    )
    return [(event, cycle, items) for event, cycle, items in rows]


def partnership_of(partnership_id: int | None) -> Partnership | None:
    """For a background job, which has no signed-in person to take the partnership from."""
    return db.session.get(Partnership, partnership_id) if partnership_id is not None else None


def event_in_scope(partnership: Partnership, event_id: int) -> ChallengeEvent | None:
    event = db.session.get(ChallengeEvent, event_id)
    return event if event is not None and event.partnership_id == partnership.id else None


def cycle_of(event: ChallengeEvent) -> AuditCycle:
    return db.session.get(AuditCycle, event.cycle_id)


def save_event(
    partnership: Partnership,
    event: ChallengeEvent | None,
    title: str,
    cycle: AuditCycle,
    starts_at: datetime,
    place: str,
    online_link: str,
) -> ChallengeEvent:
    """Create an event (``event`` None) or change one. Changing the cycle empties an agenda
    built for the old one, unless the panel has already recorded something on it."""
    if event is None:
        event = ChallengeEvent(partnership_id=partnership.id, cycle_id=cycle.id, selection_rules={})
        db.session.add(event)
    elif event.cycle_id != cycle.id:
        if any(_has_records(item) for item in event.agenda):
            raise AgendaRefused(
                "You cannot change the cycle: the panel has recorded notes or actions on this agenda"
            )
        event.agenda.clear()
        event.selection_rules = {}
        event.cycle_id = cycle.id
    event.title = title
    event.starts_at = starts_at
    event.place = place
    event.online_link = online_link
    db.session.commit()
    return event


def panel_candidates(partnership: Partnership) -> list[User]:
    """People of the partnership who can sit on a panel: its admins, reviewers and board viewers."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.id.in_(
                    select(RoleGrant.user_id).where(
                        RoleGrant.partnership_id == partnership.id,
                        RoleGrant.role.in_([Role.ADMIN, Role.REVIEWER, Role.BOARD_VIEWER]),
                    )
                ),
                User.active.is_(True),
            )
            .order_by(User.name, User.id)
        )
    )


def add_panel_member(event: ChallengeEvent, user: User | None, name: str, panel_role: str) -> PanelMember:
    """Someone of the partnership (``user``) or from outside it, named (e.g. the independent scrutineer)."""
    member = PanelMember(
        user_id=user.id if user else None, name=user.name if user else name, panel_role=panel_role
    )
    event.panel.append(member)
    db.session.commit()
    return member


def remove_panel_member(event: ChallengeEvent, member_id: int) -> PanelMember | None:
    member = next((m for m in event.panel if m.id == member_id), None)
    if member is not None:
        event.panel.remove(member)
        db.session.commit()
    return member


# ---- building the agenda ---------------------------------------------------------------------


def _reason(code: str, words: str) -> dict[str, str]:
    return {"code": code, "reason": words}


def _red_reasons(entry: Rated) -> list[dict[str, str]]:
    score = entry.score
    if not entry.returned or score is None:
        return []
    scale = entry.questionnaire.scale
    reasons = []
    for standard in score.standards:
        rating = standard.final_rating
        if rating is None or scale.rating(rating).colour != "red":
            continue
        title = entry.questionnaire.section(standard.section_id).title
        after = " after moderation" if standard.moderated_rating is not None else ""
        reasons.append(_reason("red", f"“{title}” is rated {scale.rating(rating).label}{after}."))
    overall = score.overall.rating
    if not reasons and overall is not None and scale.rating(overall).colour == "red":
        reasons.append(_reason("red", f"The return is rated {scale.rating(overall).label} overall."))
    return reasons


_FLAG_RULES = {
    "critical": scoring.FlagCode.CRITICAL_FAIL,
    "declined": scoring.FlagCode.DECLINED,
    "mismatch": scoring.FlagCode.SELF_RATING_MISMATCH,
}


def reasons_for(entry: Rated, rules: list[str], cycle: AuditCycle, today: date) -> list[dict[str, str]]:
    """Why the rules select this return's organisation (empty when they do not)."""
    reasons = []
    # The Section 11 panel hears every statutory agency; in a joint schools-and-agencies
    # cycle the schools come before it only when another rule selects them.
    if "all" in rules and entry.organisation.kind is OrganisationKind.AGENCY:
        reasons.append(
            _reason("all", f"Every agency asked for a return in the {cycle.name} is on the agenda.")
        )
    if "red" in rules:
        reasons += _red_reasons(entry)
    flags = entry.flags(today)
    for rule, code in _FLAG_RULES.items():
        if rule in rules:
            reasons += [_reason(rule, flag.reason) for flag in flags if flag.code is code]
    if "non_return" in rules and not entry.returned and today > cycle.final_deadline:
        stored = next((f.reason for f in flags if f.code is scoring.FlagCode.NON_RETURN), None)
        reasons.append(_reason("non_return", stored or "Not returned by the final deadline."))
    return reasons


def _has_records(item: AgendaItem) -> bool:
    if item.challenge_notes or item.organisation_response:
        return True
    return bool(
        db.session.scalar(select(func.count(ActionItem.id)).where(ActionItem.agenda_item_id == item.id))
    )


def build_agenda(
    partnership: Partnership, event: ChallengeEvent, rules: list[str], today: date, user: User | None = None
) -> tuple[int, int]:
    """Select organisations for the agenda by the rules; returns (selected, now on the agenda).

    Organisations already on the agenda keep their place, and any reason added by hand;
    their rule reasons are brought up to date. Those the rules no longer select leave the
    agenda, unless added by hand or already discussed. Newcomers join the end, by name.
    """
    cycle = cycle_of(event)
    chosen = [rule for rule in RULES if rule in rules]
    selected: dict[int, tuple[Rated, list[dict[str, str]]]] = {}
    for entry in cycle_returns(partnership, cycle):
        reasons = reasons_for(entry, chosen, cycle, today)
        if reasons:
            selected[entry.organisation.id] = (entry, reasons)
    for item in list(event.agenda):
        by_hand = [r for r in item.selection_reasons or [] if r.get("code") == BY_HAND]
        if item.organisation_id in selected:
            _entry, reasons = selected.pop(item.organisation_id)
            item.selection_reasons = reasons + by_hand
        elif not by_hand and not _has_records(item):
            event.agenda.remove(item)
    for entry, reasons in selected.values():
        event.agenda.append(
            AgendaItem(
                organisation_id=entry.organisation.id,
                return_id=entry.audit_return.id,
                position=0,
                selection_reasons=reasons,
            )
        )
    _renumber(event)
    event.selection_rules = {
        "rules": chosen,
        "built_on": today.isoformat(),
        "built_by": user.name if user else None,
    }
    db.session.commit()
    return sum(1 for item in event.agenda if _rule_reasons(item)), len(event.agenda)


def _rule_reasons(item: AgendaItem) -> list[dict[str, str]]:
    return [r for r in item.selection_reasons or [] if r.get("code") != BY_HAND]


def _renumber(event: ChallengeEvent) -> None:
    for position, item in enumerate(event.agenda, start=1):
        item.position = position


# ---- the agenda, by hand ---------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaLine:
    item: AgendaItem
    organisation: Organisation
    audit_return: Return | None
    actions: int

    @property
    def reasons(self) -> list[str]:
        return [reason.get("reason", "") for reason in self.item.selection_reasons or []]


def agenda_lines(event: ChallengeEvent) -> list[AgendaLine]:
    """The agenda in order, with each organisation, its return and how many actions were agreed."""
    counts = dict(
        db.session.execute(
            select(ActionItem.agenda_item_id, func.count(ActionItem.id))
            .join(AgendaItem, AgendaItem.id == ActionItem.agenda_item_id)
            .where(AgendaItem.event_id == event.id)
            .group_by(ActionItem.agenda_item_id)
        ).all()
    )
    rows = db.session.execute(
        select(AgendaItem, Organisation, Return)
        .join(Organisation, Organisation.id == AgendaItem.organisation_id)
        .outerjoin(Return, Return.id == AgendaItem.return_id)
        .where(AgendaItem.event_id == event.id)
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    return [AgendaLine(item, organisation, ret, counts.get(item.id, 0)) for item, organisation, ret in rows]


def agenda_line(event: ChallengeEvent, item_id: int) -> AgendaLine | None:
    return next((line for line in agenda_lines(event) if line.item.id == item_id), None)


def addable(partnership: Partnership, event: ChallengeEvent) -> list[Rated]:
    """The cycle's organisations that are not on the agenda yet, by name."""
    present = {item.organisation_id for item in event.agenda}
    return [e for e in cycle_returns(partnership, cycle_of(event)) if e.organisation.id not in present]


def add_by_hand(
    partnership: Partnership, event: ChallengeEvent, organisation_id: int, note: str
) -> AgendaItem:
    """Put an organisation of the cycle at the end of the agenda, with the note of why."""
    entry = next((e for e in addable(partnership, event) if e.organisation.id == organisation_id), None)
    if entry is None:
        raise AgendaRefused("Select an organisation in this cycle that is not on the agenda yet")
    item = AgendaItem(
        organisation_id=organisation_id,
        return_id=entry.audit_return.id,
        position=len(event.agenda) + 1,
        selection_reasons=[_reason(BY_HAND, f"Added by hand: {note}")],
    )
    event.agenda.append(item)
    db.session.commit()
    return item


def move(event: ChallengeEvent, item_id: int, steps: int) -> None:
    """Move an item up (``steps`` -1) or down (+1); at either end it stays where it is."""
    items = list(event.agenda)
    index = next((n for n, item in enumerate(items) if item.id == item_id), None)
    if index is None:
        raise AgendaRefused("That organisation is no longer on the agenda")
    other = index + steps
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for position, item in enumerate(items, start=1):
            item.position = position
        db.session.commit()


def remove(event: ChallengeEvent, item_id: int) -> Organisation:
    """Take an organisation off the agenda, unless the panel has recorded something about it."""
    item = next((item for item in event.agenda if item.id == item_id), None)
    if item is None:
        raise AgendaRefused("That organisation is no longer on the agenda")
    organisation = db.session.get(Organisation, item.organisation_id)
    if _has_records(item):
        raise AgendaRefused(
            f"You cannot remove {organisation.name}: the panel has recorded notes or actions about it"
        )
    event.agenda.remove(item)
    db.session.flush()
    _renumber(event)
    db.session.commit()
    return organisation


# ---- at the event ------------------------------------------------------------------------------


def save_notes(item: AgendaItem, challenge_notes: str, organisation_response: str) -> None:
    """Keep the panel's notes and the organisation's response; the first of them marks the item discussed."""
    item.challenge_notes = challenge_notes.strip()
    item.organisation_response = organisation_response.strip()
    if (item.challenge_notes or item.organisation_response) and item.discussed_at is None:
        item.discussed_at = utcnow()
    db.session.commit()


def actions_of(item: AgendaItem) -> list[ActionItem]:
    return list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.agenda_item_id == item.id)
            .order_by(ActionItem.due_on, ActionItem.id)
        )
    )


def event_day(event: ChallengeEvent) -> date:
    return uk_day(event.starts_at)
