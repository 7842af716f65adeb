"""Importing the registers: check a file (the dry run), then apply exactly what was checked.

The command line and the web share these steps. Reading and comparing are
pure (:mod:`audit_app.registers`, :mod:`.gias_plan`, :mod:`.agency_plan`);
what is held and what is written go through :mod:`audit_app.data.imports`.
An import with any error writes nothing, and an import that is applied is
written in one transaction.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..data import imports
from ..models import ImportRun, Partnership
from ..registers.agencies import read_agencies
from ..registers.csvfile import Problem
from ..registers.gias import GiasFileError, Succession, read_establishments, read_links
from . import uploads
from .agency_plan import AgencyPlan, plan_agency_import
from .gias_plan import GiasPlan, plan_gias_import

Source = bytes | str | os.PathLike[str]
Reading = Callable[[int], None]  # told how many more bytes have been read


class ImportRefused(Exception):
    """The import cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class RegisterFile:
    """A file to import: its bytes or a path, and the name to show people."""

    source: Source
    filename: str

    @classmethod
    def upload(cls, storage) -> RegisterFile:
        """From a Werkzeug upload: read whole, since it is kept for the apply."""
        return cls(storage.read(), Path(storage.filename or "upload.csv").name)

    def size(self) -> int:
        return len(self.source) if isinstance(self.source, bytes) else os.path.getsize(self.source)


class _CountingReader(io.BufferedReader):
    """A file that reports each read, for a progress bar over a large file."""

    def __init__(self, raw, reading: Reading) -> None:
        super().__init__(raw, buffer_size=1 << 20)
        self._reading = reading

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self._reading(len(data))
        return data

    def read1(self, size: int = -1) -> bytes:
        data = super().read1(size)
        self._reading(len(data))
        return data


def _opened(file: RegisterFile, reading: Reading | None):
    if reading is None:
        return None
    raw = io.BytesIO(file.source) if isinstance(file.source, bytes) else io.FileIO(file.source)
    return _CountingReader(raw, reading)


def check_gias(
    partnership: Partnership,
    establishments: RegisterFile,
    la_codes: list[str] | None,
    links: RegisterFile | None = None,
    reading: Reading | None = None,
) -> GiasPlan:
    """The dry run: what importing the file would do (``la_codes`` None keeps every LA).

    ``reading`` is told of progress through the file, which is read twice:
    once to find its encoding, once for its rows.
    """
    stream = _opened(establishments, reading)
    try:
        read = read_establishments(
            stream or establishments.source, la_codes, overrides=partnership.type_duty_overrides
        )
    finally:
        if stream is not None:
            stream.close()
    succession = None
    link_problems: list[Problem] = []
    if links is not None:
        try:
            succession = Succession(read_links(links.source))
        except GiasFileError as exc:
            link_problems = list(exc.problems)
    plan = plan_gias_import(
        read,
        imports.held_organisations(partnership),
        filename=establishments.filename,
        la_codes=la_codes,
        succession=succession,
        links_filename=links.filename if links else None,
        link_problems=link_problems,
    )
    if read.encoding == "utf-8-sig" or (
        read.encoding == "utf-8" and any(not e.name.isascii() for e in read.establishments + read.closed)
    ):
        plan.warnings.insert(
            0,
            f"{establishments.filename} is saved in UTF-8, not in the Windows-1252 that GIAS publishes: it was "
            "probably opened and saved again in a spreadsheet. It was read as UTF-8; check that names with "
            "accents and apostrophes look right.",
        )
    return plan


def file_level_errors(summary: dict) -> list[dict]:
    """Errors about the file as a whole (it is not CSV, a column is missing): no row to point at."""
    return [error for error in summary.get("errors", []) if error["row"] is None]


def dry_run_gias_upload(
    partnership: Partnership,
    establishments: RegisterFile,
    la_codes: list[str],
    links: RegisterFile | None,
    user_id: int | None,
) -> ImportRun:
    """Check an uploaded GIAS file, keep its bytes for the apply, and record the dry run."""
    uploads.prune()
    plan = check_gias(partnership, establishments, la_codes, links)
    digest = uploads.sha256_of(establishments.source)
    summary = plan.summary()
    if not plan.errors and plan.changes_anything:
        uploads.keep(establishments.source)
        summary["links_sha256"] = uploads.keep(links.source) if links else None
    run = imports.record_run(
        partnership,
        imports.GIAS_KIND,
        establishments.filename,
        digest,
        summary,
        user_id=user_id,
        dry_run=True,
    )
    imports.commit()
    return run


def refusal(run: ImportRun) -> str | None:
    """Why this dry run cannot be applied now, or None."""
    if run.applied_at is not None:
        return f"This import of {run.filename} has already been applied."
    if run.summary.get("counts", {}).get("errors"):
        return f"{run.filename} has errors, so it cannot be applied. Correct the file and upload it again."
    try:
        uploads.read_kept(run.sha256, run.filename)
        if run.summary.get("links_sha256"):
            uploads.read_kept(run.summary["links_sha256"], run.summary.get("links_file") or "the links file")
    except uploads.StoredFileProblem as exc:
        return str(exc)
    return None


