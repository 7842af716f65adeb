"""Between stored answers and a section form: filling the form, and reading what was posted.

Values are stored in the shapes scoring/definitions/model.py lists: an option
value, a list of them, a number, an ISO date, text, or a person as a dict with
``name``, ``role`` and ``trained_on``. Reading checks each posted answer and
puts every problem on the field it belongs to, in the Design System's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from scoring.definitions.model import Question, QuestionType

from ..data.answers import Given, SectionSubmission
from ..data.returns import ReturnView, Signature, visible_ids
from ..database import id_from
from ..models import Answer
from .forms import (
    FILE,
    NA,
    NA_REASON,
    NAME,
    NOTE,
    NOTE_LIMIT,
    REMOVE,
    TEXT_LIMIT,
    TRAINED_ON,
    SignatureFields,
    na_value,
    takes_evidence,
)

_NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?$")
NUMBER_LIMIT = 1_000_000_000

# What a question needs when "Save and continue" finds it unanswered.
_NEEDED = {
    QuestionType.YES_NO: "Select yes or no",
    QuestionType.YES_PARTLY_NO: "Select yes, partly or no",
    QuestionType.SINGLE_CHOICE: "Select an answer",
    QuestionType.SELF_RATING: "Select a rating",
    QuestionType.MULTIPLE_CHOICE: "Select at least one option",
    QuestionType.NUMBER: "Enter a number",
    QuestionType.DATE: "Enter a date",
    QuestionType.TEXT: "Enter your answer",
    QuestionType.EVIDENCE: "Describe your evidence or upload a file",
}


def _number_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def form_data(questions: list[Question], answers: dict[str, Answer]) -> dict[str, object]:
    """The form's starting data from the stored answers."""
    data: dict[str, object] = {}
    for question in questions:
        answer = answers.get(question.id)
        if answer is None:
            continue
        qid = question.id
        if answer.na_reason is not None:
            data[qid + NA_REASON] = answer.na_reason
            radio_value = na_value(question)
            if radio_value is not None:
                data[qid] = radio_value
            else:
                data[qid + NA] = True
            continue
        value = answer.value
        if question.type is QuestionType.NUMBER and value is not None:
            data[qid] = _number_text(value)
        elif question.type is QuestionType.DATE and value:
            data[qid] = date.fromisoformat(value)
        elif question.type is QuestionType.PERSON and isinstance(value, dict):
            data[qid + NAME] = value.get("name", "")
            if value.get("trained_on"):
                data[qid + TRAINED_ON] = date.fromisoformat(value["trained_on"])
        else:
            data[qid] = value
    return data


@dataclass(frozen=True)
class _Posted:
    """A posted answer, in the shape visibility is worked out from."""

    question_id: str
    value: object
    na_reason: str | None


@dataclass
class Reading:
    """A posted section: what to save, and whether anything needs the person's attention."""

    submission: SectionSubmission
    shown: frozenset[str]  # the questions the page shows once the posted answers are taken into account
    errors: dict[str, list[str]] = field(default_factory=dict)  # field name -> messages

    @property
    def saved_anything(self) -> bool:
        """Whether the post held anything to keep: an answer, a description, a file or a removal."""
        given = any(not answer.blank for answer in self.submission.answers.values())
        submission = self.submission
        return given or bool(submission.notes or submission.files or submission.removals)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def _text(form, name: str) -> str:
    value = form[name].data
    return value.strip() if isinstance(value, str) else ""


def _field_errors(form, name: str) -> list[str]:
    """Problems found while reading the field itself (an unreadable date, an option not offered)."""
    the_field = form[name]
    the_field.validate(form)
    return list(the_field.errors)


