"""Review and moderation of returns, challenge questions, and action plans."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from . import routes  # noqa: E402,F401
