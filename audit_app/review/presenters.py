"""How ratings, flags, answers, evidence and actions are put on the review pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from markupsafe import Markup

import scoring
from scoring.definitions.model import Question, Questionnaire, Section

from ..data.actions import is_overdue
from ..data.returns import ReturnView
from ..models import ActionItem, ActionStatus, Evidence, EvidenceKind, StandardModeration
from ..returns.presenters import answer_html
from .forms import ACTION_STATUS_LABELS

_COLOUR_TAGS = {"green": "govuk-tag--green", "amber": "govuk-tag--yellow", "red": "govuk-tag--red"}

# Short names for the flags, for tags and tables; the stored reason says the rest.
FLAG_NAMES = {
    scoring.FlagCode.NOT_STARTED: "Not started",
    scoring.FlagCode.IN_PROGRESS_OVERDUE: "Not sent by the deadline",
    scoring.FlagCode.NON_RETURN: "Not returned",
    scoring.FlagCode.LATE: "Sent late",
    scoring.FlagCode.CRITICAL_FAIL: "Critical question failed",
    scoring.FlagCode.NO_EVIDENCE: "Evidence missing",
    scoring.FlagCode.EMPTY_EVIDENCE: "Empty or unreadable file",
    scoring.FlagCode.SELF_RATING_MISMATCH: "Own rating differs from score",
    scoring.FlagCode.DECLINED: "Rating fell since last cycle",
    scoring.FlagCode.ACTIONS_OVERDUE: "Actions overdue",
}


def rating_tag(questionnaire: Questionnaire, rating_id: str | None) -> dict | None:
    """govukTag parameters for a band: its label in words, its colour as a tag."""
    if rating_id is None:
        return None
    try:
        rating = questionnaire.scale.rating(rating_id)
    except KeyError:
        return {"text": rating_id, "classes": "govuk-tag--grey"}
    return {"text": rating.label, "classes": _COLOUR_TAGS.get(rating.colour, "govuk-tag--grey")}


def rating_label(questionnaire: Questionnaire, rating_id: str | None) -> str:
    tag = rating_tag(questionnaire, rating_id)
    return tag["text"] if tag else ""


@dataclass(frozen=True)
class StandardLine:
    """One standard of a return as its reviewer sees it."""

    section: Section
    score: scoring.StandardScore | None
    moderation: StandardModeration | None
    flags: list[scoring.Flag]

    @property
    def self_rating(self) -> str | None:
        return self.score.self_rating if self.score else None

    @property
    def scored_rating(self) -> str | None:
        return self.score.rating if self.score else None

    @property
    def moderated(self) -> bool:
        return self.moderation is not None

    @property
    def agreed(self) -> bool:
        return self.moderation is not None and self.moderation.moderated_rating is None

    @property
    def final_rating(self) -> str | None:
        return self.score.final_rating if self.score else None


def standard_lines(
    view: ReturnView, score: scoring.ReturnScore | None, moderations, flags
) -> list[StandardLine]:
    lines = []
    for section in view.applicable_sections:
        if not section.scored:
            continue
        standard = None
        if score is not None:
            try:
                standard = score.standard(section.id)
            except KeyError:
                standard = None
        lines.append(
            StandardLine(
                section,
                standard,
                moderations.get(section.id),
                [flag for flag in flags if flag.section_id == section.id],
            )
        )
    return lines


def general_flags(flags: list[scoring.Flag]) -> list[scoring.Flag]:
    return [flag for flag in flags if flag.section_id is None]


@dataclass(frozen=True)
class EvidenceLine:
    item: Evidence

    @property
    def name(self) -> str:
        item = self.item
        if item.kind is EvidenceKind.FILE:
            return item.original_filename or "Uploaded file"
        return item.description or item.url or "Evidence"

    @property
    def href(self) -> str | None:
        item = self.item
        if item.kind is EvidenceKind.FILE and item.stored_name:
            return url_for("evidence.download", evidence_id=item.id)
        return item.url

    @property
    def note(self) -> str:
        """A link's description, when the link itself is what is shown."""
        item = self.item
        return item.description if item.kind is EvidenceKind.LINK and item.url and item.description else ""


@dataclass(frozen=True)
class AnswerLine:
    question: Question
    answer: Markup
    evidence: list[EvidenceLine]


def answer_lines(view: ReturnView, section: Section) -> list[AnswerLine]:
    """The questions of a section the organisation was shown, with their answers and evidence."""
    return [
        AnswerLine(
            question,
            answer_html(question, view.questionnaire, view.answers.get(question.id)),
            [EvidenceLine(item) for item in view.evidence.get(question.id, [])],
        )
        for question in view.shown_questions(section)
    ]


def section_titles(questionnaire: Questionnaire | None) -> dict[str, str]:
    if questionnaire is None:
        return {}
    return {section.id: section.title for section in questionnaire.sections}


def action_tag(action: ActionItem, today: date) -> dict:
    """Overdue stands out in red; the words always say what the colour means."""
    if is_overdue(action, today):
        return {"text": "Overdue", "classes": "govuk-tag--red"}
    colours = {
        ActionStatus.OPEN: "govuk-tag--grey",
        ActionStatus.IN_PROGRESS: "govuk-tag--light-blue",
        ActionStatus.DONE: "govuk-tag--green",
    }
    return {"text": ACTION_STATUS_LABELS[action.status], "classes": colours[action.status]}
