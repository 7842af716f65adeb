"""The task list and the section pages of a return."""

from __future__ import annotations

import json
from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..access import requires_role
from ..data import answers as answer_store
from ..data import copy_forward, returns
from ..database import id_from
from ..evidence.checks import DEFAULT_MAX_BYTES
from ..extensions import csrf
from ..models import CycleStatus, Role
from . import blocks, bp, presenters
from .forms import FILE, NOTE, ConflictForm, section_form_class
from .reading import form_data, numbered, read_section

ANSWERING_ROLES = (Role.RESPONDENT, Role.REVIEWER, Role.ADMIN)
# Fields of a section form that are not answers: left out when a conflict carries the answers over.
_NOT_ANSWERS = {
    "csrf_token",
    "version",
    "save",
    "later",
    "keep",
    "yours",
    "loaded_version",
    "action",
    "submit",
}


def load(return_id: int) -> returns.ReturnView:
    try:
        return returns.load_return(current_user, g.partnership, g.roles, return_id, g.organisation_ids)
    except returns.ReturnNotFound:
        abort(404)


def opened(return_id: int) -> returns.ReturnView:
    """The return, pre-filled from last year's the first time its respondent opens it."""
    view = load(return_id)
    if view.editable and copy_forward.copy_forward(view):
        view = returns.reload(view)
    return view


def section_of(view: returns.ReturnView, section_id: str):
    try:
        return view.section(section_id)
    except returns.ReturnNotFound:
        abort(404)


def cannot_change(view: returns.ReturnView, heading: str, reason: str):
    return (
        render_template("returns/cannot_change.html", view=view, heading=heading, reason=reason),
        409,
    )


def csrf_expired(form) -> bool:
    """Whether the form's CSRF token is refused; the error is taken off the form, the page says it instead.

    Section and declaration pages check the token themselves (they are exempt
    from the global check) so that an expired page is shown again with
    everything typed, rather than replaced by an error page.
    """
    token = getattr(form, "csrf_token", None)
    if token is None or token.validate(form):
        return False
    token.errors = []
    return True


@bp.route("/returns/<int:return_id>")
@requires_role(*ANSWERING_ROLES)
def task_list(return_id: int):
    view = opened(return_id)
    return render_template(
        "returns/task_list.html",
        view=view,
        items=presenters.task_list_items(view),
        send_items=presenters.send_items(view),
        can_invite=can_invite(view),
    )


def can_invite(view: returns.ReturnView) -> bool:
    """The organisation's respondents and the business unit can invite someone while the cycle is open."""
    return view.audit_return.cycle.status is CycleStatus.OPEN and (view.respondent or Role.ADMIN in g.roles)


def _form_class(view: returns.ReturnView, section):
    return section_form_class(
        view.questionnaire, view.applicable_questions(section), view.evidence, date.today()
    )


def _revealed_message(count: int) -> str:
    return (
        f"Your answers have been saved. They mean {count} more question{'s' if count != 1 else ''} "
        f"on this page need{'s' if count == 1 else ''} answering."
    )


def _render_section(
    view, section, form, shown=None, expired=False, saved_with_errors=False, revealed=0, status=200
):
    return (
        render_template(
            "returns/section.html",
            view=view,
            section=section,
            form=form,
            blocks=blocks.question_blocks(view, section, shown),
            suffixes=blocks.SUFFIXES,
            position=blocks.section_position(view, section),
            expired=expired,
            saved_with_errors=saved_with_errors,
            revealed_message=_revealed_message(revealed) if revealed else None,
        ),
        status,
    )


@bp.route("/returns/<int:return_id>/sections/<section_id>", methods=["GET", "POST"])
@csrf.exempt
@requires_role(*ANSWERING_ROLES)
def section(return_id: int, section_id: str):
    # Read no more of an uploaded file than its size check needs: a file over the
    # limit is refused on the page, with everything typed on it kept.
    request.file_cap = DEFAULT_MAX_BYTES
    view = opened(return_id) if request.method == "GET" else load(return_id)
    the_section = section_of(view, section_id)
    if request.method == "GET":
        if not view.editable:
            return render_template(
                "returns/section_answers.html",
                view=view,
                section=the_section,
                rows=presenters.summary_rows(view, the_section, change=False),
            )
        row = returns.section_row(view, the_section.id)
        form = _form_class(view, the_section)(
            formdata=None, data=form_data(view.applicable_questions(the_section), view.answers)
        )
        form.version.data = str(row.version)
        return _render_section(view, the_section, form)
    if not view.editable:
        return cannot_change(view, *view.closed_reason)
    if "yours" in request.form:  # the conflict page, choosing whose answers to keep
        return _resolve_conflict(view, the_section)
    form = _form_class(view, the_section)()
    if csrf_expired(form):
        return _render_section(view, the_section, form, expired=True)
    finish = "later" not in request.form
    return _save(view, the_section, form, request.form.get("version", ""), finish)


