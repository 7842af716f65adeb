"""WTForms fields whose refusals use the Design System's wording."""

from wtforms import RadioField
from wtforms.validators import ValidationError


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
