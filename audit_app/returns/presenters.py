"""How a return's answers, sections and questions are put on the page."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup, escape

from scoring.definitions.model import Question, Questionnaire, QuestionType, Section

from ..data.returns import ReturnView
from ..models import Answer, Evidence, EvidenceKind
from ..presenters import format_date
from .answer_words import answer_words
from .forms import (
    evidence_name,
)

STATUS_TAGS = {
    "not_started": {"text": "Not started", "classes": "govuk-tag--blue"},
    "in_progress": {"text": "In progress", "classes": "govuk-tag--light-blue"},
}
FROM_LAST_YEAR = "From last year – check and confirm"


def section_status(view: ReturnView, section: Section) -> dict:
    """The task list's status for a section: completed is plain text, the others tags."""
    status = view.section_status(section)
    if status == "completed":
        return {"text": "Completed"}
    return {"tag": STATUS_TAGS[status]}


def task_list_items(view: ReturnView) -> list[dict]:
    items = []
    for section in view.applicable_sections:
        item = {
            "title": {"text": section.title},
            "href": url_for("returns.section", return_id=view.audit_return.id, section_id=section.id),
            "status": section_status(view, section),
        }
        if view.editable and view.unconfirmed(section):
            item["hint"] = {"text": "Answers from last year to check and confirm"}
        elif view.editable and view.section_status(section) == "in_progress" and view.missing(section):
            count = len(view.missing(section))
            item["hint"] = {"text": f"{count} question{'s' if count != 1 else ''} still to answer"}
        items.append(item)
    return items


def send_items(view: ReturnView) -> list[dict]:
    ready = view.ready_to_send
    return [
        {
            "title": {"text": "Check your answers and send the return"},
            "href": url_for("returns.check", return_id=view.audit_return.id),
            "status": {"tag": {"text": "Ready to send", "classes": "govuk-tag--blue"}}
            if ready
            else {"text": "Cannot send yet", "classes": "govuk-task-list__status--cannot-start-yet"},
        }
    ]


# ---- showing answers -----------------------------------------------------


def _lines(text: str) -> Markup:
    return Markup("<br>").join(escape(line) for line in text.splitlines())


def value_html(
    question: Question, questionnaire: Questionnaire, value: object, na_reason: str | None
) -> Markup:
    """An answer as a person reads it: the same words as in the PDF copy."""
    if na_reason is not None:
        return Markup("Not applicable: ") + _lines(na_reason)
    if value in (None, "", []):
        return Markup("Not answered")
    if question.type is QuestionType.MULTIPLE_CHOICE and isinstance(value, list) and len(value) > 1:
        items = Markup("").join(
            Markup("<li>{}</li>").format(answer_words(question, questionnaire, [item])) for item in value
        )
        return Markup('<ul class="govuk-list govuk-list--bullet">{}</ul>').format(items)
    return _lines(answer_words(question, questionnaire, value))


def answer_html(question: Question, questionnaire: Questionnaire, answer: Answer | None) -> Markup:
    if answer is None:
        return Markup("Not answered")
    return value_html(question, questionnaire, answer.value, answer.na_reason)


def evidence_html(items: list[Evidence]) -> Markup:
    if not items:
        return Markup("")
    lines = []
    for item in items:
        if item.kind is EvidenceKind.FILE:
            link = url_for("evidence.download", evidence_id=item.id)
            lines.append(
                Markup('<li><a class="govuk-link" href="{}">{}</a></li>').format(link, evidence_name(item))
            )
        elif item.url:
            lines.append(
                Markup('<li><a class="govuk-link" href="{}" rel="noreferrer noopener">{}</a></li>').format(
                    item.url, item.url
                )
            )
        else:
            lines.append(Markup("<li>{}</li>").format(item.description))
    return Markup(
        '<p class="govuk-body govuk-!-margin-bottom-1 govuk-!-margin-top-2">Evidence:</p><ul class="govuk-list">{}</ul>'
    ).format(Markup("").join(lines))


