"""The organisation register."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from scoring.definitions.model import Duty

from ..database import id_from
from ..extensions import db
from ..models import (
    Contact,
    ContactRole,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Partnership,
    partnership_organisation,
)
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


# ---- the register pages ------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilters:
    kind: OrganisationKind | None = None
    status: OrganisationStatus | None = None
    query: str = ""  # part of a name, or a whole URN
    descending: bool = False


@dataclass
class RegisterPage:
    organisations: list[Organisation]
    total: int  # matching the filters
    page: int
    pages: int
    per_page: int
    kind_counts: dict[str, int] = field(default_factory=dict)  # matching all but the kind filter

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * self.per_page, self.total)


def _in_partnership(partnership: Partnership):
    return Organisation.id.in_(
        select(partnership_organisation.c.organisation_id).where(
            partnership_organisation.c.partnership_id == partnership.id
        )
    )


def _matching(partnership: Partnership, filters: RegisterFilters, with_kind: bool = True) -> list:
    conditions = [_in_partnership(partnership)]
    if with_kind and filters.kind is not None:
        conditions.append(Organisation.kind == filters.kind)
    if filters.status is not None:
        conditions.append(Organisation.status == filters.status)
    query = filters.query.strip()
    if query:
        # Escape LIKE's wildcards so that "100%" or "St_Mary" mean what they say.
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        by_name = Organisation.name.ilike(pattern, escape="\\")
        urn = id_from(query)
        conditions.append(or_(by_name, Organisation.urn == urn) if urn is not None else by_name)
    return conditions


def register_page(
    partnership: Partnership, filters: RegisterFilters, page: int = 1, per_page: int = 100
) -> RegisterPage:
    """One page of the partnership's register, ordered by name (case ignored), then id."""
    conditions = _matching(partnership, filters)
    total = db.session.scalar(select(func.count()).select_from(Organisation).where(*conditions)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    name = func.lower(Organisation.name)
    order = (name.desc(), Organisation.id.desc()) if filters.descending else (name, Organisation.id)
    organisations = list(
        db.session.scalars(
            select(Organisation)
            .where(*conditions)
            .order_by(*order)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    counts = dict.fromkeys((kind.value for kind in OrganisationKind), 0)
    for kind, count in db.session.execute(
        select(Organisation.kind, func.count())
        .where(*_matching(partnership, filters, with_kind=False))
        .group_by(Organisation.kind)
    ):
        counts[kind.value] = count
    return RegisterPage(organisations, total, page, pages, per_page, counts)


def organisation_in(partnership: Partnership, organisation_id: int) -> Organisation | None:
    """The organisation if this partnership's register holds it, else None (shown as not found)."""
    return db.session.scalar(
        select(Organisation).where(Organisation.id == organisation_id, _in_partnership(partnership))
    )


def predecessors_of(organisation: Organisation) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.successor_id == organisation.id)
            .order_by(Organisation.name, Organisation.id)
        )
    )


def ids_in_register(partnership: Partnership, organisations: list[Organisation | None]) -> set[int]:
    """Which of these organisations the partnership holds (and so may link to)."""
    ids = [o.id for o in organisations if o is not None]
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Organisation.id).where(Organisation.id.in_(ids), _in_partnership(partnership))
        )
    )


# ---- agencies and contacts ---------------------------------------------------


def agency_named(partnership: Partnership, name: str, other_than: int | None = None) -> Organisation | None:
    """An agency of this partnership with this name, ignoring case and spacing."""
    wanted = " ".join(name.split()).casefold()
    for organisation in db.session.scalars(
        select(Organisation)
        .where(_in_partnership(partnership), Organisation.kind == OrganisationKind.AGENCY)
        .order_by(Organisation.id)
    ):
        if organisation.id != other_than and " ".join(organisation.name.split()).casefold() == wanted:
            return organisation
    return None


def create_agency(partnership: Partnership, name: str, agency_type: str) -> Organisation:
    organisation = add_organisation(
        partnership, OrganisationKind.AGENCY, name, Duty.S11.value, agency_type=agency_type
    )
    db.session.commit()
    return organisation


def update_agency(organisation: Organisation, name: str, agency_type: str) -> None:
    organisation.name = name
    organisation.agency_type = agency_type
    db.session.commit()


def contact_of(organisation: Organisation, contact_id: int) -> Contact | None:
    contact = db.session.get(Contact, contact_id)
    return contact if contact is not None and contact.organisation_id == organisation.id else None


def contact_clash(
    organisation: Organisation, email: str, role: ContactRole, other_than: int | None = None
) -> Contact | None:
    """Another contact of the organisation with this email address in this role."""
    return db.session.scalar(
        select(Contact).where(
            Contact.organisation_id == organisation.id,
            Contact.email == normalise_email(email),
            Contact.role == role,
            Contact.id != (other_than or 0),
        )
    )


def save_contact(
    organisation: Organisation,
    contact: Contact | None,
    name: str,
    email: str,
    role: ContactRole,
    position: str,
) -> Contact:
    """Add a contact (``contact`` None) or change one."""
    if contact is None:
        contact = add_contact(organisation, name, email, role, position)
    else:
        contact.name, contact.email, contact.role, contact.position = (
            name,
            normalise_email(email),
            role,
            position,
        )
    db.session.commit()
    return contact


def remove_contact(contact: Contact) -> None:
    db.session.delete(contact)
    db.session.commit()


def set_type_duty_overrides(partnership: Partnership, overrides: dict[str, str | None]) -> None:
    # A new dict, not an edit in place: the JSON column only notices reassignment.
    partnership.type_duty_overrides = dict(sorted(overrides.items()))
    db.session.commit()


def all_partnerships() -> list[Partnership]:
    return list(db.session.scalars(select(Partnership).order_by(Partnership.slug)))
