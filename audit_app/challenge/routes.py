"""Routes of the challenge blueprint."""

from . import bp  # noqa: F401
