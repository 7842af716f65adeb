"""A person's data: everything held about an email address, to export or erase (UK GDPR articles 15 and 17).

Erasure replaces the person's name and address wherever they are held (their
account, organisation contacts, the outbox) and removes their roles and
sign-in secrets. The returns their organisation made are the organisation's
records and stay; the audit trail never held names or addresses (see
audit_app/audit_trail.py), so it keeps its rows unchanged and still says what
was done by the (now erased) account.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import AuditLogEntry, Contact, Message, Organisation, Partnership, RoleGrant, User
from .people import normalise_email

ERASED_DOMAIN = "erased.invalid"


@dataclass(frozen=True)
class ErasureSummary:
    accounts: int
    contacts: int
    messages: int

    def describe(self) -> str:
        return (
            f"Erased {self.accounts} account(s), {self.contacts} organisation contact(s) and the address in "
            f"{self.messages} message(s)."
        )


def _messages_for(email: str):
    pattern = f"%{email}%"
    return select(Message).where(
        or_(func.lower(Message.to).like(pattern), func.lower(Message.cc).like(pattern))
    )


def export_person(email: str) -> dict:
    """Everything held about the person with this email address, as plain JSON-able data."""
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    account = None
    if user is not None:
        grants = db.session.execute(
            select(RoleGrant.role, Partnership.name, Organisation.name)
            .join(Partnership, Partnership.id == RoleGrant.partnership_id)
            .outerjoin(Organisation, Organisation.id == RoleGrant.organisation_id)
            .where(RoleGrant.user_id == user.id)
            .order_by(RoleGrant.id)
        )
        account = {
            "name": user.name,
            "email": user.email,
            "active": user.active,
            "created_at": user.created_at.isoformat(),
            "last_sign_in_at": user.last_sign_in_at.isoformat() if user.last_sign_in_at else None,
            "two_factor_enrolled": user.totp_confirmed_at is not None,
            "roles": [
                {"role": role.label, "partnership": partnership, "organisation": organisation}
                for role, partnership, organisation in grants
            ],
            "changes_made": db.session.scalar(
                select(func.count()).select_from(AuditLogEntry).where(AuditLogEntry.user_id == user.id)
            ),
        }
    contacts = db.session.execute(
        select(Contact, Organisation.name)
        .join(Organisation, Organisation.id == Contact.organisation_id)
        .where(Contact.email == email)
        .order_by(Contact.id)
    )
    messages = db.session.scalars(_messages_for(email).order_by(Message.id))
    return {
        "email": email,
        "account": account,
        "contacts": [
            {
                "organisation": organisation,
                "name": contact.name,
                "role": contact.role.value,
                "position": contact.position,
            }
            for contact, organisation in contacts
        ],
        "messages": [
            {
                "sent_or_queued_at": message.created_at.isoformat(),
                "stage": message.stage.value,
                "subject": message.subject,
                "body": message.body,
                "status": message.status.value,
            }
            for message in messages
        ],
    }


def erase_person(email: str) -> ErasureSummary:
    """Replace the person's name and address everywhere they are held; commits."""
    email = normalise_email(email)
    accounts = contacts = messages = 0
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None:
        user.name = "Erased person"
        user.email = f"erased-user-{user.id}@{ERASED_DOMAIN}"
        user.password_hash = None
        user.totp_secret = None
        user.totp_confirmed_at = None
        user.active = False
        user.session_version += 1  # signs them out everywhere
        for grant in list(user.grants):
            db.session.delete(grant)
        accounts = 1
    for contact in db.session.scalars(select(Contact).where(Contact.email == email)):
        contact.name = "Erased contact"
        contact.email = f"erased-contact-{contact.id}@{ERASED_DOMAIN}"
        contacts += 1
    for message in db.session.scalars(_messages_for(email)):
        message.to = message.to.replace(email, f"erased@{ERASED_DOMAIN}")
        message.cc = message.cc.replace(email, f"erased@{ERASED_DOMAIN}")
        message.body = "(This message was erased at the recipient's request.)"
        messages += 1
    db.session.commit()
    return ErasureSummary(accounts, contacts, messages)
