"""Routes of the cycles blueprint: create and open a cycle, its dashboard, chasing, lists and the outbox."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from .. import jobs
from ..access import requires_role
from ..data import chasing, cycle_dashboard, cycles, outbox
from ..database import id_from
from ..fields import options
from ..models import AuditCycle, CycleStatus, JobStatus, MessageStage, MessageStatus, Role
from ..presenters import format_date
from . import (
    bp,
    dashboard_view,
    exports,
    letters,
    presenters,
    questionnaire_files,
    sending,  # noqa: F401  (registers the cycle jobs' handlers)
)
from .forms import (
    ChaseForm,
    CycleForm,
    DashboardFilterForm,
    OpenCycleForm,
    OutboxFilterForm,
    SendDueForm,
)
from .setup import cycle_details, default_schedule, prepare_cycle_form


def _cycle(cycle_id: int) -> AuditCycle:
    cycle = cycles.cycle_in_scope(g.partnership, cycle_id)
    if cycle is None:
        abort(404)
    return cycle


def _open_cycle(cycle_id: int) -> AuditCycle:
    cycle = _cycle(cycle_id)
    if cycle.status is CycleStatus.DRAFT:
        abort(404)
    return cycle


def _after_job(job, done_endpoint: str, success: str, **values):
    """Inline jobs are over by now: go on with a message. Queued ones: show their progress."""
    if job.status is JobStatus.FINISHED:
        flash(success.format(**(job.result or {})), "success")
        return redirect(url_for(done_endpoint, **values))
    return redirect(url_for("jobs.progress", job_id=job.id))


# ---- creating and opening --------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def new():
    files = questionnaire_files.shipped()
    choices = cycles.audience_choices([g.partnership])
    partners = [p for p in cycles.administered_partnerships(current_user) if p.id != g.partnership.id]
    form = CycleForm(
        data=None if request.method == "POST" else default_schedule(g.partnership),
        organisation_duties={o.id: o.duty for o in choices.organisations},
    )
    prepare_cycle_form(form, files, choices, partners)
    if form.validate_on_submit():
        cycle = cycles.create_draft(g.partnership, **cycle_details(form, files, partners))
        flash("Draft cycle created. Check who is asked for a return, then open the cycle.", "success")
        return redirect(url_for(".show", cycle_id=cycle.id))
    return render_template("cycles/new.html", form=form, has_partners=bool(partners))


@bp.route("/<int:cycle_id>")
@requires_role(Role.ADMIN, Role.BOARD_VIEWER)
def show(cycle_id: int):
    cycle = _cycle(cycle_id)
    if cycle.status is CycleStatus.DRAFT:
        if Role.ADMIN not in g.roles:
            abort(404)
        return render_template(
            "cycles/draft.html",
            cycle=cycle,
            review=cycles.review_draft(cycle),
            open_form=OpenCycleForm() if cycle.partnership_id == g.partnership.id else None,
            schedule=chasing.schedule_of(cycle),
            presenters=presenters,
            today_date=date.today(),
        )
    today = date.today()
    rows = cycle_dashboard.return_rows(cycle, g.partnership, today)
    filters = DashboardFilterForm(request.args)
    return render_template(
        "cycles/dashboard.html",
        cycle=cycle,
        view=dashboard_view.build(cycle, rows, filters, today),
        filters=filters,
        can_chase=Role.ADMIN in g.roles and cycle.status is CycleStatus.OPEN,
        is_admin=Role.ADMIN in g.roles,
        presenters=presenters,
    )


@bp.route("/<int:cycle_id>/open", methods=["POST"])
@requires_role(Role.ADMIN)
def open_(cycle_id: int):
    cycle = _cycle(cycle_id)
    if cycle.partnership_id != g.partnership.id:
        abort(403)  # a joint cycle is opened by the partnership that created it
    if not OpenCycleForm().validate_on_submit():
        abort(400)
    if cycle.status is not CycleStatus.DRAFT:
        return redirect(url_for(".show", cycle_id=cycle.id))
    job = jobs.start(
        "open_cycle",
        f"Opening {cycle.name}",
        {"cycle_id": cycle.id, "today": date.today().isoformat()},
        partnership_id=g.partnership.id,
        user_id=current_user.id,
    )
    if job.status is JobStatus.FINISHED:
        result = job.result
        if cycle.opens_on > date.today():
            invited = f"Invitations go to lead contacts on {format_date(cycle.opens_on)}, the day it opens."
        else:
            invited = (
                f"Invitations sent: {result['sent']}, kept in the outbox: {result['kept']}, "
                f"failed: {result['failed']}."
            )
        flash(f"The cycle is open: {result['returns']} returns created. {invited}", "success")
        return redirect(url_for(".show", cycle_id=cycle.id))
    return redirect(url_for("jobs.progress", job_id=job.id))


# ---- chasing ---------------------------------------------------------------------------


@bp.route("/<int:cycle_id>/chase", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def chase(cycle_id: int):
    cycle = _open_cycle(cycle_id)
    if cycle.status is not CycleStatus.OPEN:
        abort(404)
    outstanding = chasing.returns_to_chase(cycle, g.partnership)
    selected = {id_from(v) for v in request.args.getlist("return_id")} - {None}
    chosen = [r for r in outstanding if r.id in selected] or outstanding
    form = ChaseForm(data=None if request.method == "POST" else {"return_ids": sorted(selected)})
    form.return_ids.choices = options(
        (r.id, r.organisation.name) for r in (outstanding if form.is_submitted() else chosen)
    )
    # Once everyone has returned the page has no list: a late post just shows it as it now is.
    if outstanding and form.validate_on_submit():
        job = jobs.start(
            "chase_returns",
            f"Chasing {len(form.return_ids.data)} organisations: {cycle.name}",
            {
                "cycle_id": cycle.id,
                "return_ids": sorted(form.return_ids.data),
                "today": date.today().isoformat(),
            },
            partnership_id=g.partnership.id,
            user_id=current_user.id,
        )
        return _after_job(
            job, ".outbox_list", "Chase emails sent: {sent}, kept in the outbox: {kept}, failed: {failed}."
        )
    return render_template("cycles/chase.html", cycle=cycle, form=form, outstanding=outstanding)


# ---- lists and exports -----------------------------------------------------------------


def _lists(cycle: AuditCycle):
    rows = cycle_dashboard.return_rows(cycle, g.partnership, date.today())
    return rows, cycle_dashboard.non_returns(rows, cycle), cycle_dashboard.non_compliant(rows)


def _download(content: bytes, mimetype: str, name: str) -> Response:
    return Response(
        content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _table_file(frame, kind: str, name: str, sheet: str) -> Response:
    """A list as a CSV or XLSX download (``kind``), named ``name.kind``."""
    if kind == "csv":
        return _download(exports.csv_bytes(frame), "text/csv", f"{name}.csv")
    return _download(exports.xlsx_bytes(frame, sheet), XLSX, f"{name}.xlsx")


@bp.route("/<int:cycle_id>/non-returns")
@requires_role(Role.ADMIN)
def non_returns(cycle_id: int):
    cycle = _open_cycle(cycle_id)
    _rows, missing, _found = _lists(cycle)
    return render_template(
        "cycles/non_returns.html", cycle=cycle, rows=missing, today=date.today(), presenters=presenters
    )


@bp.route("/<int:cycle_id>/non-returns.<any(csv, xlsx):kind>")
@requires_role(Role.ADMIN)
def non_returns_file(cycle_id: int, kind: str):
    cycle = _open_cycle(cycle_id)
    _rows, missing, _found = _lists(cycle)
    return _table_file(
        exports.non_returns_frame(missing), kind, f"non-returns-cycle-{cycle.id}", "Non-returns"
    )


@bp.route("/<int:cycle_id>/non-compliant")
@requires_role(Role.ADMIN)
def non_compliant(cycle_id: int):
    cycle = _open_cycle(cycle_id)
    _rows, _missing, found = _lists(cycle)
    return render_template("cycles/non_compliant.html", cycle=cycle, found=found, presenters=presenters)


@bp.route("/<int:cycle_id>/non-compliant.<any(csv, xlsx):kind>")
@requires_role(Role.ADMIN)
def non_compliant_file(cycle_id: int, kind: str):
    cycle = _open_cycle(cycle_id)
    _rows, _missing, found = _lists(cycle)
    return _table_file(
        exports.non_compliant_frame(found), kind, f"non-compliant-cycle-{cycle.id}", "Non-compliant"
    )


@bp.route("/<int:cycle_id>/published")
@requires_role(Role.ADMIN, Role.BOARD_VIEWER)
def published(cycle_id: int):
    cycle = _open_cycle(cycle_id)
    _rows, missing, found = _lists(cycle)
    today = date.today()
    frame = exports.publishable_frame(cycle, missing, found, today)
    return render_template(
        "cycles/published.html", cycle=cycle, entries=frame.to_dict("records"), today=today
    )


@bp.route("/<int:cycle_id>/published.csv")
@requires_role(Role.ADMIN, Role.BOARD_VIEWER)
def published_file(cycle_id: int):
    cycle = _open_cycle(cycle_id)
    _rows, missing, found = _lists(cycle)
    frame = exports.publishable_frame(cycle, missing, found, date.today())
    return _download(exports.csv_bytes(frame), "text/csv", f"non-compliance-cycle-{cycle.id}.csv")


# ---- the outbox ------------------------------------------------------------------------


@bp.route("/outbox")
@requires_role(Role.ADMIN)
def outbox_list():
    filters = OutboxFilterForm(request.args)
    filters.stage.choices = options(
        [("", "Any stage"), *((s.value, presenters.STAGE_LABELS[s]) for s in MessageStage)]
    )
    filters.status.choices = options(
        [("", "Any status"), *((s.value, presenters.MESSAGE_STATUS_LABELS[s][0]) for s in MessageStatus)]
    )
    stage, status = filters.value("stage"), filters.value("status")
    page = request.args.get("page", "1")
    listing = outbox.list_messages(
        g.partnership,
        stage=MessageStage(stage) if stage else None,
        status=MessageStatus(status) if status else None,
        page=id_from(page) or 1,
    )
    return render_template(
        "cycles/outbox.html",
        filters=filters,
        listing=listing,
        send_form=SendDueForm(),
        stage=stage,
        status=status,
        presenters=presenters,
    )


@bp.route("/outbox/send", methods=["POST"])
@requires_role(Role.ADMIN)
def send_due():
    if not SendDueForm().validate_on_submit():
        abort(400)
    job = jobs.start(
        "send_due_messages",
        "Sending invitations, reminders, chases and letters due today",
        {"today": date.today().isoformat()},
        partnership_id=g.partnership.id,
        user_id=current_user.id,
    )
    return _after_job(
        job, ".outbox_list", "Messages sent: {sent}, kept in the outbox: {kept}, failed: {failed}."
    )


def _message(message_id: int):
    message = outbox.get_message(g.partnership, message_id)
    if message is None:
        abort(404)
    return message


@bp.route("/outbox/<int:message_id>")
@requires_role(Role.ADMIN)
def message(message_id: int):
    message = _message(message_id)
    return render_template(
        "cycles/message.html",
        message=message,
        letter_name=letters.file_name(message) if message.attachment else None,
        presenters=presenters,
    )


@bp.route("/outbox/<int:message_id>/letter.pdf")
@requires_role(Role.ADMIN)
def letter(message_id: int):
    message = _message(message_id)
    if not message.attachment or message.attachment.get("kind") != "escalation_letter":
        abort(404)
    _name, mimetype, content = letters.letter_attachment(message)
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'inline; filename="{letters.file_name(message)}"'},
    )
