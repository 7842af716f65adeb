"""Reports from the app's data: feedback letters, school feedback, the board summary and the workbook."""

from flask import Blueprint

bp = Blueprint("reporting", __name__, url_prefix="/reports")

from . import routes  # noqa: E402,F401
