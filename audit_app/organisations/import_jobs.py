"""The background job that applies a checked GIAS import."""

from __future__ import annotations

from typing import Any

from flask import url_for

from .. import jobs
from ..data import imports
from ..models import Job
from .importing import ImportRefused, apply_gias_run, forget_applied_files, refusal

GIAS_IMPORT = "gias_import"


def apply_again(job: Job) -> jobs.Again | None:
    """An import that failed wrote nothing (one transaction): its dry run can be applied again,
    while the checked file is still kept."""
    run = imports.get_import_run(job.parameters["import_run_id"])
    if run is None or run.partnership_id != job.partnership_id or refusal(run) is not None:
        return None
    return jobs.Again(
        url_for("organisations.import_summary", run_id=run.id), "Check the import and apply it again"
    )


@jobs.handler(GIAS_IMPORT, again=apply_again)
def apply_gias_import(job: Job, progress: imports.Progress) -> dict[str, Any]:
    run = imports.get_import_run(job.parameters["import_run_id"])
    if run is None or run.partnership_id != job.partnership_id or run.kind != imports.GIAS_KIND:
        raise jobs.JobError("This import no longer exists. Upload the file again.")
    try:
        plan = apply_gias_run(imports.partnership_of(run), run, progress)
    except ImportRefused as exc:
        raise jobs.JobError(str(exc)) from None
    # The import and its record in one transaction; the kept files go only once it has
    # committed, so that a worker killed before the commit leaves a run that can be applied again.
    imports.commit()
    forget_applied_files(run)
    return {"import_run_id": run.id, "file": run.filename, "counts": plan.counts()}
