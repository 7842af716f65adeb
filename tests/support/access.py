"""Two partnerships with one of everything an address can name, and the people who use them.

The access tests (the role × route matrix, object-level checks and the POST
fuzz) request every page of the app, so every URL parameter needs a real
object: a return, its evidence file, a reviewer's question, an action, a
contact, a challenge event with a panel member and an agenda item, an outbox
message with the chair's letter, a finished batch job and an import's dry run.

Testshire runs a schools cycle for Abbey Fields (organisation A) and Brookside
(organisation B); Otherton, another partnership on the same installation,
runs its own for Otterbrook. Each organisation's name appears only on pages
about it, so a test can tell from a page's words whose data it shows.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app

from audit_app.data import actions, challenge, evidence, organisations
from audit_app.extensions import db
from audit_app.models import (
    AgendaItem,
    ChallengeEvent,
    ChallengeQuestion,
    ContactRole,
    Job,
    JobStatus,
    MessageStage,
    Organisation,
    OrganisationKind,
    Partnership,
    Return,
    Role,
    User,
    utcnow,
)
from audit_app.organisations import importing
from audit_app.reporting import batches

from . import evidence as files
from .factories import PASSWORD, make_organisation, make_partnership, make_user
from .registers import agencies_file
from .returns import open_test_cycle, return_of
from .review import assign, make_reviewer, send

# The people of the matrix, in the order its table lists them.
ROLES = ("anonymous", "respondent_a", "respondent_b", "reviewer", "admin", "other_admin", "board")


@dataclass
class Side:
    """One organisation's objects: everything an address or a form can name about it."""

    organisation: Organisation
    audit_return: Return
    evidence_id: int
    question_id: int
    action_id: int
    contact_id: int
    item_id: int


@dataclass
class PartnershipObjects:
    """What belongs to the partnership as a whole."""

    partnership: Partnership
    reviewer: User  # assigned every return of the partnership
    cycle_id: int
    event_id: int
    member_id: int
    message_id: int
    job_id: int
    run_id: int
    agency_id: int  # an agency in the register (schools' details come from GIAS and cannot be edited)
    sides: list[Side] = field(default_factory=list)


@dataclass
class World:
    ours: PartnershipObjects  # Testshire: organisations A and B
    theirs: PartnershipObjects  # Otherton: another partnership on the same installation
    users: dict[str, User]

    @property
    def a(self) -> Side:
        return self.ours.sides[0]

    @property
    def b(self) -> Side:
        return self.ours.sides[1]

    @property
    def c(self) -> Side:
        return self.theirs.sides[0]

    def url_values(self, objects: PartnershipObjects | None = None, side: Side | None = None) -> dict:
        """A value for every URL parameter in the app, naming organisation A's objects unless told otherwise."""
        objects = objects or self.ours
        side = side or objects.sides[0]
        return {
            "return_id": side.audit_return.id,
            "section_id": "culture",
            "evidence_id": side.evidence_id,
            "question_id": side.question_id,
            "action_id": side.action_id,
            "organisation_id": side.organisation.id,
            "contact_id": side.contact_id,
            "item_id": side.item_id,
            "cycle_id": objects.cycle_id,
            "event_id": objects.event_id,
            "member_id": objects.member_id,
            "message_id": objects.message_id,
            "job_id": objects.job_id,
            "run_id": objects.run_id,
            "token": "no-such-invitation-or-reset-link",
            "kind": "csv",
        }


def _side(partnership: Partnership, cycle, organisation: Organisation, reviewer: User, event) -> Side:
    audit_return = return_of(organisation, cycle)
    stored = evidence.store_file(
        audit_return,
        "records.register",
        f"{organisation.name} records policy.pdf",
        files.pdf(f"Records policy of {organisation.name}"),
        None,
    )
    send(audit_return)
    assign(audit_return, reviewer)
    question = ChallengeQuestion(
        return_id=audit_return.id,
        section_id="culture",
        question=f"How do pupils at {organisation.name} raise a worry?",
        asked_by_id=reviewer.id,
        asked_at=utcnow(),
    )
    db.session.add(question)
    contact = organisations.add_contact(
        organisation, "Lee Lead", f"lead{organisation.id}@school.example", ContactRole.LEAD
    )
    item = AgendaItem(
        event_id=event.id,
        organisation_id=organisation.id,
        return_id=audit_return.id,
        position=len(event.agenda) + 1,
        selection_reasons=[],
    )
    db.session.add(item)
    db.session.flush()
    action = actions.add_action(
        partnership,
        organisation,
        f"{organisation.name} to review its records policy",
        "Head teacher",
        date.today() + timedelta(days=30),
        section_id="records",
        return_id=audit_return.id,
    )
    db.session.commit()
    return Side(organisation, audit_return, stored.id, question.id, action.id, contact.id, item.id)


