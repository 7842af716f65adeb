"""WTForms fields, filters and validators every blueprint's forms share, refusing in the Design System's wording."""

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import Field, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

OUT_OF_DATE = "Select from the options shown; the page may be out of date"


def options(pairs) -> list[SelectChoice]:
    """Choices for a field from (value, label) pairs: WTForms is retiring plain tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


def offered(field) -> set:
    """The values a choice field put on the page."""
    return {choice.value for choice in field.choices or []}


def strip(value):
    """A filter taking the spaces off both ends of what was typed."""
    return value.strip() if isinstance(value, str) else value


class ChoiceRadioField(RadioField):
    """A radio field that says "Select …" when the choice sent is not one offered.

    WTForms' own message ("Not a valid choice.") means nothing to a person; a
    choice that is not on the page usually means the page was out of date.
    """

    def __init__(self, label=None, validators=None, select_message: str = "Select an option", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.select_message = select_message

    def pre_validate(self, form):
        if self.data is None or not any(self.data == value for value, *_ in self.iter_choices()):
            raise ValidationError(self.select_message)


class ChosenFromShown:
    """Refuses checkboxes sent with a value the page did not offer and, given ``none_message``, with none ticked.

    For a ``SelectMultipleField`` with ``validate_choice=False``, whose own
    refusal ("'x' is not a valid choice for this field.") means nothing to a person.
    """

    def __init__(self, message: str = OUT_OF_DATE, none_message: str | None = None):
        self.message = message
        self.none_message = none_message

    def __call__(self, form, field) -> None:
        if self.none_message and not field.data:
            raise ValidationError(self.none_message)
        if set(field.data or []) - offered(field):
            raise ValidationError(self.message)


class GovDateField(Field):
    """A date entered as day, month and year, refused in the Design System's words.

    ``what`` names the date in messages: "Enter {what}", "{What} must be a real date".
    With ``like`` (an example date, "27 3 2027"), a date that is not real, a
    two-digit year included, is refused as "{What} must be a real date, like {like}".
    """

    widget = GovDateInput()

    def __init__(
        self, label=None, validators=None, what: str = "the date", like: str | None = None, **kwargs
    ):
        super().__init__(label, validators, **kwargs)
        self.what = what
        self.like = like

    def _value(self):
        return self.data.strftime("%d %m %Y") if self.data else ""

    def process_formdata(self, valuelist):
        parts = [(part or "").strip() for part in [*valuelist, "", "", ""][:3]]
        self.raw_data = parts
        self.data = None
        day, month, year = parts
        subject = self.what[:1].upper() + self.what[1:]
        not_real = f"{subject} must be a real date" + (f", like {self.like}" if self.like else "")
        if not any(parts):
            raise ValueError(f"Enter {self.what}")
        missing = [name for name, value in zip(("day", "month", "year"), parts, strict=True) if not value]
        if missing:
            raise ValueError(f"{subject} must include a {' and '.join(missing)}")
        if not all(part.isdigit() for part in parts):
            raise ValueError(not_real)
        if len(year) != 4:
            raise ValueError(not_real if self.like else "Year must include 4 numbers")
        try:
            self.data = date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValueError(not_real) from exc
