"""Rules for ``show_if``: every condition names an earlier question and one of its options.

Because a condition may only name an earlier question, a loop of conditions
cannot arise in a file that passes the other rules. Loops are still looked
for explicitly: a form that waits on its own answers would hang the return, so
the check must not rest on one rule's side effect.
"""

from __future__ import annotations

import difflib

from scoring.definitions.defaults import NO_OPTION_TYPES, effective_options, options_known, question_type
from scoring.definitions.model import QuestionType
from scoring.definitions.problems import Position, Report, quote
from scoring.definitions.tree import Map, Seq


def conditions(show_if: Map) -> list[Map]:
    """The conditions of a shape-checked show_if, whichever way it was written."""
    for mode in ("any", "all"):
        if mode in show_if:
            return [condition for condition in show_if[mode] if isinstance(condition, Map)]
    return [show_if]


def condition_values(condition: Map) -> list[tuple[str, Position]]:
    """A condition's values, each with where it was written."""
    if "is" in condition:
        return [(condition["is"], condition.at("is"))]
    values = condition.get("in")
    if isinstance(values, Seq):
        return [(value, values.at(index)) for index, value in enumerate(values)]
    return []


def check_show_if(questions: list[Map], scale: object, report: Report) -> None:
    """Check every question's show_if against the questions before it, then look for loops."""
    index_of: dict[str, int] = {}
    for index, question in enumerate(questions):
        index_of.setdefault(question.get("id"), index)
    depends_on: dict[int, list[tuple[int, Position]]] = {}
    for index, question in enumerate(questions):
        show_if = question.get("show_if")
        if not isinstance(show_if, Map):
            continue
        for condition in conditions(show_if):
            target = _check_condition(question, index, condition, questions, index_of, scale, report)
            if target is not None:
                depends_on.setdefault(index, []).append((target, condition.at("question")))
    _report_loops(questions, depends_on, report)


def _check_condition(
    question: Map,
    index: int,
    condition: Map,
    questions: list[Map],
    index_of: dict[str, int],
    scale: object,
    report: Report,
) -> int | None:
    """Report what is wrong with one condition; return the index of the question it names."""
    target_id = condition.get("question")
    if target_id is None:
        return None
    where = condition.at("question")
    if target_id == question.get("id"):
        report.add(
            where, f"show_if names this question itself ({quote(target_id)}): name an earlier question"
        )
        return None
    target_index = index_of.get(target_id)
    if target_index is None and any("id" not in other for other in questions):
        return None  # the question meant may be one whose id is missing or bad, which is reported already
    if target_index is None:
        known = [key for key in index_of if isinstance(key, str)]
        close = difflib.get_close_matches(target_id, known, n=1, cutoff=0.6)
        suggestion = f": did you mean {quote(close[0])}?" if close else ": name an earlier question's id"
        report.add(
            where, f"show_if names {quote(target_id)}, which is not a question in this file{suggestion}"
        )
        return None
    target = questions[target_index]
    if target_index > index:
        report.add(
            where,
            f"show_if names {quote(target_id)}, which comes later (line {target.position[0]}): "
            "a question can only depend on an earlier one",
        )
    _check_values(condition, target, scale, report)
    return target_index


def _check_values(condition: Map, target: Map, scale: object, report: Report) -> None:
    kind = question_type(target)
    if kind is None or not options_known(target):
        return
    options = effective_options(target, scale)
    if not options:
        if kind in NO_OPTION_TYPES and kind is not QuestionType.SELF_RATING:
            report.add(
                condition.at("question"),
                f"show_if can only depend on a question with options, and {quote(target.get('id'))} "
                f"is a {kind.value} question",
            )
        return
    values = [option.value for option in options]
    for value, where in condition_values(condition):
        if value not in values:
            report.add(
                where,
                f"{quote(value)} is not an option of {quote(target.get('id'))}: use one of {', '.join(values)}",
            )


def _report_loops(
    questions: list[Map], depends_on: dict[int, list[tuple[int, Position]]], report: Report
) -> None:
    """Find each loop of show_if conditions once, by depth-first search, and report it."""
    state: dict[int, str] = {}  # "open" while on the search path, "done" after
    path: list[int] = []
    found: set[tuple[int, ...]] = set()

    def visit(start: int) -> None:
        # An explicit stack instead of recursion: a long chain of show_ifs must not exhaust Python's stack.
        stack = [(start, iter(depends_on.get(start, ())))]
        state[start] = "open"
        path.append(start)
        while stack:
            node, edges = stack[-1]
            step = next(edges, None)
            if step is None:
                stack.pop()
                path.pop()
                state[node] = "done"
                continue
            target, _ = step
            if state.get(target) == "open":
                _report_loop(path[path.index(target) :], questions, depends_on, found, report)
            elif target not in state:
                state[target] = "open"
                path.append(target)
                stack.append((target, iter(depends_on.get(target, ()))))

    for index in sorted(depends_on):
        if index not in state:
            visit(index)


def _report_loop(
    loop: list[int],
    questions: list[Map],
    depends_on: dict[int, list[tuple[int, Position]]],
    found: set[tuple[int, ...]],
    report: Report,
) -> None:
    # Start the loop at its first question in the file, so each loop is reported once, at one place.
    first = loop.index(min(loop))
    loop = loop[first:] + loop[:first]
    if tuple(loop) in found:
        return
    found.add(tuple(loop))
    following = loop[1] if len(loop) > 1 else loop[0]
    where = next(position for target, position in depends_on[loop[0]] if target == following)
    names = " -> ".join(quote(questions[index].get("id")) for index in [*loop, loop[0]])
    report.add(
        where, f"show_if conditions form a loop: {names}; each question must depend only on earlier ones"
    )
