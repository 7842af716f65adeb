"""Forms for challenge events: the event, its panel, the agenda and what is recorded at the event."""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..data.challenge import NOTE_LIMIT, RULES
from ..fields import ChosenFromShown, GovDateField, offered, options, strip

UK = ZoneInfo("Europe/London")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def parse_time(text: str) -> time:
    """'2pm', '2:30pm', '14:30' or '9.15am' as a time of day; ValueError otherwise."""
    found = _TIME.match(text.strip().lower().replace(" ", ""))
    if not found:
        raise ValueError(text)
    hour, minute, half = int(found[1]), int(found[2] or 0), found[3]
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif found[2] is None:
        raise ValueError(text)  # "9" alone could be morning or evening
    return time(hour, minute)


class EventForm(FlaskForm):
    title = StringField(
        "Title",
        description="For example, Section 11 challenge panel, spring 2026",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired(message="Enter a title for the event"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    cycle_id = SelectField("Audit cycle", widget=GovSelect(), coerce=int, validate_choice=False)
    starts_on = GovDateField("Date", what="the date of the event", description="For example, 14 5 2026")
    starts_time = StringField(
        "Start time",
        description="For example, 9:30am or 2pm",
        widget=GovTextInput(),
        filters=[strip],
        validators=[InputRequired(message="Enter the time the event starts")],
    )
    place = StringField(
        "Place",
        description="Where the panel meets, if it meets in person",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Length(max=300, message="Place must be 300 characters or fewer")],
    )
    online_link = StringField(
        "Online meeting link",
        description="If the panel meets online, or people can join online",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Length(max=1000, message="Online meeting link must be 1,000 characters or fewer")],
    )
    submit = SubmitField("Save event", widget=GovSubmitInput())

    def validate_cycle_id(self, field) -> None:
        if not field.data or field.data not in offered(field):
            raise ValidationError("Select the audit cycle the event is about")

    def validate_starts_time(self, field) -> None:
        try:
            parse_time(field.data)
        except ValueError as exc:
            raise ValidationError("Enter the start time like 9:30am, 2pm or 14:00") from exc

    def validate_online_link(self, field) -> None:
        if field.data and not re.match(r"^https?://[^\s]+$", field.data):
            raise ValidationError("Enter the online meeting link in full, starting with https://")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (
            not self.place.errors
            and not self.online_link.errors
            and not (self.place.data or self.online_link.data)
        ):
            self.place.errors.append("Enter a place or an online meeting link")
            return False
        return valid

    def starts_at(self) -> datetime:
        """The start in UK time, as an aware datetime."""
        return datetime.combine(self.starts_on.data, parse_time(self.starts_time.data), tzinfo=UK)


class PanelMemberForm(FlaskForm):
    user_id = SelectField(
        "Person",
        description="Choose someone who uses this service, or leave this and enter a name below",
        widget=GovSelect(),
        validate_choice=False,
    )
    name = StringField(
        "Name of someone from outside the partnership",
        description="For example, the independent scrutineer",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Length(max=200, message="Name must be 200 characters or fewer")],
    )
    panel_role = StringField(
        "Role on the panel",
        description="For example, Chair, Independent scrutineer or Peer reviewer",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired(message="Enter their role on the panel"),
            Length(max=120, message="Role on the panel must be 120 characters or fewer"),
        ],
    )
    submit = SubmitField("Add to the panel", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.user_id.data and self.user_id.data not in offered(self.user_id):
            self.user_id.errors.append("Select someone from the list; the page may be out of date")
            return False
        if self.user_id.data and self.name.data:
            self.name.errors.append("Choose a person or enter a name, not both")
            return False
        if not self.user_id.data and not self.name.data and not self.name.errors:
            self.user_id.errors.append(
                "Choose a person or enter the name of someone from outside the partnership"
            )
            return False
        return valid


class AgendaRulesForm(FlaskForm):
    rules = SelectMultipleField(
        "Put these organisations on the agenda",
        description="Select all that apply. Each organisation's reasons are shown on the agenda.",
        widget=GovCheckboxesInput(),
        choices=options(RULES.items()),
        validate_choice=False,
        validators=[
            ChosenFromShown(none_message="Select at least one way to choose organisations for the agenda")
        ],
    )
    submit = SubmitField("Build the agenda", widget=GovSubmitInput())


class AddToAgendaForm(FlaskForm):
    organisation_id = SelectField("Organisation", widget=GovSelect(), coerce=int, validate_choice=False)
    note = TextAreaField(
        "Why should the panel see this organisation?",
        description="This is shown on the agenda as the reason it was added.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            InputRequired(message="Enter why the organisation is on the agenda"),
            Length(max=500, message="The reason must be 500 characters or fewer"),
        ],
    )
    submit = SubmitField("Add to the agenda", widget=GovSubmitInput())

    def validate_organisation_id(self, field) -> None:
        if not field.data or field.data not in offered(field):
            raise ValidationError("Select an organisation to add to the agenda")


class NotesForm(FlaskForm):
    challenge_notes = TextAreaField(
        "Challenge notes",
        description="What the panel asked and found",
        widget=GovTextArea(),
        validators=[Length(max=NOTE_LIMIT, message="Challenge notes must be 20,000 characters or fewer")],
    )
    organisation_response = TextAreaField(
        "The organisation's response",
        widget=GovTextArea(),
        validators=[
            Length(max=NOTE_LIMIT, message="The organisation's response must be 20,000 characters or fewer")
        ],
    )
    submit = SubmitField("Save notes", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    description = TextAreaField(
        "What needs to be done",
        widget=GovTextArea(),
        filters=[strip],
        validators=[InputRequired(message="Enter what the organisation needs to do")],
    )
    section_id = SelectField("Standard", widget=GovSelect(), validate_choice=False, validators=[Optional()])
    owner = StringField(
        "Owner",
        description="The person or post responsible, for example Head of Safeguarding",
        widget=GovTextInput(),
        filters=[strip],
        validators=[InputRequired(message="Enter who is responsible for the action")],
    )
    due_on = GovDateField("Due by", what="the date the action is due", description="For example, 30 9 2026")
    submit = SubmitField("Add action", widget=GovSubmitInput())

    def validate_section_id(self, field) -> None:
        if field.data and field.data not in offered(field):
            raise ValidationError("Select a standard from the list, or the whole return")


class ButtonForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change something."""
