"""The audit trail of a return or an organisation, for the business unit."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request, url_for

from .access import requires_role
from .data import audit_log
from .models import Role
from .presenters import pagination

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _trail_page(trail: audit_log.TrailPage, subject: str, caption: str):
    arguments = dict(request.view_args or {})
    return render_template(
        "audit/trail.html",
        subject=subject,
        caption=caption,
        trail=trail,
        pagination=pagination(
            trail.page,
            trail.pages,
            lambda number: url_for(request.endpoint, **arguments, page=number),
            "Pages of the audit trail",
        ),
    )


@bp.route("/returns/<int:return_id>")
@requires_role(Role.ADMIN)
def return_trail(return_id: int):
    audit_return = audit_log.return_in_partnership(return_id, g.partnership)
    if audit_return is None:
        abort(404)
    return _trail_page(
        audit_log.trail_for_return(audit_return, request.args.get("page", 1, type=int)),
        f"Return {audit_return.reference}",
        f"{audit_return.organisation.name}, {audit_return.cycle.name}",
    )


@bp.route("/organisations/<int:organisation_id>")
@requires_role(Role.ADMIN)
def organisation_trail(organisation_id: int):
    organisation = audit_log.organisation_in_partnership(organisation_id, g.partnership)
    if organisation is None:
        abort(404)
    return _trail_page(
        audit_log.trail_for_organisation(organisation, g.partnership, request.args.get("page", 1, type=int)),
        organisation.name,
        "The organisation's record, its contacts, and its returns and actions in this partnership",
    )
