"""The import pages: upload a register file, read the dry run, apply it."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from .. import jobs
from ..access import requires_role
from ..data import imports
from ..database import id_from
from ..extensions import csrf
from ..models import Role
from ..registers.agencies import AgencyType
from . import bp, importing, presenters
from .forms import AgencyUploadForm, ApplyImportForm, GiasUploadForm
from .import_jobs import GIAS_IMPORT
from .importing import RegisterFile


def _allow_a_national_file() -> None:
    """Raise this request's upload limit before anything reads the body.

    GIAS publishes one national file, about 64 MB: more than the app's usual
    upload limit (``MAX_UPLOAD_MB``), which is meant for evidence documents.

    The app-wide CSRF check would read the body first (at the usual limit), so
    these views are exempt from it and their form checks its own CSRF token;
    :func:`_refuse_without_token` keeps the refusal the same as elsewhere.
    """
    request.max_content_length = current_app.config["MAX_IMPORT_MB"] * 1024 * 1024


def _refuse_without_token(form) -> None:
    if form.is_submitted() and form.csrf_token.errors:
        raise CSRFError(form.csrf_token.errors[0])


def _attach_file_errors(run, fields: dict) -> bool:
    """Put errors about a file as a whole on its upload field; True if there were any."""
    problems = importing.file_level_errors(run.summary)
    for problem in problems:
        field = fields.get(problem["file"], next(iter(fields.values())))
        field.errors.append(problem["message"].rstrip("."))
    return bool(problems)


@bp.route("/import", methods=["GET", "POST"])
@csrf.exempt
@requires_role(Role.ADMIN)
def import_gias():
    _allow_a_national_file()
    form = GiasUploadForm()
    if not form.is_submitted():
        form.la_codes.data = ", ".join(g.partnership.la_codes or [])
    valid = form.validate_on_submit()
    _refuse_without_token(form)
    if valid:
        establishments = RegisterFile.upload(form.file.data)
        links = RegisterFile.upload(form.links.data) if form.links.data else None
        run = importing.dry_run_gias_upload(
            g.partnership, establishments, form.la_codes.parsed, links, current_user.id
        )
        fields = {establishments.filename: form.file}
        if links is not None:
            fields.setdefault(links.filename, form.links)
        if not _attach_file_errors(run, fields):
            return redirect(url_for(".import_summary", run_id=run.id))
    return render_template(
        "organisations/import_gias.html",
        form=form,
        recent=imports.recent_runs(g.partnership, imports.GIAS_KIND),
    )


@bp.route("/import-agencies", methods=["GET", "POST"])
@csrf.exempt
@requires_role(Role.ADMIN)
def import_agencies():
    _allow_a_national_file()
    form = AgencyUploadForm()
    valid = form.validate_on_submit()
    _refuse_without_token(form)
    if valid:
        file = RegisterFile.upload(form.file.data)
        run = importing.dry_run_agency_upload(g.partnership, file, current_user.id)
        if not _attach_file_errors(run, {file.filename: form.file}):
            return redirect(url_for(".import_summary", run_id=run.id))
    return render_template(
        "organisations/import_agencies.html",
        form=form,
        agency_types=[agency_type.value for agency_type in AgencyType],
        recent=imports.recent_runs(g.partnership, imports.AGENCIES_KIND),
    )


@bp.route("/imports/<int:run_id>")
@requires_role(Role.ADMIN)
def import_summary(run_id: int):
    run = imports.import_run_in(g.partnership, run_id)
    if run is None:
        abort(404)
    form = ApplyImportForm(data={"import_run_id": run.id})
    template = "gias_summary" if run.kind == imports.GIAS_KIND else "agency_summary"
    return render_template(
        f"organisations/{template}.html",
        run=run,
        summary=run.summary,
        counts=run.summary.get("counts", {}),
        apply_form=form,
        p=presenters,
    )


@bp.route("/import/apply", methods=["POST"])
@requires_role(Role.ADMIN)
def apply_import():
    form = ApplyImportForm()
    run_id = id_from(form.import_run_id.data)
    if not form.validate_on_submit() or run_id is None:
        abort(400)
    run = imports.import_run_in(g.partnership, run_id)
    if run is None:
        abort(404)
    reason = importing.refusal(run)
    if reason:
        flash(reason)
        return redirect(url_for(".import_summary", run_id=run.id))
    if run.kind == imports.GIAS_KIND:
        job = jobs.start(
            GIAS_IMPORT,
            f"Importing {run.filename}",
            {"import_run_id": run.id},
            partnership_id=g.partnership.id,
            user_id=current_user.id,
        )
        return redirect(url_for("jobs.progress", job_id=job.id))
    try:
        plan = importing.apply_agency_run(g.partnership, run)
    except importing.ImportRefused as exc:
        flash(str(exc))
        return redirect(url_for(".import_summary", run_id=run.id))
    counts = plan.counts()
    flash(
        f"The list of agencies has been imported: {counts['new']} new, {counts['updated']} updated.",
        "success",
    )
    return redirect(url_for(".index", kind="agency"))
