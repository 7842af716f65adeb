"""The questionnaire as plain, immutable data.

A questionnaire file (YAML, see questionnaires/README.md) is loaded into these
dataclasses by :mod:`scoring.definitions.loader`. Everything downstream — the
web forms, the scoring engine, the reports — reads these objects and never the
raw YAML, so a definition that loaded cleanly can be trusted.

Answer values, as stored and as passed to the engine, by question type:

=====================  ====================================================
type                   value
=====================  ====================================================
yes_no, yes_partly_no  option value (``"yes"`` / ``"partly"`` / ``"no"``)
single_choice          option value
self_rating            a rating id of the questionnaire's scale
multiple_choice        list of option values
number                 int or float
date                   ISO date string ``YYYY-MM-DD``
text                   str
person                 dict: ``name``, ``role``, ``trained_on`` (ISO date)
evidence               str (a description or link; files are held apart)
=====================  ====================================================

A question answered "not applicable" carries no value and a reason instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Duty(str, Enum):
    """The statutory duty an organisation's return is made under."""

    S11 = "s11"  # Children Act 2004, section 11 (agencies)
    S175 = "s175"  # Education Act 2002, s175: maintained schools
    S157 = "s157"  # Education Act 2002, s157 + ISS 2014: academies, free and independent schools
    NMSS = "nmss"  # Non-Maintained Special Schools (England) Regulations 2015
    FE = "fe"  # s175(3), (3A), (3B): FE institutions, 16-19 academies, special post-16 institutions


class QuestionType(str, Enum):
    YES_NO = "yes_no"
    YES_PARTLY_NO = "yes_partly_no"
    SELF_RATING = "self_rating"  # the organisation rates itself on the questionnaire's scale
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"
    PERSON = "person"  # a named role holder and the date of their last training
    EVIDENCE = "evidence"  # a place for documents only


# Types whose answers carry points and so count towards a standard's score.
SCORED_TYPES = frozenset(
    {
        QuestionType.YES_NO,
        QuestionType.YES_PARTLY_NO,
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
    }
)


@dataclass(frozen=True)
class Rating:
    """One band of the questionnaire's rating scale.

    ``min_score`` is the lowest normalised standard score (0-1) that earns
    this rating. ``colour`` places the band on the partnership-wide RAG view
    so that questionnaires with different scales can be reported together.
    """

    id: str
    label: str
    meaning: str
    min_score: float
    colour: str  # "green" | "amber" | "red"


@dataclass(frozen=True)
class Scale:
    """The rating scale: bands best first, and the range option points use."""

    name: str
    ratings: tuple[Rating, ...]
    points_min: float
    points_max: float

    @property
    def best(self) -> Rating:
        return self.ratings[0]

    @property
    def worst(self) -> Rating:
        return self.ratings[-1]

    def rating(self, rating_id: str) -> Rating:
        for rating in self.ratings:
            if rating.id == rating_id:
                return rating
        raise KeyError(rating_id)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    points: float | None = None  # None for unscored types
    fails: bool = False  # a failing answer; caps the standard when the question is critical
    hint: str = ""


@dataclass(frozen=True)
class Condition:
    """``question``'s answer is one of ``values`` (for multiple choice: includes one of them)."""

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class ShowIf:
    mode: str  # "any" | "all"
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class EvidenceRule:
    """Whether a question takes evidence, and for which answers it is required."""

    allowed: bool = False
    required_when: tuple[str, ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: QuestionType
    hint: str = ""
    references: tuple[str, ...] = ()
    required: bool = True
    na_allowed: bool = False
    options: tuple[Option, ...] = ()
    weight: float = 1.0
    critical: bool = False
    show_if: ShowIf | None = None
    evidence: EvidenceRule = field(default_factory=EvidenceRule)
    applies_to: tuple[Duty, ...] = ()  # empty: every duty the questionnaire serves
    line: int = 0  # where the question starts in its file, for messages

    @property
    def scored(self) -> bool:
        """Counts towards its standard's score: a choice type whose options all carry points."""
        return (
            self.type in SCORED_TYPES
            and bool(self.options)
            and all(option.points is not None for option in self.options)
        )

    def option(self, value: str) -> Option:
        for option in self.options:
            if option.value == value:
                return option
        raise KeyError(value)

    def applies(self, duty: Duty) -> bool:
        return not self.applies_to or duty in self.applies_to


@dataclass(frozen=True)
class Section:
    """A standard (scored) or an information section such as setting details."""

    id: str
    title: str
    description: str = ""
    references: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()
    scored: bool = True
    weight: float = 1.0
    applies_to: tuple[Duty, ...] = ()
    line: int = 0

    @property
    def self_rating_question(self) -> Question | None:
        for question in self.questions:
            if question.type is QuestionType.SELF_RATING:
                return question
        return None

    def applies(self, duty: Duty) -> bool:
        return not self.applies_to or duty in self.applies_to


@dataclass(frozen=True)
class SignOffRole:
    """Someone who must sign the declaration, e.g. the head teacher or the accountable executive."""

    id: str
    label: str
    hint: str = ""
    applies_to: tuple[Duty, ...] = ()


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: str
    legal_basis: str
    duties: tuple[Duty, ...]
    scale: Scale
    sections: tuple[Section, ...]
    description: str = ""
    sign_off: tuple[SignOffRole, ...] = ()
    declaration: str = ""  # the statement the sign-off roles confirm
    source: str = ""  # the file it was loaded from
    content_hash: str = ""  # sha256 of the canonical definition; see loader

    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> Question:
        for section in self.sections:
            for question in section.questions:
                if question.id == question_id:
                    return question
        raise KeyError(question_id)

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)
