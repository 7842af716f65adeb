"""Routes of the challenge blueprint: events, their panel and agenda, briefing packs, and
what the panel records at the event. Admins run events; reviewers see them and record notes."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from .. import jobs
from ..access import requires_role
from ..data import actions, challenge
from ..database import id_from
from ..fields import options
from ..models import ChallengeEvent, JobStatus, Role
from ..reporting.batches import BRIEFING_PACKS
from . import bp, packs
from .forms import (
    ActionForm,
    AddToAgendaForm,
    AgendaRulesForm,
    ButtonForm,
    EventForm,
    NotesForm,
    PanelMemberForm,
)
from .presenters import UK, event_summary, rule_words, standards_of

STAFF = (Role.ADMIN, Role.REVIEWER)


def _event(event_id: int) -> ChallengeEvent:
    event = challenge.event_in_scope(g.partnership, event_id)
    if event is None:
        abort(404)
    return event


def _line(event: ChallengeEvent, item_id: int) -> challenge.AgendaLine:
    line = challenge.agenda_line(event, item_id)
    if line is None:
        abort(404)
    return line


def _pdf(content: bytes, name: str) -> Response:
    return Response(
        content, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


# ---- events ---------------------------------------------------------------------------------


@bp.route("/")
@requires_role(*STAFF)
def index():
    return render_template(
        "challenge/index.html",
        events=challenge.events_for(g.partnership),
        is_admin=Role.ADMIN in g.roles,
        UK=UK,
    )


def _event_form(event: ChallengeEvent | None) -> EventForm:
    data = None
    if request.method == "GET" and event is not None:
        local = event.starts_at.astimezone(UK)
        data = {
            "title": event.title,
            "cycle_id": event.cycle_id,
            "starts_on": local.date(),
            "starts_time": local.strftime("%H:%M"),
            "place": event.place,
            "online_link": event.online_link,
        }
    form = EventForm(data=data)
    cycles = challenge.cycles_for_events(g.partnership)
    form.cycle_id.choices = options([(0, "Select a cycle"), *((c.id, c.name) for c in cycles)])
    form.cycles = {cycle.id: cycle for cycle in cycles}
    return form


def _save_event(form: EventForm, event: ChallengeEvent | None):
    try:
        saved = challenge.save_event(
            g.partnership,
            event,
            form.title.data,
            form.cycles[form.cycle_id.data],
            form.starts_at(),
            form.place.data,
            form.online_link.data,
        )
    except challenge.AgendaRefused as refused:
        form.cycle_id.errors.append(refused.message)
        return None
    return saved


@bp.route("/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def new():
    form = _event_form(None)
    if form.validate_on_submit():
        event = _save_event(form, None)
        flash("Challenge event created. Add the panel, then build the agenda.", "success")
        return redirect(url_for(".show", event_id=event.id))
    return render_template("challenge/event_form.html", form=form, event=None)


@bp.route("/<int:event_id>")
@requires_role(*STAFF)
def show(event_id: int):
    event = _event(event_id)
    cycle = challenge.cycle_of(event)
    return render_template(
        "challenge/event.html",
        event=event,
        cycle=cycle,
        summary=event_summary(event, cycle),
        lines=challenge.agenda_lines(event),
        rules=rule_words(event),
        button=ButtonForm(),
        is_admin=Role.ADMIN in g.roles,
    )


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def edit(event_id: int):
    event = _event(event_id)
    form = _event_form(event)
    if form.validate_on_submit() and _save_event(form, event) is not None:
        flash("Event details saved.", "success")
        return redirect(url_for(".show", event_id=event.id))
    return render_template("challenge/event_form.html", form=form, event=event)


# ---- the panel ------------------------------------------------------------------------------


@bp.route("/<int:event_id>/panel/add", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def add_panel_member(event_id: int):
    event = _event(event_id)
    people = {str(user.id): user for user in challenge.panel_candidates(g.partnership)}
    form = PanelMemberForm()
    form.user_id.choices = options(
        [("", "Someone from outside the partnership"), *((k, u.name) for k, u in people.items())]
    )
    if form.validate_on_submit():
        member = challenge.add_panel_member(
            event, people.get(form.user_id.data), form.name.data, form.panel_role.data
        )
        flash(f"{member.name} added to the panel.", "success")
        return redirect(url_for(".show", event_id=event.id) + "#panel")
    return render_template("challenge/panel_member.html", form=form, event=event)


@bp.route("/<int:event_id>/panel/<int:member_id>/remove", methods=["POST"])
@requires_role(Role.ADMIN)
def remove_panel_member(event_id: int, member_id: int):
    event = _event(event_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    member = challenge.remove_panel_member(event, member_id)
    if member is None:
        abort(404)
    flash(f"{member.name} removed from the panel.", "success")
    return redirect(url_for(".show", event_id=event.id) + "#panel")


# ---- the agenda -----------------------------------------------------------------------------


@bp.route("/<int:event_id>/agenda/build", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def build_agenda(event_id: int):
    event = _event(event_id)
    cycle = challenge.cycle_of(event)
    chosen = (event.selection_rules or {}).get("rules") or ["red", "critical", "non_return", "declined"]
    form = AgendaRulesForm(data=None if request.method == "POST" else {"rules": chosen})
    if form.validate_on_submit():
        selected, total = challenge.build_agenda(
            g.partnership, event, form.rules.data, date.today(), current_user
        )
        flash(
            f"The rules selected {selected} organisations; {total} are on the agenda.",
            "success",
        )
        return redirect(url_for(".agenda", event_id=event.id))
    return render_template(
        "challenge/build_agenda.html", form=form, event=event, cycle=cycle, has_agenda=bool(event.agenda)
    )


@bp.route("/<int:event_id>/agenda")
@requires_role(*STAFF)
def agenda(event_id: int):
    event = _event(event_id)
    return render_template(
        "challenge/agenda.html",
        event=event,
        cycle=challenge.cycle_of(event),
        lines=challenge.agenda_lines(event),
        rules=rule_words(event),
        form=ButtonForm(),
        is_admin=Role.ADMIN in g.roles,
    )


@bp.route("/<int:event_id>/agenda/change", methods=["POST"])
@requires_role(Role.ADMIN)
def change_agenda(event_id: int):
    """The agenda's Move up, Move down and Remove buttons: each sends the item's id."""
    event = _event(event_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    commands = {"up": -1, "down": 1, "remove": 0}
    found = [(name, id_from(request.form.get(name))) for name in commands if name in request.form]
    if len(found) != 1 or found[0][1] is None:
        abort(400)
    name, item_id = found[0]
    try:
        if name == "remove":
            organisation = challenge.remove(event, item_id)
            flash(f"{organisation.name} removed from the agenda.", "success")
        else:
            challenge.move(event, item_id, commands[name])
    except challenge.AgendaRefused as refused:
        flash(refused.message, "error")
    return redirect(url_for(".agenda", event_id=event.id) + f"#item-{item_id}")


@bp.route("/<int:event_id>/agenda/add", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def add_to_agenda(event_id: int):
    event = _event(event_id)
    candidates = challenge.addable(g.partnership, event)
    form = AddToAgendaForm()
    form.organisation_id.choices = options(
        [(0, "Select an organisation"), *((e.organisation.id, e.organisation.name) for e in candidates)]
    )
    # With no one left to add, the page has no list to choose from: a late post (the
    # last organisation added from another tab) just shows the page as it now is.
    if candidates and form.validate_on_submit():
        try:
            challenge.add_by_hand(g.partnership, event, form.organisation_id.data, form.note.data)
        except challenge.AgendaRefused as refused:
            form.organisation_id.errors.append(refused.message)
        else:
            flash("Organisation added to the end of the agenda.", "success")
            return redirect(url_for(".agenda", event_id=event.id))
    return render_template("challenge/add_to_agenda.html", form=form, event=event, candidates=candidates)


# ---- at the event ----------------------------------------------------------------------------


@bp.route("/<int:event_id>/agenda/<int:item_id>", methods=["GET", "POST"])
@requires_role(*STAFF)
def item(event_id: int, item_id: int):
    event = _event(event_id)
    line = _line(event, item_id)
    form = NotesForm(obj=line.item if request.method == "GET" else None)
    if form.validate_on_submit():
        challenge.save_notes(
            line.item, form.challenge_notes.data or "", form.organisation_response.data or ""
        )
        flash("Notes saved.", "success")
        return redirect(url_for(".item", event_id=event.id, item_id=item_id))
    return render_template(
        "challenge/item.html",
        form=form,
        event=event,
        line=line,
        actions=challenge.actions_of(line.item),
        titles=standards_of(line.audit_return),
        is_admin=Role.ADMIN in g.roles,
        today=date.today(),
    )


@bp.route("/<int:event_id>/agenda/<int:item_id>/actions/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def add_action(event_id: int, item_id: int):
    event = _event(event_id)
    line = _line(event, item_id)
    titles = standards_of(line.audit_return)
    form = ActionForm()
    form.section_id.choices = options([("", "The whole return"), *titles.items()])
    if form.validate_on_submit():
        try:
            actions.add_action(
                g.partnership,
                line.organisation,
                form.description.data,
                form.owner.data,
                form.due_on.data,
                section_id=form.section_id.data or None,
                return_id=line.audit_return.id if line.audit_return else None,
                agenda_item_id=line.item.id,
                user=current_user,
            )
        except actions.ActionRefused as refused:
            form.description.errors.append(refused.message)
        else:
            flash("Action agreed and added to the organisation's action plan.", "success")
            return redirect(url_for(".item", event_id=event.id, item_id=item_id) + "#actions")
    return render_template("challenge/action_form.html", form=form, event=event, line=line)


@bp.route("/<int:event_id>/agenda/<int:item_id>/briefing-pack.pdf")
@requires_role(*STAFF)
def briefing_pack(event_id: int, item_id: int):
    event = _event(event_id)
    line = _line(event, item_id)
    if line.audit_return is None:
        abort(404)
    content = packs.briefing_pdf(g.partnership, event, line.audit_return, date.today())
    return _pdf(content, packs.file_name(line.organisation.name))


@bp.route("/<int:event_id>/briefing-packs", methods=["POST"])
@requires_role(Role.ADMIN)
def all_briefing_packs(event_id: int):
    event = _event(event_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    job = jobs.start(
        BRIEFING_PACKS,
        f"Briefing packs: {event.title}",
        {"event_id": event.id, "today": date.today().isoformat()},
        partnership_id=g.partnership.id,
        user_id=current_user.id,
    )
    if job.status is JobStatus.FAILED:
        flash(job.error, "error")
        return redirect(url_for(".show", event_id=event.id))
    return redirect(url_for("reporting.batch", job_id=job.id))
