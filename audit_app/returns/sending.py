"""Checking the answers, signing the declaration, sending the return and its PDF copy."""

from __future__ import annotations

from datetime import date

from flask import flash, g, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from reports.return_copy import build_return_pdf

from ..access import requires_role
from ..data import returns
from ..extensions import csrf
from ..models import ReturnStatus
from . import bp, presenters
from .forms import SignatureFields, declaration_form_class
from .pdf_copy import return_copy
from .reading import read_signatures, signature_data
from .routes import ANSWERING_ROLES, cannot_change, csrf_expired, load


@bp.route("/returns/<int:return_id>/check")
@requires_role(*ANSWERING_ROLES)
def check(return_id: int):
    view = load(return_id)
    sections = [
        (section, presenters.summary_rows(view, section, change=view.editable))
        for section in view.applicable_sections
    ]
    return render_template(
        "returns/check.html",
        view=view,
        sections=sections,
        outstanding=presenters.outstanding(view),
        evidence_expected=presenters.evidence_expected(view),
        sign_offs=presenters.sign_off_rows(view),
    )


def _render_declaration(view, form, expired=False):
    return render_template(
        "returns/declaration.html",
        view=view,
        form=form,
        roles=[(role, SignatureFields(role.id)) for role in view.sign_off_roles],
        expired=expired,
        today=date.today(),
    )


@bp.route("/returns/<int:return_id>/declaration", methods=["GET", "POST"])
@csrf.exempt
@requires_role(*ANSWERING_ROLES)
def declaration(return_id: int):
    view = load(return_id)
    if not view.editable:
        if request.method == "POST":
            return cannot_change(view, *view.closed_reason)
        return redirect(url_for("returns.check", return_id=return_id))
    form_class = declaration_form_class([role.id for role in view.sign_off_roles], date.today())
    if request.method == "GET":
        return _render_declaration(view, form_class(formdata=None, data=signature_data(view)))
    form = form_class()
    if csrf_expired(form):
        return _render_declaration(view, form, expired=True)
    sending = "later" not in request.form
    signatures, errors = read_signatures(form, view, sending)
    if errors:
        for name, messages in errors.items():
            form[name].errors = messages
        return _render_declaration(view, form)
    try:
        returns.sign_and_send(view, signatures, current_user, send=sending)
    except returns.ReturnIncomplete as refusal:
        return render_template(
            "returns/cannot_send.html", view=refusal.view, outstanding=presenters.outstanding(refusal.view)
        ), 409
    except returns.ReturnChanged:
        return cannot_change(
            view,
            "Your return changed while you were sending it",
            "Someone else saved part of the return or a signature at the same moment. "
            "Check the answers and the declaration, then send the return again.",
        )
    except returns.CannotChange as refusal:
        return cannot_change(view, refusal.heading, refusal.reason)
    if not sending:
        flash("The declaration has been saved. You can come back to send the return at any time.", "success")
        return redirect(url_for("returns.task_list", return_id=return_id))
    return redirect(url_for("returns.sent", return_id=return_id))


@bp.route("/returns/<int:return_id>/sent")
@requires_role(*ANSWERING_ROLES)
def sent(return_id: int):
    view = load(return_id)
    if not view.status.is_returned or view.status is ReturnStatus.CHANGES_REQUESTED:
        return redirect(url_for("returns.task_list", return_id=return_id))
    return render_template("returns/sent.html", view=view)


@bp.route("/returns/<int:return_id>/copy.pdf")
@requires_role(*ANSWERING_ROLES)
def copy_pdf(return_id: int):
    view = load(return_id)
    pdf = build_return_pdf(return_copy(view, g.partnership.name))
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    filename = f"return-{view.audit_return.reference}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
