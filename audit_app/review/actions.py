"""Action plans: the organisation's agreed actions, for the business unit, reviewers and the
organisation's own respondents."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import requires_role
from ..data import actions as action_data
from ..data.scores import questionnaire_of
from ..fields import options
from ..models import ActionStatus, Organisation, Role
from . import bp, presenters
from .forms import ActionChangeForm, ActionForm, ProgressForm

MANAGING = (Role.ADMIN, Role.REVIEWER)
NO_STANDARD = ""


def _manages() -> bool:
    return bool(g.roles & set(MANAGING))


def _organisation(organisation_id: int) -> Organisation:
    """The organisation, if the person may see its action plan: 404 otherwise, never data."""
    organisation = action_data.organisation_in(g.partnership, organisation_id)
    if organisation is None:
        abort(404)
    if not _manages() and organisation.id not in g.organisation_ids:
        abort(404)
    return organisation


def _titles(organisation: Organisation) -> dict[str, str]:
    newest = action_data.newest_return(organisation, g.partnership)
    return presenters.section_titles(questionnaire_of(newest.questionnaire_version) if newest else None)


def _plan_url(organisation_id: int) -> str:
    return url_for("review.action_plan", organisation_id=organisation_id)


@bp.route("/organisations/<int:organisation_id>/actions")
@requires_role(Role.ADMIN, Role.REVIEWER, Role.RESPONDENT)
def action_plan(organisation_id: int):
    organisation = _organisation(organisation_id)
    today = date.today()
    plan = action_data.actions_for_organisation(organisation, g.partnership)
    return render_template(
        "review/action_plan.html",
        organisation=organisation,
        plan=plan,
        overdue=[action for action in plan if action_data.is_overdue(action, today)],
        titles=_titles(organisation),
        manages=_manages(),
        today=today,
        action_tag=presenters.action_tag,
    )


def _standard_choices(form, organisation: Organisation) -> None:
    standards = action_data.standards_for(organisation, g.partnership)
    form.section.choices = options([(NO_STANDARD, "Not about one standard"), *standards])


@bp.route("/organisations/<int:organisation_id>/actions/new", methods=["GET", "POST"])
@requires_role(*MANAGING)
def add_action(organisation_id: int):
    organisation = _organisation(organisation_id)
    form = ActionForm()
    _standard_choices(form, organisation)
    newest = action_data.newest_return(organisation, g.partnership)
    if not form.is_submitted():
        form.section.data = request.args.get("section", NO_STANDARD)
    if form.validate_on_submit():
        if form.due_on.data < date.today():
            form.due_on.errors.append("The date the action is due must be today or in the future")
        else:
            try:
                action_data.add_action(
                    g.partnership,
                    organisation,
                    form.description.data,
                    form.owner.data,
                    form.due_on.data,
                    section_id=form.section.data,
                    return_id=newest.id if newest else None,
                    user=current_user,
                )
            except action_data.ActionRefused as refusal:
                form.description.errors.append(refusal.message)
            else:
                flash("The action has been added to the action plan.", "success")
                return redirect(_plan_url(organisation.id))
    return render_template("review/action_form.html", organisation=organisation, form=form, action=None)


def _action(action_id: int):
    action = action_data.get_action(g.partnership, action_id)
    if action is None:
        abort(404)
    return action, _organisation(action.organisation_id)


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
@requires_role(*MANAGING)
def edit_action(action_id: int):
    action, organisation = _action(action_id)
    if request.method == "GET":
        form = ActionChangeForm(
            obj=action, status=action.status.value, section=action.section_id or NO_STANDARD
        )
    else:
        form = ActionChangeForm()
    _standard_choices(form, organisation)
    if form.validate_on_submit():
        try:
            action_data.update_action(
                action,
                description=form.description.data,
                owner=form.owner.data,
                due_on=form.due_on.data,
                section_id=form.section.data,
                completion_evidence=form.completion_evidence.data,
                status=ActionStatus(form.status.data),
            )
        except action_data.ActionRefused as refusal:
            form.completion_evidence.errors.append(refusal.message)
        else:
            flash("The action has been updated.", "success")
            return redirect(_plan_url(organisation.id))
    return render_template("review/action_form.html", organisation=organisation, form=form, action=action)


@bp.route("/actions/<int:action_id>/progress", methods=["GET", "POST"])
@requires_role(Role.RESPONDENT)
def action_progress(action_id: int):
    action, organisation = _action(action_id)
    if organisation.id not in g.organisation_ids:
        abort(404)
    if request.method == "GET":
        form = ProgressForm(obj=action, status=action.status.value)
    else:
        form = ProgressForm()
    if form.validate_on_submit():
        try:
            action_data.update_action(
                action,
                completion_evidence=form.completion_evidence.data,
                status=ActionStatus(form.status.data),
            )
        except action_data.ActionRefused as refusal:
            form.completion_evidence.errors.append(refusal.message)
        else:
            flash("Your progress on the action has been saved.", "success")
            return redirect(_plan_url(organisation.id))
    return render_template(
        "review/action_progress.html",
        organisation=organisation,
        action=action,
        form=form,
        titles=_titles(organisation),
        today=date.today(),
        action_tag=presenters.action_tag,
    )


@bp.route("/actions/overdue")
@requires_role(*MANAGING)
def overdue_actions():
    today = date.today()
    overdue = action_data.overdue_actions(g.partnership, today)
    return render_template(
        "review/overdue_actions.html",
        overdue=overdue,
        organisations=action_data.organisation_names(action.organisation_id for action in overdue),
        today=today,
    )
