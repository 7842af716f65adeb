"""Rules that relate one value of a questionnaire to another.

They run on the shape-checked tree (see :mod:`scoring.definitions.shape`), in
which every value present has the right type but anything may be missing, so
each rule checks only what it can and reports every problem it finds.
show_if rules are in :mod:`scoring.definitions.show_if`.
"""

from __future__ import annotations

from scoring.definitions.defaults import (
    CHOICE_TYPES,
    NO_OPTION_TYPES,
    YES_NO_VALUES,
    effective_options,
    is_scored,
    options_known,
    question_type,
    scale_points,
)
from scoring.definitions.model import QuestionType
from scoring.definitions.problems import Report, quote
from scoring.definitions.show_if import check_show_if
from scoring.definitions.tree import Map, Seq


def check_rules(doc: Map, report: Report) -> None:
    """Report every broken cross-reference and inconsistency in a shape-checked file."""
    scale = doc.get("scale")
    # Unknown when duties is missing or lost an item to a reported problem: applies_to cannot be judged then.
    listed = doc.get("duties")
    duties = set(listed) if isinstance(listed, Seq) and not listed.incomplete else None
    if isinstance(scale, Map):
        _check_scale(scale, report)
    sections = [section for section in doc.get("sections", ()) if isinstance(section, Map)]
    _check_unique(sections, "section", report)
    questions = [q for section in sections for q in section.get("questions", ()) if isinstance(q, Map)]
    _check_unique(questions, "question", report)
    for role in doc.get("sign_off", ()):
        _check_applies_to(role, duties, "sign-off role", report)
    _check_unique(list(doc.get("sign_off", ())), "sign-off role", report)
    for section in sections:
        _check_section(section, scale, duties, report)
    check_show_if(questions, scale, report)


def _check_unique(items: list[Map], what: str, report: Report) -> None:
    first_line: dict[str, int] = {}
    for item in items:
        item_id = item.get("id")
        if item_id is None:
            continue
        if item_id in first_line:
            report.add(
                item.at("id"),
                f"{what} id {quote(item_id)} is already used on line {first_line[item_id]}: ids must be unique",
            )
        else:
            first_line[item_id] = item.at("id")[0]


def _check_scale(scale: Map, report: Report) -> None:
    points = scale.get("points")
    if isinstance(points, Map) and "min" in points and "max" in points and points["min"] >= points["max"]:
        report.add(
            points.at("min"),
            f"points.min ({points['min']:g}) must be less than points.max ({points['max']:g})",
        )
    ratings = [rating for rating in scale.get("ratings", ()) if isinstance(rating, Map)]
    _check_unique(ratings, "rating", report)
    previous: Map | None = None
    for rating in ratings:
        if "min_score" not in rating:
            previous = None
            continue
        if previous is not None and rating["min_score"] >= previous["min_score"]:
            report.add(
                rating.at("min_score"),
                f"min_score {rating['min_score']:g} must be lower than the band above's "
                f"({previous['min_score']:g}): list the bands best first, thresholds falling",
            )
        previous = rating
    last = ratings[-1] if ratings else None
    if last is not None and "min_score" in last and last["min_score"] != 0:
        report.add(
            last.at("min_score"),
            f"the last band's min_score must be 0, so that every score earns a band; got {last['min_score']:g}",
        )


def _check_applies_to(item: Map, duties: set[str] | None, what: str, report: Report) -> None:
    applies_to = item.get("applies_to")
    if duties is None or not isinstance(applies_to, Seq):
        return
    for index, duty in enumerate(applies_to):
        if duty not in duties:
            report.add(
                applies_to.at(index),
                f"this {what} applies to {quote(duty)}, which is not among the questionnaire's duties "
                f"({', '.join(sorted(duties))}): add it to duties, or remove it here",
            )


def _check_section(section: Map, scale: object, duties: set[str] | None, report: Report) -> None:
    _check_applies_to(section, duties, "section", report)
    questions = [q for q in section.get("questions", ()) if isinstance(q, Map)]
    scored_section = section.get("scored", True)
    if not scored_section and "weight" in section:
        report.add(
            section.key_at("weight"), "weight has no effect on a section with scored: false: remove it"
        )
    first_self_rating: Map | None = None
    for question in questions:
        _check_question(question, scale, duties, report)
        _check_question_in_section(question, section, report)
        kind = question_type(question)
        if kind is QuestionType.SELF_RATING:
            if first_self_rating is not None:
                report.add(
                    question.at("type"),
                    f"a section takes one self_rating question at most; {_name(first_self_rating)} "
                    f"on line {first_self_rating.position[0]} is already one",
                )
            elif not scored_section:
                report.add(
                    question.at("type"),
                    "a self_rating question needs a scored section to compare with: "
                    "remove it, or set the section's scored: true",
                )
            first_self_rating = first_self_rating or question
        if not scored_section and question.get("critical"):
            report.add(
                question.key_at("critical"),
                "critical has no effect in a section with scored: false, which is never rated: remove it",
            )
    scored = [is_scored(question, scale) for question in questions]
    if scored_section and questions and None not in scored and not any(scored):
        report.add(
            section.key_at("questions") if "questions" in section else section.position,
            f"section {_name(section)} is scored but has no scored question: add a yes_no, yes_partly_no "
            "or choice question with points, or set scored: false",
        )


def _check_question_in_section(question: Map, section: Map, report: Report) -> None:
    inner, outer = question.get("applies_to"), section.get("applies_to")
    if not isinstance(inner, Seq) or not isinstance(outer, Seq):
        return
    for index, duty in enumerate(inner):
        if duty not in outer:
            report.add(
                inner.at(index),
                f"this question applies to {quote(duty)} but its section only to {', '.join(outer)}: "
                "it would never be asked",
            )


