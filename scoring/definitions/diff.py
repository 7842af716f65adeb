"""What changed between two versions of a questionnaire.

Questions and sections are matched by id, which questionnaires/README.md asks
authors to keep stable: year-on-year comparison and copying answers forward
rest on the same matching, so this is what a partnership needs to review before
opening a cycle with a new version.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.definitions.model import EvidenceRule, Option, Question, Questionnaire, Section, ShowIf
from scoring.definitions.problems import quote


@dataclass(frozen=True)
class Change:
    """One question or section present in both versions, and what changed about it."""

    id: str
    details: tuple[str, ...]


@dataclass(frozen=True)
class QuestionnaireDiff:
    old: str  # "id version", e.g. "s11-8-standards 2024.1"
    new: str
    added_sections: tuple[str, ...] = ()
    removed_sections: tuple[str, ...] = ()
    changed_sections: tuple[Change, ...] = ()
    added_questions: tuple[str, ...] = ()
    removed_questions: tuple[str, ...] = ()
    changed_questions: tuple[Change, ...] = ()
    other_changes: tuple[str, ...] = ()  # the questionnaire's own keys: scale, duties, title…

    @property
    def empty(self) -> bool:
        return not (
            self.added_sections
            or self.removed_sections
            or self.changed_sections
            or self.added_questions
            or self.removed_questions
            or self.changed_questions
            or self.other_changes
        )


def diff_questionnaires(old: Questionnaire, new: Questionnaire) -> QuestionnaireDiff:
    """Compare two questionnaires, matching sections and questions by id, in the new file's order."""
    old_sections = {section.id: section for section in old.sections}
    new_sections = {section.id: section for section in new.sections}
    old_questions = {q.id: (q, s) for s in old.sections for q in s.questions}
    new_questions = {q.id: (q, s) for s in new.sections for q in s.questions}
    changed_sections = [
        Change(section.id, details)
        for section in new.sections
        if section.id in old_sections and (details := _section_changes(old_sections[section.id], section))
    ]
    changed_questions = [
        Change(question_id, details)
        for question_id, (question, section) in new_questions.items()
        if question_id in old_questions
        and (details := _question_changes(*old_questions[question_id], question, section))
    ]
    return QuestionnaireDiff(
        old=f"{old.id} {old.version}",
        new=f"{new.id} {new.version}",
        added_sections=tuple(s for s in new_sections if s not in old_sections),
        removed_sections=tuple(s for s in old_sections if s not in new_sections),
        changed_sections=tuple(changed_sections),
        added_questions=tuple(q for q in new_questions if q not in old_questions),
        removed_questions=tuple(q for q in old_questions if q not in new_questions),
        changed_questions=tuple(changed_questions),
        other_changes=tuple(_questionnaire_changes(old, new)),
    )


def render_diff(diff: QuestionnaireDiff) -> list[str]:
    """The diff as plain text lines, for a terminal or a review note."""
    lines = [f"Comparing {diff.old} with {diff.new}"]
    if diff.empty:
        return [*lines, "No differences in sections, questions or scale."]
    lines.extend(f"  {detail}" for detail in diff.other_changes)
    for heading, ids, mark in (
        ("Sections added", diff.added_sections, "+"),
        ("Sections removed", diff.removed_sections, "-"),
    ):
        if ids:
            lines.append(f"{heading} ({len(ids)}):")
            lines.extend(f"  {mark} {item}" for item in ids)
    _render_changes(lines, "Sections changed", diff.changed_sections)
    for heading, ids, mark in (
        ("Questions added", diff.added_questions, "+"),
        ("Questions removed", diff.removed_questions, "-"),
    ):
        if ids:
            lines.append(f"{heading} ({len(ids)}):")
            lines.extend(f"  {mark} {item}" for item in ids)
    _render_changes(lines, "Questions changed", diff.changed_questions)
    return lines


def _render_changes(lines: list[str], heading: str, changes: tuple[Change, ...]) -> None:
    if not changes:
        return
    lines.append(f"{heading} ({len(changes)}):")
    for change in changes:
        lines.append(f"  ~ {change.id}")
        lines.extend(f"      {detail}" for detail in change.details)


