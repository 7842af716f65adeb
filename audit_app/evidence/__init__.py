"""Evidence: storing uploaded files outside the web root, checking them, serving them to those allowed."""

from flask import Blueprint

bp = Blueprint("evidence", __name__, url_prefix="/evidence")

from . import routes  # noqa: E402,F401
