"""Turning a checked questionnaire tree into the dataclasses of :mod:`scoring.definitions.model`.

Only called once the shape check and the rules found nothing wrong, so every
required key is present and every value has the right type.
"""

from __future__ import annotations

from scoring.definitions.defaults import effective_options
from scoring.definitions.model import (
    Condition,
    Duty,
    EvidenceRule,
    Question,
    Questionnaire,
    QuestionType,
    Rating,
    Scale,
    Section,
    ShowIf,
    SignOffRole,
)
from scoring.definitions.show_if import conditions
from scoring.definitions.tree import Map


def build_questionnaire(doc: Map, source: str, content_hash: str) -> Questionnaire:
    scale = doc["scale"]
    return Questionnaire(
        id=doc["id"],
        version=doc["version"],
        title=doc["title"],
        legal_basis=doc["legal_basis"],
        duties=_duties(doc["duties"]),
        scale=_scale(scale),
        sections=tuple(_section(section, scale) for section in doc["sections"]),
        description=doc.get("description", ""),
        sign_off=tuple(
            SignOffRole(
                id=role["id"],
                label=role["label"],
                hint=role.get("hint", ""),
                applies_to=_duties(role.get("applies_to", ())),
            )
            for role in doc.get("sign_off", ())
        ),
        declaration=doc.get("declaration", ""),
        source=source,
        content_hash=content_hash,
    )


def _duties(codes: list[str]) -> tuple[Duty, ...]:
    return tuple(Duty(code) for code in codes)


def _scale(scale: Map) -> Scale:
    return Scale(
        name=scale["name"],
        ratings=tuple(
            Rating(
                id=rating["id"],
                label=rating["label"],
                meaning=rating["meaning"],
                min_score=float(rating["min_score"]),
                colour=rating["colour"],
            )
            for rating in scale["ratings"]
        ),
        points_min=float(scale["points"]["min"]),
        points_max=float(scale["points"]["max"]),
    )


def _section(section: Map, scale: Map) -> Section:
    return Section(
        id=section["id"],
        title=section["title"],
        description=section.get("description", ""),
        references=tuple(section.get("references", ())),
        questions=tuple(_question(question, scale) for question in section["questions"]),
        scored=section.get("scored", True),
        weight=float(section.get("weight", 1)),
        applies_to=_duties(section.get("applies_to", ())),
        line=section.position[0],
    )


def _question(question: Map, scale: Map) -> Question:
    return Question(
        id=question["id"],
        text=question["text"],
        type=QuestionType(question["type"]),
        hint=question.get("hint", ""),
        references=tuple(question.get("references", ())),
        required=question.get("required", True),
        na_allowed=question.get("na_allowed", False),
        options=effective_options(question, scale),
        weight=float(question.get("weight", 1)),
        critical=question.get("critical", False),
        show_if=_show_if(question["show_if"]) if "show_if" in question else None,
        evidence=_evidence(question.get("evidence")),
        applies_to=_duties(question.get("applies_to", ())),
        line=question.position[0],
    )


def _show_if(show_if: Map) -> ShowIf:
    # The {question, is|in} shorthand is a single condition, which must hold: mode "all".
    mode = "any" if "any" in show_if else "all"
    return ShowIf(
        mode=mode,
        conditions=tuple(
            Condition(
                question=condition["question"],
                values=(condition["is"],) if "is" in condition else tuple(condition["in"]),
            )
            for condition in conditions(show_if)
        ),
    )


def _evidence(evidence: Map | None) -> EvidenceRule:
    if evidence is None:
        return EvidenceRule()
    required_when = tuple(evidence.get("required_when", ()))
    return EvidenceRule(
        # README: "setting required_when implies allowed".
        allowed=evidence.get("allowed", False) or bool(required_when),
        required_when=required_when,
        hint=evidence.get("hint", ""),
    )