def _questionnaire_changes(old: Questionnaire, new: Questionnaire) -> list[str]:
    details = []
    if old.title != new.title:
        details.append(f"title: {_text(old.title)} -> {_text(new.title)}")
    if old.duties != new.duties:
        details.append(f"duties: {_duties(old.duties)} -> {_duties(new.duties)}")
    if (old.scale.points_min, old.scale.points_max) != (new.scale.points_min, new.scale.points_max):
        details.append(
            f"scale points: {old.scale.points_min:g} to {old.scale.points_max:g} -> "
            f"{new.scale.points_min:g} to {new.scale.points_max:g}"
        )
    if old.scale.ratings != new.scale.ratings:
        details.append(f"scale bands: {_bands(old)} -> {_bands(new)}")
    return details


def _section_changes(old: Section, new: Section) -> tuple[str, ...]:
    details = []
    if old.title != new.title:
        details.append(f"title: {_text(old.title)} -> {_text(new.title)}")
    if old.scored != new.scored:
        details.append(f"scored: {_bool(old.scored)} -> {_bool(new.scored)}")
    if old.weight != new.weight:
        details.append(f"weight: {old.weight:g} -> {new.weight:g}")
    if old.applies_to != new.applies_to:
        details.append(f"applies to: {_duties(old.applies_to)} -> {_duties(new.applies_to)}")
    return tuple(details)


def _question_changes(
    old: Question, old_section: Section, new: Question, new_section: Section
) -> tuple[str, ...]:
    details = []
    if old_section.id != new_section.id:
        details.append(f"moved from section {quote(old_section.id)} to {quote(new_section.id)}")
    if old.text != new.text:
        details.append(f"text: {_text(old.text)} -> {_text(new.text)}")
    if old.type != new.type:
        details.append(f"type: {old.type.value} -> {new.type.value}")
    details.extend(_option_changes(old.options, new.options))
    if old.weight != new.weight:
        details.append(f"weight: {old.weight:g} -> {new.weight:g}")
    for name in ("critical", "required", "na_allowed"):
        if getattr(old, name) != getattr(new, name):
            details.append(f"{name}: {_bool(getattr(old, name))} -> {_bool(getattr(new, name))}")
    if old.show_if != new.show_if:
        details.append(f"show_if: {_show_if(old.show_if)} -> {_show_if(new.show_if)}")
    if old.applies_to != new.applies_to:
        details.append(f"applies to: {_duties(old.applies_to)} -> {_duties(new.applies_to)}")
    if old.evidence != new.evidence:
        details.append(f"evidence: {_evidence(old.evidence)} -> {_evidence(new.evidence)}")
    return tuple(details)


def _option_changes(old: tuple[Option, ...], new: tuple[Option, ...]) -> list[str]:
    old_by_value = {option.value: option for option in old}
    new_by_value = {option.value: option for option in new}
    details = [f"option removed: {quote(value)}" for value in old_by_value if value not in new_by_value]
    for option in new:
        before = old_by_value.get(option.value)
        if before is None:
            details.append(f"option added: {quote(option.value)} ({_points(option.points)})")
            continue
        if before.points != option.points:
            details.append(
                f"option {quote(option.value)} points: {_points(before.points)} -> {_points(option.points)}"
            )
        if before.fails != option.fails:
            details.append(
                f"option {quote(option.value)} {'now fails' if option.fails else 'no longer fails'}"
            )
        if before.label != option.label:
            details.append(
                f"option {quote(option.value)} label: {_text(before.label)} -> {_text(option.label)}"
            )
    if not details and [o.value for o in old] != [o.value for o in new]:
        details.append("options reordered")
    return details


def _text(text: str) -> str:
    return quote(text, limit=80)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _points(points: float | None) -> str:
    return "no points" if points is None else f"{points:g} points"


def _duties(duties: tuple) -> str:
    return ", ".join(duty.value for duty in duties) if duties else "every duty"


def _bands(questionnaire: Questionnaire) -> str:
    return ", ".join(f"{rating.id} from {rating.min_score:g}" for rating in questionnaire.scale.ratings)


def _show_if(show_if: ShowIf | None) -> str:
    if show_if is None:
        return "always shown"
    parts = [f"{condition.question} is {' or '.join(condition.values)}" for condition in show_if.conditions]
    return f" {'or' if show_if.mode == 'any' else 'and'} ".join(parts)


def _evidence(rule: EvidenceRule) -> str:
    if rule.required_when:
        return f"required when {' or '.join(rule.required_when)}"
    return "allowed" if rule.allowed else "not taken"
