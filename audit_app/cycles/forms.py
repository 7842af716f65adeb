"""Forms for creating a cycle, filtering its dashboard and chasing organisations."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import Form, IntegerField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..fields import ChoiceRadioField, ChosenFromShown, GovDateField, offered, options, strip
from ..models import OrganisationKind

NONE = "none"  # the "not in this cycle" choice of a questionnaire
# Which questionnaire choice serves which duties, and the kind of organisation it is for.
QUESTIONNAIRE_GROUPS = {
    "s11_questionnaire": (("s11",), OrganisationKind.AGENCY, "agencies"),
    "schools_questionnaire": (("s175", "s157", "nmss"), OrganisationKind.SCHOOL, "schools"),
    "fe_questionnaire": (("fe",), OrganisationKind.COLLEGE, "colleges"),
}


def _days_list(text: str, field_name: str) -> list[int]:
    if not text:
        return []
    pieces = [p for p in re.split(r"[,\s]+", text) if p]
    if not all(p.isascii() and p.isdigit() for p in pieces):  # not "²", which int() refuses
        raise ValidationError(f"Enter {field_name} as whole numbers separated by commas, like 14, 7, 1")
    days = sorted({int(p) for p in pieces}, reverse=True)
    if any(d > 365 for d in days):
        raise ValidationError(f"Enter {field_name} of 365 days or fewer")
    return days


class CycleForm(FlaskForm):
    name = StringField(
        "Name of the cycle",
        description="For example, Section 11 audit 2026",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired(message="Enter a name for the cycle"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    s11_questionnaire = ChoiceRadioField(
        "Questionnaire for agencies (section 11)",
        description="Children Act 2004, section 11: police, health, local authority services and the others you ask.",
        widget=GovRadioInput(),
        select_message="Select a questionnaire for agencies, or that agencies are not in this cycle",
    )
    schools_questionnaire = ChoiceRadioField(
        "Questionnaire for schools (sections 175 and 157, non-maintained special schools)",
        description="Education Act 2002: maintained schools, academies, free schools and independent schools.",
        widget=GovRadioInput(),
        select_message="Select a questionnaire for schools, or that schools are not in this cycle",
    )
    fe_questionnaire = ChoiceRadioField(
        "Questionnaire for colleges (further education, section 175)",
        description="Further education colleges, sixth form colleges and 16 to 19 academies.",
        widget=GovRadioInput(),
        select_message="Select a questionnaire for colleges, or that colleges are not in this cycle",
    )
    kinds = SelectMultipleField(
        "Who is asked for a return",
        description="Select all that apply. You can narrow each below, and add organisations by name.",
        widget=GovCheckboxesInput(),
        choices=options([("agency", "Agencies"), ("school", "Schools"), ("college", "Colleges")]),
        validate_choice=False,
        validators=[ChosenFromShown()],
    )
    agency_types = SelectMultipleField(
        "Only these types of agency",
        description="Leave empty to ask every agency.",
        widget=GovCheckboxesInput(),
        validate_choice=False,
        validators=[ChosenFromShown()],
    )
    type_codes = SelectMultipleField(
        "Only these types of school or college",
        description="Leave empty to ask every type.",
        widget=GovCheckboxesInput(),
        validate_choice=False,
        validators=[ChosenFromShown()],
    )
    la_codes = SelectMultipleField(
        "Only schools and colleges in these local authorities",
        description="Leave empty to ask schools and colleges in every local authority.",
        widget=GovCheckboxesInput(),
        validate_choice=False,
        validators=[ChosenFromShown()],
    )
    organisation_ids = SelectMultipleField(
        "Also ask these organisations",
        description="Whatever is selected above, these organisations are asked too.",
        widget=GovCheckboxesInput(),
        coerce=int,
        validate_choice=False,
        validators=[ChosenFromShown()],
    )
    opens_on = GovDateField("Opens on", what="the date the cycle opens", description="For example, 9 1 2026")
    initial_deadline = GovDateField(
        "Initial deadline",
        what="the initial deadline",
        description="Returns are due by the end of this day. For example, 20 2 2026",
    )
    final_deadline = GovDateField(
        "Final deadline",
        what="the final deadline",
        description="After this day, a missing return is a non-return. For example, 20 3 2026",
    )
    reminder_days = StringField(
        "Reminders before the initial deadline",
        description="How many days before the deadline, separated by commas. For example, 14, 7, 1",
        widget=GovTextInput(),
        filters=[strip],
    )
    reminder_every_days = IntegerField(
        "After the initial deadline, send a reminder every",
        description="Number of days, until the final deadline. Enter 0 for no reminders after the initial deadline.",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter how often to send reminders after the initial deadline, or 0"),
            NumberRange(
                min=0, max=60, message="Reminders after the initial deadline must be 60 days apart or fewer"
            ),
        ],
    )
    chase_days = StringField(
        "Business unit chase",
        description=(
            "How many days after the initial deadline, separated by commas. The chase is copied to the head teacher, "
            "chair of governors or executive lead. Leave empty for no chase."
        ),
        widget=GovTextInput(),
        filters=[strip],
    )
    letter_days = IntegerField(
        "Letter from the independent chair",
        description="How many days after the final deadline. The letter cites section 16H of the Children Act 2004.",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter how many days after the final deadline the letter goes"),
            NumberRange(
                min=1, max=90, message="The letter must go between 1 and 90 days after the final deadline"
            ),
        ],
    )
    joint_with = SelectMultipleField(
        "Run this cycle jointly with",
        description=(
            "An organisation that belongs to more than one of the partnerships returns once, "
            "and each partnership sees its return."
        ),
        widget=GovCheckboxesInput(),
        coerce=int,
        validate_choice=False,
        validators=[ChosenFromShown()],
    )
    submit = SubmitField("Create draft cycle", widget=GovSubmitInput())

    def __init__(self, *args, organisation_duties: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Which duty each organisation on offer is under, to check hand-picked ones have a questionnaire.
        self.organisation_duties = organisation_duties or {}
        self.chosen_reminder_days: list[int] = []
        self.chosen_chase_days: list[int] = []

    def questionnaire_duties(self) -> dict[str, str]:
        """Duty → chosen file name."""
        chosen = {}
        for name, (duties, _kind, _words) in QUESTIONNAIRE_GROUPS.items():
            value = getattr(self, name).data
            if value and value != NONE:
                chosen.update(dict.fromkeys(duties, value))
        return chosen

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        try:
            self.chosen_reminder_days = _days_list(self.reminder_days.data, "reminder days")
        except ValidationError as exc:
            self.reminder_days.errors.append(str(exc))
            valid = False
        try:
            self.chosen_chase_days = sorted(_days_list(self.chase_days.data, "chase days"))
        except ValidationError as exc:
            self.chase_days.errors.append(str(exc))
            valid = False
        valid = self._check_audience() and valid
        return self._check_dates() and valid

    def _check_audience(self) -> bool:
        kinds = set(self.kinds.data or [])
        if not kinds and not self.organisation_ids.data:
            self.kinds.errors.append("Select who is asked for a return")
            return False
        valid = True
        for name, (_duties, kind, words) in QUESTIONNAIRE_GROUPS.items():
            field = getattr(self, name)
            if kind.value in kinds and field.data == NONE and not field.errors:
                field.errors.append(
                    f"Select a questionnaire for {words}, or take {words} out of who is asked"
                )
                valid = False
        if valid and not self.questionnaire_duties():
            self.s11_questionnaire.errors.append("Select at least one questionnaire")
            return False
        covered = self.questionnaire_duties()
        if self.schools_questionnaire.errors or self.s11_questionnaire.errors or self.fe_questionnaire.errors:
            return valid
        uncovered = [
            i for i in self.organisation_ids.data or [] if self.organisation_duties.get(i) not in covered
        ]
        if uncovered:
            names = {choice.value: choice.label for choice in self.organisation_ids.choices}
            listed = ", ".join(names.get(i, str(i)) for i in uncovered[:3])
            self.organisation_ids.errors.append(
                f"Select a questionnaire for the duty of {listed}, or do not add "
                f"{'it' if len(uncovered) == 1 else 'them'} by name"
            )
            valid = False
        return valid

    def _check_dates(self) -> bool:
        opens, initial, final = self.opens_on.data, self.initial_deadline.data, self.final_deadline.data
        if opens and initial and initial < opens:
            self.initial_deadline.errors.append(
                "The initial deadline must be the same as or after the date the cycle opens"
            )
            return False
        if initial and final and final < initial:
            self.final_deadline.errors.append(
                "The final deadline must be the same as or after the initial deadline"
            )
            return False
        return True


class DashboardFilterForm(Form):
    """The filters on a cycle's list of returns: read from the query string, so no CSRF token."""

    q = StringField("Search by name", widget=GovTextInput(), filters=[strip], validators=[Optional()])
    status = SelectField("Status", widget=GovSelect(), validate_choice=False)
    sector = SelectField("Sector", widget=GovSelect(), validate_choice=False)
    flag = SelectField("Flag", widget=GovSelect(), validate_choice=False)
    sort = SelectField(
        "Sort by",
        widget=GovSelect(),
        choices=options(
            [
                ("name", "Name"),
                ("status", "Status"),
                ("submitted", "Date submitted"),
                ("sector", "Sector"),
                ("chased", "Last chased"),
            ]
        ),
        validate_choice=False,
    )
    by = SelectField("Break figures down by", widget=GovSelect(), validate_choice=False)

    def value(self, name: str, default: str = "") -> str:
        field = getattr(self, name)
        return field.data if field.data in offered(field) else default


class ChaseForm(FlaskForm):
    return_ids = SelectMultipleField(
        "Organisations to chase",
        widget=GovCheckboxesInput(),
        coerce=int,
        validate_choice=False,
        validators=[
            ChosenFromShown(
                "Select from the organisations shown; some may have returned since",
                none_message="Select at least one organisation to chase",
            )
        ],
    )
    submit = SubmitField("Send chase emails", widget=GovSubmitInput())


class OpenCycleForm(FlaskForm):
    submit = SubmitField("Open the cycle", widget=GovSubmitInput())


class SendDueForm(FlaskForm):
    submit = SubmitField("Send what is due today", widget=GovSubmitInput())


class OutboxFilterForm(Form):
    stage = SelectField("Stage", widget=GovSelect(), validate_choice=False)
    status = SelectField("Delivery status", widget=GovSelect(), validate_choice=False)

    def value(self, name: str) -> str:
        field = getattr(self, name)
        return field.data if field.data in offered(field) else ""
