"""Cycles to run in the tests: organisations with contacts, cycles on the shipped questionnaires,
and the business unit's admin signed in."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from audit_app.data import cycles, organisations
from audit_app.data.chasing import Schedule
from audit_app.data.scores import questionnaire_of
from audit_app.extensions import db
from audit_app.models import (
    AuditCycle,
    ContactRole,
    Organisation,
    OrganisationKind,
    Partnership,
    QuestionnaireVersion,
    Return,
    ReturnStatus,
    Role,
    utcnow,
)
from scoring.definitions import load_questionnaire

from .factories import PASSWORD, make_organisation, make_user

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"
FILES = {
    "s11": "s11-8-standards-2025.1.yaml",
    "schools": "s175-s157-schools-2025.1.yaml",
    "fe": "fe-colleges-2025.1.yaml",
}


def shipped_version(which: str) -> QuestionnaireVersion:
    path = QUESTIONNAIRES / FILES[which]
    return cycles.store_questionnaire(load_questionnaire(path), path.read_text(encoding="utf-8"), path.name)


def organisation_with_contacts(
    partnership: Partnership,
    name: str,
    kind: OrganisationKind = OrganisationKind.AGENCY,
    lead: str | None = "lead",
    escalation: tuple[str, ...] = ("head",),
    **details,
) -> Organisation:
    """An organisation whose contacts have addresses made from its name: lead@…, head@…"""
    organisation = make_organisation(partnership, name, kind, **details)
    domain = "".join(c for c in name.lower() if c.isalnum()) + ".example"
    if lead:
        organisations.add_contact(organisation, f"{lead.title()} Lead", f"{lead}@{domain}", ContactRole.LEAD)
    for who in escalation:
        organisations.add_contact(
            organisation,
            f"{who.title()} Person",
            f"{who}@{domain}",
            ContactRole.ESCALATION,
            position="Head teacher",
        )
    db.session.commit()
    return organisation


def open_s11_cycle(
    partnership: Partnership,
    agencies: list[Organisation],
    opens_on: date,
    initial_deadline: date,
    final_deadline: date,
    schedule: Schedule | None = None,
    name: str = "Section 11 audit 2026",
    joint_with: list[Partnership] = (),
) -> AuditCycle:
    """An open Section 11 cycle on the shipped eight-standards questionnaire (no messages sent)."""
    version = shipped_version("s11")
    cycle = cycles.create_cycle(
        partnership,
        name,
        opens_on=opens_on,
        initial_deadline=initial_deadline,
        final_deadline=final_deadline,
        questionnaires={"s11": version},
        audience={"kinds": ["agency"]},
        joint_with=list(joint_with),
        reminder_schedule=(schedule or Schedule()).to_dict(),
    )
    sections = [section.id for section in questionnaire_of(version).sections]
    cycles.open_cycle(cycle, agencies, {"s11": sections})
    db.session.commit()
    return cycle


def return_of(cycle: AuditCycle, organisation: Organisation) -> Return:
    return db.session.scalar(
        db.select(Return).where(Return.cycle_id == cycle.id, Return.organisation_id == organisation.id)
    )


def submit(audit_return: Return, on: date) -> Return:
    """Mark a return submitted on a day (the return journey's own work is not needed here)."""
    moment = utcnow().replace(year=on.year, month=on.month, day=on.day, hour=12, minute=0)
    audit_return.started_at = moment - timedelta(days=1)
    audit_return.submitted_at = moment
    audit_return.status = ReturnStatus.SUBMITTED
    db.session.commit()
    return audit_return


def start(audit_return: Return, on: date) -> Return:
    audit_return.started_at = utcnow().replace(year=on.year, month=on.month, day=on.day, hour=9)
    audit_return.status = ReturnStatus.IN_PROGRESS
    db.session.commit()
    return audit_return


def signed_in_admin(client, partnership: Partnership, email: str | None = None):
    admin = make_user(Role.ADMIN, partnership, email=email)
    client.sign_in(admin.email, PASSWORD)
    return admin


def date_fields(name: str, day: date | None) -> dict[str, list[str]]:
    """The three inputs of a GOV.UK date field, as a browser posts them."""
    if day is None:
        return {name: ["", "", ""]}
    return {name: [str(day.day), str(day.month), str(day.year)]}
