"""Flags: what the business unit and the challenge panel should look at in a return,
each with its reason in plain English.

:func:`flags_for` reads a :class:`ReturnContext` (where the return stands against the
cycle's deadlines, last cycle's ratings, the agreed actions) and, once there are
answers, the return's :class:`~scoring.results.ReturnScore`. Deadlines are whole days:
anything done on the deadline day is on time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple

from scoring.definitions.model import Questionnaire, Section
from scoring.ratings import band_position
from scoring.results import ReturnScore, StandardScore


class FlagCode(StrEnum):
    """Stable flag codes: stored, filtered on and counted, so never renamed."""

    NOT_STARTED = "NOT_STARTED"
    IN_PROGRESS_OVERDUE = "IN_PROGRESS_OVERDUE"
    NON_RETURN = "NON_RETURN"
    LATE = "LATE"
    CRITICAL_FAIL = "CRITICAL_FAIL"
    NO_EVIDENCE = "NO_EVIDENCE"
    EMPTY_EVIDENCE = "EMPTY_EVIDENCE"
    SELF_RATING_MISMATCH = "SELF_RATING_MISMATCH"
    DECLINED = "DECLINED"
    ACTIONS_OVERDUE = "ACTIONS_OVERDUE"


# What each flag is called on pages and in documents, in a few words.
FLAG_LABELS: dict[FlagCode, str] = {
    FlagCode.NOT_STARTED: "Not started",
    FlagCode.IN_PROGRESS_OVERDUE: "Overdue",
    FlagCode.NON_RETURN: "Non-return",
    FlagCode.LATE: "Late",
    FlagCode.CRITICAL_FAIL: "Critical answer fails",
    FlagCode.NO_EVIDENCE: "Evidence missing",
    FlagCode.EMPTY_EVIDENCE: "Empty evidence file",
    FlagCode.SELF_RATING_MISMATCH: "Self-rating differs",
    FlagCode.DECLINED: "Rating declined",
    FlagCode.ACTIONS_OVERDUE: "Actions overdue",
}


@dataclass(frozen=True)
class Flag:
    """One flag on a return; ``reason`` names the standard or question it is about."""

    code: FlagCode
    reason: str
    section_id: str | None = None
    question_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "reason": self.reason,
            "section_id": self.section_id,
            "question_id": self.question_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Flag:
        return cls(
            FlagCode(data["code"]),
            data["reason"],
            data.get("section_id"),
            data.get("question_id"),
        )


class ReturnStatus(StrEnum):
    """Where a return stands in its cycle."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    # Sent back to the organisation after submission: it still counts as returned.
    RETURNED_FOR_CHANGES = "returned_for_changes"
    ACCEPTED = "accepted"


_SUBMITTED = frozenset({ReturnStatus.SUBMITTED, ReturnStatus.RETURNED_FOR_CHANGES, ReturnStatus.ACCEPTED})


