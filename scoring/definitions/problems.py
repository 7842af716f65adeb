"""Problems found in questionnaire files, and the error that carries them."""

from __future__ import annotations

from dataclasses import dataclass, field

# A place in a file: (line, column), both counted from 1 as editors show them.
Position = tuple[int, int]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a questionnaire file, at a line and column (both from 1).

    ``str(problem)`` is ``path:line:column: message``, the form editors and CI
    logs turn into a link to the place.
    """

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class QuestionnaireError(ValueError):
    """A questionnaire could not be loaded; ``problems`` says every reason, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        first = f": {self.problems[0]}" if self.problems else ""
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__(f"invalid questionnaire{first}{more}")


@dataclass
class Report:
    """Collects the problems of one file; checks add to it and carry on."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, position: Position, message: str) -> None:
        line, column = position
        self.problems.append(Problem(self.path, max(line, 1), max(column, 1), message))

    def sorted(self) -> list[Problem]:
        """The problems in file order, each reported once."""
        return sorted(set(self.problems))


def quote(value: object, limit: int = 40) -> str:
    """A value as a message shows it: quoted, shortened, control characters escaped."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return f"'{text}'"
