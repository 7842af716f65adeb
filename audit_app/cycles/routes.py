"""Routes of the cycles blueprint."""

from . import bp  # noqa: F401
