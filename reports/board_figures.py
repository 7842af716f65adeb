"""The figures a board summary reports, counted from the cycle's returns.

Every figure comes from the same :class:`~reports.data.OrganisationReturn` rows as the
organisation-by-standard heat map, so the percentages and the map can never disagree.
The definitions follow :mod:`scoring.rollup`: a return counts as made by a deadline
when first submitted on or before that day; a standard's percentages are of the
organisations with a rating or "not applicable" for it; an organisation is
non-compliant when any standard's final rating, or its overall rating, is red.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reports.data import CycleRef, OrganisationRef, OrganisationReturn, StandardRef

ALL_ORGANISATIONS = "All organisations"


@dataclass(frozen=True)
class ReturnRate:
    """Returns expected from a group and made by each deadline."""

    group: str
    expected: int
    by_initial: int
    by_final: int

    @property
    def pct_by_initial(self) -> float:
        return 100 * self.by_initial / self.expected if self.expected else 0.0

    @property
    def pct_by_final(self) -> float:
        return 100 * self.by_final / self.expected if self.expected else 0.0


@dataclass(frozen=True)
class Distribution:
    """How the organisations that returned were rated on one standard, by colour."""

    standard: StandardRef
    green: int
    amber: int
    red: int
    not_applicable: int

    @property
    def counted(self) -> int:
        return self.green + self.amber + self.red + self.not_applicable

    def pct(self, count: int) -> float:
        """``count`` as a percentage of the organisations counted (0 when none were)."""
        return 100 * count / self.counted if self.counted else 0.0

    @property
    def pct_green(self) -> float:
        return self.pct(self.green)


@dataclass(frozen=True)
class NonCompliance:
    """An organisation with a red rating, and the standards rated red."""

    organisation: OrganisationRef
    red_standards: tuple[str, ...]
    overall_red: bool


def returned_by(ret: OrganisationReturn, deadline: date) -> bool:
    """First submitted on or before ``deadline`` (deadlines are whole days)."""
    return ret.submitted_on is not None and ret.submitted_on <= deadline


def return_rates(returns: Sequence[OrganisationReturn], cycle: CycleRef) -> list[ReturnRate]:
    """Return rates by sector (alphabetical), then for all organisations."""
    groups: dict[str, list[OrganisationReturn]] = {}
    for ret in returns:
        groups.setdefault(ret.organisation.sector, []).append(ret)

    def rate(group: str, members: Sequence[OrganisationReturn]) -> ReturnRate:
        return ReturnRate(
            group,
            len(members),
            sum(returned_by(ret, cycle.initial_deadline) for ret in members),
            sum(returned_by(ret, cycle.last_deadline) for ret in members),
        )

    rates = [rate(group, groups[group]) for group in sorted(groups)]
    return [*rates, rate(ALL_ORGANISATIONS, returns)]


def distributions(
    returns: Sequence[OrganisationReturn], standards: Sequence[StandardRef]
) -> list[Distribution]:
    """Each standard's ratings across the returns made, by the colour of the final
    (moderated, else scored) rating; standards not yet rated are left out of the counts."""
    counts = {standard.section_id: {"green": 0, "amber": 0, "red": 0, "na": 0} for standard in standards}
    for ret in returns:
        if not ret.submitted:
            continue
        for result in ret.standards:
            tally = counts.get(result.section_id)
            if tally is None:
                continue
            if result.not_applicable:
                tally["na"] += 1
            elif result.final_rating is not None:
                tally[result.final_rating.colour] += 1
    found = []
    for standard in standards:
        tally = counts[standard.section_id]
        found.append(Distribution(standard, tally["green"], tally["amber"], tally["red"], tally["na"]))
    return found


def non_compliant(
    returns: Sequence[OrganisationReturn], standards: Sequence[StandardRef]
) -> list[NonCompliance]:
    """Organisations with any red standard or a red overall rating, by name."""
    titles = {standard.section_id: standard.title for standard in standards}
    found = []
    for ret in returns:
        if not ret.submitted:
            continue
        red = tuple(
            titles.get(result.section_id, result.title)
            for result in ret.standards
            if result.final_rating is not None and result.final_rating.colour == "red"
        )
        overall_red = ret.overall is not None and ret.overall.colour == "red"
        if red or overall_red:
            found.append(NonCompliance(ret.organisation, red, overall_red))
    return sorted(found, key=lambda item: item.organisation.name.casefold())


def non_returning(returns: Sequence[OrganisationReturn], cycle: CycleRef) -> list[OrganisationReturn]:
    """Organisations with nothing submitted by the final deadline, by name."""
    late = [ret for ret in returns if not returned_by(ret, cycle.last_deadline)]
    return sorted(late, key=lambda ret: ret.organisation.name.casefold())
