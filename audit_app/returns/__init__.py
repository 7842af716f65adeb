"""Completing a return: the respondent's journey from invitation to submission."""

from flask import Blueprint

bp = Blueprint("returns", __name__)

from . import routes  # noqa: E402,F401
