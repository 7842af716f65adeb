"""Loading questionnaire files: YAML text in, a checked :class:`Questionnaire` out.

A file goes through four steps, each adding to the same list of problems:
reading the YAML with positions (:mod:`.tree`), checking keys and types
(:mod:`.shape`), checking how values relate (:mod:`.rules`), and, only when
nothing was wrong, building the dataclasses (:mod:`.build`).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from scoring.definitions.build import build_questionnaire
from scoring.definitions.model import Questionnaire
from scoring.definitions.problems import Problem, QuestionnaireError, Report
from scoring.definitions.rules import check_rules
from scoring.definitions.shape import check_shape
from scoring.definitions.spec import QUESTIONNAIRE
from scoring.definitions.tree import Map, read_tree


@dataclass(frozen=True)
class Analysis:
    """Everything learnt from one file: its checked tree (None if unreadable) and its problems."""

    tree: Map | None
    problems: list[Problem]
    questionnaire: Questionnaire | None


def analyse(text: str, source: str) -> Analysis:
    """Check ``text`` completely, never raising; build the questionnaire only if it is sound."""
    report = Report(source)
    tree = read_tree(text, report)
    checked = check_shape(tree, QUESTIONNAIRE, report) if tree is not None else None
    if checked is not None:
        check_rules(checked, report)
    problems = report.sorted()
    if problems or checked is None:
        return Analysis(checked, problems, None)
    return Analysis(checked, [], build_questionnaire(checked, source, content_hash(text)))


def content_hash(text: str) -> str:
    """The sha256 (hex) of the text's UTF-8 bytes: what identifies a stored snapshot."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_questionnaire(text: str, source: str = "<text>") -> Questionnaire:
    """Parse and check a questionnaire's YAML ``text``; ``source`` names it in problems.

    Raises :class:`QuestionnaireError` listing every problem found. Parsing the
    same text twice gives equal objects, so a stored snapshot of the text is a
    faithful copy of the questionnaire.
    """
    analysis = analyse(text, source)
    if analysis.questionnaire is None:
        raise QuestionnaireError(analysis.problems)
    return analysis.questionnaire


def read_text(path: str | os.PathLike[str]) -> tuple[str | None, list[Problem]]:
    """A file's text, decoded as UTF-8, or None and the problem that stopped it being read."""
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()
    except FileNotFoundError:
        return None, [Problem(name, 1, 1, "no such file or folder")]
    except IsADirectoryError:
        return None, [Problem(name, 1, 1, "this is a folder, not a questionnaire file")]
    except OSError as error:
        return None, [Problem(name, 1, 1, f"cannot be read: {error.strerror or error}")]
    except ValueError:  # a path with a NUL character in it
        return None, [Problem(name, 1, 1, "this is not a usable file name")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return None, [
            Problem(
                name,
                line,
                column,
                f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} here): save it with UTF-8 encoding",
            )
        ]


def load_questionnaire(path: str | os.PathLike[str]) -> Questionnaire:
    """Read a questionnaire file (UTF-8) and parse it; raises :class:`QuestionnaireError`."""
    text, problems = read_text(path)
    if text is None:
        raise QuestionnaireError(problems)
    return parse_questionnaire(text, os.fspath(path))
