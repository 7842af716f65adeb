"""The audit trail: every change to the records that matter, kept append-only.

Rather than asking every data function to remember to log, the trail is
written from SQLAlchemy's flush: whatever a flush inserts, updates or deletes
among the tracked models becomes one ``audit_log_entry`` row per changed field
(who, when, what, old value → new value), in the same transaction. A change
that is rolled back leaves no trace, and one that commits always does.

Rows are only ever added: the ORM refuses to change or delete them, and
database triggers (see the migration) refuse it too, for anyone writing SQL.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import Flask, g, has_request_context
from flask_login import current_user
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, object_session

from .models import (
    ActionItem,
    Answer,
    AuditCycle,
    AuditLogEntry,
    AuthToken,
    Contact,
    Evidence,
    Organisation,
    Return,
    ReturnFeedback,
    RoleGrant,
    SignOff,
    StandardModeration,
    TokenPurpose,
    User,
    utcnow,
)


@dataclass(frozen=True)
class Tracked:
    entity: str
    # Fields whose changes are noise (bookkeeping the app itself moves on).
    ignore: frozenset[str] = frozenset()
    # Fields whose change is recorded without the values (secrets).
    redact: frozenset[str] = frozenset()
    # Which rows of the model are tracked, if not all.
    only: Callable[[object], bool] | None = None


_BOOKKEEPING = frozenset({"created_at", "updated_at", "version"})
TRACKED: dict[type, Tracked] = {
    Answer: Tracked("answer", frozenset({"updated_at"})),
    Return: Tracked("return", _BOOKKEEPING | {"scored_at"}),
    Evidence: Tracked("evidence"),
    SignOff: Tracked("sign_off", redact=frozenset({"name"})),
    StandardModeration: Tracked("moderation", _BOOKKEEPING),
    ReturnFeedback: Tracked("feedback", _BOOKKEEPING),
    ActionItem: Tracked("action", _BOOKKEEPING),
    Organisation: Tracked("organisation", _BOOKKEEPING),
    # People's names and addresses are recorded as changed, never copied into the trail, so
    # that erasing a person (UK GDPR article 17) never needs an append-only row changed.
    Contact: Tracked("contact", _BOOKKEEPING, frozenset({"name", "email"})),
    AuditCycle: Tracked("cycle", _BOOKKEEPING),
    User: Tracked(
        "user",
        _BOOKKEEPING | {"last_sign_in_at", "failed_sign_ins", "totp_last_step", "session_version"},
        frozenset({"password_hash", "totp_secret", "name", "email"}),
    ),
    RoleGrant: Tracked("role", _BOOKKEEPING),
    # Who was invited to work on a return (the role granted when the link is used is
    # recorded as a role). Password-reset tokens are not: a request for one changes nothing.
    AuthToken: Tracked(
        "invitation",
        _BOOKKEEPING,
        frozenset({"token_hash", "email"}),
        only=lambda token: token.purpose is TokenPurpose.INVITATION,
    ),
}


_TRACKED_BY_ENTITY = {tracked.entity: tracked for tracked in TRACKED.values()}


def recorded_values(entity: str, field: str, old, new) -> tuple[object, object]:
    """The old and new values as the trail may keep them: a redacted field says only that it changed.

    For writes that bypass the flush (bulk imports), so they redact exactly as the flush does.
    """
    tracked = _TRACKED_BY_ENTITY.get(entity)
    if tracked is not None and field in tracked.redact:
        return ("(set)" if old else None), ("(changed)" if new else None)
    if entity == "answer" and field == "value":
        return _without_person_name(old, new)
    return old, new


def _without_person_name(old, new) -> tuple[object, object]:
    """A "person" answer ({name, role, trained_on}) keeps its role and training date, not the name."""

    def named(value) -> bool:
        return isinstance(value, dict) and bool(value.get("name"))

    if not (named(old) or named(new)):
        return old, new
    old_name = old.get("name") if named(old) else None
    new_name = new.get("name") if named(new) else None
    if named(old):
        old = {**old, "name": "(set)"}
    if named(new):
        new = {**new, "name": "(changed)" if new_name != old_name else "(set)"}
    return old, new


class AuditTrailIsAppendOnly(RuntimeError):
    pass


def _plain(value):
    """A JSON-able form of a column value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _context_ids(obj) -> tuple[int | None, int | None]:
    """The return and organisation an entry is about, so each can list its history."""
    if isinstance(obj, Return):
        return obj.id, obj.organisation_id
    if isinstance(obj, Organisation):
        return None, obj.id
    if isinstance(obj, Contact | ActionItem):
        return getattr(obj, "return_id", None), obj.organisation_id
    if isinstance(obj, AuthToken) and obj.return_id is not None:
        audit_return = object_session(obj).get(Return, obj.return_id)
        return obj.return_id, audit_return.organisation_id if audit_return else None
    return getattr(obj, "return_id", None), None


