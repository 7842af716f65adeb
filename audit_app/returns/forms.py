"""Forms of the return pages; a section's form is generated from the questionnaire the cycle stored.

Each question becomes one or more fields named after its id, with suffixes
that contain "--", which a questionnaire id can never contain, so no field of
one question can take the name of another:

=====================  ==========================================================
``<id>``               the answer (radios, checkboxes, number, date, text)
``<id>--name``         a person's name; ``<id>--trained-on`` their training date
``<id>--na``           "not applicable" for a question without options
``<id>--na-reason``    why it does not apply
``<id>--file``         an evidence file to upload
``<id>--evidence``     a description of, or link to, evidence held elsewhere
``<id>--remove``       evidence already attached, ticked to remove it
=====================  ==========================================================
"""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length

from scoring.definitions.model import Question, Questionnaire, QuestionType

from ..auth.forms import ResetPasswordForm
from ..fields import ChoiceRadioField, strip
from ..models import Evidence, EvidenceKind
from .fields import (
    AnswerCheckboxesField,
    AnswerRadioField,
    CheckboxInput,
    FileInput,
    GovukDateField,
    TextArea,
    TextInput,
)

RADIO_TYPES = frozenset(
    {QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE, QuestionType.SELF_RATING}
)
NAME, TRAINED_ON = "--name", "--trained-on"
NA, NA_REASON = "--na", "--na-reason"
FILE, NOTE, REMOVE = "--file", "--evidence", "--remove"
TEXT_LIMIT = 10_000
NOTE_LIMIT = 2_000
# The value "not applicable" is sent as on a radio question: one that no option uses.
_NA_CANDIDATES = ("not-applicable", "not-applicable-answer", "n/a")


def na_value(question: Question) -> str | None:
    """The radio value standing for "not applicable", if the question offers it as a radio."""
    if not question.na_allowed or question.type not in RADIO_TYPES:
        return None
    taken = {option.value for option in question.options}
    return next(value for value in _NA_CANDIDATES if value not in taken)


def takes_evidence(question: Question) -> bool:
    return question.type is QuestionType.EVIDENCE or question.evidence.allowed


def _options(question: Question, questionnaire: Questionnaire) -> tuple[list[SelectChoice], dict[str, str]]:
    if question.type is QuestionType.SELF_RATING:
        ratings = questionnaire.scale.ratings
        return [SelectChoice(r.id, r.label) for r in ratings], {r.id: r.meaning for r in ratings}
    choices = [SelectChoice(option.value, option.label) for option in question.options]
    return choices, {option.value: option.hint for option in question.options if option.hint}


def _answer_fields(question: Question, questionnaire: Questionnaire, today: date) -> dict[str, object]:
    kind = question.type
    qid = question.id
    if kind in RADIO_TYPES:
        choices, hints = _options(question, questionnaire)
        na = na_value(question)
        if na is not None:
            choices.append(SelectChoice(na, "Not applicable"))
        return {qid: AnswerRadioField(question.text, choices=choices, option_hints=hints, na_value=na)}
    if kind is QuestionType.MULTIPLE_CHOICE:
        choices, hints = _options(question, questionnaire)
        exclusive = "none" if any(option.value == "none" for option in question.options) else None
        return {
            qid: AnswerCheckboxesField(
                question.text, choices=choices, option_hints=hints, exclusive_value=exclusive
            )
        }
    if kind is QuestionType.NUMBER:
        return {qid: StringField(question.text, widget=TextInput())}
    if kind is QuestionType.DATE:
        return {qid: GovukDateField(question.text)}
    if kind is QuestionType.PERSON:
        return {
            qid + NAME: StringField("Full name", widget=TextInput()),
            qid + TRAINED_ON: GovukDateField(
                "Date of their last safeguarding training", latest=today, noun="Training date"
            ),
        }
    # text, and the description that answers an evidence question
    return {qid: TextAreaField(question.text, widget=TextArea())}


