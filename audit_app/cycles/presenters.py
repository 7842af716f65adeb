"""Words and table rows for the cycle pages: statuses, sectors, flags and duties."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import scoring
from scoring.definitions.model import Duty

from ..data.cycle_dashboard import Count, ReturnRow
from ..models import MessageStage, MessageStatus, OrganisationKind
from ..presenters import format_date
from ..registers.agencies import AGENCY_TYPE_LABELS, AgencyType

CATEGORY_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "submitted": "Submitted",
    "accepted": "Accepted",
    "overdue": "Overdue",
    "non_return": "Non-return",
}
CATEGORY_HINTS = {
    "submitted": "including returns sent back for changes",
    "overdue": "not returned after the initial deadline",
    "non_return": "not returned by the final deadline",
}
KIND_LABELS = {
    OrganisationKind.AGENCY: "Agency",
    OrganisationKind.SCHOOL: "School",
    OrganisationKind.COLLEGE: "College",
}
KIND_PLURALS = {"agency": "Agencies", "school": "Schools", "college": "Colleges"}
# Short labels for the duty a return is made under.
DUTY_LABELS = {
    Duty.S11.value: "Section 11 (agencies)",
    Duty.S175.value: "Section 175 (maintained schools)",
    Duty.S157.value: "Section 157 (academies and independent schools)",
    Duty.NMSS.value: "Non-maintained special schools",
    Duty.FE.value: "Further education (section 175)",
}
# The duty in the words of the statute, for the chair's letter.
DUTY_IN_LAW = {
    Duty.S11.value: "section 11 of the Children Act 2004",
    Duty.S175.value: "section 175 of the Education Act 2002",
    Duty.S157.value: "section 157 of the Education Act 2002 and the Independent School Standards",
    Duty.NMSS.value: "the Non-Maintained Special Schools (England) Regulations 2015",
    Duty.FE.value: "section 175 of the Education Act 2002",
}
FLAG_LABELS = scoring.FLAG_LABELS
SERIOUS_FLAGS = {
    scoring.FlagCode.NON_RETURN,
    scoring.FlagCode.CRITICAL_FAIL,
    scoring.FlagCode.IN_PROGRESS_OVERDUE,
}
STAGE_LABELS = {
    MessageStage.INVITATION: "Invitation",
    MessageStage.REMINDER: "Reminder",
    MessageStage.CHASE: "Business unit chase",
    MessageStage.LETTER: "Chair's letter",
    MessageStage.ACCOUNT: "Account",
    MessageStage.FEEDBACK: "Feedback ready",
}
MESSAGE_STATUS_LABELS = {
    MessageStatus.QUEUED: ("Queued", "govuk-tag--grey"),
    MessageStatus.SENT: ("Sent", "govuk-tag--green"),
    MessageStatus.FAILED: ("Failed", "govuk-tag--red"),
    MessageStatus.OUTBOX_ONLY: ("Kept in outbox", "govuk-tag--blue"),
}


def agency_type_label(value: str | None) -> str:
    try:
        return AGENCY_TYPE_LABELS[AgencyType(value)]
    except ValueError:
        return value or "Not recorded"


# ---- sectors ------------------------------------------------------------------------------


def _kind(row: ReturnRow) -> str:
    return KIND_LABELS[row.organisation.kind]


def _agency_type(row: ReturnRow) -> str:
    if row.organisation.kind is OrganisationKind.AGENCY:
        return agency_type_label(row.organisation.agency_type)
    return _kind(row)


def _phase(row: ReturnRow) -> str:
    if row.organisation.kind is OrganisationKind.AGENCY:
        return "Agency"
    return row.organisation.phase or "Not recorded"


def _establishment_type(row: ReturnRow) -> str:
    if row.organisation.kind is OrganisationKind.AGENCY:
        return "Agency"
    return row.organisation.type_name or "Not recorded"


def _duty(row: ReturnRow) -> str:
    return DUTY_LABELS.get(row.audit_return.duty, row.audit_return.duty)


SECTORS: dict[str, tuple[str, Callable[[ReturnRow], str]]] = {
    "agency_type": ("Agency type", _agency_type),
    "phase": ("School phase", _phase),
    "establishment_type": ("Establishment type", _establishment_type),
    "duty": ("Duty", _duty),
    "kind": ("Kind of organisation", _kind),
}


def sector_choices(kinds: set[OrganisationKind]) -> list[str]:
    """The breakdowns that mean something for the organisations in a cycle, the most useful first."""
    choices = []
    if OrganisationKind.AGENCY in kinds:
        choices.append("agency_type")
    if kinds - {OrganisationKind.AGENCY}:
        choices += ["phase", "establishment_type"]
    choices.append("duty")
    if len(kinds) > 1:
        choices.append("kind")
    return choices


# ---- cells ------------------------------------------------------------------------------


def count_cell(count: Count) -> dict:
    if count.count is None:
        return {"text": "–", "format": "numeric"}
    percent = "–" if count.percent is None else f"{round(count.percent)}%"
    return {"text": f"{count.count} ({percent})", "format": "numeric"}


def rate_cell(part: int, whole: int) -> dict:
    percent = f"{round(100 * part / whole)}%" if whole else "–"
    return {"text": f"{part} ({percent})", "format": "numeric"}


def status_tag(row: ReturnRow) -> dict:
    label = CATEGORY_LABELS[row.category] if row.category != "submitted" else row.status.label
    if row.non_return:
        return {"text": f"{label} – non-return", "classes": "govuk-tag--red"}
    if row.overdue:
        return {"text": f"{label} – overdue", "classes": "govuk-tag--red"}
    colours = {
        "not_started": "govuk-tag--grey",
        "in_progress": "govuk-tag--light-blue",
        "submitted": "govuk-tag--blue",
        "accepted": "govuk-tag--green",
    }
    return {"text": label, "classes": colours[row.category]}


def flag_labels(row: ReturnRow) -> list[tuple[str, bool]]:
    """Each kind of flag on the return once, with whether it is serious."""
    seen: dict[scoring.FlagCode, int] = {}
    for flag in row.flags:
        seen[flag.code] = seen.get(flag.code, 0) + 1
    labels = []
    late = row.overdue or row.non_return
    for code, number in seen.items():
        label = FLAG_LABELS.get(code, code.value)
        serious = code in SERIOUS_FLAGS or (code is scoring.FlagCode.NOT_STARTED and late)
        labels.append((f"{label} ({number})" if number > 1 else label, serious))
    return labels


def days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def day_list(numbers) -> str:
    """14, 7, 1 → "14, 7 and 1 days"; 1 → "1 day"."""
    numbers = [str(n) for n in numbers]
    if len(numbers) == 1:
        return days(int(numbers[0]))
    return f"{', '.join(numbers[:-1])} and {numbers[-1]} days"


def short_date(value: date | None) -> str:
    return format_date(value) if value else ""


def message_status(status: MessageStatus) -> dict:
    text, classes = MESSAGE_STATUS_LABELS[status]
    return {"text": text, "classes": classes}
