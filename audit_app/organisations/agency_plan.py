"""What importing a partnership's ``agencies.csv`` would do to its register.

Pure, like :mod:`.gias_plan`. Agencies have no national identifier, so a row
is matched to a held agency by its name (ignoring case and spacing) within
the partnership: a second import of the same list creates nothing. The lead
contact and the executive lead in the file replace the held contact with the
same email address, or the only one of that role; otherwise they are added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..data.imports import HeldAgency, HeldContact
from ..models import ContactRole
from ..registers.agencies import AGENCY_TYPE_LABELS, Agency, AgencyReadResult, AgencyType
from .summaries import LISTED, Change, FileProblem, file_problems

EXECUTIVE_POSITION = "Executive lead for safeguarding"
_CONTACT_LABELS = {ContactRole.LEAD: "lead contact", ContactRole.ESCALATION: "executive lead"}


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _type_label(value: str | None) -> str:
    try:
        return AGENCY_TYPE_LABELS[AgencyType(value)]
    except ValueError:
        return value or ""


def _person(name: str, email: str) -> str:
    return f"{name} ({email})" if name else email


@dataclass(frozen=True)
class PlannedContact:
    id: int | None  # None: a contact to add
    name: str
    email: str
    role: ContactRole
    position: str = ""


@dataclass
class PlannedAgency:
    name: str
    row: int
    id: int | None = None  # None: a new agency
    agency_type: str | None = None  # set when it is new or changes
    contacts: list[PlannedContact] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def brief(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "row": self.row,
            "name": self.name,
            "agency_type": _type_label(self.agency_type) if self.agency_type else None,
            "changes": [[c.field, c.old, c.new] for c in self.changes],
        }


@dataclass
class AgencyPlan:
    filename: str
    rows_read: int = 0
    new: list[PlannedAgency] = field(default_factory=list)
    updated: list[PlannedAgency] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: list[str] = field(default_factory=list)  # held agencies the file does not list
    errors: list[FileProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        return bool(self.new or self.updated)

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "not_in_file": len(self.not_in_file),
            "errors": len(self.errors),
        }

    def summary(self) -> dict[str, Any]:
        return {
            "file": self.filename,
            "rows_read": self.rows_read,
            "counts": self.counts(),
            "new": [a.brief() for a in self.new[:LISTED]],
            "updated": [a.brief() for a in self.updated[:LISTED]],
            "not_in_file": self.not_in_file[:LISTED],
            "errors": [
                {"file": p.file, "row": p.row, "column": p.column, "message": p.message}
                for p in self.errors[:LISTED]
            ],
            "warnings": self.warnings,
            "listed": LISTED,
        }


def _wanted_contacts(agency: Agency) -> list[PlannedContact]:
    wanted = []
    if agency.lead_contact_email:
        wanted.append(
            PlannedContact(None, agency.lead_contact_name, agency.lead_contact_email, ContactRole.LEAD)
        )
    if agency.executive_lead_email:
        wanted.append(
            PlannedContact(
                None,
                agency.executive_lead_name,
                agency.executive_lead_email,
                ContactRole.ESCALATION,
                EXECUTIVE_POSITION,
            )
        )
    return wanted


def _contact_changes(
    wanted: list[PlannedContact], held: list[HeldContact]
) -> tuple[list[PlannedContact], list[Change]]:
    planned: list[PlannedContact] = []
    changes: list[Change] = []
    for contact in wanted:
        label = _CONTACT_LABELS[contact.role]
        email = contact.email.strip().lower()
        same_role = [h for h in held if h.role is contact.role]
        match = next((h for h in same_role if h.email == email), None)
        if match is None and len(same_role) == 1:
            match = same_role[0]
        if match is None:
            planned.append(PlannedContact(None, contact.name, email, contact.role, contact.position))
            changes.append(Change(label, "", _person(contact.name, email)))
        elif (match.name, match.email) != (contact.name, email):
            planned.append(PlannedContact(match.id, contact.name, email, contact.role))
            changes.append(Change(label, _person(match.name, match.email), _person(contact.name, email)))
    return planned, changes


def plan_agency_import(read: AgencyReadResult, held: list[HeldAgency], *, filename: str) -> AgencyPlan:
    plan = AgencyPlan(filename=filename)
    plan.errors = file_problems(filename, read.errors)
    plan.rows_read = len(read.agencies)
    by_name = {name_key(agency.name): agency for agency in held}
    seen: set[str] = set()
    for agency in read.agencies:
        key = name_key(agency.name)
        seen.add(key)
        wanted = _wanted_contacts(agency)
        if not agency.lead_contact_email:
            plan.warnings.append(
                f"Row {agency.row}: {agency.name} has no lead contact email address, "
                "so nobody there will be invited until you add a contact."
            )
        current = by_name.get(key)
        if current is None:
            planned = PlannedAgency(agency.name, agency.row, None, agency.agency_type.value)
            planned.contacts = [
                PlannedContact(None, c.name, c.email.strip().lower(), c.role, c.position) for c in wanted
            ]
            plan.new.append(planned)
            continue
        planned = PlannedAgency(current.name, agency.row, current.id)
        if current.agency_type != agency.agency_type.value:
            planned.agency_type = agency.agency_type.value
            planned.changes.append(
                Change("agency type", _type_label(current.agency_type), agency.agency_type.label)
            )
        planned.contacts, contact_changes = _contact_changes(wanted, current.contacts)
        planned.changes.extend(contact_changes)
        if planned.changes:
            plan.updated.append(planned)
        else:
            plan.unchanged += 1
    plan.not_in_file = sorted(
        (agency.name for agency in held if name_key(agency.name) not in seen), key=str.casefold
    )
    return plan
