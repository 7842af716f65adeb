"""Template helpers: navigation, dates and status tags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, request, url_for
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovDateInput

from .models import ReturnStatus, Role

UK_TIME = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class NavItem:
    href: str
    text: str
    active: bool


# (roles that see the link, endpoint, words), in the order they appear.
_NAVIGATION = (
    ({Role.ADMIN}, "home.admin", "Business unit"),
    ({Role.ADMIN}, "organisations.index", "Organisations"),
    ({Role.ADMIN}, "cycles.outbox_list", "Outbox"),
    ({Role.REVIEWER}, "home.reviewer", "Review"),
    ({Role.ADMIN, Role.REVIEWER}, "challenge.index", "Challenge events"),
    ({Role.BOARD_VIEWER}, "home.board", "Board summary"),
    ({Role.ADMIN, Role.BOARD_VIEWER}, "reporting.index", "Reports"),
    ({Role.RESPONDENT}, "home.respondent", "Your returns"),
    ({Role.RESPONDENT}, "reporting.your_feedback", "Your feedback"),
)


def navigation_items() -> list[NavItem]:
    roles = getattr(g, "roles", set())
    views = current_app.view_functions
    current = request.blueprint
    items = []
    for allowed, endpoint, text in _NAVIGATION:
        if roles & allowed and endpoint in views:
            # A link is current on its own page, and on pages of its area other than a home.
            area = endpoint.split(".")[0]
            active = request.endpoint == endpoint or (area not in ("home", "reporting") and area == current)
            items.append(NavItem(url_for(endpoint), text, active))
    if len(getattr(g, "partnerships", [])) > 1:
        items.append(
            NavItem(
                url_for("auth.choose_partnership"),
                "Change partnership",
                request.endpoint == "auth.choose_partnership",
            )
        )
    return items


def format_date(value: date | datetime | None) -> str:
    """GOV.UK style: 5 January 2026."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: datetime | None) -> str:
    """GOV.UK style, in UK time: 5 January 2026 at 2:07pm."""
    if value is None:
        return ""
    local = value.astimezone(UK_TIME) if value.tzinfo else value
    hour = local.hour % 12 or 12
    return f"{format_date(local)} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def trail_value(value: object) -> str:
    """An audit-trail value in words: blank for nothing, lists joined, dicts as key: value."""
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items())
    return str(value)


def format_percent(part: int, whole: int) -> str:
    if not whole:
        return "–"
    return f"{round(100 * part / whole)}%"


_STATUS_COLOURS = {
    ReturnStatus.NOT_STARTED: "govuk-tag--grey",
    ReturnStatus.IN_PROGRESS: "govuk-tag--light-blue",
    ReturnStatus.SUBMITTED: "govuk-tag--blue",
    ReturnStatus.CHANGES_REQUESTED: "govuk-tag--orange",
    ReturnStatus.ACCEPTED: "govuk-tag--green",
}


def pagination(page: int, pages: int, link, label: str) -> dict[str, Any] | None:
    """Parameters for govukPagination: first, last and the pages around this one.

    ``link(number)`` gives a page's address; ``label`` names the landmark for screen readers.
    """
    if pages <= 1:
        return None
    shown = sorted({1, pages, *range(max(1, page - 1), min(pages, page + 1) + 1)})
    items: list[dict[str, Any]] = []
    previous = 0
    for number in shown:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": link(number), "current": number == page})
        previous = number
    params: dict[str, Any] = {"items": items, "landmarkLabel": label}
    if page > 1:
        params["previous"] = {"href": link(page - 1)}
    if page < pages:
        params["next"] = {"href": link(page + 1)}
    return params


def status_tag(status: ReturnStatus, overdue: bool = False) -> dict[str, str]:
    """Parameters for govukTag: the words always say what the colour means."""
    if overdue:
        return {"text": f"{status.label} – overdue", "classes": "govuk-tag--red"}
    return {"text": status.label, "classes": _STATUS_COLOURS[status]}


def error_summary(form) -> dict:
    """Parameters for govukErrorSummary: the form's errors, each linked to the input to correct.

    govuk-frontend-wtf links every error to the field's id; a date field's id is its
    fieldset, and the Design System links a date's error to its first input
    (``<name>-day``), or to the first part the error says is missing.
    """
    params = wtforms_errors(form)
    dates = {f"#{field.id}": field for field in form if isinstance(field.widget, GovDateInput)}
    for item in params["errorList"]:
        field = dates.get(item.get("href"))
        if field is not None:
            parts = ("day", "month", "year")
            missing = [part for part in parts if f"a {part}" in item["text"] or f"and {part}" in item["text"]]
            if "year must include 4 numbers" in item["text"].lower():
                missing = ["year"]
            item["href"] = f"#{field.name}-{missing[0] if missing else 'day'}"
    return params


def init_app(app: Flask) -> None:
    app.add_template_global(error_summary)
    app.add_template_global(navigation_items)
    app.add_template_global(status_tag)
    app.add_template_filter(format_date, "govuk_date")
    app.add_template_filter(format_datetime, "govuk_datetime")
    app.add_template_global(trail_value)
    app.add_template_global(format_percent)
    app.add_template_global(list(ReturnStatus), "return_statuses")
