"""Invitations to complete a return: a single-use link that sets up or signs in the respondent.

The link carries a random secret; only its hash is stored (see :mod:`.tokens`).
Opening it gives the person the respondent role for the return's organisation
in each partnership running the cycle, so several people from one organisation
can each be invited to work on the same return.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import (
    AuthToken,
    MessageStage,
    Partnership,
    Return,
    Role,
    RoleGrant,
    TokenPurpose,
    User,
    utcnow,
)
from ..passwords import hash_password
from . import outbox, people, tokens

DEFAULT_LIFETIME = timedelta(days=60)


class InvitationUsed(Exception):
    """The link was spent by another request at the same moment."""


class AlreadyHasAccess(Exception):
    """The person invited can already work on the organisation's returns."""


def create_invitation(audit_return: Return, email: str, lifetime: timedelta = DEFAULT_LIFETIME) -> str:
    """A new invitation for ``email`` to work on ``audit_return``: the path ``/start/<secret>``.

    The caller commits (for example along with the email that carries the link).
    """
    return _issue(audit_return, email, lifetime)[0]


def _issue(audit_return: Return, email: str, lifetime: timedelta = DEFAULT_LIFETIME) -> tuple[str, AuthToken]:
    email = people.normalise_email(email)
    secret, record = tokens.issue_token(
        TokenPurpose.INVITATION,
        email,
        lifetime,
        user=people.get_user_by_email(email),
        return_id=audit_return.id,
    )
    return f"/start/{secret}", record


@dataclass
class Invitation:
    token: AuthToken
    audit_return: Return
    user: User | None  # the account for the invited email, if there is one

    @property
    def partnership_id(self) -> int:
        """The partnership to work in once signed in."""
        return _partnerships_for(self.audit_return)[0].id

    @property
    def email(self) -> str:
        return self.token.email

    @property
    def needs_password(self) -> bool:
        """No account yet, or an account that has never had a password set."""
        return self.user is None or self.user.password_hash is None


def find_invitation(secret: str) -> Invitation | None:
    """The invitation if its link is live (unused and unexpired) and its return still exists."""
    token = tokens.find_live_token(TokenPurpose.INVITATION, secret)
    if token is None or token.return_id is None:
        return None
    audit_return = db.session.get(Return, token.return_id)
    if audit_return is None:
        return None
    return Invitation(token, audit_return, people.get_user_by_email(token.email))


def _partnerships_for(audit_return: Return) -> list[Partnership]:
    """The partnerships running the cycle that the organisation belongs to (the cycle's own, at least)."""
    organisation_partnerships = {p.id for p in audit_return.organisation.partnerships}
    chosen = [p for p in audit_return.cycle.partnerships if p.id in organisation_partnerships]
    return sorted(chosen or [audit_return.cycle.partnership], key=lambda p: p.id)


def has_access(audit_return: Return, email: str) -> bool:
    """Whether the account for ``email`` is a respondent of the return's organisation
    in a partnership running the cycle."""
    user = people.get_user_by_email(email)
    if user is None:
        return False
    partnership_ids = [p.id for p in _partnerships_for(audit_return)]
    held = db.session.scalar(
        select(RoleGrant.id).where(
            RoleGrant.user_id == user.id,
            RoleGrant.role == Role.RESPONDENT,
            RoleGrant.partnership_id.in_(partnership_ids),
            RoleGrant.organisation_id == audit_return.organisation_id,
        )
    )
    return held is not None


def invite_colleague(
    audit_return: Return,
    email: str,
    partnership_id: int,
    write: Callable[[str], tuple[str, str]],
) -> int:
    """Invite another person of the organisation to work on the return; commits.

    ``write`` turns the start link's path into the email's subject and body. The
    email goes to the invited person alone, since the link is theirs (its
    reader would set up the account). The invitation is recorded in the audit
    trail (see audit_trail.TRACKED). Returns the queued message's id; raises
    AlreadyHasAccess if the person can already work on the return.
    """
    email = people.normalise_email(email)
    if has_access(audit_return, email):
        raise AlreadyHasAccess(email)
    link, token = _issue(audit_return, email)
    subject, body = write(link)
    # Not tied to the return (return_id): the return's own reminders count every message
    # about it as contact with the organisation, and this one is not from the business unit.
    message_id = outbox.add_message(
        key=f"colleague:{token.id}",
        stage=MessageStage.ACCOUNT,
        to=email,
        subject=subject,
        body=body,
        partnership_id=partnership_id,
        organisation_id=audit_return.organisation_id,
    )
    db.session.commit()
    return message_id


def accept(invitation: Invitation, name: str | None = None, password: str | None = None) -> User:
    """Spend the link, create or complete the account, and grant the respondent role; commits.

    ``name`` and ``password`` set up an account that has no password yet. Raises
    InvitationUsed if another request spent the link first.
    """
    if not tokens.spend_token(invitation.token):
        db.session.rollback()
        raise InvitationUsed()
    user = invitation.user
    if user is None:
        user = people.create_user(invitation.email, name or invitation.email, password)
    elif password is not None and user.password_hash is None:
        user.name = name or user.name
        user.password_hash = hash_password(password)
        user.password_changed_at = utcnow()
    organisation_id = invitation.audit_return.organisation_id
    for partnership in _partnerships_for(invitation.audit_return):
        held = db.session.scalar(
            select(RoleGrant.id).where(
                RoleGrant.user_id == user.id,
                RoleGrant.role == Role.RESPONDENT,
                RoleGrant.partnership_id == partnership.id,
                RoleGrant.organisation_id == organisation_id,
            )
        )
        if held is None:
            people.grant_role(user, Role.RESPONDENT, partnership, organisation_id=organisation_id)
    user.last_sign_in_at = utcnow()
    db.session.commit()
    return user
