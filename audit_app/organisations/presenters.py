"""Words and page parts for the register: duties in words, GIAS details, pagination."""

from __future__ import annotations

from typing import Any

from flask import url_for
from markupsafe import Markup, escape

from scoring.definitions.model import Duty

from ..models import Organisation, OrganisationStatus
from ..registers.agencies import AGENCY_TYPE_LABELS, AgencyType
from ..registers.establishment_types import QuestionnaireFamily, questionnaire_family_for

# Short enough for a select or a table cell.
DUTY_SHORT = {
    Duty.S11.value: "Section 11 (agency)",
    Duty.S175.value: "Section 175 (maintained school)",
    Duty.S157.value: "Section 157 (academy or independent school)",
    Duty.NMSS.value: "Non-maintained special school",
    Duty.FE.value: "Section 175 (further education)",
}

# The statute each duty comes from, as the detail page states it.
DUTY_WORDS = {
    Duty.S11.value: "Section 11 of the Children Act 2004",
    Duty.S175.value: "Section 175 of the Education Act 2002: the governing body of a maintained school",
    Duty.S157.value: "Section 157 of the Education Act 2002 and the Independent School Standards: "
    "the proprietor (for an academy or free school, its academy trust)",
    Duty.NMSS.value: "The Non-Maintained Special Schools (England) Regulations 2015",
    Duty.FE.value: "Section 175 of the Education Act 2002, as it applies to further education "
    "institutions, 16 to 19 academies and special post-16 institutions",
}

FAMILY_WORDS = {
    QuestionnaireFamily.SCHOOLS: "Schools questionnaire (section 175 and section 157)",
    QuestionnaireFamily.FE_COLLEGES: "Further education colleges questionnaire",
    QuestionnaireFamily.AGENCIES: "Section 11 questionnaire for agencies",
}

KIND_LABELS = {"agency": "Agency", "school": "School", "college": "College"}


def duty_short(duty: str) -> str:
    return DUTY_SHORT.get(duty, duty)


def family_words(duty: str) -> str:
    try:
        return FAMILY_WORDS[questionnaire_family_for(Duty(duty))]
    except ValueError:
        return ""


def agency_type_label(value: str | None) -> str:
    try:
        return AGENCY_TYPE_LABELS[AgencyType(value)]
    except ValueError:
        return value or ""


def status_tag(organisation: Organisation) -> dict[str, str]:
    if organisation.status is OrganisationStatus.CLOSED:
        return {"text": "Closed", "classes": "govuk-tag--grey"}
    return {"text": "Open", "classes": "govuk-tag--green"}


def kind_and_type(organisation: Organisation) -> str:
    if organisation.agency_type:
        return agency_type_label(organisation.agency_type)
    return organisation.type_name or KIND_LABELS[organisation.kind.value]


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _row(key: str, text: str = "", html: Markup | None = None, action: dict | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "key": {"text": key},
        "value": {"html": html} if html else {"text": text or "Not recorded"},
    }
    if action:
        row["actions"] = {"items": [action]}
    return row


def _link(organisation: Organisation, in_register: set[int]) -> Markup:
    label = f"{organisation.name} (URN {organisation.urn})" if organisation.urn else organisation.name
    if organisation.id in in_register:
        href = url_for("organisations.detail", organisation_id=organisation.id)
        return Markup('<a class="govuk-link" href="{}">{}</a>').format(href, label)
    return escape(label)


def detail_rows(
    organisation: Organisation, predecessors: list[Organisation], in_register: set[int]
) -> list[dict[str, Any]]:
    """The summary list of the detail page; ``in_register`` are ids that may be linked to."""
    o = organisation
    status = "Open" if o.status is OrganisationStatus.OPEN else "Closed"
    if o.status is OrganisationStatus.CLOSED and o.closed_on:
        status += f" on {_date(o.closed_on)}"
    if o.status is OrganisationStatus.CLOSED and o.close_reason:
        status += f" ({o.close_reason})"
    rows = [_row("Status", status)]
    if o.kind.value == "agency":
        edit = {
            "href": url_for("organisations.edit_agency", organisation_id=o.id),
            "text": "Change",
            "visuallyHiddenText": "the agency’s name or type",
        }
        rows.append(_row("Type of agency", agency_type_label(o.agency_type), action=edit))
    else:
        rows += [
            _row("URN", str(o.urn or "")),
            _row("UKPRN", o.ukprn or ""),
            _row("Local authority", " ".join(p for p in (o.la_code, o.la_name) if p)),
            _row(
                "LAESTAB",
                f"{o.la_code}{o.establishment_number}" if o.la_code and o.establishment_number else "",
            ),
            _row("Type of establishment", " ".join(p for p in (o.type_code, o.type_name) if p)),
            _row("Phase", o.phase or ""),
            _row(
                "Age range",
                f"{o.low_age} to {o.high_age}" if o.low_age is not None and o.high_age is not None else "",
            ),
            _row("Number of pupils", f"{o.pupils:,}" if o.pupils is not None else ""),
            _row(
                "Trust",
                f"{o.trust_name} ({o.trust_code})" if o.trust_name and o.trust_code else o.trust_name or "",
            ),
            _row("Opened", _date(o.opened_on)),
            _row("Address", ", ".join(p for p in (o.street, o.town, o.postcode) if p)),
            _row("Website", o.website or ""),
            _row("Telephone", o.telephone or ""),
        ]
    rows += [
        _row("Duty", DUTY_WORDS.get(o.duty, o.duty)),
        _row("Questionnaire", family_words(o.duty)),
    ]
    if predecessors:
        html = Markup("<br>").join(_link(p, in_register) for p in predecessors)
        rows.append(_row("Carried on from", html=html))
    if o.successor is not None:
        rows.append(_row("Carried on by", html=_link(o.successor, in_register)))
    return rows
