"""The organisation register."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Contact, ContactRole, Organisation, OrganisationKind, Partnership
from .people import normalise_email


def add_organisation(
    partnership: Partnership, kind: OrganisationKind, name: str, duty: str, **details
) -> Organisation:
    organisation = Organisation(kind=kind, name=name, duty=duty, **details)
    organisation.partnerships.append(partnership)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def add_contact(
    organisation: Organisation, name: str, email: str, role: ContactRole, position: str = ""
) -> Contact:
    contact = Contact(name=name, email=normalise_email(email), role=role, position=position)
    organisation.contacts.append(contact)
    db.session.flush()
    return contact


def organisation_by_urn(urn: int) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.urn == urn))


def organisations_in(partnership: Partnership) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.partnerships.contains(partnership))
            .order_by(Organisation.name, Organisation.id)
        )
    )
