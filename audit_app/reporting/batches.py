"""Batches of PDFs made in the background (every briefing pack of an event, feedback for
every accepted school), each kept as one zip file for the person who asked for it.

The zips live in a folder under EVIDENCE_DIR: the one place every app server and every
RQ worker shares, outside the web root. A zip is named after its job, never after
anything a person typed.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from flask import current_app

from reports.school_feedback import build_school_feedback

from .. import jobs
from ..data import report_data
from ..models import Job

SCHOOL_FEEDBACK = "school_feedback"
BRIEFING_PACKS = "briefing_packs"
KINDS = (SCHOOL_FEEDBACK, BRIEFING_PACKS)


def _folder() -> Path:
    return Path(current_app.config["EVIDENCE_DIR"]).resolve() / "report-batches"


def zip_path(job: Job) -> Path:
    return _folder() / f"job-{int(job.id)}.zip"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "organisation"


def save_zip(job: Job, members: Iterable[tuple[str, bytes]]) -> int:
    """Write the members to the job's zip (names made unique); returns how many were written."""
    folder = _folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    buffer = io.BytesIO()
    seen: set[str] = set()
    count = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            stem, _, extension = name.rpartition(".")
            unique, n = name, 1
            while unique in seen:
                n += 1
                unique = f"{stem}-{n}.{extension}"
            seen.add(unique)
            archive.writestr(unique, content)
            count += 1
    # Written whole, then renamed: a download never sees half a zip.
    partial = folder / f"job-{int(job.id)}.partial"
    partial.write_bytes(buffer.getvalue())
    partial.replace(zip_path(job))
    return count


@jobs.handler(SCHOOL_FEEDBACK)
def school_feedback_batch(job: Job, progress) -> dict:
    """Feedback for every school and college in the cycle whose return has been accepted."""
    parameters = job.parameters
    partnership, cycle = report_data.partnership_and_cycle(job.partnership_id, parameters["cycle_id"])
    today = date.fromisoformat(parameters["today"])
    total = report_data.schools_with_feedback(partnership, cycle)
    if not total:
        raise jobs.JobError(
            "No school or college in this cycle has had its return accepted yet, so there is no feedback to make."
        )
    progress(0, total)

    def pdfs():
        for done, (organisation, feedback, _total) in enumerate(
            report_data.every_school_feedback(partnership, cycle, today), start=1
        ):
            number = f"{organisation.urn}-" if organisation.urn else ""
            yield (
                f"safeguarding-feedback-{number}{slug(organisation.name)}.pdf",
                build_school_feedback(feedback),
            )
            progress(done, total)

    count = save_zip(job, pdfs())
    return {"count": count, "file_name": f"school-feedback-{slug(cycle.name)}.zip"}
