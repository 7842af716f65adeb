"""Small factories that say only what matters to a test."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from audit_app.data import cycles, organisations, people
from audit_app.extensions import db
from audit_app.models import (
    AuditCycle,
    Organisation,
    OrganisationKind,
    Partnership,
    QuestionnaireVersion,
    Return,
    ReturnStatus,
    Role,
    User,
    utcnow,
)

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_partnership(name: str = "Testshire Safeguarding Children Partnership", **fields) -> Partnership:
    n = next(_counter)
    partnership = Partnership(
        name=name, slug=fields.pop("slug", f"p{n}"), la_codes=fields.pop("la_codes", ["990"]), **fields
    )
    db.session.add(partnership)
    db.session.flush()
    return partnership


def make_organisation(
    partnership: Partnership,
    name: str | None = None,
    kind: OrganisationKind = OrganisationKind.SCHOOL,
    duty: str | None = None,
    **details,
) -> Organisation:
    n = next(_counter)
    duty = duty or {"school": "s175", "college": "fe", "agency": "s11"}[kind.value]
    if kind is not OrganisationKind.AGENCY and "urn" not in details:
        details["urn"] = 100000 + n
    return organisations.add_organisation(partnership, kind, name or f"Organisation {n}", duty, **details)


def make_user(
    role: Role | None = None,
    partnership: Partnership | None = None,
    organisation: Organisation | None = None,
    email: str | None = None,
    name: str = "Alex Example",
    password: str = PASSWORD,
) -> User:
    user = people.create_user(email or f"user{next(_counter)}@example.org", name, password)
    if role is not None:
        people.grant_role(user, role, partnership, organisation_id=organisation.id if organisation else None)
    db.session.commit()
    return user


def make_questionnaire_version(
    key: str = "test-questionnaire", text: str = "id: test"
) -> QuestionnaireVersion:
    n = next(_counter)
    version = QuestionnaireVersion(
        questionnaire_key=key,
        version=f"{n}",
        title="Test questionnaire",
        source_name="test.yaml",
        source_text=text + f"\n# {n}",
        content_hash=f"{n:064d}",
        created_at=utcnow(),
    )
    db.session.add(version)
    db.session.flush()
    return version


def make_cycle(
    partnership: Partnership,
    organisations_: list[Organisation],
    name: str = "Section 11 audit 2026",
    initial_deadline: date | None = None,
    duties: tuple[str, ...] = ("s11", "s175", "s157", "fe"),
) -> AuditCycle:
    today = date.today()
    initial = initial_deadline or today + timedelta(days=14)
    version = make_questionnaire_version()
    cycle = cycles.create_cycle(
        partnership,
        name,
        opens_on=min(today, initial) - timedelta(days=30),
        initial_deadline=initial,
        final_deadline=initial + timedelta(days=28),
        questionnaires=dict.fromkeys(duties, version),
    )
    cycles.open_cycle(cycle, organisations_, {duty: ["standard-1"] for duty in duties})
    db.session.commit()
    return cycle


def set_status(audit_return: Return, status: ReturnStatus, submitted_on: date | None = None) -> Return:
    audit_return.status = status
    if status.is_returned:
        moment = (
            utcnow()
            if submitted_on is None
            else utcnow().replace(year=submitted_on.year, month=submitted_on.month, day=submitted_on.day)
        )
        audit_return.submitted_at = moment
    db.session.commit()
    return audit_return
