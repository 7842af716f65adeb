"""Partnership roll-ups: what a board reports, from :func:`scoring.batch.score_many`
output and the cycle's register of returns.

The register (``returns`` below) is a frame with one row per organisation invited in
the cycle: ``return_id``, ``organisation_id``, ``submitted_at`` (first submission, a
date or datetime; empty when nothing was submitted) and any sector columns to break
figures down by (agency type, school phase, establishment type, duty ...). Every
function here is a handful of pandas operations on whole columns; none loops over
answers or returns. Percentages run from 0 to 100.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from datetime import date

import pandas as pd

from scoring.batch import COLOURS, BatchScores
from scoring.results import StandardStatus

_NOT_APPLICABLE = StandardStatus.NOT_APPLICABLE.value
_RAG = [*COLOURS, _NOT_APPLICABLE]
_UK = "Europe/London"  # deadlines are days in England


def _with_register(frame: pd.DataFrame, returns: pd.DataFrame | None, by: str | None):
    if by is None or by in frame.columns:
        return frame
    if returns is None:
        raise ValueError(f"breaking down by {by!r} needs the register of returns")
    register = returns[["return_id", by]]
    return frame.merge(register, on="return_id", how="left", validate="many_to_one")


def rag_by_standard(
    standards: pd.DataFrame, returns: pd.DataFrame | None = None, by: str | None = None
) -> pd.DataFrame:
    """The RAG distribution of each standard, optionally by sector.

    ``standards`` is ``BatchScores.standards`` for the returns to count (usually the
    submitted ones); ``by`` names a column of ``returns`` (or of ``standards``). Each
    return counts once per standard, by the colour of its final (moderated, else
    scored) rating, or as not applicable; standards with no rating yet are left out.

    One row per standard (questionnaire order) and sector: ``organisations`` counted,
    the counts ``green``, ``amber``, ``red``, ``not_applicable``, and each as a
    percentage of ``organisations`` (``pct_green`` ...).
    """
    frame = _with_register(standards, returns, by)
    rated = frame["final_colour"].notna()
    counted = frame[rated | (frame["status"] == _NOT_APPLICABLE)]
    category = counted["final_colour"].astype(object).where(rated[counted.index], _NOT_APPLICABLE)
    keys = ["section_id"] if by is None else ["section_id", by]
    grouped = counted[keys].assign(category=pd.Categorical(category, categories=_RAG))
    # dropna=False: an organisation missing from the sector column still counts, under NaN.
    counts = grouped.groupby([*keys, "category"], observed=True, sort=True, dropna=False).size()
    table = counts.unstack("category", fill_value=0).reindex(columns=_RAG, fill_value=0)
    table.columns = list(_RAG)
    table.insert(0, "organisations", table.sum(axis=1))
    for column in _RAG:
        table[f"pct_{column}"] = 100 * table[column] / table["organisations"]
    return table.reset_index()


def rag_change(previous: pd.DataFrame, current: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Year-on-year change of two :func:`rag_by_standard` tables, joined by standard id
    (and sector): each ``pct_*`` column of both years and its change in percentage
    points (``change_pct_green`` ...). Standards in only one year are left out."""
    keys = ["section_id"] if by is None else ["section_id", by]
    columns = [f"pct_{column}" for column in _RAG]

    def prepare(table: pd.DataFrame) -> pd.DataFrame:
        table = table[[*keys, *columns]].copy()
        table["section_id"] = table["section_id"].astype(object)
        return table

    merged = prepare(previous).merge(
        prepare(current), on=keys, how="inner", suffixes=("_previous", "_current")
    )
    for column in columns:
        change = merged[f"{column}_current"] - merged[f"{column}_previous"]
        merged[f"change_{column}"] = change
    return merged


def _submitted_days(returns: pd.DataFrame) -> pd.Series:
    moments = pd.to_datetime(returns["submitted_at"])
    if moments.dt.tz is not None:
        moments = moments.dt.tz_convert(_UK).dt.tz_localize(None)
    return moments.dt.normalize()


def return_rates(
    returns: pd.DataFrame, initial_deadline: date, final_deadline: date, by: str | None = None
) -> pd.DataFrame:
    """Return rates at the initial and the final deadline, optionally by sector.

    A return counts as returned by a deadline when first submitted on or before that
    day (timezone-aware times are read as UK time). One row per sector (one row in all
    without ``by``): ``expected``, ``returned_by_initial``, ``pct_by_initial``,
    ``returned_by_final``, ``pct_by_final``.
    """
    days = _submitted_days(returns)
    frame = pd.DataFrame(
        {
            "expected": 1,
            "returned_by_initial": days <= pd.Timestamp(initial_deadline),
            "returned_by_final": days <= pd.Timestamp(final_deadline),
        },
        index=returns.index,
    )
    if by is None:
        table = frame.sum().to_frame().T
    else:
        frame[by] = returns[by]
        table = frame.groupby(by, sort=True, observed=True, dropna=False).sum().reset_index()
    for deadline in ("initial", "final"):
        returned = table[f"returned_by_{deadline}"].astype("int64")
        table[f"returned_by_{deadline}"] = returned
        table[f"pct_by_{deadline}"] = 100 * returned / table["expected"]
    order = ["returned_by_initial", "pct_by_initial", "returned_by_final", "pct_by_final"]
    keys = [] if by is None else [by]
    return table[[*keys, "expected", *order]]


