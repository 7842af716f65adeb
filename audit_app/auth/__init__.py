from flask import Blueprint

# Its command-line tools are under `flask users ...` (see commands.py).
bp = Blueprint("auth", __name__, cli_group="users")

from . import commands, routes, two_factor  # noqa: E402,F401  (they attach themselves to bp)
