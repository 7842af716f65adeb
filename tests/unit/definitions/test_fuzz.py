"""Property tests: however a valid file is broken, the loader reports problems and never raises.

Each test starts from the valid questionnaire in helpers.py and breaks it in
one family of ways. For every input the loader must either raise
QuestionnaireError with problems placed inside the file, or return a
questionnaire that keeps every promise the rules make. Runs are derandomised
so CI sees the same cases every time (1,400 in all).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.definitions import (
    Questionnaire,
    QuestionnaireError,
    QuestionType,
    check_paths,
    parse_questionnaire,
)

from .helpers import VALID

LINES = VALID.splitlines(keepends=True)
# Where each scalar value sits in the valid file (after "key: ", in block or flow style).
VALUE_SPANS = [match.span() for match in re.finditer(r"(?<=: )[^,{}\[\]\n]+", VALID)]
KEY_SPANS = [match.span(1) for match in re.finditer(r"([a-z_]+):", VALID)]
ID_SPANS = [match.span() for match in re.finditer(r"\b(?:setting|policy)\.[a-z-]+", VALID)]
IDS = sorted({VALID[start:end] for start, end in ID_SPANS})
KEYS = sorted({VALID[start:end] for start, end in KEY_SPANS})

JUNK_VALUES = [
    "-1",
    "0",
    "2",
    "3.5",
    "1e999",
    ".nan",
    ".inf",
    "0x1F",
    "1:20",
    '"heavy"',
    "heavy",
    "''",
    '""',
    "[a, b]",
    "[]",
    "{x: 1}",
    "{}",
    "true",
    "false",
    "null",
    "~",
    "",
    "2025-02-30",
    "2025-09-01",
    "&anchor x",
    "*alias",
    "!tag x",
    "!!binary aGk=",
    "!!python/object:os.system x",
    "'unclosed",
    "[unclosed",
    "{",
    "}",
    ":",
    "- item",
    "yes",
    "no",
    "on",
    "\t",
    "s12",
    "fe",
    "s157",
    "green",
    "pink",
    "self_rating",
    "text",
    "number",
    "Policy.Notes",
    "a b: c",
    "|\n  block",
    ">-\n  folded",
    "? complex",
    "%YAML 1.1",
    "---",
    "...",
    "#comment",
    "@",
    "`",
]
LINE_BREAKS = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")

FUZZ = settings(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])


def check(text: str) -> None:
    """The property every input must satisfy."""
    try:
        questionnaire = parse_questionnaire(text, "fuzz.yaml")
    except QuestionnaireError as error:
        last_line = len(LINE_BREAKS.split(text)) + 1
        assert error.problems
        for problem in error.problems:
            assert problem.path == "fuzz.yaml"
            assert 1 <= problem.line <= last_line, str(problem)
            assert problem.column >= 1 and problem.message, str(problem)
            assert str(problem).startswith(f"fuzz.yaml:{problem.line}:{problem.column}: ")
    else:
        assert_keeps_its_promises(questionnaire)
        assert parse_questionnaire(text, "fuzz.yaml") == questionnaire


def assert_keeps_its_promises(questionnaire: Questionnaire) -> None:
    """What a questionnaire that loaded may be trusted to be (the rules' guarantees)."""
    scale = questionnaire.scale
    assert scale.points_min < scale.points_max
    thresholds = [rating.min_score for rating in scale.ratings]
    assert thresholds == sorted(thresholds, reverse=True) and len(set(thresholds)) == len(thresholds)
    assert thresholds[-1] == 0
    seen: dict[str, object] = {}
    for section in questionnaire.sections:
        assert section.questions and section.weight > 0
        assert sum(q.type is QuestionType.SELF_RATING for q in section.questions) <= 1
        for question in section.questions:
            assert question.id not in seen and question.weight > 0
            for option in question.options:
                assert option.points is None or scale.points_min <= option.points <= scale.points_max
            if question.critical:
                assert question.scored and any(option.fails for option in question.options)
            if question.show_if:
                for condition in question.show_if.conditions:
                    target = seen[condition.question]  # earlier, so already seen
                    assert set(condition.values) <= {option.value for option in target.options}
            for value in question.evidence.required_when:
                assert value in {option.value for option in question.options}
            seen[question.id] = question


@st.composite
def broken_lines(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(
            st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate", "indent", "dedent"])
        )
        if action == "delete":
            del lines[index : index + draw(st.integers(1, 5))]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "insert":
            junk = draw(st.sampled_from(JUNK_VALUES) | st.text(max_size=30))
            lines.insert(index, junk + "\n")
        elif action == "truncate":
            lines[index] = lines[index][: draw(st.integers(0, len(lines[index])))]
        elif action == "indent":
            lines[index] = "  " + lines[index]
        else:
            lines[index] = lines[index][2:]
    return "".join(lines)


@st.composite
def broken_values(draw: st.DrawFn) -> str:
    text = VALID
    spans = sorted(
        draw(st.lists(st.sampled_from(VALUE_SPANS), min_size=1, max_size=3, unique=True)), reverse=True
    )
    for start, end in spans:  # from the end, so earlier spans stay where they were
        text = text[:start] + draw(st.sampled_from(JUNK_VALUES)) + text[end:]
    return text


@st.composite
def broken_keys_and_ids(draw: st.DrawFn) -> str:
    text = VALID
    spans = KEY_SPANS + ID_SPANS
    chosen = sorted(draw(st.lists(st.sampled_from(spans), min_size=1, max_size=3, unique=True)), reverse=True)
    for start, end in chosen:
        if (start, end) in ID_SPANS:
            # Another question's id, which moves show_if targets and makes duplicates, or a typo.
            replacement = draw(
                st.sampled_from(IDS) | st.from_regex(r"[a-z]{1,6}\.[a-z-]{1,8}", fullmatch=True)
            )
        else:
            replacement = draw(st.sampled_from(KEYS) | st.from_regex(r"[a-z_]{1,10}", fullmatch=True))
        text = text[:start] + replacement + text[end:]
    return text


@st.composite
def broken_characters(draw: st.DrawFn) -> str:
    text = VALID
    for _ in range(draw(st.integers(1, 5))):
        position = draw(st.integers(0, len(text)))
        noise = draw(
            st.text(st.characters(codec=None, exclude_categories=()), min_size=1, max_size=4)
            | st.sampled_from(
                ["\x00", "\ud800", "\ufeff", "\r", "\x85", "\u2028", "\t", '"', "'", "&", "*", "!"]
            )
        )
        replace = draw(st.booleans())
        text = text[:position] + noise + text[position + (len(noise) if replace else 0) :]
    return text


@settings(FUZZ, max_examples=400)
@given(broken_lines())
def test_deleting_duplicating_swapping_and_inserting_lines_never_crashes(text: str) -> None:
    check(text)


@settings(FUZZ, max_examples=300)
@given(broken_values())
def test_values_of_the_wrong_kind_never_crash(text: str) -> None:
    check(text)


@settings(FUZZ, max_examples=250)
@given(broken_keys_and_ids())
def test_renamed_keys_ids_and_show_if_targets_never_crash(text: str) -> None:
    check(text)


@settings(FUZZ, max_examples=250)
@given(broken_characters())
def test_random_characters_anywhere_never_crash(text: str) -> None:
    check(text)


@settings(FUZZ, max_examples=100)
@given(
    st.text(max_size=300)
    | st.from_regex(r"[a-z_]{1,8}: .{0,20}(\n  [a-z_]{1,8}: .{0,20}){0,5}", fullmatch=True)
)
def test_arbitrary_text_never_crashes(text: str) -> None:
    check(text)


@settings(FUZZ, max_examples=100)
@given(
    st.binary(max_size=600)
    | st.builds(
        lambda flips: _flip(VALID.encode("utf-8"), flips), st.lists(st.integers(0, 10**6), max_size=6)
    )
)
def test_random_bytes_in_a_file_are_problems_not_crashes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(data)
        problems = check_paths([path])
    assert all(problem.line >= 1 and problem.column >= 1 for problem in problems)


def _flip(data: bytes, positions: list[int]) -> bytes:
    """``data`` with the bytes at some positions replaced by values no UTF-8 text may hold alone."""
    mutable = bytearray(data)
    for position in positions:
        mutable[position % len(mutable)] = 0x80 + position % 0x80
    return bytes(mutable)
