"""Forms for the reports: the board's themes, and buttons that start a batch."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from ..data.report_data import THEMES_LIMIT


class ThemesForm(FlaskForm):
    themes = TextAreaField(
        "Themes for the board",
        description=(
            "What the partnership has learned from this cycle, one theme on each line. "
            "For example: Training records are not kept in one place in most agencies."
        ),
        widget=GovTextArea(),
        validators=[Length(max=THEMES_LIMIT, message="Themes must be 4,000 characters or fewer")],
    )
    submit = SubmitField("Save themes", widget=GovSubmitInput())


class StartBatchForm(FlaskForm):
    submit = SubmitField("Make feedback for every accepted school and college", widget=GovSubmitInput())
