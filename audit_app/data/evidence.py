"""Evidence attached to a return's questions: uploaded files and links, and who may download them.

Files on disk follow the database transaction: a file written for a request
that then fails is removed again, and a removed file is deleted only once the
removal is committed, so a rollback never leaves a row pointing at a file that
is not there. (Additions and removals reach the audit trail from the flush:
see audit_app/audit_trail.py.)
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import event, exists, select

import scoring

from ..evidence import storage
from ..evidence.checks import EvidenceRefused, check_upload, is_unreadable
from ..extensions import db
from ..models import (
    Evidence,
    EvidenceKind,
    Partnership,
    Return,
    Role,
    User,
    cycle_partnership,
    partnership_organisation,
    utcnow,
)
from .people import organisation_ids_for, roles_in

MAX_URL_LENGTH = 1000  # the column's size
ENTER_SOMETHING = "Enter a description of the evidence or a link to it"
LINK_FORMAT = "Enter a link in the correct format, like https://www.example.org/policy.pdf"
LINK_TOO_LONG = f"The link must be {MAX_URL_LENGTH} characters or fewer"

# Keys in the session's info: files to remove if the transaction does not
# commit, and files to remove once it does.
_WRITTEN = "evidence_files_written"
_TO_DELETE = "evidence_files_to_delete"


def store_file(
    audit_return: Return, question_id: str, filename: str, data: bytes, user: User | None
) -> Evidence:
    """Check an upload, keep its bytes and record it against a question; raises EvidenceRefused.

    Flushes but does not commit: the caller's request commits.
    """
    checked = check_upload(filename, data)
    stored_name = storage.save(data, checked.extension)
    db.session.info.setdefault(_WRITTEN, []).append(storage.path_for(stored_name))
    evidence = Evidence(
        return_id=audit_return.id,
        question_id=question_id,
        kind=EvidenceKind.FILE,
        original_filename=checked.filename,
        stored_name=stored_name,
        content_type=checked.content_type,
        size_bytes=checked.size,
        sha256=checked.sha256,
        check_problem=checked.problem,
        uploaded_at=utcnow(),
        uploaded_by_id=user.id if user else None,
    )
    db.session.add(evidence)
    db.session.flush()
    return evidence


def copy_file(item: Evidence, audit_return: Return) -> Evidence | None:
    """A copy of an uploaded file in a file of its own, recorded against the same question of another return.

    None, with a warning logged, if the file is not on disk or its bytes are
    not those recorded: a copy would only pass the damage on. The new row
    keeps who uploaded the document and when (the trail records the copy
    itself); the file written is removed again unless the caller commits.
    Adds the row but does not flush or commit.
    """
    try:
        data = storage.read(item.stored_name) if item.stored_name else None
    except OSError:  # unreadable (permissions, a failing disk): as good as missing for this purpose
        data = None
    if data is None:
        current_app.logger.warning(
            "Evidence %s: stored file %s is missing, so it was not copied", item.id, item.stored_name
        )
        return None
    sha256 = hashlib.sha256(data).hexdigest()
    if item.sha256 and sha256 != item.sha256:
        current_app.logger.warning(
            "Evidence %s: stored file %s has changed on disk, so it was not copied", item.id, item.stored_name
        )
        return None
    # Every row has a file of its own, so removing or erasing one never takes the other's.
    stored_name = storage.save(data, item.stored_name.rsplit(".", 1)[1])
    db.session.info.setdefault(_WRITTEN, []).append(storage.path_for(stored_name))
    copy = Evidence(
        return_id=audit_return.id,
        question_id=item.question_id,
        kind=EvidenceKind.FILE,
        original_filename=item.original_filename,
        stored_name=stored_name,
        content_type=item.content_type,
        size_bytes=len(data),
        sha256=sha256,
        description=item.description,
        copied_forward=True,
        uploaded_at=item.uploaded_at,
        uploaded_by_id=item.uploaded_by_id,
    )
    db.session.add(copy)
    return copy


def clean_url(url: str | None) -> str | None:
    """The link as it will be stored, or None; raises EvidenceRefused unless it is an http(s) address."""
    url = (url or "").strip()
    if not url:
        return None
    if len(url) > MAX_URL_LENGTH:
        raise EvidenceRefused(LINK_TOO_LONG)
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError as exc:
        raise EvidenceRefused(LINK_FORMAT) from exc
    # Spaces and control characters are how a "link" smuggles in something else.
    odd_characters = any(c.isspace() or ord(c) < 32 for c in url)
    if parts.scheme.lower() not in ("http", "https") or not hostname or odd_characters:
        raise EvidenceRefused(LINK_FORMAT)
    return url


def add_link(
    audit_return: Return, question_id: str, description: str, url: str | None, user: User | None
) -> Evidence:
    """Record a description of, or a link to, evidence held elsewhere; raises EvidenceRefused.

    Flushes but does not commit.
    """
    description = (description or "").strip()
    url = clean_url(url)
    if not description and url is None:
        raise EvidenceRefused(ENTER_SOMETHING)
    evidence = Evidence(
        return_id=audit_return.id,
        question_id=question_id,
        kind=EvidenceKind.LINK,
        description=description,
        url=url,
        uploaded_at=utcnow(),
        uploaded_by_id=user.id if user else None,
    )
    db.session.add(evidence)
    db.session.flush()
    return evidence


def evidence_for(audit_return: Return) -> dict[str, list[Evidence]]:
    """The return's evidence by question id, each list in the order it was added."""
    by_question: dict[str, list[Evidence]] = {}
    rows = db.session.scalars(
        select(Evidence).where(Evidence.return_id == audit_return.id).order_by(Evidence.id)
    )
    for row in rows:
        by_question.setdefault(row.question_id, []).append(row)
    return by_question


