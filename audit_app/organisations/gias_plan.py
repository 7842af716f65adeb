"""What importing a GIAS establishment file would do to a partnership's register.

Pure: the rows the registers reader kept, the GIAS links and a snapshot of the
organisations already held go in; a :class:`GiasPlan` comes out, saying which
organisations would be created, updated, added to the partnership or marked
closed, which successor links would be set, which rows were skipped and why,
and which errors stop the import. The same plan is shown as the dry run and
then written by :func:`audit_app.data.imports.write_gias_plan`, so what a
person approves is what happens.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scoring.definitions.model import Duty

from ..data.imports import HeldOrganisation
from ..models import OrganisationKind, OrganisationStatus
from ..registers.csvfile import Problem
from ..registers.gias import Establishment, GiasReadResult, Succession
from .summaries import LISTED, Change, FileProblem, file_problems

CLOSED_NOT_HELD = "closed_not_held"
SKIP_LABELS = {
    "other_la": "In a local authority the partnership does not cover",
    "out_of_scope": "A type of establishment outside the audit",
    "proposed_to_open": "Proposed to open: not open yet",
    CLOSED_NOT_HELD: "Closed, and not in the register",
}
# Rows skipped for these reasons are counted by their detail (the LA, the
# type) rather than listed one by one: in a national file they are most rows.
_GROUPED_SKIPS = {"other_la", "out_of_scope"}


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _format_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _joined(*parts: object, separator: str = " ") -> str:
    return separator.join(_text(part) for part in parts if _text(part))


def _ages(low: int | None, high: int | None) -> str:
    return f"{low} to {high}" if low is not None and high is not None else _joined(low, high)


@dataclass(frozen=True)
class FieldGroup:
    """Columns that change together and are described as one field, e.g. "address"."""

    label: str
    columns: tuple[str, ...]
    describe: Callable[..., str]


# What the import keeps of a GIAS row, in the order changes are listed.
FIELD_GROUPS = (
    FieldGroup("name", ("name",), _text),
    FieldGroup("status", ("status",), lambda s: s.value.capitalize() if s else ""),
    FieldGroup("kind", ("kind",), lambda k: k.value.capitalize() if k else ""),
    FieldGroup("duty", ("duty",), _text),
    FieldGroup("type", ("type_code", "type_name"), _joined),
    FieldGroup("phase", ("phase",), _text),
    FieldGroup("age range", ("low_age", "high_age"), _ages),
    FieldGroup("number of pupils", ("pupils",), _text),
    FieldGroup(
        "trust", ("trust_name", "trust_code"), lambda n, c: f"{n} ({c})" if n and c else _joined(n, c)
    ),
    FieldGroup("local authority", ("la_code", "la_name"), _joined),
    FieldGroup("establishment number", ("establishment_number",), _text),
    FieldGroup("UKPRN", ("ukprn",), _text),
    FieldGroup("open date", ("opened_on",), _format_date),
    FieldGroup("close date", ("closed_on",), _format_date),
    FieldGroup("reason closed", ("close_reason",), _text),
    FieldGroup("address", ("street", "town", "postcode"), lambda *p: _joined(*p, separator=", ")),
    FieldGroup("website", ("website",), _text),
    FieldGroup("telephone", ("telephone",), _text),
)
GIAS_COLUMNS = tuple(column for group in FIELD_GROUPS for column in group.columns)
HEAD_TEACHER = "head teacher"


def organisation_values(establishment: Establishment, closed: bool) -> dict[str, Any]:
    """The organisation's columns as the import stores them; blank text is None."""
    e = establishment

    def blank_as_none(text: str) -> str | None:
        return text or None

    return {
        "name": e.name,
        "status": OrganisationStatus.CLOSED if closed else OrganisationStatus.OPEN,
        "kind": OrganisationKind.COLLEGE if e.duty is Duty.FE else OrganisationKind.SCHOOL,
        "duty": e.duty.value,
        "type_code": e.type_code,
        "type_name": blank_as_none(e.type_name),
        "phase": blank_as_none(e.phase),
        "low_age": e.low_age,
        "high_age": e.high_age,
        "pupils": e.pupils,
        "trust_name": blank_as_none(e.trust_name),
        "trust_code": blank_as_none(e.trust_code),
        "la_code": e.la_code,
        "la_name": blank_as_none(e.la_name),
        "establishment_number": blank_as_none(e.establishment_number),
        "ukprn": blank_as_none(e.ukprn),
        "opened_on": e.open_date,
        # For status 3 GIAS's close date is only proposed, so an open school has none.
        "closed_on": e.close_date if closed else None,
        "close_reason": blank_as_none(e.close_reason),
        "street": blank_as_none(e.street),
        "town": blank_as_none(e.town),
        "postcode": blank_as_none(e.postcode),
        "website": blank_as_none(e.website),
        "telephone": blank_as_none(e.telephone),
    }


