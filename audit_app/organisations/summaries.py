"""What an import summary is made of, for GIAS files and agency lists alike."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..registers.csvfile import Problem

# Lists in the stored summary stop here: a national file can mean tens of
# thousands of rows, and nobody reads past a few hundred on a page.
LISTED = 500


@dataclass(frozen=True)
class Change:
    """One field an import changes, described in words for the summary: "phase", "Primary", "All-through"."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class FileProblem:
    """Something wrong in a named file, at a row and column when there is one."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column “{self.column}”")
        return f"{', '.join(where)}: {self.message}"


def file_problems(filename: str, problems: Iterable[Problem]) -> list[FileProblem]:
    """The reader's problems, each naming the file, worded for an import that writes nothing."""
    found = []
    for problem in problems:
        # The reader keeps a row with a bad date or number and blanks the value
        # ("…; left blank."); an import with errors writes nothing at all, so
        # saying a value was left blank would mislead.
        message = problem.message.removesuffix("; left blank.")
        if not message.endswith("."):
            message += "."
        found.append(FileProblem(filename, problem.row, problem.column, message))
    return found
