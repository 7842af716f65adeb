"""Routes of the review blueprint."""

from . import bp  # noqa: F401
