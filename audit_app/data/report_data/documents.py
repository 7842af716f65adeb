"""Reports about one organisation: the challenge panel's briefing pack, the feedback
letter to an agency, and the automatic feedback to a school or college."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

from sqlalchemy import select

import scoring
from reports import data as rd

from ...extensions import db
from ...models import (
    AgendaItem,
    AuditCycle,
    ChallengeEvent,
    Contact,
    ContactRole,
    Evidence,
    Organisation,
    OrganisationKind,
    Partnership,
    Return,
    ReturnFeedback,
    ReturnStatus,
    Role,
    RoleGrant,
    User,
)
from ...returns.answer_words import answer_words
from .agreed import action_line, actions_for_return, earlier_actions, titles_of
from .common import (
    RETURN_STATUS,
    Rated,
    cycle_ref,
    cycle_returns,
    organisation_ref,
    partnership_ref,
    rated,
    rating_ref,
    scale_of,
    sector_of,
    uk_day,
)
from .cycle import lines_of

CONTACT_WORDS = {ContactRole.LEAD: "Safeguarding lead", ContactRole.ESCALATION: "Escalation contact"}


def _contact(contact: Contact) -> rd.Contact:
    return rd.Contact(contact.name, contact.position or CONTACT_WORDS[contact.role], contact.email)


def _evidence(entry: Rated) -> tuple[rd.EvidenceItem, ...]:
    """The return's evidence in questionnaire order, oldest first under each question."""
    rows = db.session.scalars(
        select(Evidence)
        .where(Evidence.return_id == entry.audit_return.id)
        .order_by(Evidence.uploaded_at, Evidence.id)
    )
    order = {question.id: n for n, question in enumerate(entry.questionnaire.questions())}
    items = []
    for row in sorted(rows, key=lambda row: order.get(row.question_id, len(order))):
        try:
            question = entry.questionnaire.question(row.question_id).text
        except KeyError:
            question = ""
        name = row.original_filename or row.description or row.url or "Evidence with no name"
        items.append(rd.EvidenceItem(row.question_id, question, name, row.url or None, row.inadequate_reason))
    return tuple(items)


def briefing_pack(
    partnership: Partnership, audit_return: Return, today: date, panel_on: date | None = None
) -> rd.BriefingPack:
    """What the challenge panel reads about the return's organisation before the event."""
    entry = rated(audit_return)
    before, earlier = earlier_actions(partnership, audit_return)
    earlier_titles = titles_of(entry.questionnaire)
    progress = entry.progress()
    return rd.BriefingPack(
        partnership=partnership_ref(partnership),
        organisation=organisation_ref(entry.organisation),
        cycle=cycle_ref(audit_return.cycle),
        prepared_on=today,
        status=RETURN_STATUS[audit_return.status],
        submitted_on=uk_day(audit_return.submitted_at),
        answered=progress.answered,
        required=progress.required,
        overall=entry.overall(),
        standards=entry.standard_results(),
        contacts=tuple(_contact(contact) for contact in entry.organisation.contacts),
        flags=tuple(
            rd.FlagLine(flag.code.value, flag.reason, scoring.FLAG_LABELS[flag.code])
            for flag in entry.flags(today)
        ),
        evidence=_evidence(entry),
        previous_actions=tuple(action_line(action, earlier_titles) for action in earlier),
        previous_cycle=before.name if before is not None else None,
        panel_on=panel_on,
    )


def _addressee(organisation: Organisation) -> rd.Addressee:
    """The accountable person where the register names one, else the safeguarding lead."""
    address = tuple(part for part in (organisation.street, organisation.town, organisation.postcode) if part)
    for role in (ContactRole.ESCALATION, ContactRole.LEAD):
        contact = next((c for c in organisation.contacts if c.role is role), None)
        if contact is not None:
            return rd.Addressee(contact.name, contact.position or CONTACT_WORDS[role], address)
    return rd.Addressee("The safeguarding lead", "Safeguarding lead", address)


def business_manager(partnership: Partnership, user: User | None) -> str:
    """Who signs as business manager: the person producing the letter if they are one of
    the partnership's business unit admins, else its longest-standing admin."""
    admins = list(
        db.session.scalars(
            select(User)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.partnership_id == partnership.id, RoleGrant.role == Role.ADMIN)
            .order_by(RoleGrant.id)
        )
    )
    if user is not None and user.id in {admin.id for admin in admins}:
        return user.name
    return admins[0].name if admins else "The business manager"


def signatory_for(partnership: Partnership, manager: str) -> rd.Signatory:
    """The independent chair ("Name, role" as the partnership records it), or else the
    business manager named by the caller."""
    name, _, role = (partnership.independent_chair or "").partition(",")
    if name.strip():
        role = role.strip()
        return rd.Signatory(name.strip(), role[:1].upper() + role[1:] if role else "Independent chair")
    return rd.Signatory(manager, "Partnership business manager")


def _event_day(audit_return: Return, today: date) -> date | None:
    """The day of the latest challenge event of the cycle, already held, that had the organisation on its agenda."""
    starts = db.session.scalars(
        select(ChallengeEvent.starts_at)
        .join(AgendaItem, AgendaItem.event_id == ChallengeEvent.id)
        .where(
            ChallengeEvent.cycle_id == audit_return.cycle_id,
            AgendaItem.organisation_id == audit_return.organisation_id,
        )
        .order_by(ChallengeEvent.starts_at.desc())
    )
    return next((day for day in map(uk_day, starts) if day <= today), None)


