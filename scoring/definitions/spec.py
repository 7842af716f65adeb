"""The shape of a questionnaire file, declared once.

Every key questionnaires/README.md documents is declared here with its kind,
whether it is required and a one-line description. The shape check
(:mod:`scoring.definitions.shape`) walks a file against these declarations and
the JSON Schema (:mod:`scoring.definitions.schema`) is generated from them, so
the two cannot drift apart. Rules that relate one value to another (ids that
must be unique, show_if targets, thresholds in order…) live in
:mod:`scoring.definitions.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from scoring.definitions.model import Duty, QuestionType

# Lower-case letters and digits in parts joined by ".", "-" or "_": e.g. training.dsl-refresher.
ITEM_ID = r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$"
ITEM_ID_HELP = "lower-case letters and digits in parts joined by '.', '-' or '_', e.g. training.dsl-refresher"
# The questionnaire's own id is a slug: lower-case letters, digits and hyphens.
QUESTIONNAIRE_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
QUESTIONNAIRE_ID_HELP = "lower-case letters, digits and hyphens, e.g. s11-8-standards"

COLOURS = ("green", "amber", "red")
DUTY_CODES = tuple(duty.value for duty in Duty)
TYPE_NAMES = tuple(question_type.value for question_type in QuestionType)


@dataclass(frozen=True)
class Text:
    """A non-empty string, optionally matching a pattern or one of some choices."""

    pattern: str | None = None
    pattern_help: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Number:
    """An int or float (never true/false), finite, within optional bounds."""

    minimum: float | None = None
    maximum: float | None = None
    positive: bool = False


@dataclass(frozen=True)
class Boolean:
    """``true`` or ``false``."""


@dataclass(frozen=True)
class ListOf:
    item: Kind
    min_items: int = 0
    too_few: str = ""  # the message when there are fewer than min_items
    unique: bool = False


@dataclass(frozen=True)
class Field:
    kind: Kind
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Record:
    """A mapping with known keys.

    ``name`` says what it is in messages ("question", "rating"…); ``one_of``
    lists groups of keys of which exactly one must be given.
    """

    name: str
    schema_name: str
    fields: tuple[tuple[str, Field], ...]
    one_of: tuple[tuple[str, ...], ...] = ()
    doc: str = ""

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.fields)

    @cached_property
    def _by_key(self) -> dict[str, Field]:
        return dict(self.fields)

    def field(self, key: str) -> Field:
        return self._by_key[key]


@dataclass(frozen=True)
class Alternatives:
    """One of several records, chosen by which of their marker keys the mapping has.

    The last record is the fallback when no marker key is present.
    """

    name: str
    records: tuple[Record, ...]
    markers: tuple[str, ...] = field(default=())

    def pick(self, keys: object) -> Record:
        for marker, record in zip(self.markers, self.records, strict=False):
            if marker in keys:
                return record
        return self.records[-1]


Kind = Text | Number | Boolean | ListOf | Record | Alternatives

TEXT = Text()
DUTIES = ListOf(Text(choices=DUTY_CODES), min_items=1, too_few="name at least one duty", unique=True)
REFERENCES = ListOf(TEXT)


def _record(
    name: str, schema_name: str, doc: str = "", one_of: tuple[tuple[str, ...], ...] = (), /, **fields: Field
) -> Record:
    # Keywords cannot be Python keywords, so the keys "is" and "in" arrive as is_ and in_.
    keyed = tuple((key.rstrip("_"), value) for key, value in fields.items())
    return Record(name, schema_name, keyed, one_of, doc)


RATING = _record(
    "rating",
    "rating",
    "One band of the scale.",
    id=Field(Text(ITEM_ID, ITEM_ID_HELP), True, "The band's id, e.g. green or fully-met."),
    label=Field(TEXT, True, "The band's name as respondents see it."),
    meaning=Field(TEXT, True, "What the band tells the organisation."),
    colour=Field(Text(choices=COLOURS), True, "Where the band sits on the partnership-wide view."),
    min_score=Field(
        Number(minimum=0, maximum=1),
        True,
        "The lowest standard score (0 to 1) that earns the band; falls strictly from band to band, last is 0.",
    ),
)

SCALE = _record(
    "scale",
    "scale",
    "The rating scale.",
    name=Field(TEXT, True, "A name for the scale, e.g. RAG."),
    points=Field(
        _record(
            "points range",
            "points",
            min=Field(Number(), True, "Points of the worst answer; scores 0."),
            max=Field(Number(), True, "Points of the best answer; scores 1."),
        ),
        True,
        "The range every option's points must fall within.",
    ),
    ratings=Field(
        ListOf(RATING, min_items=2, too_few="a scale needs at least two bands"),
        True,
        "The bands, best first.",
    ),
)

SIGN_OFF_ROLE = _record(
    "sign-off role",
    "signOffRole",
    "Someone who signs the declaration.",
    id=Field(Text(ITEM_ID, ITEM_ID_HELP), True, "The role's id, e.g. head-teacher."),
    label=Field(TEXT, True, "The role as respondents see it."),
    hint=Field(TEXT, False, "Guidance under the role."),
    applies_to=Field(DUTIES, False, "Only organisations with these duties need this signature."),
)

OPTION = _record(
    "option",
    "option",
    "An answer to choose from.",
    value=Field(TEXT, True, "What is stored, e.g. yes."),
    label=Field(TEXT, True, "What the respondent sees."),
    points=Field(Number(), False, "The answer's points, within scale.points."),
    fails=Field(Boolean(), False, "Marks a failing answer."),
    hint=Field(TEXT, False, "Guidance under the option."),
)

CONDITION = _record(
    "condition",
    "condition",
    "An earlier question's answer is one of some values.",
    (("is", "in"),),
    question=Field(Text(ITEM_ID, ITEM_ID_HELP), True, "The id of an earlier question."),
    is_=Field(TEXT, False, "The answer that shows the question."),
    in_=Field(ListOf(TEXT, min_items=1, too_few="list at least one value"), False, "Answers that show it."),
)
CONDITIONS = ListOf(CONDITION, min_items=1, too_few="list at least one condition")

SHOW_IF = Alternatives(
    "show_if",
    (
        _record(
            "show_if", "showIfAny", any=Field(CONDITIONS, True, "Shown when at least one condition holds.")
        ),
        _record("show_if", "showIfAll", all=Field(CONDITIONS, True, "Shown when every condition holds.")),
        CONDITION,
    ),
    markers=("any", "all"),
)

EVIDENCE = _record(
    "evidence rule",
    "evidence",
    "Whether documents or a link may be attached.",
    allowed=Field(Boolean(), False, "Evidence may be attached; default false."),
    required_when=Field(ListOf(TEXT), False, "The answers for which evidence is required; implies allowed."),
    hint=Field(TEXT, False, "Guidance on what to attach."),
)

QUESTION = _record(
    "question",
    "question",
    "A question.",
    id=Field(Text(ITEM_ID, ITEM_ID_HELP), True, "Unique in the file and stable across versions."),
    text=Field(TEXT, True, "The question. Never ask for the name of an individual child."),
    hint=Field(TEXT, False, "Guidance under the question."),
    references=Field(REFERENCES, False, "Statutory sources, e.g. KCSIE 2025, paragraph 103."),
    type=Field(Text(choices=TYPE_NAMES), True, "What the respondent gives."),
    required=Field(Boolean(), False, "Default true; an optional question may be left blank."),
    na_allowed=Field(Boolean(), False, "Default false; true lets the respondent answer not applicable."),
    options=Field(ListOf(OPTION), False, "The answers to choose from."),
    weight=Field(Number(positive=True), False, "The question's weight within its standard; default 1."),
    critical=Field(Boolean(), False, "A failing answer caps the standard at the worst band."),
    show_if=Field(SHOW_IF, False, "Show the question only when earlier answers match."),
    evidence=Field(EVIDENCE, False, "Whether evidence may or must be attached."),
    applies_to=Field(DUTIES, False, "Limit the question to some duties."),
)

SECTION = _record(
    "section",
    "section",
    "A standard, or an information section.",
    id=Field(Text(ITEM_ID, ITEM_ID_HELP), True, "Unique in the file and stable across versions."),
    title=Field(TEXT, True, "The standard's heading."),
    description=Field(TEXT, False, "Guidance at the top of the section's page."),
    references=Field(REFERENCES, False, "Statutory references for the whole standard."),
    scored=Field(Boolean(), False, "Default true; false for an information section that is never rated."),
    weight=Field(Number(positive=True), False, "The standard's weight in the overall rating; default 1."),
    applies_to=Field(DUTIES, False, "Limit the section to some duties."),
    questions=Field(
        ListOf(QUESTION, min_items=1, too_few="a section needs at least one question"),
        True,
        "The questions, in order.",
    ),
)

QUESTIONNAIRE = _record(
    "questionnaire",
    "questionnaire",
    "One version of a safeguarding self-audit questionnaire (see questionnaires/README.md).",
    id=Field(Text(QUESTIONNAIRE_ID, QUESTIONNAIRE_ID_HELP), True, "Stable id, the same in every version."),
    version=Field(TEXT, True, 'The version, as a quoted string, e.g. "2025.1".'),
    title=Field(TEXT, True, "The name respondents see."),
    description=Field(TEXT, False, "Shown on the start page of the return."),
    legal_basis=Field(TEXT, True, "The statute the return is made under."),
    duties=Field(DUTIES, True, "The duties the questionnaire serves."),
    scale=Field(SCALE, True, "The rating scale."),
    sign_off=Field(ListOf(SIGN_OFF_ROLE), False, "The people who sign the declaration."),
    declaration=Field(TEXT, False, "The statement they sign."),
    sections=Field(
        ListOf(SECTION, min_items=1, too_few="a questionnaire needs at least one section"),
        True,
        "The standards and information sections, in order.",
    ),
)