def _parse(form, question: Question, reading: Reading) -> Given | None:
    """The posted answer to one question, or None where what was sent cannot be an answer."""
    qid = question.id
    kind = question.type
    problems: list[tuple[str, str]] = []
    na_chosen = False
    if question.na_allowed:
        radio_value = na_value(question)
        na_chosen = form[qid].data == radio_value if radio_value is not None else bool(form[qid + NA].data)
    if na_chosen:
        reason = _text(form, qid + NA_REASON)
        if not reason:
            reading.error(qid + NA_REASON, "Enter why this question does not apply to you")
            return None
        if len(reason) > TEXT_LIMIT:
            reading.error(qid + NA_REASON, "The reason must be 10,000 characters or fewer")
            return None
        return Given(na_reason=reason)

    if kind is QuestionType.PERSON:
        name = _text(form, qid + NAME)
        problems += [(qid + TRAINED_ON, message) for message in _field_errors(form, qid + TRAINED_ON)]
        trained_on = form[qid + TRAINED_ON].data
        if len(name) > 200:
            problems.append((qid + NAME, "Full name must be 200 characters or fewer"))
        if not name and trained_on is not None:
            problems.append((qid + NAME, "Enter the person's full name"))
        value = {"name": name, "role": "", "trained_on": trained_on.isoformat() if trained_on else None}
        given = Given(value=value if name else None)
    elif kind is QuestionType.NUMBER:
        text = _text(form, qid).replace(",", "")
        given = Given()
        if text.startswith("-"):
            problems.append((qid, "Enter a number that is 0 or more"))
        elif text and not _NUMBER.match(text):
            problems.append((qid, "Enter a number, like 24 or 2.5"))
        elif text:
            number = float(text) if "." in text else int(text)
            if number >= NUMBER_LIMIT:
                problems.append((qid, "Enter a number smaller than 1,000,000,000"))
            given = Given(value=number)
    elif kind is QuestionType.DATE:
        problems += [(qid, message) for message in _field_errors(form, qid)]
        day = form[qid].data
        given = Given(value=day.isoformat() if day else None)
    elif kind in (QuestionType.TEXT, QuestionType.EVIDENCE):
        text = _text(form, qid)
        if len(text) > TEXT_LIMIT:
            problems.append((qid, "Your answer must be 10,000 characters or fewer"))
        given = Given(value=text or None)
    else:  # radios and checkboxes
        problems += [(qid, message) for message in _field_errors(form, qid)]
        value = form[qid].data
        exclusive = getattr(form[qid], "exclusive_value", None)
        if kind is QuestionType.MULTIPLE_CHOICE and exclusive in (value or []) and len(value) > 1:
            label = next(option.label for option in question.options if option.value == exclusive)
            problems.append((qid, f"Select “{label}” only if none of the other options applies"))
        given = Given(value=list(value) if kind is QuestionType.MULTIPLE_CHOICE else value)
    for name, message in problems:
        reading.error(name, message)
    return None if problems else given


def _needed(
    question: Question, given: Given | None, view: ReturnView, reading: Reading
) -> list[tuple[str, str]]:
    """What "Save and continue" asks for when a required question is left unanswered."""
    if given is None:
        return []  # already has a problem of its own
    qid = question.id
    if question.type is QuestionType.PERSON:
        value = given.value or {}
        if given.na_reason is not None:
            return []
        missing = []
        if not value.get("name"):
            missing.append((qid + NAME, "Enter the person's full name"))
        if not value.get("trained_on"):
            missing.append((qid + TRAINED_ON, "Enter the date of their last safeguarding training"))
        return missing
    if not given.blank:
        return []
    if question.type is QuestionType.EVIDENCE and (view.evidence.get(qid) or qid in reading.submission.files):
        return []
    return [(qid, _NEEDED[question.type])]