def evidence_in_return(audit_return: Return, evidence_id: int) -> Evidence | None:
    """One piece of the return's evidence, or None if the id belongs to another return."""
    return db.session.scalar(
        select(Evidence).where(Evidence.id == evidence_id, Evidence.return_id == audit_return.id)
    )


def remove(evidence: Evidence, user: User | None) -> None:
    """Delete the evidence (``user`` removing it); its file goes when the request commits."""
    if evidence.stored_name:
        db.session.info.setdefault(_TO_DELETE, []).append(storage.path_for(evidence.stored_name))
    db.session.delete(evidence)
    db.session.flush()


def return_visible_to(audit_return: Return, user: User, partnership: Partnership) -> bool:
    """Whether this person, working in this partnership, may see the return (and so its evidence).

    The partnership must hold the return's cycle. Then a respondent sees their
    own organisations' returns, and an admin or reviewer the returns of the
    partnership's organisations (a joint cycle also holds other partnerships'
    organisations, which the dashboards leave out too). Board viewers see
    summaries only.
    """
    cycle_held = db.session.scalar(
        select(
            exists().where(
                cycle_partnership.c.cycle_id == audit_return.cycle_id,
                cycle_partnership.c.partnership_id == partnership.id,
            )
        )
    )
    if not cycle_held:
        return False
    roles = roles_in(user, partnership)
    if roles & {Role.ADMIN, Role.REVIEWER}:
        member = db.session.scalar(
            select(
                exists().where(
                    partnership_organisation.c.organisation_id == audit_return.organisation_id,
                    partnership_organisation.c.partnership_id == partnership.id,
                )
            )
        )
        if member:
            return True
    if Role.RESPONDENT not in roles:
        return False
    return audit_return.organisation_id in organisation_ids_for(user, partnership)


def get_evidence_for_download(evidence_id: int, user: User, partnership: Partnership) -> Evidence | None:
    """The uploaded file's record if this person may download it, else None (the page is then 404)."""
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.kind is not EvidenceKind.FILE or not evidence.stored_name:
        return None
    audit_return = db.session.get(Return, evidence.return_id)
    if audit_return is None or not return_visible_to(audit_return, user, partnership):
        return None
    return evidence


def file_for_scoring(row: Evidence) -> scoring.EvidenceFile:
    """An uploaded file as the scoring core sees it: one the check found a problem with is unusable."""
    unreadable = is_unreadable(row.check_problem)
    empty = not row.size_bytes or (row.check_problem is not None and not unreadable)
    return scoring.EvidenceFile(row.original_filename or "file", empty=empty, unreadable=unreadable)


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


@event.listens_for(db.session, "after_commit")
def _after_commit(session) -> None:
    session.info.pop(_WRITTEN, None)
    _unlink(session.info.pop(_TO_DELETE, []))


@event.listens_for(db.session, "after_transaction_end")
def _after_transaction_end(session, transaction) -> None:
    # Also reached after a commit, which has already emptied both lists.
    if transaction.parent is None:
        _unlink(session.info.pop(_WRITTEN, []))
        session.info.pop(_TO_DELETE, None)