def _question_fields(
    question: Question, questionnaire: Questionnaire, attached: list[Evidence], today: date
) -> dict[str, object]:
    fields = _answer_fields(question, questionnaire, today)
    qid = question.id
    if question.na_allowed:
        if na_value(question) is None:
            fields[qid + NA] = BooleanField("This question does not apply to us", widget=CheckboxInput())
        fields[qid + NA_REASON] = TextAreaField("Why does it not apply?", widget=TextArea())
    if takes_evidence(question):
        fields[qid + FILE] = FileField("Upload a file", widget=FileInput())
        if question.type is not QuestionType.EVIDENCE:
            fields[qid + NOTE] = TextAreaField(
                "Describe the evidence or give a link to it", widget=TextArea()
            )
        if attached:
            fields[qid + REMOVE] = AnswerCheckboxesField(
                "Remove evidence",
                choices=[SelectChoice(str(item.id), evidence_name(item)) for item in attached],
            )
    return fields


def evidence_name(item: Evidence) -> str:
    if item.kind is EvidenceKind.FILE:
        return item.original_filename or "Uploaded file"
    return item.description or item.url or "Evidence"


class SectionForm(FlaskForm):
    """The fields every section page has; the questions' fields are added per section."""

    version = HiddenField()
    save = SubmitField("Save and continue", widget=GovSubmitInput())
    later = SubmitField("Save and come back later", widget=GovSubmitInput())


def section_form_class(
    questionnaire: Questionnaire,
    questions: list[Question],
    evidence: dict[str, list[Evidence]],
    today: date,
) -> type[SectionForm]:
    """A form class for these questions (all of a section's questions for the duty, shown or not)."""
    fields: dict[str, object] = {}
    for question in questions:
        fields.update(_question_fields(question, questionnaire, evidence.get(question.id, []), today))
    return type("GeneratedSectionForm", (SectionForm,), fields)


class ConflictForm(FlaskForm):
    """Choosing between the answers someone else saved and the ones this person sent."""

    keep = ChoiceRadioField(
        "Which answers do you want to keep?",
        choices=[
            SelectChoice("theirs", "Keep the answers already saved"),
            SelectChoice("mine", "Save my answers instead"),
        ],
        widget=GovRadioInput(),
        select_message="Select which answers you want to keep",
    )
    yours = HiddenField()
    loaded_version = HiddenField()
    action = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())


class SignatureFields:
    """Names of one sign-off role's fields."""

    def __init__(self, role_id: str):
        self.name = role_id + "--name"
        self.position = role_id + "--position"
        self.signed_on = role_id + "--signed-on"


class DeclarationForm(FlaskForm):
    send = SubmitField("Accept and send return", widget=GovSubmitInput())
    later = SubmitField("Save and come back later", widget=GovSubmitInput())


def declaration_form_class(role_ids: list[str], today: date) -> type[DeclarationForm]:
    fields: dict[str, object] = {}
    for role_id in role_ids:
        names = SignatureFields(role_id)
        fields[names.name] = StringField("Full name", widget=TextInput(), filters=[strip])
        fields[names.position] = StringField("Job title or position", widget=TextInput(), filters=[strip])
        fields[names.signed_on] = GovukDateField("Date signed", latest=today, noun="Date signed")
    return type("GeneratedDeclarationForm", (DeclarationForm,), fields)


# Setting up an account from an invitation follows the same password rules as a reset.
_RESET_RULES = ResetPasswordForm.password.kwargs


class NewAccountForm(FlaskForm):
    name = StringField(
        "Full name",
        widget=TextInput(),
        filters=[strip],
        validators=[
            InputRequired(message="Enter your full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    password = PasswordField(
        "Create a password",
        description=_RESET_RULES["description"],
        widget=GovPasswordInput(),
        validators=_RESET_RULES["validators"],
    )
    confirm = PasswordField(
        "Confirm your password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter the password again"),
            EqualTo("password", message="The passwords do not match"),
        ],
    )
    submit = SubmitField("Create account and continue", widget=GovSubmitInput())


class InvitationSignInForm(FlaskForm):
    password = PasswordField(
        "Password", widget=GovPasswordInput(), validators=[InputRequired(message="Enter your password")]
    )
    submit = SubmitField("Sign in and continue", widget=GovSubmitInput())


class AcceptInvitationForm(FlaskForm):
    submit = SubmitField("Continue to the return", widget=GovSubmitInput())


class InviteColleagueForm(FlaskForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired(message="Enter your colleague's full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    email = EmailField(
        "Email address",
        description="Use their work email address. We will send the link to this address only.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired(message="Enter your colleague's email address"),
            Length(max=320, message="Email address must be 320 characters or fewer"),
            Email(message="Enter an email address in the correct format, like name@example.org"),
        ],
    )
    submit = SubmitField("Send invitation", widget=GovSubmitInput())