def _kept(run: ImportRun) -> tuple[RegisterFile, RegisterFile | None]:
    try:
        establishments = RegisterFile(uploads.read_kept(run.sha256, run.filename), run.filename)
        links = None
        if run.summary.get("links_sha256"):
            links_name = run.summary.get("links_file") or "links file"
            links = RegisterFile(uploads.read_kept(run.summary["links_sha256"], links_name), links_name)
    except uploads.StoredFileProblem as exc:
        raise ImportRefused(str(exc)) from None
    return establishments, links


def apply_gias_run(partnership: Partnership, run: ImportRun, progress: imports.Progress) -> GiasPlan:
    """Apply a checked GIAS import from the bytes kept at its dry run, in the caller's transaction;
    once that has committed, the caller calls :func:`forget_applied_files`."""
    establishments, links = _kept(run)
    if not imports.claim_for_applying(run):
        raise ImportRefused(f"This import of {run.filename} has already been applied.")
    plan = check_gias(partnership, establishments, run.summary.get("la_codes"), links)
    if plan.errors:
        raise ImportRefused(f"{run.filename} has errors, so nothing was imported.")
    imports.write_gias_plan(partnership, plan, progress, user_id=run.created_by_id)
    imports.save_summary(run, plan.summary() | {"links_sha256": run.summary.get("links_sha256")})
    return plan


def forget_applied_files(run: ImportRun) -> None:
    """Remove the kept files of a run whose apply has committed.

    Only after the commit: an apply that dies before it (a killed worker) leaves
    the dry run unapplied, and it must still find its files to be applied again.
    """
    uploads.discard({run.sha256, run.summary.get("links_sha256") or ""}, imports.files_still_needed())


def import_gias_file(
    partnership: Partnership,
    establishments: RegisterFile,
    la_codes: list[str] | None,
    links: RegisterFile | None,
    *,
    dry_run: bool,
    reading: Reading | None = None,
    progress: imports.Progress | None = None,
) -> tuple[GiasPlan, ImportRun]:
    """The command line's import: check, then (unless a dry run, or errors) write; one commit."""
    plan = check_gias(partnership, establishments, la_codes, links, reading)
    applying = not dry_run and not plan.errors
    if applying:
        imports.write_gias_plan(partnership, plan, progress or (lambda done, total: None))
    run = imports.record_run(
        partnership,
        imports.GIAS_KIND,
        establishments.filename,
        _sha256_of_file(establishments),
        plan.summary(),
        user_id=None,
        dry_run=not applying,
    )
    imports.commit()
    return plan, run


def _sha256_of_file(file: RegisterFile) -> str:
    if isinstance(file.source, bytes):
        return uploads.sha256_of(file.source)
    return uploads.sha256_of_path(file.source)


# ---- agencies ----------------------------------------------------------------


def check_agencies(partnership: Partnership, file: RegisterFile) -> AgencyPlan:
    return plan_agency_import(
        read_agencies(file.source), imports.held_agencies(partnership), filename=file.filename
    )


def dry_run_agency_upload(partnership: Partnership, file: RegisterFile, user_id: int | None) -> ImportRun:
    uploads.prune()
    plan = check_agencies(partnership, file)
    if not plan.errors and plan.changes_anything:
        uploads.keep(file.source)
    run = imports.record_run(
        partnership,
        imports.AGENCIES_KIND,
        file.filename,
        uploads.sha256_of(file.source),
        plan.summary(),
        user_id=user_id,
        dry_run=True,
    )
    imports.commit()
    return run


def apply_agency_run(partnership: Partnership, run: ImportRun) -> AgencyPlan:
    """Apply a checked agency list from its kept bytes, and commit."""
    try:
        file = RegisterFile(uploads.read_kept(run.sha256, run.filename), run.filename)
    except uploads.StoredFileProblem as exc:
        raise ImportRefused(str(exc)) from None
    if not imports.claim_for_applying(run):
        raise ImportRefused(f"This import of {run.filename} has already been applied.")
    plan = check_agencies(partnership, file)
    if plan.errors:
        imports.rollback()
        raise ImportRefused(f"{run.filename} has errors, so nothing was imported.")
    imports.write_agency_plan(partnership, plan)
    imports.save_summary(run, plan.summary())
    imports.commit()
    uploads.discard({run.sha256}, imports.files_still_needed())
    return plan


def import_agency_file(
    partnership: Partnership, file: RegisterFile, *, dry_run: bool
) -> tuple[AgencyPlan, ImportRun]:
    """The command line's agency import: check, then (unless a dry run, or errors) write; one commit."""
    plan = check_agencies(partnership, file)
    applying = not dry_run and not plan.errors
    if applying:
        imports.write_agency_plan(partnership, plan)
    run = imports.record_run(
        partnership,
        imports.AGENCIES_KIND,
        file.filename,
        _sha256_of_file(file),
        plan.summary(),
        user_id=None,
        dry_run=not applying,
    )
    imports.commit()
    return plan, run
