"""The GIAS links file: which establishment carried on from which.

Academy conversion, amalgamation and re-opening close one URN and open
another, and GIAS records the pair in ``links_edubasealldataYYYYMMDD.csv``
(columns ``URN``, ``LinkURN``, ``LinkName``, ``LinkType``,
``LinkEstablishedDate``). A school's return history has to follow them, or a
converted academy looks like a school that has never made a return.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from .csvfile import (
    Problem,
    Records,
    Source,
    UnreadableFile,
    column_key,
    header_problems,
    open_text,
    parse_date,
)

LINK_COLUMNS = ("URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate")
REQUIRED_LINK_COLUMNS = ("URN", "LinkURN", "LinkType")


class GiasFileError(Exception):
    """A GIAS file that cannot be used; ``problems`` says where and why."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(str(problem) for problem in self.problems))


@dataclass(frozen=True, slots=True)
class Link:
    """One row of the links file: ``link_urn`` is ``urn``'s ``link_type``.

    So ``Link(100001, 140001, "…", "Successor", …)`` says 140001 carried on
    from 100001.
    """

    urn: int
    link_urn: int
    link_name: str
    link_type: str  # "Successor", "Predecessor - amalgamated", "Sixth Form Centre Link"…
    established: date | None

    @property
    def names_successor(self) -> bool:
        return self.link_type.casefold().startswith("successor")

    @property
    def names_predecessor(self) -> bool:
        return self.link_type.casefold().startswith("predecessor")


def read_links(source: Source) -> list[Link]:
    """Read a GIAS ``links_edubasealldata`` file, in the file's order.

    ``source`` is a path, the file's bytes or a binary file object. Raises
    :class:`GiasFileError` listing every problem (the file cannot be read, a
    required column is missing, a URN is not a number, a date is malformed)
    rather than returning part of the file; a blank ``LinkEstablishedDate``
    is common and fine.
    """
    links: list[Link] = []
    problems: list[Problem] = []
    try:
        with open_text(source) as (text, _):
            records = Records(text)
            problems = header_problems(records, REQUIRED_LINK_COLUMNS, "GIAS links file", LINK_COLUMNS)
            if not problems:
                positions = records.positions()
                where = {name: positions.get(column_key(name)) for name in LINK_COLUMNS}
                for row, values in records:
                    if values:
                        _read_link(row, values, where, links, problems)
                problems.extend(records.problems)
    except UnreadableFile as exc:
        message = f"The file is not a GIAS CSV in Windows-1252: {exc}."
        problems = [Problem(None, None, message)]
    if problems:
        raise GiasFileError(problems)
    return links


def _read_link(
    row: int,
    values: list[str],
    where: Mapping[str, int | None],
    links: list[Link],
    problems: list[Problem],
) -> None:
    def get(name: str) -> str:
        index = where[name]
        return values[index].strip() if index is not None and index < len(values) else ""

    found = len(problems)
    for column in ("URN", "LinkURN"):
        # 0-9 only: "²".isdigit() is true, and int("²") raises.
        if not (get(column).isascii() and get(column).isdigit()):
            message = f"“{get(column)}” is not a URN: a URN is a number."
            problems.append(Problem(row, column, message))
    try:
        established = parse_date(get("LinkEstablishedDate"))
    except ValueError as exc:
        problems.append(Problem(row, "LinkEstablishedDate", f"{exc}."))
    if len(problems) == found:
        link = Link(
            urn=int(get("URN")),
            link_urn=int(get("LinkURN")),
            link_name=get("LinkName"),
            link_type=get("LinkType"),
            established=established,
        )
        links.append(link)


class Succession:
    """Which establishment carried on from which, following GIAS links.

    Each pair of schools is usually linked both ways ("Successor" on the old
    URN's row, "Predecessor" on the new one's), but either direction alone is
    enough here. Links of other types ("Sixth Form Centre Link", "Other",
    "Merged - expansion of school capacity") are not succession.
    """

    def __init__(self, links: Iterable[Link]) -> None:
        self._after: dict[int, set[int]] = defaultdict(set)
        self._before: dict[int, set[int]] = defaultdict(set)
        for link in links:
            if link.names_successor:
                old, new = link.urn, link.link_urn
            elif link.names_predecessor:
                old, new = link.link_urn, link.urn
            else:
                continue
            self._after[old].add(new)
            self._before[new].add(old)

    def successors(self, urn: int) -> list[int]:
        """The URNs that directly carried on from ``urn``."""
        return sorted(self._after.get(urn, ()))

    def predecessors(self, urn: int) -> list[int]:
        """The URNs ``urn`` directly carried on from."""
        return sorted(self._before.get(urn, ()))

    def successor_chain(self, urn: int) -> list[int]:
        """Every later URN, nearest first; a school that split lists both halves."""
        return _walk(urn, self._after)

    def predecessor_chain(self, urn: int) -> list[int]:
        """Every earlier URN, nearest first; an amalgamation lists each school merged."""
        return _walk(urn, self._before)


def _walk(start: int, graph: Mapping[int, set[int]]) -> list[int]:
    order: list[int] = []
    seen = {start}
    frontier = [start]
    while frontier:
        following = []
        for urn in frontier:
            for after in sorted(graph.get(urn, ())):
                if after not in seen:  # so that a loop in the data cannot hang us
                    seen.add(after)
                    order.append(after)
                    following.append(after)
        frontier = following
    return order


def successor_chain(urn: int, links: Iterable[Link]) -> list[int]:
    """The URNs that carried on from ``urn``, nearest first."""
    return Succession(links).successor_chain(urn)


def predecessor_chain(urn: int, links: Iterable[Link]) -> list[int]:
    """The URNs ``urn`` carried on from, nearest first."""
    return Succession(links).predecessor_chain(urn)
