"""Routes of the reporting blueprint: the board summary (page, PDF and workbook), the
board's themes, feedback letters, school feedback, and batches of PDFs made in the background."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from reports.board_summary import board_summary_sections, build_board_summary_pdf
from reports.feedback_letter import build_feedback_letter
from reports.school_feedback import build_school_feedback
from reports.workbook import build_workbook

from .. import jobs
from ..access import requires_role
from ..data import report_data
from ..data.dashboards import returns_for_respondent
from ..models import AuditCycle, JobStatus, Return, Role
from . import batches, bp
from .forms import StartBatchForm, ThemesForm
from .presenters import HEAT_MAP, download_name, heat_map_params, table_params

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cycle(cycle_id: int) -> AuditCycle:
    cycle = report_data.cycle_in_scope(g.partnership, cycle_id)
    if cycle is None:
        abort(404)
    return cycle


def _download(content: bytes, mimetype: str, name: str) -> Response:
    return Response(
        content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


# ---- the board summary ------------------------------------------------------------------------


@bp.route("/")
@requires_role(Role.ADMIN, Role.BOARD_VIEWER)
def index():
    cycles = report_data.reportable_cycles(g.partnership)
    is_admin = Role.ADMIN in g.roles
    ready = (
        {cycle.id: report_data.schools_with_feedback(g.partnership, cycle) for cycle in cycles}
        if is_admin
        else {}
    )
    return render_template(
        "reporting/index.html", cycles=cycles, is_admin=is_admin, ready=ready, start=StartBatchForm()
    )


def _tables(section, standards) -> list[dict]:
    if section.key == HEAT_MAP:
        return [params for table in section.tables for params in heat_map_params(table, standards)]
    return [table_params(section.key, table, standards) for table in section.tables]


@bp.route("/cycles/<int:cycle_id>/board-summary")
@requires_role(Role.ADMIN, Role.BOARD_VIEWER)
def board_summary(cycle_id: int):
    cycle = _cycle(cycle_id)
    summary = report_data.board_summary(g.partnership, cycle, date.today())
    sections = [(section, _tables(section, summary.standards)) for section in board_summary_sections(summary)]
    return render_template(
        "reporting/board_summary.html",
        cycle=cycle,
        summary=summary,
        sections=sections,
        is_admin=Role.ADMIN in g.roles,
    )


@bp.route("/cycles/<int:cycle_id>/board-summary.pdf")
@requires_role(Role.ADMIN, Role.BOARD_VIEWER)
def board_summary_pdf(cycle_id: int):
    cycle = _cycle(cycle_id)
    summary = report_data.board_summary(g.partnership, cycle, date.today())
    return _download(build_board_summary_pdf(summary), PDF, download_name("board-summary", cycle.name, "pdf"))


@bp.route("/cycles/<int:cycle_id>/workbook.xlsx")
@requires_role(Role.ADMIN)
def workbook(cycle_id: int):
    cycle = _cycle(cycle_id)
    content = build_workbook(report_data.audit_workbook(g.partnership, cycle, date.today()))
    return _download(content, XLSX, download_name("audit", cycle.name, "xlsx"))


@bp.route("/cycles/<int:cycle_id>/themes", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def themes(cycle_id: int):
    cycle = _cycle(cycle_id)
    form = ThemesForm(data={"themes": report_data.board_themes(cycle)} if request.method == "GET" else None)
    if form.validate_on_submit():
        report_data.save_board_themes(cycle, form.themes.data or "")
        flash("Themes saved. They appear in the board summary.", "success")
        return redirect(url_for(".board_summary", cycle_id=cycle.id) + "#themes")
    return render_template("reporting/themes.html", form=form, cycle=cycle)


# ---- letters and feedback to one organisation ------------------------------------------------


def _return(return_id: int) -> Return:
    audit_return = report_data.return_in_partnership(g.partnership, return_id)
    if audit_return is None:
        abort(404)
    return audit_return


@bp.route("/returns/<int:return_id>/feedback-letter.pdf")
@requires_role(Role.ADMIN, Role.REVIEWER)
def feedback_letter(return_id: int):
    audit_return = _return(return_id)
    if not audit_return.status.is_returned:
        return render_template("reporting/not_ready.html", audit_return=audit_return, letter=True), 409
    letter = report_data.feedback_letter(g.partnership, audit_return, date.today(), current_user)
    name = download_name("feedback-letter", audit_return.organisation.name, "pdf")
    return _download(build_feedback_letter(letter), PDF, name)


@bp.route("/cycles/<int:cycle_id>/letters")
@requires_role(Role.ADMIN, Role.REVIEWER)
def letters(cycle_id: int):
    cycle = _cycle(cycle_id)
    returns = [entry for entry in report_data.cycle_returns(g.partnership, cycle) if entry.returned]
    return render_template("reporting/letters.html", cycle=cycle, returns=returns)


@bp.route("/feedback")
@requires_role(Role.RESPONDENT)
def your_feedback():
    returns = [
        r
        for r in returns_for_respondent(current_user, g.partnership)
        if r.organisation.kind.value != "agency"
    ]
    return render_template(
        "reporting/your_feedback.html",
        returns=returns,
        ready={r.id: report_data.feedback_ready(r) for r in returns},
    )


@bp.route("/returns/<int:return_id>/feedback.pdf")
@requires_role(Role.RESPONDENT, Role.ADMIN, Role.REVIEWER)
def school_feedback(return_id: int):
    audit_return = _return(return_id)
    staff = bool(g.roles & {Role.ADMIN, Role.REVIEWER})
    if not staff and audit_return.organisation_id not in g.organisation_ids:
        abort(404)
    if not report_data.feedback_ready(audit_return):
        return render_template("reporting/not_ready.html", audit_return=audit_return, letter=False), 409
    feedback = report_data.school_feedback(g.partnership, audit_return, date.today())
    name = download_name("safeguarding-feedback", audit_return.organisation.name, "pdf")
    return _download(build_school_feedback(feedback), PDF, name)


# ---- batches ------------------------------------------------------------------------------------


@bp.route("/cycles/<int:cycle_id>/school-feedback", methods=["POST"])
@requires_role(Role.ADMIN)
def start_school_feedback(cycle_id: int):
    cycle = _cycle(cycle_id)
    if not StartBatchForm().validate_on_submit():
        abort(400)
    job = jobs.start(
        batches.SCHOOL_FEEDBACK,
        f"Feedback for schools and colleges: {cycle.name}",
        {"cycle_id": cycle.id, "today": date.today().isoformat()},
        partnership_id=g.partnership.id,
        user_id=current_user.id,
    )
    return redirect(url_for(".batch", job_id=job.id))


def _batch(job_id: int):
    # Briefing packs are the panel's papers, which reviewers read too; school feedback is the business unit's.
    kinds = batches.KINDS if Role.ADMIN in g.roles else (batches.BRIEFING_PACKS,)
    job = report_data.job_in_scope(g.partnership, job_id, kinds)
    if job is None:
        abort(404)
    return job


@bp.route("/batches/<int:job_id>")
@requires_role(Role.ADMIN, Role.REVIEWER)
def batch(job_id: int):
    job = _batch(job_id)
    jobs.notice_if_stopped(job)
    return render_template(
        "reporting/batch.html", job=job, JobStatus=JobStatus, stopped=jobs.stopped_unexpectedly(job)
    )


@bp.route("/batches/<int:job_id>/download")
@requires_role(Role.ADMIN, Role.REVIEWER)
def batch_download(job_id: int):
    job = _batch(job_id)
    path = batches.zip_path(job)
    if job.status is not JobStatus.FINISHED or not path.exists():
        abort(404)
    return send_file(
        path, mimetype="application/zip", as_attachment=True, download_name=job.result["file_name"]
    )