def _letter_message(partnership: Partnership, organisation: Organisation, audit_return: Return) -> int:
    from audit_app.data import outbox

    message = outbox.queue_message(
        key=f"letter:{audit_return.id}",
        stage=MessageStage.LETTER,
        to=f"chair{organisation.id}@school.example",
        subject=f"Letter to {organisation.name}",
        body=f"Dear head teacher of {organisation.name}",
        partnership_id=partnership.id,
        return_id=audit_return.id,
    )
    today = date.today()
    message.attachment = {
        "kind": "escalation_letter",
        "partnership": partnership.name,
        "letter_date": today.isoformat(),
        "organisation": organisation.name,
        "address": ["1 High Street", "Testshire"],
        "addressees": [{"name": "Helen Brierley", "position": "Head teacher"}],
        "cycle": "Schools safeguarding audit 2026",
        "reference": audit_return.reference,
        "opened_on": (today - timedelta(days=60)).isoformat(),
        "initial_deadline": (today - timedelta(days=30)).isoformat(),
        "final_deadline": (today - timedelta(days=10)).isoformat(),
        "duty": "s175",
        "progress": "not started",
        "signatory": "Independent Chair",
        "signatory_role": "Independent chair",
        "service_url": "http://audit.test",
        "business_unit_email": "business.unit@example.org",
        "reply_days": 14,
    }
    db.session.commit()
    return message.id


def _finished_batch(partnership: Partnership, event: ChallengeEvent) -> int:
    """The event's briefing packs already made, their zip on disk, ready to download."""
    job = Job(
        partnership_id=partnership.id,
        kind=batches.BRIEFING_PACKS,
        title=f"Briefing packs: {event.title}",
        status=JobStatus.FINISHED,
        done=1,
        total=1,
        parameters={"event_id": event.id, "today": date.today().isoformat()},
        result={"file_name": "briefing-packs.zip", "count": 1},
        created_at=utcnow(),
        finished_at=utcnow(),
    )
    db.session.add(job)
    db.session.commit()
    path = batches.zip_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("briefing-pack.pdf", files.pdf("Briefing pack"))
    return job.id


def _agency_dry_run(partnership: Partnership, agency_name: str) -> int:
    source = agencies_file(f"{agency_name},police,Pat Lead,pat@police.example,,")
    run = importing.dry_run_agency_upload(partnership, importing.RegisterFile(source, "agencies.csv"), None)
    return run.id


def _partnership_objects(name: str, slug: str, schools: list[str], agency: str) -> PartnershipObjects:
    partnership = make_partnership(name, slug=slug)
    school_list = [
        make_organisation(partnership, school, kind=OrganisationKind.SCHOOL, duty="s175")
        for school in schools
    ]
    cycle = open_test_cycle(partnership, school_list)
    reviewer = make_reviewer(partnership, name=f"Reviewer of {name}")
    event = ChallengeEvent(
        partnership_id=partnership.id,
        cycle_id=cycle.id,
        title=f"{name} challenge panel",
        starts_at=utcnow() - timedelta(days=2),
        place="County Hall",
    )
    db.session.add(event)
    db.session.flush()
    member = challenge.add_panel_member(event, None, "Jo Scrutineer", "Independent scrutineer")
    db.session.commit()
    objects = PartnershipObjects(
        partnership=partnership,
        reviewer=reviewer,
        cycle_id=cycle.id,
        event_id=event.id,
        member_id=member.id,
        message_id=0,
        job_id=_finished_batch(partnership, event),
        run_id=_agency_dry_run(partnership, agency),
        agency_id=make_organisation(partnership, f"{name} Youth Justice Service", OrganisationKind.AGENCY).id,
    )
    objects.sides = [_side(partnership, cycle, school, reviewer, event) for school in school_list]
    objects.message_id = _letter_message(partnership, school_list[0], objects.sides[0].audit_return)
    return objects


def build_world(tmp_path) -> World:
    current_app.config["IMPORTS_DIR"] = str(tmp_path / "imports")
    ours = _partnership_objects(
        "Testshire Safeguarding Children Partnership",
        "testshire",
        ["Abbey Fields Primary School", "Brookside Primary School"],
        "Testshire Constabulary",
    )
    theirs = _partnership_objects(
        "Otherton Safeguarding Children Partnership",
        "otherton",
        ["Otterbrook Primary School"],
        "Otherton Constabulary",
    )
    partnership = ours.partnership
    users = {
        "respondent_a": make_user(Role.RESPONDENT, partnership, ours.sides[0].organisation, name="Ann Abbey"),
        "respondent_b": make_user(Role.RESPONDENT, partnership, ours.sides[1].organisation, name="Bea Brook"),
        "reviewer": ours.reviewer,
        "admin": make_user(Role.ADMIN, partnership, name="Ada Admin"),
        "other_admin": make_user(Role.ADMIN, theirs.partnership, name="Oli Other"),
        "board": make_user(Role.BOARD_VIEWER, partnership, name="Bo Board"),
    }
    return World(ours, theirs, users)


def sign_in_as(client, world: World, role: str) -> None:
    """Sign in as a person would, completing the authenticator step for admins and reviewers."""
    if role != "anonymous":
        client.sign_in(world.users[role].email, PASSWORD)
