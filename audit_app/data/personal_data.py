"""A person's data: everything held about an email address, to export or erase (UK GDPR articles 15 and 17).

Erasure replaces the person's name and address wherever they are held (their
account, organisation contacts, places on challenge panels, signatures on
declarations, the outbox) and removes their roles, sign-in secrets and any
unused invitation or reset links. The returns their organisation made are the
organisation's records and stay; the audit trail never held names or addresses
(see audit_app/audit_trail.py), so it keeps its rows unchanged, still says what
was done by the (now erased) account, and gains one entry saying an erasure
took place (counts only, no name).

A signature on a declaration is part of a statutory record (the organisation's
section 11 / section 175 return), so it is not removed: its name becomes
"Erased person" while the role, position and date signed stay, so the record
still shows that the declaration was signed, by whom in post, and when. A
signature is taken to be the person's when its name is one of theirs (their
account's or one of their contact records') and it is on a return of an
organisation they answer for or are a contact of; a namesake elsewhere is
left alone.

An admin can export or erase a person from within their partnership (see
audit_app/people_views.py). The export is then limited to what that
partnership holds; erasure is refused for anyone also known to another
partnership, and left to the installation's operator (``flask people erase``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from ..audit_trail import record_event
from ..extensions import db
from ..models import (
    AuditLogEntry,
    AuthToken,
    ChallengeEvent,
    Contact,
    Message,
    Organisation,
    PanelMember,
    Partnership,
    Return,
    RoleGrant,
    SignOff,
    User,
    cycle_partnership,
    partnership_organisation,
)
from .people import normalise_email

ERASED_DOMAIN = "erased.invalid"
ERASED_NAME = "Erased person"
ERASE_COMMAND = "flask people erase"


@dataclass(frozen=True)
class ErasureSummary:
    accounts: int
    contacts: int
    messages: int
    panel_places: int = 0
    signatures: int = 0

    def describe(self) -> str:
        return (
            f"Erased {self.accounts} account(s), {self.contacts} organisation contact(s) and the address in "
            f"{self.messages} message(s). {self.panel_places} challenge panel place(s) and "
            f"{self.signatures} signature(s) now say “{ERASED_NAME}”."
        )


@dataclass(frozen=True)
class PersonHere:
    """Someone an admin looked up: what this partnership holds about them, and whether it can erase them."""

    email: str
    name: str
    user: User | None
    roles_here: int
    contacts_here: int
    elsewhere: bool  # also known to another partnership


def _messages_for(email: str):
    pattern = f"%{email}%"
    return select(Message).where(
        or_(func.lower(Message.to).like(pattern), func.lower(Message.cc).like(pattern))
    )


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _in_partnership(organisation_id, partnership: Partnership):
    return organisation_id.in_(
        select(partnership_organisation.c.organisation_id).where(
            partnership_organisation.c.partnership_id == partnership.id
        )
    )


def _signatures_of(email: str, user: User | None):
    """The sign-offs that are this person's: their name, on a return of an organisation they belong to."""
    contacts = db.session.execute(
        select(Contact.name, Contact.organisation_id).where(Contact.email == email)
    ).all()
    names = {name.strip().lower() for name, _ in contacts}
    organisation_ids = {organisation_id for _, organisation_id in contacts}
    if user is not None:
        names.add(user.name.strip().lower())
        organisation_ids |= {grant.organisation_id for grant in user.grants if grant.organisation_id}
    if not names or not organisation_ids:
        return select(SignOff).where(False)
    return (
        select(SignOff)
        .join(Return, Return.id == SignOff.return_id)
        .where(
            func.lower(func.trim(SignOff.name)).in_(names),
            Return.organisation_id.in_(organisation_ids),
        )
    )


def _panel_places_of(user: User | None):
    if user is None:
        return select(PanelMember).where(False)
    return select(PanelMember).where(PanelMember.user_id == user.id)


def find_person(email: str, partnership: Partnership) -> PersonHere | None:
    """The person with this address if they hold a role in the partnership or are a contact of its organisations."""
    email = normalise_email(email)
    user = _user(email)
    grants = list(user.grants) if user is not None else []
    roles_here = sum(1 for grant in grants if grant.partnership_id == partnership.id)
    contacts = list(db.session.scalars(select(Contact).where(Contact.email == email).order_by(Contact.id)))
    member_of = {contact.id: {p.id for p in contact.organisation.partnerships} for contact in contacts}
    contacts_here = sum(1 for ids in member_of.values() if partnership.id in ids)
    if not roles_here and not contacts_here:
        return None
    other_messages = db.session.scalar(
        select(func.count()).select_from(
            _messages_for(email).where(Message.partnership_id != partnership.id).subquery()
        )
    )
    elsewhere = (
        any(grant.partnership_id != partnership.id for grant in grants)
        # A contact record belongs to the organisation, which other partnerships may share.
        or any(ids - {partnership.id} for ids in member_of.values())
        or bool(other_messages)
    )
    name = (
        user.name
        if user is not None and roles_here
        else next(c.name for c in contacts if partnership.id in member_of[c.id])
    )
    return PersonHere(email, name, user if roles_here else None, roles_here, contacts_here, elsewhere)


