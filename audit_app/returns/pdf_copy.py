"""A return as reports.return_copy's plain data, for the PDF copy the organisation keeps."""

from __future__ import annotations

from reports.return_copy import AnswerLine, ReturnCopy, SectionCopy, SignOffLine
from scoring.definitions.model import QuestionType

from ..data.returns import ReturnView
from .answer_words import answer_words
from .forms import evidence_name


def return_copy(view: ReturnView, partnership_name: str) -> ReturnCopy:
    audit_return = view.audit_return
    organisation = audit_return.organisation
    questionnaire = view.questionnaire
    sections = []
    for section in view.applicable_sections:
        lines = []
        self_rating = None
        for question in view.shown_questions(section):
            answer = view.answers.get(question.id)
            value = answer.value if answer is not None else None
            words = answer_words(question, questionnaire, value)
            if question.type is QuestionType.SELF_RATING:
                self_rating = words or None
            lines.append(
                AnswerLine(
                    question_id=question.id,
                    text=question.text,
                    answer=words,
                    not_applicable_reason=answer.na_reason if answer is not None else None,
                    evidence=[evidence_name(item) for item in view.evidence.get(question.id, [])],
                    references=list(question.references),
                )
            )
        sections.append(SectionCopy(title=section.title, self_rating=self_rating, questions=lines))
    details = [
        (label, str(value))
        for label, value in (
            ("URN", organisation.urn),
            ("UKPRN", organisation.ukprn),
            ("Type", organisation.type_name),
            ("Local authority", organisation.la_name),
        )
        if value
    ]
    return ReturnCopy(
        partnership_name=partnership_name,
        organisation_name=organisation.name,
        organisation_details=details,
        cycle_name=audit_return.cycle.name,
        questionnaire_title=questionnaire.title,
        questionnaire_version=questionnaire.version,
        reference=audit_return.reference,
        status=audit_return.status.label,
        submitted_at=audit_return.submitted_at,
        declaration=questionnaire.declaration,
        sign_offs=[
            SignOffLine(
                role=role.label,
                name=view.sign_offs[role.id].name if role.id in view.sign_offs else "",
                position=view.sign_offs[role.id].position if role.id in view.sign_offs else "",
                signed_on=view.sign_offs[role.id].signed_on if role.id in view.sign_offs else None,
            )
            for role in view.sign_off_roles
        ],
        sections=sections,
    )
