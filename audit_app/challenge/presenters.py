"""Words for the challenge event pages."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from ..data import report_data
from ..data.challenge import RULES
from ..models import AuditCycle, ChallengeEvent, Return
from ..presenters import format_date, format_datetime

UK = ZoneInfo("Europe/London")


def event_summary(event: ChallengeEvent, cycle: AuditCycle) -> list[dict]:
    """Rows for the event's summary list: when, where and which cycle."""
    rows = [
        {"key": {"text": "Date and time"}, "value": {"text": format_datetime(event.starts_at)}},
        {"key": {"text": "Audit cycle"}, "value": {"text": cycle.name}},
    ]
    if event.place:
        rows.append({"key": {"text": "Place"}, "value": {"text": event.place}})
    if event.online_link:
        rows.append({"key": {"text": "Online meeting link"}, "value": {"text": event.online_link}})
    return rows


def rule_words(event: ChallengeEvent) -> str:
    """How the agenda was built, in a sentence (empty before it has been built)."""
    rules = (event.selection_rules or {}).get("rules") or []
    if not rules:
        return ""
    listed = [RULES[rule][:1].lower() + RULES[rule][1:] for rule in rules if rule in RULES]
    built = (event.selection_rules or {}).get("built_on")
    when = f" on {format_date(date.fromisoformat(built))}" if built else ""
    joined = "; ".join(listed)
    return f"Built{when} from these rules: {joined}."


def standards_of(audit_return: Return | None) -> dict[str, str]:
    """Standard id → title, for the return's questionnaire (what an action can be against)."""
    if audit_return is None:
        return {}
    questionnaire = report_data.rated(audit_return).questionnaire
    return {section.id: section.title for section in questionnaire.sections if section.scored}
