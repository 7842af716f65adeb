"""Running a cycle: creating and opening it, invitations, reminders, escalation and chasing."""

from flask import Blueprint

bp = Blueprint("cycles", __name__, url_prefix="/cycles")

from . import routes  # noqa: E402,F401
