"""A section page's questions as its template puts them on the page: one block per question."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup, escape

from scoring.definitions.model import Question, QuestionType, Section

from ..data.returns import ReturnView
from ..evidence.checks import DEFAULT_MAX_BYTES, too_big_message
from ..models import Evidence, EvidenceKind
from .forms import FILE, NA, NA_REASON, NAME, NOTE, REMOVE, TRAINED_ON, na_value, takes_evidence
from .presenters import FROM_LAST_YEAR


def hint_html(question: Question) -> Markup | None:
    parts = []
    if question.hint:
        parts.append(escape(question.hint))
    if question.references:
        parts.append(
            Markup(
                '<span class="govuk-!-display-block govuk-!-margin-top-1">Statutory references: {}</span>'
            ).format("; ".join(question.references))
        )
    return Markup("").join(parts) if parts else None


def _show_if(view: ReturnView, question: Question, on_page: set[str]) -> str | None:
    """The question's condition for the live reveal: conditions on questions of other
    pages are settled here, from the saved answers."""
    if question.show_if is None:
        return None
    conditions = []
    for condition in question.show_if.conditions:
        if condition.question in on_page:
            conditions.append({"question": condition.question, "values": list(condition.values)})
            continue
        answer = view.answers.get(condition.question)
        chosen = answer.value if answer is not None else None
        chosen = set(chosen) if isinstance(chosen, list) else {chosen}
        holds = condition.question in view.visible and bool(chosen & set(condition.values))
        conditions.append({"holds": holds})
    return json.dumps({"mode": question.show_if.mode, "conditions": conditions})


@dataclass
class QuestionBlock:
    """One question on a section page, with what its template needs."""

    question: Question
    number: int  # its place among the section's questions for the duty, as errors name it
    shown: bool
    show_if: str | None
    copied: bool
    hint: Markup | None
    evidence: list[Evidence]

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def text(self) -> str:
        return f"{self.number}. {self.question.text}"

    @property
    def kind(self) -> str:
        if self.question.type is QuestionType.MULTIPLE_CHOICE:
            return "checkboxes"
        if self.question.type is QuestionType.PERSON:
            return "person"
        if self.question.type is QuestionType.DATE:
            return "date"
        if self.question.type is QuestionType.NUMBER:
            return "number"
        if self.question.type in (QuestionType.TEXT, QuestionType.EVIDENCE):
            return "text"
        return "radios"

    @property
    def na_radio(self) -> bool:
        return na_value(self.question) is not None

    @property
    def na_reason_condition(self) -> str:
        """For show-if.mjs: the reason is wanted while "not applicable" is chosen."""
        condition = {"question": self.question.id, "values": [na_value(self.question)]}
        return json.dumps({"mode": "all", "conditions": [condition]})

    @property
    def na_checkbox(self) -> bool:
        return self.question.na_allowed and not self.na_radio

    @property
    def takes_evidence(self) -> bool:
        return takes_evidence(self.question)

    @property
    def date_hint(self) -> Markup:
        example = Markup("For example, 27 3 2025")
        return self.hint + Markup("<br>") + example if self.hint else example

    @property
    def remove_items(self) -> list[dict]:
        """Per attached item, a hint that opens or downloads it."""
        items = []
        for item in self.evidence:
            href = self.download(item)
            if href:
                hint = Markup('<a class="govuk-link" href="{}">{}</a>').format(
                    href, "Download" if item.kind is EvidenceKind.FILE else "Open link"
                )
            else:
                hint = Markup("A description of evidence held elsewhere")
            if item.copied_forward:
                # Marked as the copied answers are: confirmed, or removed, by saving the page.
                hint = (
                    Markup('<strong class="govuk-tag govuk-tag--yellow">{}</strong> ').format(FROM_LAST_YEAR)
                    + hint
                )
            items.append({"hint": {"html": hint}})
        return items

    @property
    def evidence_hint(self) -> str:
        rule = self.question.evidence
        parts = [rule.hint] if rule.hint else []
        if rule.required_when:
            labels = [option.label for option in self.question.options if option.value in rule.required_when]
            parts.append(f"Evidence is needed if you answer {' or '.join(labels)}.")
        parts.append("A file must be a PDF, DOCX, XLSX, ODT, PNG or JPG, smaller than 10MB.")
        return " ".join(parts)

    @property
    def file_limit(self) -> dict[str, str]:
        """For file-limit.mjs: the largest file the server takes, and its refusal in words."""
        return {"data-max-bytes": str(DEFAULT_MAX_BYTES), "data-too-big": too_big_message(DEFAULT_MAX_BYTES)}

    def name(self, suffix: str) -> str:
        return self.question.id + suffix

    def download(self, item: Evidence) -> str | None:
        if item.kind is not EvidenceKind.FILE:
            return item.url
        return url_for("evidence.download", evidence_id=item.id)


# The suffixes, for the template.
SUFFIXES = {
    "name": NAME,
    "trained_on": TRAINED_ON,
    "na": NA,
    "reason": NA_REASON,
    "file": FILE,
    "note": NOTE,
    "remove": REMOVE,
}


def question_blocks(
    view: ReturnView, section: Section, shown: frozenset[str] | None = None
) -> list[QuestionBlock]:
    """Every question of the section for the duty; those whose show_if does not hold are hidden."""
    shown = view.visible if shown is None else shown
    questions = view.applicable_questions(section)
    on_page = {question.id for question in questions}
    return [
        QuestionBlock(
            question=question,
            number=number,
            shown=question.id in shown,
            show_if=_show_if(view, question, on_page),
            copied=question.id in view.answers and view.answers[question.id].copied_forward,
            hint=hint_html(question),
            evidence=view.evidence.get(question.id, []),
        )
        for number, question in enumerate(questions, start=1)
    ]


def section_position(view: ReturnView, section: Section) -> tuple[int, int]:
    sections = view.applicable_sections
    return sections.index(section) + 1, len(sections)


def next_section(view: ReturnView, section: Section) -> Section | None:
    sections = view.applicable_sections
    index = sections.index(section)
    return sections[index + 1] if index + 1 < len(sections) else None
