"""Fields and widgets for questions generated from a questionnaire.

They extend govuk-frontend-wtf's widgets with what a questionnaire needs and
the library leaves out: a hint under each option, "not applicable" set apart
by an "or" divider and revealing its reason, an exclusive "none of these"
checkbox, and a date whose refusals use the Design System's wording.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from datetime import date

from flask import current_app
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
)
from markupsafe import Markup, escape
from wtforms import Field, RadioField, SelectMultipleField
from wtforms.utils import unset_value
from wtforms.validators import ValidationError


class RememberedRender:
    """Keeps what a GOV.UK component rendered, for the next time the same params come.

    A component's HTML is a pure function of its params: the macros read
    nothing else. A section page renders the same questions in the same few
    states (unanswered, each option chosen, each error) for every respondent,
    and each radio group is several nested macro calls, so a bounded cache of
    the output makes a 15-question page several times cheaper to render
    (bench/pages.py, "Pages" in bench/README.md). The key tells Markup from
    plain text, since the two render differently. Long free text is rendered
    each time and not kept, so the cache stays small (a few MB at most).
    """

    LIMIT = 2048
    LONGEST_KEY = 4000
    # Components whose macro does nothing with the typed value but print it, escaped, once.
    # A value typed into one (a number, a note) would make every key new and fill the cache
    # with pages rendered once: it is rendered as this stand-in, kept so, and put back escaped.
    # Letters, digits and hyphens only, so that escaping leaves the stand-in as it is.
    PRINTS_VALUE_ONCE = frozenset({"govuk_frontend_wtf/input.html", "govuk_frontend_wtf/textarea.html"})
    STAND_IN = "remembered-render-value-5f0c2d9e"
    _kept: OrderedDict[str, Markup] = OrderedDict()
    _lock = threading.Lock()

    def render(self, params):
        value = params.get("value")
        if self.template in self.PRINTS_VALUE_ONCE and type(value) is str and value:
            html = self._remembered({**params, "value": self.STAND_IN})
            if html.count(self.STAND_IN) == 1:
                return Markup(str(html).replace(self.STAND_IN, str(escape(value))))
        return self._remembered(params)

    def _remembered(self, params) -> Markup:
        key = self.template + "\n" + json.dumps(_mark(params), sort_keys=True, default=str)
        if len(key) > self.LONGEST_KEY:
            return self._render(params)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        html = self._render(params)
        with self._lock:
            self._kept[key] = html
            while len(self._kept) > self.LIMIT:
                self._kept.popitem(last=False)
        return html

    def _render(self, params) -> Markup:
        return Markup(current_app.jinja_env.get_template(self.template).render(params=params))

    @classmethod
    def forget(cls) -> None:
        with cls._lock:
            cls._kept.clear()


def _mark(value):
    if isinstance(value, Markup):
        return {"markup": str(value)}
    if isinstance(value, dict):
        return {key: _mark(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_mark(item) for item in value]
    return value


class TextInput(RememberedRender, GovTextInput):
    pass


class TextArea(RememberedRender, GovTextArea):
    pass


class FileInput(RememberedRender, GovFileInput):
    pass


class CheckboxInput(RememberedRender, GovCheckboxInput):
    pass


class DateInput(RememberedRender, GovDateInput):
    pass


def _decorate(items: list[dict], field, behaviour_value: str | None) -> list[dict]:
    decorated = []
    for item in items:
        value = item.get("value")
        hint = field.option_hints.get(value)
        if hint:
            item.setdefault("hint", {"text": hint})
        if value is not None and value == behaviour_value:
            decorated.append({"divider": "or"})
            if isinstance(field, SelectMultipleField):
                item["behaviour"] = "exclusive"
        decorated.append(item)
    return decorated


class AnswerRadios(RememberedRender, GovRadioInput):
    """Radios with a hint per option; the "not applicable" option comes after "or".

    Its reason is not a GOV.UK conditional reveal: that puts aria-expanded on a
    radio, which ARIA does not allow (alphagov/govuk-frontend#979), so the
    reason is revealed by show-if.mjs instead, like a question's show_if.
    """

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params["items"] = _decorate(params["items"], field, field.na_value)
        return params


class AnswerCheckboxes(RememberedRender, GovCheckboxesInput):
    """Checkboxes with a hint per option; a "none" option comes after "or" and clears the others."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params["items"] = _decorate(params["items"], field, field.exclusive_value)
        return params


class AnswerRadioField(RadioField):
    """One choice; blank is allowed here (whether an answer is needed is decided per question)."""

    widget = AnswerRadios()

    def __init__(self, label=None, choices=(), option_hints=None, na_value=None, **kwargs):
        super().__init__(label, choices=list(choices), **kwargs)
        self.option_hints = option_hints or {}
        self.na_value = na_value

    def pre_validate(self, form):
        if self.data is not None and not any(self.data == choice.value for choice in self.choices):
            # Only an out-of-date page or a crafted post sends a value not offered.
            raise ValidationError("Select one of the options shown")


class AnswerCheckboxesField(SelectMultipleField):
    widget = AnswerCheckboxes()

    def __init__(self, label=None, choices=(), option_hints=None, exclusive_value=None, **kwargs):
        super().__init__(label, choices=list(choices), **kwargs)
        self.option_hints = option_hints or {}
        self.exclusive_value = exclusive_value

    def pre_validate(self, form):
        offered = {choice.value for choice in self.choices}
        if any(value not in offered for value in self.data or []):
            raise ValidationError("Select only the options shown")

    def process_data(self, value):
        self.data = list(value) if value else []


class GovukDateField(Field):
    """A date typed as day, month and year, refused in the Design System's words.

    Blank in all three parts is no date at all (``data`` None), which is not an
    error here: whether a date is needed is decided by the question.
    """

    widget = DateInput()

    def __init__(self, label=None, validators=None, latest: date | None = None, noun: str = "Date", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.latest = latest  # the latest date accepted, e.g. today for a training date
        self.noun = noun

    def _value(self):
        return ""

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        # The widget unpacks exactly three parts; a crafted post may send fewer.
        if self.raw_data is not None and len(self.raw_data) != 3:
            self.raw_data = [*self.raw_data, "", "", ""][:3]

    def process_formdata(self, valuelist):
        self.data = None
        parts = [part.strip() for part in [*valuelist, "", "", ""][:3]]
        if not any(parts):
            return
        names = ("day", "month", "year")
        missing = [name for name, part in zip(names, parts, strict=True) if not part]
        if missing:
            raise ValueError(f"{self.noun} must include a {' and '.join(missing)}")
        if not all(part.isdigit() for part in parts):
            raise ValueError(f"{self.noun} must be a real date")
        if len(parts[2]) != 4:
            raise ValueError("Year must include 4 numbers")
        try:
            value = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError as exc:
            raise ValueError(f"{self.noun} must be a real date") from exc
        if value.year < 1900:
            raise ValueError(f"{self.noun} must be after 1900")
        if self.latest is not None and value > self.latest:
            raise ValueError(f"{self.noun} must be today or in the past")
        self.data = value
