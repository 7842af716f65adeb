from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Regexp

from ..fields import ChoiceRadioField, strip
from ..passwords import MIN_LENGTH
from .totp import normalise_code


def _own_email() -> EmailField:
    """The email address a person signs in with: asked at sign-in and for a reset link."""
    return EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired(message="Enter your email address"),
            Email(message="Enter an email address in the correct format, like name@example.org"),
        ],
    )


class SignInForm(FlaskForm):
    email = _own_email()
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ForgotPasswordForm(FlaskForm):
    email = _own_email()
    submit = SubmitField("Send me a link", widget=GovSubmitInput())


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        description=f"Use at least {MIN_LENGTH} characters. A few unrelated words are easy to remember.",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter a new password"),
            Length(min=MIN_LENGTH, message=f"Password must be {MIN_LENGTH} characters or more"),
            Length(max=200, message="Password must be 200 characters or fewer"),
        ],
    )
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter the new password again"),
            EqualTo("password", message="The passwords do not match"),
        ],
    )
    submit = SubmitField("Save password", widget=GovSubmitInput())


class ChoosePartnershipForm(FlaskForm):
    partnership = ChoiceRadioField(
        "Which partnership are you working in?",
        widget=GovRadioInput(),
        coerce=int,
        select_message="Select a partnership",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class SignOutForm(FlaskForm):
    submit = SubmitField("Sign out", widget=GovSubmitInput())


class CodeForm(FlaskForm):
    """The 6-digit code from an authenticator app, at sign-in or when setting one up."""

    code = StringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        filters=[normalise_code],
        validators=[
            DataRequired(message="Enter the code from your authenticator app"),
            Regexp(r"^[0-9]{6}$", message="The code must be 6 numbers"),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())
