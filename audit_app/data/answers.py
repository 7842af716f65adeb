"""Saving one section of a return: its answers and evidence, guarded by optimistic locking.

Each section page carries the ReturnSection.version it was loaded with. A save
first moves that version on with one conditional UPDATE (``… WHERE version =
:loaded``), so of two saves made from the same loaded page only the first can
win: the second matches no row and is refused as a conflict, and nothing it
sent is written. On PostgreSQL the first UPDATE holds the row lock until it
commits, so a racing second save waits and then finds the version moved on;
SQLite serialises writers, with the same result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import update

from .. import audit_trail
from ..evidence.checks import EvidenceRefused
from ..extensions import db
from ..models import (
    Answer,
    Return,
    ReturnSection,
    ReturnStatus,
    ReturnStatusChange,
    User,
    utcnow,
)
from . import evidence as evidence_store
from .returns import CannotChange, ReturnView, is_answered, reload, section_row, visible_ids


@dataclass(frozen=True)
class Given:
    """What the page sent for one question: a value, or "not applicable" with a reason (both None: blank)."""

    value: object = None
    na_reason: str | None = None

    @property
    def blank(self) -> bool:
        return self.na_reason is None and self.value in (None, "", [])


@dataclass
class SectionSubmission:
    """Everything one post of a section page asks to be saved."""

    answers: dict[str, Given] = field(default_factory=dict)  # shown questions whose input was valid
    notes: dict[str, str] = field(default_factory=dict)  # a description of, or link to, evidence
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # question id -> (filename, content)
    removals: dict[str, list[int]] = field(default_factory=dict)  # evidence ids to take away


@dataclass
class SectionSaved:
    version: int
    completed: bool
    revealed: list[str]  # questions the saved answers brought into view, still unanswered
    file_errors: dict[str, str]  # question id -> why the upload was refused
    note_errors: dict[str, str]  # question id -> why the description or link was refused


class SectionConflict(Exception):
    """Someone saved the section after this page was loaded; nothing was written."""

    def __init__(self, view: ReturnView, row: ReturnSection, saved_by: User | None):
        super().__init__("the section was saved by someone else")
        self.view = view
        self.row = row
        self.saved_by = saved_by


def save_section(
    view: ReturnView,
    section_id: str,
    loaded_version: int,
    submission: SectionSubmission,
    finish: bool,
    user: User,
) -> SectionSaved:
    """Save a section's answers as a draft; it is completed when ``finish`` is asked for and
    every required question shown is answered. Raises SectionConflict or CannotChange."""
    view.require_editable()
    section = view.section(section_id)
    row = section_row(view, section_id)
    now = utcnow()
    won = db.session.execute(
        update(ReturnSection)
        .where(ReturnSection.id == row.id, ReturnSection.version == loaded_version)
        .values(version=ReturnSection.version + 1, updated_at=now, updated_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if won.rowcount != 1:
        db.session.rollback()
        fresh = reload(view)
        current = fresh.sections[section_id]
        raise SectionConflict(fresh, current, saved_by(current))
    _mark_started(view.audit_return, user, now)

    before = view.visible
    for question_id, given in submission.answers.items():
        _store_answer(view, question_id, given, user, now)
    for question in section.questions:
        answer = view.answers.get(question.id)
        if answer is not None and question.id in submission.answers:
            answer.copied_forward = False  # saving the page confirms what it showed
    file_errors, note_errors = _store_evidence(view, submission, user)

    after = visible_ids(view.questionnaire, view.duty, view.answers.values())
    in_section = {question.id for question in section.questions}
    revealed = [
        question_id
        for question_id in sorted((after - before) & in_section)
        if submission.answers.get(question_id, Given()).blank
    ]
    missing = [
        question
        for question in section.questions
        if question.id in after
        and question.required
        and not is_answered(question, view.answers.get(question.id), view.evidence)
    ]
    completed = finish and not missing and not revealed and not file_errors and not note_errors
    # The row as read is the row as won: a save that changed it since would have moved the
    # version on and this one would have been refused above. So an unchanged flag needs no write.
    if completed != row.completed:
        db.session.execute(
            update(ReturnSection)
            .where(ReturnSection.id == row.id)
            .values(completed=completed)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return SectionSaved(loaded_version + 1, completed, revealed, file_errors, note_errors)


def _mark_started(audit_return: Return, user: User, now) -> None:
    """Move a new return to "in progress", and move the return's version on.

    Moving the version on makes a send that read the return before this save
    fail its own version check, so a return is never sent with answers its
    sender did not see. The status guard refuses a save racing a send.
    """
    # A return never goes back to "not started", so one read in any other state (most
    # saves) cannot be starting now: only the second guarded UPDATE is needed.
    started = (
        audit_return.status is ReturnStatus.NOT_STARTED
        and db.session.execute(
            update(Return)
            .where(Return.id == audit_return.id, Return.status == ReturnStatus.NOT_STARTED)
            .values(status=ReturnStatus.IN_PROGRESS, started_at=now, version=Return.version + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    if started:
        audit_trail.record_change(
            db.session,
            "return",
            audit_return.id,
            "status",
            ReturnStatus.NOT_STARTED,
            ReturnStatus.IN_PROGRESS,
            return_id=audit_return.id,
            organisation_id=audit_return.organisation_id,
        )
        db.session.add(
            ReturnStatusChange(
                return_id=audit_return.id,
                from_status=ReturnStatus.NOT_STARTED,
                to_status=ReturnStatus.IN_PROGRESS,
                changed_at=now,
                changed_by_id=user.id,
                comment="First answers saved",
            )
        )
        return
    still_open = db.session.execute(
        update(Return)
        .where(
            Return.id == audit_return.id,
            Return.status.in_([ReturnStatus.IN_PROGRESS, ReturnStatus.CHANGES_REQUESTED]),
        )
        .values(version=Return.version + 1)
        .execution_options(synchronize_session=False)
    )
    if still_open.rowcount != 1:
        db.session.rollback()
        raise CannotChange(
            "This return has already been sent",
            "The return was sent while you were working on this page, so your changes were not saved.",
        )


def _store_answer(view: ReturnView, question_id: str, given: Given, user: User, now) -> None:
    existing = view.answers.get(question_id)
    if given.blank:
        if existing is not None:
            db.session.delete(existing)
            del view.answers[question_id]
        return
    if existing is None:
        existing = Answer(return_id=view.audit_return.id, question_id=question_id)
        db.session.add(existing)
        view.answers[question_id] = existing
    existing.value = None if given.na_reason is not None else given.value
    existing.na_reason = given.na_reason
    existing.updated_at = now
    existing.updated_by_id = user.id


def _store_evidence(
    view: ReturnView, submission: SectionSubmission, user: User
) -> tuple[dict[str, str], dict[str, str]]:
    """Remove, describe and upload evidence; a refused upload becomes a message, not an error page."""
    for question_id in submission.answers:
        for item in view.evidence.get(question_id, []):
            item.copied_forward = False  # confirmed along with the answer it supports
    audit_return = view.audit_return
    for question_id, ids in submission.removals.items():
        for item in list(view.evidence.get(question_id, [])):
            if item.id in ids:
                evidence_store.remove(item, user)
                view.evidence[question_id].remove(item)
    file_errors: dict[str, str] = {}
    for question_id, (filename, content) in submission.files.items():
        try:
            added = evidence_store.store_file(audit_return, question_id, filename, content, user)
        except EvidenceRefused as refusal:
            file_errors[question_id] = refusal.message
            continue
        view.evidence.setdefault(question_id, []).append(added)
    note_errors: dict[str, str] = {}
    for question_id, note in submission.notes.items():
        url = note if _looks_like_link(note) else None
        try:
            added = evidence_store.add_link(audit_return, question_id, note, url, user)
        except EvidenceRefused as refusal:
            note_errors[question_id] = refusal.message
            continue
        view.evidence.setdefault(question_id, []).append(added)
    return file_errors, note_errors


def _looks_like_link(note: str) -> bool:
    return note.startswith(("https://", "http://")) and not any(ch.isspace() for ch in note)


def saved_by(row: ReturnSection) -> User | None:
    """Who saved the section last."""
    return db.session.get(User, row.updated_by_id) if row.updated_by_id else None
