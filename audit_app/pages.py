"""Pages anyone may read: the privacy notice."""

from flask import Blueprint, render_template

from .access import public

bp = Blueprint("pages", __name__)


@bp.route("/privacy")
@public
def privacy():
    return render_template("pages/privacy.html")