def _save(view, the_section, form, loaded_version: str, finish: bool):
    # Read before the save commits: afterwards the return would be read again just for its id.
    return_id = view.audit_return.id
    reading = read_section(form, view, view.applicable_questions(the_section), finish)
    version = id_from(loaded_version)
    try:
        saved = answer_store.save_section(
            view,
            the_section.id,
            -1 if version is None else version,
            reading.submission,
            finish and not reading.errors,
            current_user,
        )
    except answer_store.SectionConflict as conflict:
        return _conflict_page(
            conflict.view, the_section, _answer_pairs(form), "later" if not finish else "save"
        )
    except returns.CannotChange as refusal:
        return cannot_change(view, refusal.heading, refusal.reason)

    errors = dict(reading.errors)
    for question_id, message in saved.file_errors.items():
        errors.setdefault(question_id + FILE, []).append(message)
    for question_id, message in saved.note_errors.items():
        errors.setdefault(question_id + NOTE, []).append(message)
    errors = numbered(errors, view.applicable_questions(the_section))
    if errors:
        # What could be saved was saved; show the page again with the problems and everything typed.
        fresh = returns.reload(view)
        again = _form_class(fresh, the_section)(formdata=_formdata(form))
        for name, messages in errors.items():
            if name in again:
                again[name].errors = messages
        again.version.raw_data = [str(saved.version)]
        again.version.data = str(saved.version)
        return _render_section(
            fresh,
            the_section,
            again,
            shown=reading.shown,
            saved_with_errors=True,
            revealed=len(saved.revealed),
        )
    if saved.revealed:
        flash(_revealed_message(len(saved.revealed)), "info")
        return redirect(url_for("returns.section", return_id=return_id, section_id=the_section.id))
    if not finish:
        flash("Your answers have been saved. You can come back to them at any time.", "success")
        return redirect(url_for("returns.task_list", return_id=return_id))
    following = blocks.next_section(view, the_section)
    if following is None:
        return redirect(url_for("returns.task_list", return_id=return_id))
    return redirect(url_for("returns.section", return_id=return_id, section_id=following.id))


def _formdata(form):
    """The data a form was built from (the request's, or the answers carried through a conflict)."""
    return getattr(form, "_source_formdata", None) or request.form


def _answer_pairs(form) -> list[list[str]]:
    source = _formdata(form)
    return [[key, value] for key, value in source.items(multi=True) if key not in _NOT_ANSWERS]


def _conflict_page(view, the_section, pairs, action, conflict_form=None, expired=False):
    """Both versions side by side: what is saved now, and what this person sent."""
    row = view.sections[the_section.id]
    formdata = MultiDict(pairs)
    yours_form = _form_class(view, the_section)(formdata=formdata, meta={"csrf": False})
    yours = read_section(yours_form, view, view.applicable_questions(the_section), finish=False)
    saved_by = answer_store.saved_by(row)
    if conflict_form is None:
        conflict_form = ConflictForm(formdata=None)
        conflict_form.yours.data = json.dumps(pairs)
        conflict_form.loaded_version.data = str(row.version)
        conflict_form.action.data = action
    rows = presenters.conflict_rows(view, the_section, yours)
    return (
        render_template(
            "returns/conflict.html",
            view=view,
            section=the_section,
            form=conflict_form,
            rows=rows,
            saved_by=saved_by,
            row=row,
            expired=expired,
        ),
        409,
    )


def _resolve_conflict(view, the_section):
    form = ConflictForm()
    try:
        pairs = json.loads(form.yours.data or "[]")
        pairs = [[str(key), str(value)] for key, value in pairs]
    except (ValueError, TypeError):
        abort(400)
    action = "later" if form.action.data == "later" else "save"
    if csrf_expired(form):
        return _conflict_page(view, the_section, pairs, action, expired=True)
    if not form.validate():
        return _conflict_page(view, the_section, pairs, action, conflict_form=form)
    if form.keep.data == "theirs":
        flash("Your changes were not saved. These are the answers that were already saved.", "info")
        return redirect(url_for("returns.section", return_id=view.audit_return.id, section_id=the_section.id))
    formdata = MultiDict(pairs)
    section_form = _form_class(view, the_section)(formdata=formdata, meta={"csrf": False})
    section_form._source_formdata = formdata
    return _save(view, the_section, section_form, form.loaded_version.data or "", action == "save")


from . import colleagues, sending, start  # noqa: E402,F401