def _same(old: object, new: object) -> bool:
    # The demo seed and older imports stored some blanks as "" rather than None.
    return (old if old != "" else None) == (new if new != "" else None)


@dataclass
class PlannedOrganisation:
    """One organisation the import creates or changes."""

    urn: int
    name: str
    values: dict[str, Any]  # for a new one every column; otherwise only those that change
    changes: list[Change] = field(default_factory=list)
    old_values: dict[str, Any] = field(default_factory=dict)  # what ``values`` replace, for the audit trail
    id: int | None = None  # None for a new organisation
    head_contact: tuple[int, str, str] | None = None  # (contact id, old name, the name GIAS now gives)

    def brief(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "urn": self.urn,
            "name": self.name,
            "duty": self.values.get("duty"),
            "changes": [[c.field, c.old, c.new] for c in self.changes],
        }


@dataclass(frozen=True)
class PlannedLink:
    """``urn`` was carried on by ``successor_urn`` (academy conversion, amalgamation)."""

    urn: int
    name: str
    successor_urn: int
    successor_name: str


@dataclass(frozen=True)
class Skipped:
    """A row the import leaves out, and why (a :data:`SKIP_LABELS` key)."""

    row: int
    urn: int | None
    name: str
    reason: str
    detail: str  # the LA, the type or the date, for the summary


@dataclass
class GiasPlan:
    filename: str
    links_filename: str | None
    la_codes: list[str] | None
    rows_read: int = 0
    new: list[PlannedOrganisation] = field(default_factory=list)
    added: list[PlannedOrganisation] = field(default_factory=list)  # held for another partnership
    updated: list[PlannedOrganisation] = field(default_factory=list)
    closed: list[PlannedOrganisation] = field(default_factory=list)
    unchanged: int = 0
    links: list[PlannedLink] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[FileProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        return bool(self.new or self.added or self.updated or self.closed or self.links)

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "added": len(self.added),
            "updated": len(self.updated),
            "closed": len(self.closed),
            "unchanged": self.unchanged,
            "linked": len(self.links),
            "skipped": len(self.skipped),
            "errors": len(self.errors),
        }

    def summary(self) -> dict[str, Any]:
        """The plan as the JSON an ImportRun keeps and the summary page shows."""

        def listed(items: list, describe: Callable[[Any], Any]) -> list:
            return [describe(item) for item in items[:LISTED]]

        return {
            "file": self.filename,
            "links_file": self.links_filename,
            "la_codes": self.la_codes,
            "rows_read": self.rows_read,
            "counts": self.counts(),
            "new": listed(self.new, PlannedOrganisation.brief),
            "added": listed(self.added, PlannedOrganisation.brief),
            "updated": listed(self.updated, PlannedOrganisation.brief),
            "closed": listed(self.closed, PlannedOrganisation.brief),
            "links": listed(
                self.links,
                lambda link: {
                    "urn": link.urn,
                    "name": link.name,
                    "successor_urn": link.successor_urn,
                    "successor_name": link.successor_name,
                },
            ),
            "skipped": _skipped_summary(self.skipped),
            "errors": listed(
                self.errors,
                lambda p: {"file": p.file, "row": p.row, "column": p.column, "message": p.message},
            ),
            "warnings": self.warnings,
            "listed": LISTED,
        }


def _skipped_summary(skipped: list[Skipped]) -> list[dict[str, Any]]:
    """Skipped rows by reason: grouped by LA or type where there are many, else row by row."""
    groups: dict[tuple[str, str], int] = Counter()
    rows: list[dict[str, Any]] = []
    for item in skipped:
        reason = item.reason
        if reason in _GROUPED_SKIPS:
            groups[(reason, item.detail)] += 1
        elif len(rows) < LISTED:
            rows.append(
                {"reason": reason, "label": SKIP_LABELS[reason], "detail": item.detail}
                | {"row": item.row, "urn": item.urn, "name": item.name, "count": 1}
            )
    grouped = [
        {"reason": reason, "label": SKIP_LABELS[reason], "detail": detail, "count": count}
        | {"row": None, "urn": None, "name": None}
        for (reason, detail), count in sorted(groups.items())
    ]
    return grouped + rows