def export_person(email: str, partnership: Partnership | None = None) -> dict:
    """Everything held about the person with this email address, as plain JSON-able data.

    Given a partnership, only what that partnership holds: its roles, its
    organisations' contacts, its messages, panels and returns' signatures.
    """
    email = normalise_email(email)
    user = _user(email)
    account = None
    has_role_here = user is not None and (
        partnership is None or any(grant.partnership_id == partnership.id for grant in user.grants)
    )
    if has_role_here:
        grants = (
            select(RoleGrant.role, Partnership.name, Organisation.name)
            .join(Partnership, Partnership.id == RoleGrant.partnership_id)
            .outerjoin(Organisation, Organisation.id == RoleGrant.organisation_id)
            .where(RoleGrant.user_id == user.id)
            .order_by(RoleGrant.id)
        )
        changes = select(func.count()).select_from(AuditLogEntry).where(AuditLogEntry.user_id == user.id)
        if partnership is not None:
            grants = grants.where(RoleGrant.partnership_id == partnership.id)
            changes = changes.where(AuditLogEntry.partnership_id == partnership.id)
        account = {
            "name": user.name,
            "email": user.email,
            "active": user.active,
            "created_at": user.created_at.isoformat(),
            "last_sign_in_at": user.last_sign_in_at.isoformat() if user.last_sign_in_at else None,
            "two_factor_enrolled": user.totp_confirmed_at is not None,
            "roles": [
                {"role": role.label, "partnership": partnership_name, "organisation": organisation}
                for role, partnership_name, organisation in db.session.execute(grants)
            ],
            "changes_made": db.session.scalar(changes),
        }
    contacts = (
        select(Contact, Organisation.name)
        .join(Organisation, Organisation.id == Contact.organisation_id)
        .where(Contact.email == email)
        .order_by(Contact.id)
    )
    messages = _messages_for(email).order_by(Message.id)
    signatures = _signatures_of(email, user).order_by(SignOff.id)
    panels = (
        _panel_places_of(user)
        .join(ChallengeEvent, ChallengeEvent.id == PanelMember.event_id)
        .add_columns(ChallengeEvent.title)
        .order_by(PanelMember.id)
    )
    if partnership is not None:
        contacts = contacts.where(_in_partnership(Contact.organisation_id, partnership))
        messages = messages.where(Message.partnership_id == partnership.id)
        signatures = signatures.join(
            cycle_partnership, cycle_partnership.c.cycle_id == Return.cycle_id
        ).where(cycle_partnership.c.partnership_id == partnership.id)
        panels = panels.where(ChallengeEvent.partnership_id == partnership.id)
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
            for contact, organisation in db.session.execute(contacts)
        ],
        "messages": [
            {
                "sent_or_queued_at": message.created_at.isoformat(),
                "stage": message.stage.value,
                "subject": message.subject,
                "body": message.body,
                "status": message.status.value,
            }
            for message in db.session.scalars(messages)
        ],
        "signatures": [
            {
                "return": sign_off.return_id,
                "name": sign_off.name,
                "position": sign_off.position,
                "signed_on": sign_off.signed_on.isoformat(),
            }
            for sign_off in db.session.scalars(signatures)
        ],
        "challenge_panels": [
            {"event": title, "name": member.name, "panel_role": member.panel_role}
            for member, title in db.session.execute(panels)
        ],
    }


def erase_person(email: str) -> ErasureSummary:
    """Replace the person's name and address everywhere they are held; commits."""
    email = normalise_email(email)
    accounts = contacts = messages = panel_places = signatures = 0
    user = _user(email)
    # Found before the names they match on are erased.
    signed = list(db.session.scalars(_signatures_of(email, user)))
    places = list(db.session.scalars(_panel_places_of(user)))
    for sign_off in signed:
        sign_off.name = ERASED_NAME
        signatures += 1
    for member in places:
        member.name = ERASED_NAME
        panel_places += 1
    token_owner = AuthToken.email == email
    if user is not None:
        token_owner = or_(token_owner, AuthToken.user_id == user.id)
        user.name = ERASED_NAME
        user.email = f"erased-user-{user.id}@{ERASED_DOMAIN}"
        user.password_hash = None
        user.totp_secret = None
        user.totp_confirmed_at = None
        user.active = False
        user.session_version += 1  # signs them out everywhere
        for grant in list(user.grants):
            db.session.delete(grant)
        accounts = 1
    # Unused invitation and reset links carry the address; none of them may still work.
    for token in db.session.scalars(select(AuthToken).where(token_owner)):
        db.session.delete(token)
    for contact in db.session.scalars(select(Contact).where(Contact.email == email)):
        contact.name = "Erased contact"
        contact.email = f"erased-contact-{contact.id}@{ERASED_DOMAIN}"
        contacts += 1
    for message in db.session.scalars(_messages_for(email)):
        message.to = message.to.replace(email, f"erased@{ERASED_DOMAIN}")
        message.cc = message.cc.replace(email, f"erased@{ERASED_DOMAIN}")
        message.body = "(This message was erased at the recipient's request.)"
        messages += 1
    summary = ErasureSummary(accounts, contacts, messages, panel_places, signatures)
    record_event(
        db.session,
        "person",
        "erase",
        entity_id=user.id if user is not None else None,
        detail={
            "accounts": accounts,
            "contacts": contacts,
            "messages": messages,
            "panel_places": panel_places,
            "signatures": signatures,
        },
    )
    db.session.commit()
    return summary
