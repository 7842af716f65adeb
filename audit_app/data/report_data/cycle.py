"""A whole cycle for the board: the board summary, the workbook, and the themes the
business unit writes for the board (kept as a cycle note)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time

from sqlalchemy import and_, or_, select

from reports import data as rd
from reports.board_figures import distributions

from ...extensions import db
from ...models import Answer, AuditCycle, AuditLogEntry, CycleNote, Partnership, User
from ...returns.answer_words import answer_words
from ..audit_log import about_organisations
from .agreed import action_line, action_tallies, cycle_actions, titles_of
from .common import (
    UK,
    Rated,
    cycle_ref,
    cycle_returns,
    cycle_standards,
    organisation_ref,
    partnership_ref,
    previous_cycle,
)

# There is no column for the board's themes: they are a cycle note with this purpose.
THEMES_PURPOSE = "board_themes"
THEMES_LIMIT = 4_000


def _themes_note(cycle: AuditCycle) -> CycleNote | None:
    return db.session.scalar(
        select(CycleNote)
        .where(CycleNote.cycle_id == cycle.id, CycleNote.purpose == THEMES_PURPOSE)
        .order_by(CycleNote.id)
    )


def board_themes(cycle: AuditCycle) -> str:
    note = _themes_note(cycle)
    return note.text if note else ""


def save_board_themes(cycle: AuditCycle, text: str) -> None:
    """Keep the themes written for the board, one per line (an empty text clears them)."""
    note = _themes_note(cycle)
    if note is None:
        note = CycleNote(cycle_id=cycle.id, purpose=THEMES_PURPOSE, text="")
        db.session.add(note)
    note.text = (text or "").strip()
    db.session.commit()


def lines_of(text: str) -> tuple[str, ...]:
    """Free text as a list: one item per line, without any bullet or number typed before it."""
    items = (re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", line).strip() for line in (text or "").splitlines())
    return tuple(item for item in items if item)


def _pct_green(partnership: Partnership, cycle: AuditCycle) -> dict[str, float]:
    returns = cycle_returns(partnership, cycle)
    shares = distributions(
        [entry.organisation_return() for entry in returns], cycle_standards(cycle, returns)
    )
    # A standard nobody was rated on last time has no percentage to compare with.
    return {share.standard.section_id: share.pct_green for share in shares if share.counted}


def board_summary(partnership: Partnership, cycle: AuditCycle, today: date) -> rd.BoardSummary:
    """The board summary of a cycle, as it stands today."""
    returns = cycle_returns(partnership, cycle)
    before = previous_cycle(partnership, cycle)
    return rd.BoardSummary(
        partnership=partnership_ref(partnership),
        cycle=cycle_ref(cycle),
        produced_on=today,
        standards=cycle_standards(cycle, returns),
        returns=tuple(entry.organisation_return() for entry in returns),
        themes=lines_of(board_themes(cycle)),
        actions=action_tallies(partnership, cycle, today),
        previous_cycle=before.name if before is not None else None,
        previous_pct_green=_pct_green(partnership, before) if before is not None else {},
    )


def _answer_rows(returns: list[Rated]) -> Iterator[rd.AnswerRow]:
    """Every answer of every return made, by organisation and stable question id."""
    made = [entry for entry in returns if entry.returned]
    if not made:
        return
    by_return: dict[int, list[Answer]] = {}
    for answer in db.session.scalars(
        select(Answer)
        .where(Answer.return_id.in_([entry.audit_return.id for entry in made]))
        .order_by(Answer.return_id, Answer.question_id)
    ):
        by_return.setdefault(answer.return_id, []).append(answer)
    for entry in made:
        questionnaire = entry.questionnaire
        questions = {question.id: question for question in questionnaire.questions()}
        score = entry.score
        scores = score.question_scores if score else {}
        organisation = organisation_ref(entry.organisation)
        for answer in by_return.get(entry.audit_return.id, []):
            question = questions.get(answer.question_id)
            if answer.na_reason is not None:
                words = "Not applicable"
            elif question is None:
                words = str(answer.value)
            else:
                words = answer_words(question, questionnaire, answer.value)
            yield rd.AnswerRow(
                organisation,
                answer.question_id,
                question.text if question else answer.question_id,
                words,
                na_reason=answer.na_reason or "",
                score=scores.get(answer.question_id),
            )


def _in_words(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _trail(partnership: Partnership, cycle: AuditCycle, returns: list[Rated]) -> tuple[rd.AuditEvent, ...]:
    """The audit trail of the cycle's returns, and of their organisations while the cycle ran, oldest first.

    Changes to an organisation's record and contacts, and to the actions this
    partnership agreed with it, belong to no return but matter to the cycle
    (who was invited, who was chased): they are included from the day the cycle
    opens until it closes.
    """
    names = {entry.audit_return.id: entry.organisation.name for entry in returns}
    if not names:
        return ()
    organisation_names = {entry.organisation.id: entry.organisation.name for entry in returns}
    during_the_cycle = [AuditLogEntry.at >= datetime.combine(cycle.opens_on, time.min, tzinfo=UTC)]
    if cycle.closed_at is not None:
        during_the_cycle.append(AuditLogEntry.at <= cycle.closed_at)
    rows = db.session.execute(
        select(AuditLogEntry, User.name)
        .outerjoin(User, User.id == AuditLogEntry.user_id)
        .where(
            or_(
                AuditLogEntry.return_id.in_(sorted(names)),
                and_(about_organisations(sorted(organisation_names), partnership), *during_the_cycle),
            )
        )
        .order_by(AuditLogEntry.at, AuditLogEntry.id)
    )
    events = []
    for entry, who in rows:
        what = f"{entry.entity_type.replace('_', ' ').capitalize()} {entry.action}"
        if entry.field:
            what += f": {entry.field.replace('_', ' ')}"
        detail = ""
        if entry.old_value is not None or entry.new_value is not None:
            detail = f"{_in_words(entry.old_value)} → {_in_words(entry.new_value)}"
        # A spreadsheet keeps no time zone: times are written as people in England read them.
        at = entry.at.astimezone(UK).replace(tzinfo=None)
        organisation = (
            names[entry.return_id]
            if entry.return_id is not None
            else organisation_names[entry.organisation_id]
        )
        events.append(rd.AuditEvent(at, who or "The system", what, organisation, detail))
    return tuple(events)


def audit_workbook(partnership: Partnership, cycle: AuditCycle, today: date) -> rd.AuditWorkbook:
    """The spreadsheet export of a cycle, audit trail included."""
    returns = cycle_returns(partnership, cycle)
    questionnaires = {entry.organisation.id: entry.questionnaire for entry in returns}
    actions = tuple(
        rd.OrganisationAction(
            organisation_ref(organisation),
            action_line(action, titles_of(questionnaires.get(organisation.id))),
        )
        for action, organisation in cycle_actions(partnership, cycle)
    )
    return rd.AuditWorkbook(
        partnership=partnership_ref(partnership),
        cycle=cycle_ref(cycle),
        produced_on=today,
        standards=cycle_standards(cycle, returns),
        returns=tuple(entry.organisation_return() for entry in returns),
        answers=tuple(_answer_rows(returns)),
        actions=actions,
        audit_trail=_trail(partnership, cycle, returns),
    )
