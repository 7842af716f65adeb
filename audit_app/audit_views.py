"""The audit trail of a return or an organisation, for the business unit."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template

from .access import requires_role
from .data import audit_log
from .models import Role

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.route("/returns/<int:return_id>")
@requires_role(Role.ADMIN)
def return_trail(return_id: int):
    audit_return = audit_log.return_in_partnership(return_id, g.partnership)
    if audit_return is None:
        abort(404)
    return render_template(
        "audit/trail.html",
        subject=f"Return {audit_return.reference}",
        caption=f"{audit_return.organisation.name}, {audit_return.cycle.name}",
        lines=audit_log.trail_for_return(audit_return),
    )


@bp.route("/organisations/<int:organisation_id>")
@requires_role(Role.ADMIN)
def organisation_trail(organisation_id: int):
    organisation = audit_log.organisation_in_partnership(organisation_id, g.partnership)
    if organisation is None:
        abort(404)
    return render_template(
        "audit/trail.html",
        subject=organisation.name,
        caption="The organisation's record, its contacts, and its returns and actions in this partnership",
        lines=audit_log.trail_for_organisation(organisation, g.partnership),
    )