def summary_rows(view: ReturnView, section: Section, change: bool) -> list[dict]:
    """One summary list row per question shown, with a change link while the return is open."""
    rows = []
    for question in view.shown_questions(section):
        answer = view.answers.get(question.id)
        value = answer_html(question, view.questionnaire, answer)
        if question.id in view.answers and view.answers[question.id].copied_forward and view.editable:
            value = (
                Markup('<strong class="govuk-tag govuk-tag--yellow">{}</strong><br>').format(FROM_LAST_YEAR)
                + value
            )
        value += evidence_html(view.evidence.get(question.id, []))
        row = {"key": {"text": question.text}, "value": {"html": value}}
        if change:
            href = (
                url_for("returns.section", return_id=view.audit_return.id, section_id=section.id)
                + f"#question-{question.id}"
            )
            row["actions"] = {
                "items": [{"href": href, "text": "Change", "visuallyHiddenText": question.text}]
            }
        rows.append(row)
    return rows


def conflict_rows(view: ReturnView, section: Section, yours) -> list[list[dict]]:
    """Rows for the table comparing the saved answers with the ones just sent."""
    rows = []
    for question in view.applicable_questions(section):
        in_theirs = question.id in view.visible
        in_yours = question.id in yours.shown
        if not (in_theirs or in_yours):
            continue
        saved = view.answers.get(question.id)
        theirs = answer_html(question, view.questionnaire, saved) if in_theirs else Markup("Not asked")
        problems = [
            message
            for name, messages in yours.errors.items()
            if name.split("--", 1)[0] == question.id
            for message in messages
        ]
        given = yours.submission.answers.get(question.id)
        if problems:
            mine = Markup("Could not be read: {}").format("; ".join(problems))
        elif not in_yours:
            mine = Markup("Not asked")
        elif given is None or given.blank:
            mine = Markup("Not answered")
        else:
            mine = value_html(question, view.questionnaire, given.value, given.na_reason)
        different = theirs != mine
        label = escape(question.text)
        if different:
            label += Markup(
                '<br><strong class="govuk-tag govuk-tag--yellow govuk-!-margin-top-1">Different</strong>'
            )
        rows.append([{"html": label}, {"html": theirs}, {"html": mine}])
    return rows


@dataclass(frozen=True)
class Outstanding:
    text: str
    href: str


def outstanding(view: ReturnView) -> list[Outstanding]:
    """What still stops the return being sent, each with a link to where to put it right."""
    items = []
    for section in view.applicable_sections:
        href = url_for("returns.section", return_id=view.audit_return.id, section_id=section.id)
        missing = view.missing(section)
        if missing:
            count = len(missing)
            items.append(
                Outstanding(
                    f"{section.title}: {count} question{'s' if count != 1 else ''} not answered", href
                )
            )
        unconfirmed = view.unconfirmed(section)
        if unconfirmed:
            count = len(unconfirmed)
            items.append(
                Outstanding(
                    f"{section.title}: {count} answer{'s' if count != 1 else ''} from last year to check and confirm",
                    href,
                )
            )
    declaration = url_for("returns.declaration", return_id=view.audit_return.id)
    for role in view.missing_signatures:
        items.append(Outstanding(f"Declaration: not yet signed by the {role.label.lower()}", declaration))
    return items


def evidence_expected(view: ReturnView) -> list[Outstanding]:
    """Answers the questionnaire asks evidence for that have none, each linked to its page."""
    items = []
    for section in view.applicable_sections:
        href = url_for("returns.section", return_id=view.audit_return.id, section_id=section.id)
        for question in view.evidence_expected(section):
            items.append(Outstanding(f"{section.title}: {question.text}", f"{href}#question-{question.id}"))
    return items


def sign_off_rows(view: ReturnView) -> list[dict]:
    rows = []
    for role in view.sign_off_roles:
        signature = view.sign_offs.get(role.id)
        if signature is None:
            value = Markup("Not signed yet")
        else:
            value = Markup("{}<br>{}<br>Signed {}").format(
                signature.name, signature.position, format_date(signature.signed_on)
            )
        rows.append({"key": {"text": role.label}, "value": {"html": value}})
    return rows
