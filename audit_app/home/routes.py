"""Each role's home page."""

from datetime import date

from flask import g, render_template
from flask_login import current_user

from ..access import requires_role
from ..data import dashboards, review
from ..models import Role
from . import bp


@bp.route("/business-unit")
@requires_role(Role.ADMIN)
def admin():
    return render_template(
        "home/admin.html",
        overviews=dashboards.cycle_overviews(g.partnership, date.today()),
        organisation_counts=dashboards.organisation_counts(g.partnership),
    )


@bp.route("/review")
@requires_role(Role.REVIEWER, Role.ADMIN)
def reviewer():
    # Admins come here to assign reviewers, and see accepted returns too.
    lists = review.returns_for_reviewer(current_user, g.partnership, every_accepted=Role.ADMIN in g.roles)
    return render_template(
        "home/reviewer.html",
        assigned=lists.assigned,
        others=lists.others,
        reviewer=Role.REVIEWER in g.roles,
        admin=Role.ADMIN in g.roles,
    )


@bp.route("/board")
@requires_role(Role.BOARD_VIEWER)
def board():
    overviews = dashboards.cycle_overviews(g.partnership, date.today())
    rates = {o.cycle.id: dashboards.return_rates_by_kind(g.partnership, o.cycle) for o in overviews}
    return render_template("home/board.html", overviews=overviews, rates=rates)


@bp.route("/returns")
@requires_role(Role.RESPONDENT)
def respondent():
    return render_template(
        "home/respondent.html",
        returns=dashboards.returns_for_respondent(current_user, g.partnership),
        today=date.today(),
    )