# Who a background job acts for: the person who started it, in their partnership.
_acting_for: ContextVar[tuple[int | None, int | None] | None] = ContextVar("acting_for", default=None)


@contextmanager
def acting_for(user_id: int | None, partnership_id: int | None) -> Iterator[None]:
    """Record changes made outside a request (a worker running a job) as made by this person."""
    token = _acting_for.set((user_id, partnership_id))
    try:
        yield
    finally:
        _acting_for.reset(token)


def _who() -> tuple[int | None, int | None]:
    if not has_request_context():
        # A background job for the person who started it; otherwise a command.
        return _acting_for.get() or (None, None)
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    partnership = getattr(g, "partnership", None)
    return user_id, partnership.id if partnership is not None else None


def _columns(obj) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs]


def _entries_for(obj, action: str, tracked: Tracked) -> list[dict]:
    state = inspect(obj)
    return_id, organisation_id = _context_ids(obj)
    base = {
        "entity_type": tracked.entity,
        "entity_id": obj.id,
        "return_id": return_id,
        "organisation_id": organisation_id,
        "action": action,
    }
    entries = []
    for key in _columns(obj):
        if key == "id" or key in tracked.ignore:
            continue
        history = state.attrs[key].history
        if action == "update":
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old == new:
                continue
        elif action == "create":
            old, new = None, getattr(obj, key)
            if new is None:
                continue
        else:  # delete
            old, new = getattr(obj, key), None
            if old is None:
                continue
        old, new = recorded_values(tracked.entity, key, old, new)
        entries.append({**base, "field": key, "old_value": _plain(old), "new_value": _plain(new)})
    return entries


def _tracked(obj) -> Tracked | None:
    tracked = TRACKED.get(type(obj))
    if tracked is None or (tracked.only is not None and not tracked.only(obj)):
        return None
    return tracked


def _changes(session: Session) -> list[dict]:
    """Entries for the updates and deletes about to be flushed (their old values are still known)."""
    rows: list[dict] = []
    for action, objects in (("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if isinstance(obj, AuditLogEntry):
                raise AuditTrailIsAppendOnly("audit trail entries cannot be changed or deleted")
            tracked = _tracked(obj)
            if tracked is None:
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            rows.extend(_entries_for(obj, action, tracked))
    return rows


def _before_flush(session: Session, flush_context, instances) -> None:
    # New rows get their ids during the flush, so they are logged after it.
    if session.new:
        session.info.setdefault("audit_new", []).extend(session.new)
    _write(session, _changes(session))


def _after_flush(session: Session, flush_context) -> None:
    rows: list[dict] = []
    for obj in session.info.pop("audit_new", []):
        tracked = _tracked(obj)
        if tracked is not None and obj.id is not None:
            rows.extend(_entries_for(obj, "create", tracked))
    _write(session, rows)


def _write(session: Session, rows: list[dict]) -> None:
    if not rows:
        return
    user_id, partnership_id = _who()
    moment = utcnow()
    for row in rows:
        row.update(at=moment, user_id=user_id, partnership_id=partnership_id)
    # Through the flush's own connection: the same transaction, and no ORM objects
    # added in the middle of a flush.
    session.connection().execute(insert(AuditLogEntry), rows)


def record_change(
    session: Session,
    entity: str,
    entity_id: int,
    field: str,
    old: object,
    new: object,
    return_id: int | None = None,
    organisation_id: int | None = None,
) -> None:
    """One field changed by a guarded UPDATE that bypasses the flush (e.g. a status moved on only if unchanged)."""
    old, new = recorded_values(entity, field, old, new)
    _write(
        session,
        [
            {
                "entity_type": entity,
                "entity_id": entity_id,
                "return_id": return_id,
                "organisation_id": organisation_id,
                "action": "update",
                "field": field,
                "old_value": _plain(old),
                "new_value": _plain(new),
            }
        ],
    )


def record_event(
    session: Session, entity: str, action: str, entity_id: int | None = None, detail: object = None
) -> None:
    """One entry for something that is not a change to a tracked row (e.g. a person's data erased).

    ``detail`` is kept as the new value, so it must hold no names or addresses.
    """
    _write(
        session,
        [
            {
                "entity_type": entity,
                "entity_id": entity_id,
                "return_id": None,
                "organisation_id": None,
                "action": action,
                "field": None,
                "old_value": None,
                "new_value": detail,
            }
        ],
    )


_listening = False


def _keep_old_value(target, value, oldvalue, initiator):
    return value


def init_app(app: Flask) -> None:
    global _listening
    if not _listening:
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        # After a commit, attributes are expired; without active history, setting one
        # would not load the value it replaces, and the trail would lose the old value.
        for model in TRACKED:
            for attribute in inspect(model).column_attrs:
                event.listen(
                    getattr(model, attribute.key), "set", _keep_old_value, active_history=True, retval=True
                )
        _listening = True