def read_section(form, view: ReturnView, questions: list[Question], finish: bool) -> Reading:
    """Read a posted section page.

    Which questions count is settled on the answers as they would be after the
    save (stored answers, with the posted ones on top), so that a question
    revealed by an answer on this very page is read, and one hidden by it is not.
    """
    reading = Reading(SectionSubmission(), frozenset())
    parsed = {question.id: _parse(form, question, reading) for question in questions}
    merged: dict[str, object] = dict(view.answers)
    for qid, given in parsed.items():
        if given is not None:
            merged[qid] = _Posted(qid, given.value, given.na_reason)
    shown = visible_ids(view.questionnaire, view.duty, merged.values())
    reading.shown = shown
    by_name = {question.id: question for question in questions}
    for name in list(reading.errors):
        if _question_of(name, by_name) not in shown:
            del reading.errors[name]  # a hidden question's input is ignored, problems and all
    for question in questions:
        if question.id not in shown:
            continue
        given = parsed[question.id]
        if given is not None:
            reading.submission.answers[question.id] = given
        if takes_evidence(question):
            _read_evidence(form, question, view, reading)
        # A question this very post reveals is not asked for yet: the page comes back to show it first.
        if finish and question.required and question.id in view.visible:
            for name, message in _needed(question, given, view, reading):
                reading.error(name, message)
    return reading


def _question_of(name: str, by_name: dict[str, Question]) -> str:
    return name.split("--", 1)[0] if name.split("--", 1)[0] in by_name else name


def _read_evidence(form, question: Question, view: ReturnView, reading: Reading) -> None:
    qid = question.id
    upload = form[qid + FILE].data
    if upload is not None and getattr(upload, "filename", ""):
        reading.submission.files[qid] = (upload.filename, upload.read())
    if qid + NOTE in form:
        note = _text(form, qid + NOTE)
        if len(note) > NOTE_LIMIT:
            reading.error(qid + NOTE, "The description must be 2,000 characters or fewer")
        elif note:
            reading.submission.notes[qid] = note
    if qid + REMOVE in form:
        chosen = {id_from(value) for value in form[qid + REMOVE].data or []} - {None}
        offered = {item.id for item in view.evidence.get(qid, [])}
        if chosen & offered:
            reading.submission.removals[qid] = sorted(chosen & offered)


def signature_data(view: ReturnView) -> dict[str, object]:
    """The declaration form's starting data from the signatures kept so far."""
    data: dict[str, object] = {}
    for role_id, sign_off in view.sign_offs.items():
        names = SignatureFields(role_id)
        data[names.name] = sign_off.name
        data[names.position] = sign_off.position
        data[names.signed_on] = sign_off.signed_on
    return data


def read_signatures(
    form, view: ReturnView, sending: bool
) -> tuple[dict[str, Signature | None], dict[str, list[str]]]:
    """The signatures posted, and the problems with them. Sending needs every role signed;
    saving for later keeps any role filled in completely."""
    signatures: dict[str, Signature | None] = {}
    errors: dict[str, list[str]] = {}
    for role in view.sign_off_roles:
        names = SignatureFields(role.id)
        name = form[names.name].data or ""
        position = form[names.position].data or ""
        date_field = form[names.signed_on]
        date_field.validate(form)
        problems = {names.signed_on: list(date_field.errors)} if date_field.errors else {}
        signed_on = date_field.data
        started = bool(name or position or signed_on or problems)
        if sending or started:
            if not name:
                problems.setdefault(names.name, []).append(f"Enter the full name of the {role.label.lower()}")
            if not position:
                problems.setdefault(names.position, []).append("Enter their job title or position")
            if signed_on is None and names.signed_on not in problems:
                problems.setdefault(names.signed_on, []).append("Enter the date they signed")
        for field_name, value in ((names.name, name), (names.position, position)):
            if len(value) > 200:
                problems.setdefault(field_name, []).append("This must be 200 characters or fewer")
        errors.update(problems)
        signatures[role.id] = None if problems or not started else Signature(name, position, signed_on)
    return signatures, errors


def numbered(errors: dict[str, list[str]], questions: list[Question]) -> dict[str, list[str]]:
    """Each message led by its question's number, as the page numbers them, so that the
    error summary tells apart the same problem on two questions ("Enter a number" twice)."""
    numbers = {question.id: index for index, question in enumerate(questions, start=1)}
    result = {}
    for name, messages in errors.items():
        number = numbers.get(name.split("--", 1)[0])
        if number is None:
            result[name] = messages
            continue
        result[name] = [f"Question {number}: {message[0].lower()}{message[1:]}" for message in messages]
    return result
