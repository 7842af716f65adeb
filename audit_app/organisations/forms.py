"""Forms of the organisation register: imports, filters, agencies, contacts, the type mapping."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, HiddenField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from scoring.definitions.model import Duty

from ..fields import ChoiceRadioField, offered, options, strip
from ..models import ContactRole, OrganisationKind, OrganisationStatus
from ..registers.agencies import AGENCY_TYPE_LABELS
from ..registers.establishment_types import DEFAULT_TYPE_DUTIES, GIAS_TYPE_NAMES
from .presenters import DUTY_SHORT

_LA_CODE = re.compile(r"\d{1,3}")
NOT_AUDITED = "none"


def _single_spaced(value: str | None) -> str | None:
    """A name or search with its runs of spaces made one, as the register stores names."""
    return " ".join(value.split()) if isinstance(value, str) else value


def parse_la_codes(text: str) -> list[str]:
    """``"850, 851"`` → ``["850", "851"]``; raises ValueError with a message for a person."""
    codes = [part.strip() for part in re.split(r"[,\s]+", text or "") if part.strip()]
    if not codes:
        raise ValueError("Enter the local authority codes your partnership covers, like 850, 851")
    wrong = [code for code in codes if not _LA_CODE.fullmatch(code)]
    if wrong:
        raise ValueError(
            f"“{wrong[0]}” is not a local authority code: enter codes of up to 3 digits, like 850, 851"
        )
    return list(dict.fromkeys(code.zfill(3) for code in codes))


def _la_codes(form, field) -> None:
    try:
        field.parsed = parse_la_codes(field.data)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


_CSV_ONLY = FileAllowed(["csv"], message="The selected file must be a CSV")


class GiasUploadForm(FlaskForm):
    file = FileField(
        "GIAS establishment file",
        description="The edubasealldata CSV file downloaded from Get Information about Schools.",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select the GIAS establishment file"), _CSV_ONLY],
    )
    links = FileField(
        "GIAS links file (optional)",
        description="The links_edubasealldata CSV file from the same download. It says which schools "
        "carried on from which, for example when a school became an academy.",
        widget=GovFileInput(),
        validators=[_CSV_ONLY],
    )
    la_codes = StringField(
        "Local authority codes",
        description="Only schools and colleges in these local authorities are imported. "
        "Separate codes with commas, like 850, 851.",
        widget=GovTextInput(),
        validators=[_la_codes],
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class AgencyUploadForm(FlaskForm):
    file = FileField(
        "List of agencies",
        description="A CSV file with the columns name, agency_type, lead_contact_name, lead_contact_email, "
        "executive_lead_name and executive_lead_email.",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select the list of agencies"), _CSV_ONLY],
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ApplyImportForm(FlaskForm):
    import_run_id = HiddenField()
    submit = SubmitField("Apply this import", widget=GovSubmitInput())


KIND_CHOICES = [
    ("", "All"),
    (OrganisationKind.AGENCY.value, "Agencies"),
    (OrganisationKind.SCHOOL.value, "Schools"),
    (OrganisationKind.COLLEGE.value, "Colleges"),
]
STATUS_CHOICES = [
    ("", "Open and closed"),
    (OrganisationStatus.OPEN.value, "Open"),
    (OrganisationStatus.CLOSED.value, "Closed"),
]
SORT_CHOICES = [("name", "Name, A to Z"), ("-name", "Name, Z to A")]


class RegisterFilterForm(FlaskForm):
    """The register's filters: sent by GET, so a filtered list can be bookmarked."""

    class Meta:
        csrf = False

    q = StringField("Name or URN", widget=GovTextInput(), filters=[_single_spaced], validators=[Optional()])
    kind = SelectField(
        "Kind", choices=options(KIND_CHOICES), default="", widget=GovSelect(), validate_choice=False
    )
    status = SelectField(
        "Status", choices=options(STATUS_CHOICES), default="", widget=GovSelect(), validate_choice=False
    )
    sort = SelectField(
        "Sort by", choices=options(SORT_CHOICES), default="name", widget=GovSelect(), validate_choice=False
    )
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def chosen(self, name: str) -> str:
        """The value sent if it is one offered, else the default: an old or edited link still lists something."""
        field = self[name]
        return field.data if field.data in offered(field) else field.default


class AgencyForm(FlaskForm):
    name = StringField(
        "Agency name",
        widget=GovTextInput(),
        filters=[_single_spaced],
        validators=[
            DataRequired(message="Enter the agency’s name"),
            Length(max=300, message="Agency name must be 300 characters or fewer"),
        ],
    )
    agency_type = SelectField(
        "Type of agency",
        choices=options(
            [("", "Select a type")] + [(t.value, label) for t, label in AGENCY_TYPE_LABELS.items()]
        ),
        widget=GovSelect(),
        validators=[InputRequired(message="Select the type of agency")],
    )
    submit = SubmitField("Save agency", widget=GovSubmitInput())

    def validate_agency_type(self, field) -> None:
        if field.data not in {t.value for t in AGENCY_TYPE_LABELS}:
            raise ValidationError("Select the type of agency")


class ContactForm(FlaskForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[_single_spaced],
        validators=[
            DataRequired(message="Enter the contact’s full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired(message="Enter the contact’s email address"),
            Email(message="Enter an email address in the correct format, like name@example.org"),
            Length(max=320, message="Email address must be 320 characters or fewer"),
        ],
    )
    position = StringField(
        "Job title (optional)",
        description="For example, designated safeguarding lead or head teacher.",
        widget=GovTextInput(),
        filters=[_single_spaced],
        validators=[Length(max=120, message="Job title must be 120 characters or fewer")],
    )
    role = ChoiceRadioField(
        "What is this contact for?",
        widget=GovRadioInput(),
        choices=options(
            [
                (ContactRole.LEAD.value, "Lead contact: completes the return and receives the invitation"),
                (ContactRole.ESCALATION.value, "Escalation contact: copied into chasing emails and letters"),
            ]
        ),
        select_message="Select what this contact is for",
    )
    submit = SubmitField("Save contact", widget=GovSubmitInput())


class RemoveContactForm(FlaskForm):
    submit = SubmitField("Remove contact", widget=GovSubmitInput())


def _one_of_the_duties(form, field) -> None:
    if field.data not in {choice.value for choice in duty_choices()}:
        raise ValidationError("Select a duty, or not audited")


def duty_choices() -> list[SelectChoice]:
    return options(
        [(duty.value, DUTY_SHORT[duty.value]) for duty in Duty if duty is not Duty.S11]
        + [(NOT_AUDITED, "Not audited")]
    )


def type_mapping_form(effective: dict[str, str | None]) -> FlaskForm:
    """A form with one select per GIAS type code, named ``type_<code>``, set to the duty in use."""

    class TypeMappingForm(FlaskForm):
        submit = SubmitField("Save the mapping", widget=GovSubmitInput())

    for code in sorted(set(DEFAULT_TYPE_DUTIES) | set(effective)):
        name = GIAS_TYPE_NAMES.get(code, "type not in the default table")
        field = SelectField(
            f"Duty for type {code} {name}",
            choices=duty_choices(),
            default=effective.get(code) or NOT_AUDITED,
            widget=GovSelect(),
            validate_choice=False,
            validators=[_one_of_the_duties],
        )
        setattr(TypeMappingForm, f"type_{code}", field)
    return TypeMappingForm()
