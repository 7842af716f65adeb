"""Routes of the evidence blueprint."""

from . import bp  # noqa: F401
