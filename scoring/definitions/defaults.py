"""The defaults questionnaires/README.md promises, filled in one place.

Both the rules (which must judge, say, a show_if value against the options a
yes_no question really has) and the builder use these, so what is checked is
what is loaded. They work on the shape-checked tree, which may be incomplete
when the file has problems: anything missing is simply left out.
"""

from __future__ import annotations

from scoring.definitions.model import Option, QuestionType
from scoring.definitions.tree import Map, Seq

# Types whose options are written in the file (or, for yes/no types, defaulted).
CHOICE_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE})
YES_NO_VALUES = {
    QuestionType.YES_NO: ("yes", "no"),
    QuestionType.YES_PARTLY_NO: ("yes", "partly", "no"),
}
# Types that take no options in the file (self_rating's come from the scale).
NO_OPTION_TYPES = frozenset(QuestionType) - CHOICE_TYPES - set(YES_NO_VALUES)


def question_type(question: Map) -> QuestionType | None:
    value = question.get("type")
    return (
        QuestionType(value) if isinstance(value, str) and value in QuestionType._value2member_map_ else None
    )


def scale_points(scale: object) -> tuple[float, float] | None:
    """The scale's (min, max) points, or None when they are missing or not in order."""
    points = scale.get("points") if isinstance(scale, Map) else None
    if not isinstance(points, Map) or "min" not in points or "max" not in points:
        return None
    low, high = float(points["min"]), float(points["max"])
    return (low, high) if low < high else None


def default_options(kind: QuestionType, points: tuple[float, float] | None) -> tuple[Option, ...]:
    """yes (points.max) / no (points.min), with partly halfway for yes_partly_no."""
    low, high = points if points else (None, None)
    middle = (low + high) / 2 if points else None
    options = [Option("yes", "Yes", high)]
    if kind is QuestionType.YES_PARTLY_NO:
        options.append(Option("partly", "Partly", middle))
    options.append(Option("no", "No", low))
    return tuple(options)


def rating_options(scale: object) -> tuple[Option, ...]:
    """A self_rating question's options: the scale's bands, best first, without points."""
    ratings = scale.get("ratings", ()) if isinstance(scale, Map) else ()
    return tuple(
        Option(rating["id"], rating.get("label", rating["id"]))
        for rating in ratings
        if isinstance(rating, Map) and "id" in rating
    )


def effective_options(question: Map, scale: object) -> tuple[Option, ...]:
    """The options a question offers once the defaults are filled, failing ones marked.

    If no option says ``fails``, those worth ``points.min`` fail (README, "Question types").
    """
    kind = question_type(question)
    points = scale_points(scale)
    if kind is QuestionType.SELF_RATING:
        return rating_options(scale)
    if kind in NO_OPTION_TYPES or kind is None:
        return ()
    written = question.get("options")
    if written is None and kind in YES_NO_VALUES:
        options = default_options(kind, points)
    else:
        options = tuple(_option(item) for item in written or () if isinstance(item, Map) and "value" in item)
    if any(option.fails for option in options) or points is None:
        return options
    return tuple(_fail_if_lowest(option, points[0]) for option in options)


def _option(item: Map) -> Option:
    points = item.get("points")
    return Option(
        value=item["value"],
        label=item.get("label", item["value"]),
        points=None if points is None else float(points),
        fails=item.get("fails", False),
        hint=item.get("hint", ""),
    )


def _fail_if_lowest(option: Option, lowest: float) -> Option:
    if option.points is not None and option.points == lowest:
        return Option(option.value, option.label, option.points, True, option.hint)
    return option


def options_known(question: Map) -> bool:
    """False when the shape check left out some of the question's options or their values or points.

    Rules about options then stay silent rather than report what may only be
    an echo of the problem already reported.
    """
    if "options" in question.dropped or "type" in question.dropped:
        return False
    written = question.get("options")
    if not isinstance(written, Seq):
        return True
    return not written.incomplete and not any(
        isinstance(option, Map) and {"value", "points", "fails"} & option.dropped for option in written
    )


def is_scored(question: Map, scale: object) -> bool | None:
    """Whether the question counts towards its standard's score; None if that cannot be known.

    yes_no and yes_partly_no always do; single and multiple choice do when every
    option has points.
    """
    kind = question_type(question)
    if kind is None:
        return None
    if kind in YES_NO_VALUES:
        return True
    if kind in CHOICE_TYPES:
        if not options_known(question):
            return None
        with_points = [option.points is not None for option in effective_options(question, scale)]
        if any(with_points) and not all(with_points):
            return None  # some options have points and some not: reported, and the intent is unknown
        return bool(with_points) and all(with_points)
    return False
