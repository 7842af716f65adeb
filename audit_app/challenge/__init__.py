"""Challenge events: panels, agendas built from selection rules, briefing packs and event notes."""

from flask import Blueprint

bp = Blueprint("challenge", __name__, url_prefix="/challenge")

from . import routes  # noqa: E402,F401
