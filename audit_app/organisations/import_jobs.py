"""The background job that applies a checked GIAS import."""

from __future__ import annotations

from typing import Any

from .. import jobs
from ..data import imports
from ..models import Job
from .importing import ImportRefused, apply_gias_run, forget_applied_files

GIAS_IMPORT = "gias_import"


@jobs.handler(GIAS_IMPORT)
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