def non_returning(returns: pd.DataFrame, final_deadline: date) -> pd.DataFrame:
    """The organisations with nothing submitted by the final deadline: their register
    rows (``submitted_at`` shows any late submission), by ``organisation_id``."""
    late = ~(_submitted_days(returns) <= pd.Timestamp(final_deadline))
    return returns[late].sort_values("organisation_id", kind="stable").reset_index(drop=True)


def non_compliant(scores: BatchScores, returns: pd.DataFrame) -> pd.DataFrame:
    """The organisations with any red standard or a red overall rating (by colour of
    the final ratings): ``organisation_id``, ``return_id``, ``overall_rating``,
    ``red_standards`` (a tuple of standard ids in questionnaire order), by
    ``organisation_id``."""
    standards = scores.standards
    red = standards[standards["final_colour"] == "red"]
    red_ids = red["section_id"].astype(object)
    red_standards = red_ids.groupby(red["return_id"], sort=False).agg(tuple)
    overall = scores.overall.set_index("return_id")
    flagged = overall.index[overall["colour"] == "red"].union(red_standards.index)
    frame = pd.DataFrame(
        {
            "return_id": flagged,
            "overall_rating": overall.loc[flagged, "rating"].to_numpy(),
            "red_standards": red_standards.reindex(flagged, fill_value=()).to_numpy(),
        }
    )
    register = returns[["return_id", "organisation_id"]]
    frame = frame.merge(register, on="return_id", how="left", validate="one_to_one")
    frame = frame[["organisation_id", "return_id", "overall_rating", "red_standards"]]
    return frame.sort_values("organisation_id", kind="stable").reset_index(drop=True)


def resolve_successors(
    organisation_ids: pd.Series,
    successors: Mapping[Hashable, Hashable],
    present: Iterable[Hashable] = (),
) -> pd.Series:
    """Each organisation id followed along its successor links (old id to new, e.g. a
    school's URN to its academy's), possibly through several links, stopping at the
    first id in ``present`` (the organisations of the cycle compared with) or at the
    end of the chain. ``ValueError`` if the links go round in a loop."""
    links = pd.Series(dict(successors), dtype=object)
    stop = pd.Index(list(present), dtype=object)
    current = organisation_ids.astype(object)
    for _ in range(len(links) + 1):
        following = current.map(links)
        moves = following.notna() & ~current.isin(stop)
        if not moves.any():
            return current
        current = current.where(~moves, following)
    looping = sorted(map(str, current[current.map(links).notna()].unique()))
    raise ValueError(f"successor links go round in a loop through {', '.join(looping)}")


def year_on_year(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    previous_returns: pd.DataFrame,
    current_returns: pd.DataFrame,
    successors: Mapping[Hashable, Hashable] | None = None,
    on: str = "section_id",
) -> pd.DataFrame:
    """Each organisation's change since the previous cycle, standard by standard
    (``on="section_id"``, from ``BatchScores.standards``) or question by question
    (``on="question_id"``, from ``BatchScores.questions``).

    Returns are matched to organisations through each cycle's register; last cycle's
    organisations are followed to their successors (:func:`resolve_successors`), then
    joined with this cycle's on organisation and the stable standard or question id.
    Rows: ``organisation_id``, ``previous_organisation_id``, ``on``,
    ``previous_score``, ``current_score``, ``score_change`` and, for standards,
    ``previous_rating``, ``current_rating`` (final ratings), ``band_change`` (bands
    moved up: negative when the rating fell; both years must use the same scale) and
    ``declined``. Two predecessors merged into one organisation give a row each.
    """
    ratings = "final_position" in previous.columns and "final_position" in current.columns
    columns = ["score", "final_rating", "final_position"] if ratings else ["score"]

    def with_organisations(scores: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
        frame = scores[["return_id", on, *columns]].merge(
            register[["return_id", "organisation_id"]],
            on="return_id",
            how="inner",
            validate="many_to_one",
        )
        frame[on] = frame[on].astype(object)
        if ratings:
            frame["final_rating"] = frame["final_rating"].astype(object)
        return frame.drop(columns="return_id")

    before = with_organisations(previous, previous_returns)
    after = with_organisations(current, current_returns)
    before["previous_organisation_id"] = before["organisation_id"]
    before["organisation_id"] = resolve_successors(
        before["organisation_id"], successors or {}, present=after["organisation_id"].unique()
    )
    merged = before.merge(after, on=["organisation_id", on], how="inner", suffixes=("_previous", "_current"))
    frame = pd.DataFrame(
        {
            "organisation_id": merged["organisation_id"],
            "previous_organisation_id": merged["previous_organisation_id"],
            on: merged[on],
            "previous_score": merged["score_previous"],
            "current_score": merged["score_current"],
            "score_change": merged["score_current"] - merged["score_previous"],
        }
    )
    if ratings:
        before_band = merged["final_position_previous"].where(lambda p: p >= 0)
        after_band = merged["final_position_current"].where(lambda p: p >= 0)
        frame["previous_rating"] = merged["final_rating_previous"]
        frame["current_rating"] = merged["final_rating_current"]
        frame["band_change"] = (before_band - after_band).astype("Int64")
        frame["declined"] = (frame["band_change"] < 0).fillna(False).astype(bool)
    ordered = frame.sort_values(["organisation_id", "previous_organisation_id"], kind="stable")
    return ordered.reset_index(drop=True)
