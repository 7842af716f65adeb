"""Routes of the returns blueprint."""

from . import bp  # noqa: F401