def feedback_letter(
    partnership: Partnership, audit_return: Return, today: date, user: User | None = None
) -> rd.FeedbackLetter:
    """The letter to an organisation after moderation and the challenge event."""
    entry = rated(audit_return)
    feedback = db.session.scalar(select(ReturnFeedback).where(ReturnFeedback.return_id == audit_return.id))
    titles = titles_of(entry.questionnaire)
    return rd.FeedbackLetter(
        partnership=partnership_ref(partnership),
        organisation=organisation_ref(entry.organisation),
        cycle=cycle_ref(audit_return.cycle),
        letter_date=today,
        addressee=_addressee(entry.organisation),
        scale=scale_of(entry.questionnaire),
        standards=entry.standard_results(),
        strengths=lines_of(feedback.strengths) if feedback else (),
        developments=lines_of(feedback.areas_for_development) if feedback else (),
        actions=tuple(
            action_line(action, titles) for action in actions_for_return(partnership, audit_return)
        ),
        signatory=signatory_for(partnership, business_manager(partnership, user)),
        challenge_event_on=_event_day(audit_return, today),
    )


# ---- automatic feedback to schools and colleges ---------------------------------------------


def feedback_ready(audit_return: Return) -> bool:
    """A school's or college's feedback exists once the partnership has accepted its scored return."""
    return (
        audit_return.status is ReturnStatus.ACCEPTED
        and audit_return.score is not None
        and audit_return.organisation.kind is not OrganisationKind.AGENCY
    )


# Counts of final ratings by colour: (sector, section id) → Counter of colours, per return.
_Tally = dict[tuple[str, str], Counter]


def _colours(entry: Rated) -> dict[str, str]:
    """Section id → colour of the final rating, for each rated standard of a return."""
    score = entry.score
    found = {}
    for standard in score.standards if score else ():
        rating = rating_ref(entry.questionnaire, standard.final_rating)
        if rating is not None and standard.status is scoring.StandardStatus.RATED:
            found[standard.section_id] = rating.colour
    return found


def _comparison_words(sector: str) -> str:
    return f"other {sector[:1].lower() + sector[1:]} settings in this audit whose returns have been accepted"


def _school_feedback(
    partnership: Partnership, entry: Rated, peers: _Tally, own: dict[str, str], today: date
) -> rd.SchoolFeedback:
    sector = sector_of(entry.organisation)
    score = entry.score
    questionnaire = entry.questionnaire
    sections = []
    for standard in score.standards:
        section = questionnaire.section(standard.section_id)
        counts = Counter(peers.get((sector, section.id), Counter()))
        if section.id in own:
            counts[own[section.id]] -= 1  # the setting itself is no peer of its own
        sections.append(
            rd.SectionFeedback(
                section.id,
                section.title,
                rating_ref(questionnaire, standard.final_rating),
                rd.PeerComparison(counts["green"], counts["amber"], counts["red"]),
                not_applicable=standard.status is scoring.StandardStatus.NOT_APPLICABLE,
            )
        )
    answers = {row.question_id: row for row in entry.audit_return.answers}
    questions = []
    for section in questionnaire.sections:
        for question in section.questions:
            if question.id not in score.question_scores or question.id not in answers:
                continue
            words = answer_words(question, questionnaire, answers[question.id].value)
            questions.append(
                rd.QuestionOutcome(
                    section.title, question.id, question.text, words, score.question_scores[question.id]
                )
            )
    return rd.SchoolFeedback(
        partnership=partnership_ref(partnership),
        organisation=organisation_ref(entry.organisation),
        cycle=cycle_ref(entry.audit_return.cycle),
        accepted_on=uk_day(entry.audit_return.accepted_at) or today,
        issued_on=today,
        overall=entry.overall(),
        sections=tuple(sections),
        questions=tuple(questions),
        comparison_group=_comparison_words(sector),
    )


def _accepted_settings(partnership: Partnership, cycle: AuditCycle) -> tuple[list[Rated], _Tally]:
    """The cycle's schools and colleges with feedback ready, and their ratings tallied by sector."""
    ready = [entry for entry in cycle_returns(partnership, cycle) if feedback_ready(entry.audit_return)]
    tally: _Tally = {}
    for entry in ready:
        sector = sector_of(entry.organisation)
        for section_id, colour in _colours(entry).items():
            tally.setdefault((sector, section_id), Counter())[colour] += 1
    return ready, tally


def school_feedback(partnership: Partnership, audit_return: Return, today: date) -> rd.SchoolFeedback:
    """Feedback for one accepted school or college; ValueError if it is not ready."""
    if not feedback_ready(audit_return):
        raise ValueError("feedback is made once a school's or college's return is accepted")
    ready, tally = _accepted_settings(partnership, audit_return.cycle)
    entry = next(e for e in ready if e.audit_return.id == audit_return.id)
    return _school_feedback(partnership, entry, tally, _colours(entry), today)


def schools_with_feedback(partnership: Partnership, cycle: AuditCycle) -> int:
    return len(_accepted_settings(partnership, cycle)[0])


def every_school_feedback(
    partnership: Partnership, cycle: AuditCycle, today: date
) -> Iterator[tuple[Organisation, rd.SchoolFeedback, int]]:
    """Feedback for each accepted school and college of the cycle, with how many there are
    in all; the comparison groups are counted once for the whole batch."""
    ready, tally = _accepted_settings(partnership, cycle)
    for entry in ready:
        yield (
            entry.organisation,
            _school_feedback(partnership, entry, tally, _colours(entry), today),
            len(ready),
        )
