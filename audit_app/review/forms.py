"""Forms of the review pages and the action plan."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from ..data.actions import DESCRIPTION_LIMIT, EVIDENCE_LIMIT, OWNER_LIMIT
from ..data.review import FEEDBACK_LIMIT, QUESTION_LIMIT, REASON_LIMIT
from ..fields import ChoiceRadioField, GovDateField, offered, options, strip
from ..models import ActionStatus

AGREE = "agree"
WHOLE_RETURN = ""
ACTION_STATUS_LABELS = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
}


def _limit(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


class HintedRadios(GovRadioInput):
    """Radios with a hint under some options, and an "or" divider before one of them."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        items = []
        for item in params["items"]:
            hint = field.hints.get(item.get("value"))
            if hint:
                item["hint"] = {"text": hint}
            if item.get("value") == field.divider_before:
                items.append({"divider": "or"})
            items.append(item)
        params["items"] = items
        return params


class HintedRadioField(ChoiceRadioField):
    widget = HintedRadios()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.hints: dict[str, str] = {}
        self.divider_before: str | None = None


class ChoiceSelectField(SelectField):
    """A select that says "Select …" when the choice sent is not one offered (an out-of-date page)."""

    widget = GovSelect()

    def __init__(self, label=None, validators=None, select_message: str = "Select an option", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.select_message = select_message

    def pre_validate(self, form):
        if self.data not in offered(self):
            raise ValidationError(self.select_message)


class AssignForm(FlaskForm):
    reviewer = HintedRadioField("Who will review this return?", select_message="Select a reviewer")
    submit = SubmitField("Assign reviewer", widget=GovSubmitInput())


class ModerationForm(FlaskForm):
    rating = HintedRadioField(
        "What is your rating of this standard?",
        select_message="Select whether you agree with the organisation's rating, or a different rating",
    )
    reason = TextAreaField(
        "Reason for your rating",
        description="Needed if you give a different rating. Say what the evidence shows or lacks.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[_limit(REASON_LIMIT, "The reason")],
    )
    submit = SubmitField("Save your rating", widget=GovSubmitInput())

    def validate_reason(self, field):
        if self.rating.data not in (None, AGREE) and not field.data:
            raise ValidationError("Enter why you have given a different rating")


class EvidenceForm(FlaskForm):
    reason = TextAreaField(
        "Why is this evidence not adequate?",
        description="For example, the policy is out of date or does not cover online safety.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[_limit(REASON_LIMIT, "The reason")],
    )
    inadequate = SubmitField("Mark as not adequate", widget=GovSubmitInput())
    adequate = SubmitField("Mark as adequate", widget=GovSubmitInput())

    def validate_reason(self, field):
        if self.inadequate.data and not field.data:
            raise ValidationError("Enter why the evidence is not adequate")


class QuestionForm(FlaskForm):
    section = ChoiceSelectField(
        "What is the question about?", select_message="Select what the question is about"
    )
    question = TextAreaField(
        "Your question",
        description="The organisation's respondents will see it and answer it in the service.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[InputRequired(message="Enter your question"), _limit(QUESTION_LIMIT, "The question")],
    )
    submit = SubmitField("Ask the question", widget=GovSubmitInput())


class AnswerForm(FlaskForm):
    response = TextAreaField(
        "Your answer",
        widget=GovTextArea(),
        filters=[strip],
        validators=[InputRequired(message="Enter your answer"), _limit(QUESTION_LIMIT, "Your answer")],
    )
    submit = SubmitField("Send your answer", widget=GovSubmitInput())


class RequestChangesForm(FlaskForm):
    comment = TextAreaField(
        "What does the organisation need to change?",
        description="The organisation's respondents see this when they open their return.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            InputRequired(message="Enter what the organisation needs to change"),
            _limit(FEEDBACK_LIMIT, "The changes needed"),
        ],
    )
    submit = SubmitField("Send the return back", widget=GovSubmitInput())


class AcceptForm(FlaskForm):
    comment = TextAreaField(
        "Comment (optional)",
        description="Kept in the return's history.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[_limit(FEEDBACK_LIMIT, "The comment")],
    )
    submit = SubmitField("Accept the return", widget=GovSubmitInput())


class FeedbackForm(FlaskForm):
    strengths = TextAreaField(
        "Strengths",
        description="What the organisation does well. This goes into its feedback letter.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[_limit(FEEDBACK_LIMIT, "Strengths")],
    )
    areas_for_development = TextAreaField(
        "Areas for development",
        description="What the organisation should improve. This goes into its feedback letter.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[_limit(FEEDBACK_LIMIT, "Areas for development")],
    )
    submit = SubmitField("Save feedback", widget=GovSubmitInput())


def _evidence_when_done(form, field):
    if form.status.data == ActionStatus.DONE.value and not field.data:
        raise ValidationError("Enter the evidence that the action has been completed")


def _status_field() -> ChoiceRadioField:
    return ChoiceRadioField(
        "Where is this action now?",
        widget=GovRadioInput(),
        choices=options((status.value, label) for status, label in ACTION_STATUS_LABELS.items()),
        select_message="Select where the action is now",
    )


def _evidence_field() -> TextAreaField:
    return TextAreaField(
        "Evidence of progress or completion",
        description="What has been done, and where the proof can be seen: for example, "
        "the revised policy approved by governors on 4 March.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[_limit(EVIDENCE_LIMIT, "The evidence"), _evidence_when_done],
    )


class ProgressForm(FlaskForm):
    """What a respondent records about one of their organisation's actions."""

    status = _status_field()
    completion_evidence = _evidence_field()
    submit = SubmitField("Save progress", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """An action as the business unit or a reviewer agrees it."""

    description = TextAreaField(
        "What needs to be done?",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            InputRequired(message="Enter what the organisation needs to do"),
            _limit(DESCRIPTION_LIMIT, "The action"),
        ],
    )
    section = ChoiceSelectField("Standard", select_message="Select the standard the action is about")
    owner = StringField(
        "Owner",
        description="The person or role responsible, for example Head of safeguarding.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired(message="Enter who is responsible for the action"),
            _limit(OWNER_LIMIT, "The owner"),
        ],
    )
    due_on = GovDateField(
        "Due by", what="the date the action is due", like="27 3 2027", description="For example, 27 3 2027"
    )
    submit = SubmitField("Save action", widget=GovSubmitInput())


class ActionChangeForm(ActionForm):
    """Changing an action: what it is, and where it stands."""

    status = _status_field()
    completion_evidence = _evidence_field()
    submit = SubmitField("Save changes", widget=GovSubmitInput())