def _check_question(question: Map, scale: object, duties: set[str] | None, report: Report) -> None:
    _check_applies_to(question, duties, "question", report)
    kind = question_type(question)
    if kind is None:
        return
    _check_options(question, kind, scale, report)
    scored = is_scored(question, scale)
    options = effective_options(question, scale)
    if question.get("critical"):
        where = question.key_at("critical")
        if scored is False:
            report.add(
                where,
                f"a critical question must be scored, and this {kind.value} question is not: "
                + (
                    "give every option points, or remove critical"
                    if kind in CHOICE_TYPES
                    else "remove critical, or use a yes_no, yes_partly_no or choice type"
                ),
            )
        elif scored and not any(option.fails for option in options) and scale_points(scale) is not None:
            # (With a broken scale no option can be known to be the lowest; that is reported already.)
            report.add(
                where,
                "a critical question needs a failing answer: mark an option with fails: true, "
                "or give one the scale's lowest points",
            )
        if question.get("required") is False:
            report.add(
                question.key_at("required"),
                "a critical question must be required, or a respondent could avoid the cap by leaving it blank",
            )
    if "weight" in question and scored is False:
        report.add(
            question.key_at("weight"),
            f"weight has no effect on a question that is not scored ({kind.value}"
            + (" without points" if kind in CHOICE_TYPES else "")
            + "): remove it",
        )
    _check_evidence(question, kind, options, report)


def _check_options(question: Map, kind: QuestionType, scale: object, report: Report) -> None:
    options = question.get("options")
    if kind in NO_OPTION_TYPES:
        if "options" in question:
            reason = (
                "its options are the scale's bands" if kind is QuestionType.SELF_RATING else "it has none"
            )
            report.add(
                question.key_at("options"),
                f"a {kind.value} question takes no options ({reason}): remove them",
            )
        return
    if options is None:
        if kind in CHOICE_TYPES and "options" not in question.dropped:
            report.add(question.at("type"), f"a {kind.value} question needs options: list at least two")
        return
    items = [option for option in options if isinstance(option, Map)]
    if kind in CHOICE_TYPES and len(options) < 2 and not options.incomplete:
        report.add(question.at("options"), f"a {kind.value} question needs at least two options")
    _check_unique_values(items, report)
    if kind in YES_NO_VALUES:
        _check_yes_no_options(question, kind, items, report)
    else:
        _check_points_all_or_none(items, report)
    points = scale_points(scale)
    if points is None:
        return
    low, high = points
    for option in items:
        value = option.get("points")
        if value is not None and not low <= value <= high:
            report.add(
                option.at("points"),
                f"points {value:g} is outside the scale's points ({low:g} to {high:g})",
            )


def _check_unique_values(options: list[Map], report: Report) -> None:
    first_line: dict[str, int] = {}
    for option in options:
        value = option.get("value")
        if value is None:
            continue
        if value in first_line:
            report.add(
                option.at("value"),
                f"option value {quote(value)} is given twice (first on line {first_line[value]}): values must differ",
            )
        else:
            first_line[value] = option.at("value")[0]


def _check_yes_no_options(question: Map, kind: QuestionType, options: list[Map], report: Report) -> None:
    expected = YES_NO_VALUES[kind]
    given = [option["value"] for option in options if "value" in option]
    if sorted(set(given)) != sorted(expected) and len(given) == len(options):
        report.add(
            question.at("options"),
            f"a {kind.value} question's options must be {', '.join(expected)} (got {', '.join(given) or 'none'}): "
            "change their labels or points if you need to, or use single_choice for other answers",
        )
    for option in options:
        if not _given(option, "points"):
            report.add(
                option.position,
                f"option {quote(option.get('value', '?'))} needs points: a {kind.value} question is always scored",
            )


def _check_points_all_or_none(options: list[Map], report: Report) -> None:
    with_points = [option for option in options if _given(option, "points")]
    if not with_points or len(with_points) == len(options):
        return
    for option in options:
        if not _given(option, "points"):
            report.add(
                option.position,
                f"option {quote(option.get('value', '?'))} has no points but other options of this question do: "
                "give every option points, or none",
            )


def _check_evidence(question: Map, kind: QuestionType, options: tuple, report: Report) -> None:
    evidence = question.get("evidence")
    if not isinstance(evidence, Map):
        return
    if kind is QuestionType.EVIDENCE and evidence.get("allowed") is False:
        report.add(
            evidence.at("allowed"), "an evidence question always takes evidence: remove allowed: false"
        )
    required_when = evidence.get("required_when")
    if not isinstance(required_when, Seq):
        return
    if evidence.get("allowed") is False and required_when:
        report.add(
            evidence.at("allowed"),
            "allowed: false contradicts required_when: remove allowed (required_when implies it)",
        )
    if not options_known(question):
        return
    if kind in NO_OPTION_TYPES and kind is not QuestionType.SELF_RATING:
        if required_when:
            report.add(
                evidence.at("required_when"),
                f"required_when names answers, but a {kind.value} question has no options to name",
            )
        return
    values = [option.value for option in options]
    for index, value in enumerate(required_when):
        if value not in values:
            report.add(
                required_when.at(index),
                f"required_when {quote(value)} is not an option of this question ({', '.join(values) or 'none'})",
            )


def _given(item: Map, key: str) -> bool:
    """Whether the file gave ``key``, even if its value was reported and left out."""
    return key in item or key in item.dropped


def _name(item: Map) -> str:
    return quote(item["id"]) if "id" in item else "(no id)"
