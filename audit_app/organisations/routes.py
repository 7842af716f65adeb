"""Routes of the organisations blueprint."""

from . import bp  # noqa: F401
