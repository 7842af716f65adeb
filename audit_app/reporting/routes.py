"""Routes of the reporting blueprint."""

from . import bp  # noqa: F401