class ActionStatus(StrEnum):
    """Where an agreed action stands; open and in-progress actions can be overdue."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CLOSED = "closed"  # dropped or superseded, by agreement


class AgreedAction(NamedTuple):
    """An action agreed with the organisation, e.g. at the challenge event.

    A plain ``(due_on, status)`` tuple does as well.
    """

    due_on: date
    status: ActionStatus | str


@dataclass(frozen=True)
class ReturnContext:
    """A return's place in its cycle, for the flags that are not about its answers.

    ``started_at`` and ``submitted_at`` are dates or datetimes; ``submitted_at`` is the
    first submission, and stays set when a return is sent back for changes.
    ``final_deadline`` is the extended deadline after which a missing return is a
    non-return (the initial deadline when there is no extension). ``previous_ratings``
    maps standard (section) id to the final rating id the organisation had last cycle,
    on this questionnaire's scale. ``actions`` are its agreed actions.
    """

    status: ReturnStatus | str
    initial_deadline: date
    today: date
    final_deadline: date | None = None
    started_at: date | datetime | None = None
    submitted_at: date | datetime | None = None
    previous_ratings: Mapping[str, str] = field(default_factory=dict)
    actions: Sequence[AgreedAction] = ()

    def __post_init__(self) -> None:
        status = ReturnStatus(self.status)
        object.__setattr__(self, "status", status)
        if self.final_deadline is None:
            object.__setattr__(self, "final_deadline", self.initial_deadline)
        if self.final_deadline < self.initial_deadline:
            raise ValueError("the final deadline comes before the initial deadline")
        submitted = status in _SUBMITTED
        if submitted != (self.submitted_at is not None):
            need = "needs" if submitted else "cannot have"
            raise ValueError(f"a return with status {status.value} {need} submitted_at")
        if status is ReturnStatus.NOT_STARTED and self.started_at is not None:
            raise ValueError("a return that has not started cannot have started_at")


def _day(moment: date | datetime | None) -> date | None:
    return moment.date() if isinstance(moment, datetime) else moment


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _deadline_flags(context: ReturnContext) -> list[Flag]:
    today, initial, final = context.today, context.initial_deadline, context.final_deadline
    submitted = _day(context.submitted_at)
    if submitted is not None:
        if submitted <= initial:
            return []
        late = _days((submitted - initial).days)
        reason = f"Submitted on {_long(submitted)}, {late} after the deadline of {_long(initial)}"
        if submitted > final:
            reason += f" and after the final deadline of {_long(final)}"
        return [Flag(FlagCode.LATE, reason + ".")]
    if today > final:
        if context.status is ReturnStatus.NOT_STARTED:
            state = "was never started"
        else:
            state = "was started but not submitted"
        reason = f"Not returned by the final deadline of {_long(final)}: the return {state}."
        return [Flag(FlagCode.NON_RETURN, reason)]
    if context.status is ReturnStatus.NOT_STARTED:
        tense = "passed on" if today > initial else "is"
        reason = f"The return has not been started; the deadline {tense} {_long(initial)}."
        return [Flag(FlagCode.NOT_STARTED, reason)]
    if today > initial:
        started = _day(context.started_at)
        since = f" since {_long(started)}" if started else ""
        reason = (
            f"In progress{since} but not submitted; the deadline of {_long(initial)} has "
            f"passed (final deadline {_long(final)})."
        )
        return [Flag(FlagCode.IN_PROGRESS_OVERDUE, reason)]
    return []


def _standard_flags(
    questionnaire: Questionnaire,
    section: Section,
    standard: StandardScore,
    previous: str | None,
) -> list[Flag]:
    scale = questionnaire.scale
    flags = []
    for question_id in standard.critical_fails:
        question = questionnaire.question(question_id)
        reason = (
            f'The answer to the critical question "{question.text}" ({question_id}) '
            f'fails, so standard "{section.title}" is rated '
            f"{scale.rating(standard.rating).label}."
        )
        flags.append(Flag(FlagCode.CRITICAL_FAIL, reason, section.id, question_id))
    if standard.self_rating_mismatch:
        reason = (
            f"The organisation rated itself {scale.rating(standard.self_rating).label} "
            f'on standard "{section.title}", but its answers score '
            f"{scale.rating(standard.rating).label}."
        )
        flags.append(Flag(FlagCode.SELF_RATING_MISMATCH, reason, section.id))
    current = standard.final_rating
    if (
        previous is not None
        and current is not None
        and band_position(scale, current) > band_position(scale, previous)
    ):
        reason = (
            f'Standard "{section.title}" is rated {scale.rating(current).label}, '
            f"down from {scale.rating(previous).label} last cycle."
        )
        flags.append(Flag(FlagCode.DECLINED, reason, section.id))
    return flags


def _evidence_flags(questionnaire: Questionnaire, result: ReturnScore) -> list[Flag]:
    section_of = {
        question.id: section.id for section in questionnaire.sections for question in section.questions
    }
    flags = []
    for question_id in result.missing_evidence:
        question = questionnaire.question(question_id)
        reason = (
            f'The answer to "{question.text}" ({question_id}) needs evidence, but no '
            "usable file, description or link is attached."
        )
        flags.append(Flag(FlagCode.NO_EVIDENCE, reason, section_of[question_id], question_id))
    for file in result.unusable_files:
        question = questionnaire.question(file.question_id)
        reason = (
            f'The file "{file.file_name}" attached to "{question.text}" '
            f"({file.question_id}) is {file.problem}."
        )
        flags.append(Flag(FlagCode.EMPTY_EVIDENCE, reason, section_of[file.question_id], file.question_id))
    return flags


def _action_flags(context: ReturnContext) -> list[Flag]:
    still_open = {ActionStatus.OPEN, ActionStatus.IN_PROGRESS}
    overdue = sorted(
        due_on
        for due_on, status in context.actions
        if ActionStatus(status) in still_open and due_on < context.today
    )
    if not overdue:
        return []
    if len(overdue) == 1:
        count = "1 agreed action is"
    else:
        count = f"{len(overdue)} agreed actions are"
    reason = f"{count} past the due date and not completed (the oldest was due {_long(overdue[0])})."
    return [Flag(FlagCode.ACTIONS_OVERDUE, reason)]


def flags_for(
    questionnaire: Questionnaire, context: ReturnContext, result: ReturnScore | None = None
) -> list[Flag]:
    """Every flag on one return, in a fixed order: the deadline flag, then standard by
    standard (critical fails, self-rating mismatch, decline), then evidence, then
    overdue actions.

    Deadline flags, one at most:

    - ``LATE``: submitted after the initial deadline (the reason says if it was after
      the final one too).
    - ``NON_RETURN``: not submitted, and the final deadline has passed.
    - ``NOT_STARTED``: not started, and the final deadline has not passed.
    - ``IN_PROGRESS_OVERDUE``: started but not submitted, past the initial deadline but
      not the final one.

    Flags about the answers need ``result`` (a return with no answers has none):

    - ``CRITICAL_FAIL``: one per failing answer to a critical question.
    - ``SELF_RATING_MISMATCH``: the self rating against the scored rating (green
      against red, or two or more bands apart). Moderation does not clear it: it
      records how the organisation saw itself.
    - ``DECLINED``: a standard's final (moderated, else scored) rating is a worse band
      than ``context.previous_ratings`` gives for the same standard id.
    - ``NO_EVIDENCE``: an answer in the question's ``evidence.required_when`` with no
      usable file and no description or link. An empty or unreadable file is not
      evidence, so such an answer gets both this flag and ``EMPTY_EVIDENCE``.
    - ``EMPTY_EVIDENCE``: one per empty or unreadable file on a shown question.

    ``ACTIONS_OVERDUE``, one for all: agreed actions still open or in progress after
    their due date.
    """
    flags = _deadline_flags(context)
    if result is not None:
        for standard in result.standards:
            section = questionnaire.section(standard.section_id)
            previous = context.previous_ratings.get(section.id)
            flags += _standard_flags(questionnaire, section, standard, previous)
        flags += _evidence_flags(questionnaire, result)
    flags += _action_flags(context)
    return flags
