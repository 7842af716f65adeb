from datetime import date

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from audit_app.demo.seed import DEMO_PASSWORD
from audit_app.extensions import db
from audit_app.models import (
    AuditCycle,
    CycleStatus,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Return,
    ReturnStatus,
    Role,
    RoleGrant,
    User,
)

from ..support.client import soup

TODAY = date(2026, 11, 21)


def seed(runner):
    result = runner.invoke(args=["demo", "seed", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_demo_has_a_believable_register(runner):
    output = seed(runner)
    assert "Seeded Demoshire Safeguarding Children Partnership" in output
    open_ = Organisation.status == OrganisationStatus.OPEN
    education = count(Organisation, open_, Organisation.kind != OrganisationKind.AGENCY)
    agencies = count(Organisation, open_, Organisation.kind == OrganisationKind.AGENCY)
    assert 35 <= education <= 45
    assert 12 <= agencies <= 18
    duties = set(db.session.scalars(select(Organisation.duty).where(open_)))
    assert duties == {"s11", "s175", "s157", "nmss", "fe"}
    # cp1252 names from the GIAS sample arrive intact.
    names = set(db.session.scalars(select(Organisation.name)))
    assert any("’" in name for name in names)
    # An academy conversion: the closed school points at its successor.
    closed = db.session.scalars(select(Organisation).where(Organisation.successor_id.is_not(None))).all()
    assert closed and all(o.status is OrganisationStatus.CLOSED for o in closed)


def test_demo_cycles_hold_returns_in_every_state(runner):
    seed(runner)
    cycles = db.session.scalars(select(AuditCycle).order_by(AuditCycle.id)).all()
    assert [c.status for c in cycles] == [CycleStatus.OPEN, CycleStatus.OPEN]
    s11, _schools = cycles
    assert s11.initial_deadline < TODAY < s11.final_deadline  # so some S11 returns are overdue
    statuses = set(db.session.scalars(select(Return.status)))
    assert {
        ReturnStatus.NOT_STARTED,
        ReturnStatus.IN_PROGRESS,
        ReturnStatus.SUBMITTED,
        ReturnStatus.ACCEPTED,
    } <= statuses
    overdue = count(
        Return,
        Return.cycle_id == s11.id,
        Return.status.in_([ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS]),
    )
    assert overdue > 0
    submitted = db.session.scalars(select(Return).where(Return.status == ReturnStatus.SUBMITTED)).all()
    assert all(r.score and r.score["overall"] for r in submitted)
    assert all(r.submitted_at.date() <= TODAY for r in submitted)


def test_every_role_has_a_demo_account_that_signs_in(runner, client):
    seed(runner)
    roles = set(db.session.scalars(select(RoleGrant.role)))
    assert roles == set(Role)
    for user in db.session.scalars(select(User).order_by(User.id)).all():
        client.sign_in(user.email, DEMO_PASSWORD)
        home = client.get(client.get("/").headers["Location"])
        assert home.status_code == 200
        client.sign_out()


def test_seeding_again_when_not_empty_changes_nothing(runner):
    seed(runner)
    before = count(Organisation)
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert "not seeded again" in result.output
    assert count(Organisation) == before


def test_sign_ins_command_lists_each_demo_account(runner):
    seed(runner)
    output = runner.invoke(args=["demo", "sign-ins"]).output
    assert DEMO_PASSWORD in output
    for email in db.session.scalars(select(User.email)):
        assert email in output


def test_demo_business_unit_home_shows_both_cycles(runner, client):
    seed(runner)
    client.sign_in("manager@demoshire-partnership.example", DEMO_PASSWORD)
    page = soup(client.get("/business-unit"))
    headings = [h.get_text(strip=True) for h in page.select("h2.govuk-heading-m")]
    assert headings == ["Schools and colleges safeguarding audit 2026", "Section 11 audit 2026"]


def form_as_shown(page) -> list[tuple[str, str]]:
    """What a browser would send for the page's form unchanged (without its buttons or files)."""
    form = page.select_one("main form[method=post]")
    pairs = []
    for field in form.select("input[name], textarea[name], select[name]"):
        kind = field.get("type", "text")
        if field.name == "textarea":
            pairs.append((field["name"], field.get_text().removeprefix("\n")))
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            pairs.append((field["name"], chosen["value"] if chosen else ""))
        elif kind in ("radio", "checkbox"):
            if field.has_attr("checked"):
                pairs.append((field["name"], field.get("value", "on")))
        elif kind not in ("submit", "file", "button"):
            pairs.append((field["name"], field.get("value", "")))
    return pairs


def test_a_demo_respondent_can_save_each_page_of_their_return_as_seeded(runner, client):
    seed(runner)
    client.sign_in("dsl@abbey-fields-community-primary-school.example", DEMO_PASSWORD)
    audit_return = db.session.scalars(
        select(Return).join(Organisation).where(Organisation.name == "Abbey Fields Community Primary School")
    ).one()
    task_list = soup(client.get(f"/returns/{audit_return.id}"))
    links = [link["href"] for link in task_list.select(".govuk-task-list__link")]
    sections = [href for href in links if "/sections/" in href]
    assert len(sections) > 5
    for href in sections:
        page = soup(client.get(href))
        response = client.post(
            href, data=MultiDict([*form_as_shown(page), ("later", "Save and come back later")])
        )
        problems = soup(response).select(".govuk-error-summary li") if response.status_code == 200 else []
        assert response.status_code == 302, (href, [p.get_text(strip=True) for p in problems])