def _compare(
    held: HeldOrganisation, wanted: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], list[Change]]:
    """The columns that change (new and old values) and how to describe each change."""
    values: dict[str, Any] = {}
    old_values: dict[str, Any] = {}
    changes: list[Change] = []
    for group in FIELD_GROUPS:
        old = [held.values.get(column) for column in group.columns]
        new = [wanted[column] for column in group.columns]
        if all(_same(a, b) for a, b in zip(old, new, strict=True)):
            continue
        values.update(zip(group.columns, new, strict=True))
        old_values.update(zip(group.columns, old, strict=True))
        changes.append(Change(group.label, group.describe(*old), group.describe(*new)))
    return values, old_values, changes


def plan_gias_import(
    read: GiasReadResult,
    held: Mapping[int, HeldOrganisation],
    *,
    filename: str,
    la_codes: list[str] | None,
    succession: Succession | None = None,
    links_filename: str | None = None,
    link_problems: Iterable[Problem] = (),
) -> GiasPlan:
    """Compare what the file says with what is held (``held`` by URN, every partnership's)."""
    plan = GiasPlan(filename=filename, links_filename=links_filename, la_codes=la_codes)
    plan.rows_read = read.rows_read
    plan.errors = file_problems(filename, read.errors) + file_problems(links_filename or "", link_problems)
    plan.skipped = [Skipped(s.row, s.urn, s.name, s.reason.value, s.detail) for s in read.skipped]
    names: dict[int, str] = {urn: h.values.get("name") or "" for urn, h in held.items()}

    for establishment, closed in [
        *((e, False) for e in read.establishments),
        *((e, True) for e in read.closed),
    ]:
        wanted = organisation_values(establishment, closed)
        current = held.get(establishment.urn)
        names[establishment.urn] = establishment.name
        if current is None or (closed and not current.in_partnership):
            if closed:
                plan.skipped.append(
                    Skipped(
                        establishment.row,
                        establishment.urn,
                        establishment.name,
                        CLOSED_NOT_HELD,
                        f"closed {_format_date(establishment.close_date)}".strip(),
                    )
                )
            else:
                plan.new.append(PlannedOrganisation(establishment.urn, establishment.name, wanted))
            continue
        values, old_values, changes = _compare(current, wanted)
        head_contact = None
        head = establishment.head.name
        if current.head is not None and head and current.head[1] != head:
            head_contact = (current.head[0], current.head[1], head)
            changes.append(Change(HEAD_TEACHER, current.head[1], head))
        planned = PlannedOrganisation(
            establishment.urn, establishment.name, values, changes, old_values, current.id, head_contact
        )
        if not current.in_partnership:
            plan.added.append(planned)
        elif closed and current.values.get("status") is not OrganisationStatus.CLOSED:
            plan.closed.append(planned)
        elif changes:
            plan.updated.append(planned)
        else:
            plan.unchanged += 1

    if succession is not None:
        plan.links = _links(plan, held, succession, names)
    if la_codes and not (read.establishments or read.closed) and not plan.errors:
        plan.warnings.append(
            f"No schools or colleges in LA {', '.join(la_codes)} are in this file: check the LA codes."
        )
    if any(c.field == HEAD_TEACHER for o in plan.updated + plan.added + plan.closed for c in o.changes):
        plan.warnings.append(
            "GIAS has no email addresses: check the email address of each head teacher contact whose name changes."
        )
    return plan


def _links(
    plan: GiasPlan, held: Mapping[int, HeldOrganisation], succession: Succession, names: dict[int, str]
) -> list[PlannedLink]:
    """Set each organisation's successor to the nearest later URN the register holds.

    A school that converted to an academy which later joined another trust
    has a chain of successors; if the middle one was never in the register,
    history skips straight to the one that is, as the demo seed does.
    """
    present = set(held) | {o.urn for o in plan.new}
    members = {urn for urn, h in held.items() if h.in_partnership} | {o.urn for o in plan.new + plan.added}
    urn_of_id = {h.id: urn for urn, h in held.items()}
    links = []
    for urn in sorted(members):
        target = next((u for u in succession.successor_chain(urn) if u in present and u != urn), None)
        if target is None:
            continue
        current = held.get(urn)
        if current is not None and urn_of_id.get(current.successor_id) == target:
            continue
        links.append(PlannedLink(urn, names.get(urn, ""), target, names.get(target, "")))
    return links
