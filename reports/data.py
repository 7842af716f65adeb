"""What the report builders take: plain, immutable data the app fills from its database.

Nothing here knows about tables or sessions. Ratings travel as :class:`RatingRef` — the
id, the words and the RAG colour of a band of the questionnaire's scale — so a report
prints the scale's own words ("Partially met", "Amber") and can still tint by colour.
Dates are :class:`datetime.date`; percentages run from 0 to 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

RAG_COLOURS = ("green", "amber", "red")
ACTION_STATUSES = ("open", "in_progress", "completed", "closed")
RETURN_STATUSES = ("not_started", "in_progress", "submitted", "returned_for_changes", "accepted")
# A return counts as made once first submitted, even if later sent back for changes.
SUBMITTED_STATUSES = frozenset({"submitted", "returned_for_changes", "accepted"})


@dataclass(frozen=True)
class RatingRef:
    """One band of a rating scale: ``colour`` is "green", "amber" or "red".

    ``short`` is what a narrow table cell shows (e.g. "G"); by default the initials of
    the label ("Partially met" gives "PM").
    """

    id: str
    label: str
    colour: str
    short: str = ""

    def __post_init__(self) -> None:
        if self.colour not in RAG_COLOURS:
            raise ValueError(f"rating {self.id!r} has colour {self.colour!r}; expected one of {RAG_COLOURS}")

    @property
    def abbreviation(self) -> str:
        """``short`` if given, else the initials of the label."""
        return self.short or "".join(word[0] for word in self.label.split()).upper()


@dataclass(frozen=True)
class PartnershipRef:
    """The safeguarding children partnership issuing a report."""

    name: str
    address: tuple[str, ...] = ()
    email: str = ""


@dataclass(frozen=True)
class OrganisationRef:
    """An agency, school or college. ``kind`` is "agency", "school" or "college";
    ``sector`` is the group boards report by (agency type, school phase ...); ``urn`` is
    the DfE unique reference number for schools and colleges."""

    name: str
    kind: str
    sector: str
    urn: str | None = None


@dataclass(frozen=True)
class CycleRef:
    """An audit cycle; ``final_deadline`` is the extended deadline, if there is one."""

    name: str
    initial_deadline: date
    final_deadline: date | None = None

    @property
    def last_deadline(self) -> date:
        return self.final_deadline or self.initial_deadline


@dataclass(frozen=True)
class StandardRef:
    """A standard (a scored section of the questionnaire), by its stable id."""

    section_id: str
    title: str


@dataclass(frozen=True)
class StandardResult:
    """One organisation's ratings for one standard.

    ``self_rating`` is the organisation's own; ``scored_rating`` what its answers scored;
    ``moderated_rating`` what auditors settled on, if they changed it. ``score`` is the
    normalised standard score (0-1). ``not_applicable`` marks a standard that does not
    apply to the organisation (it then has no ratings).
    """

    section_id: str
    title: str
    self_rating: RatingRef | None = None
    scored_rating: RatingRef | None = None
    moderated_rating: RatingRef | None = None
    score: float | None = None
    not_applicable: bool = False

    @property
    def final_rating(self) -> RatingRef | None:
        """The moderated rating where there is one, otherwise the scored rating."""
        return self.moderated_rating if self.moderated_rating is not None else self.scored_rating


@dataclass(frozen=True)
class ActionLine:
    """An action agreed with an organisation. ``status`` is "open", "in_progress",
    "completed" or "closed" (dropped by agreement)."""

    standard_title: str
    description: str
    owner: str
    due_on: date
    status: str = "open"

    def __post_init__(self) -> None:
        if self.status not in ACTION_STATUSES:
            raise ValueError(f"action status {self.status!r} is not one of {ACTION_STATUSES}")

    def overdue(self, today: date) -> bool:
        """Still open or in progress after the day it was due."""
        return self.status in ("open", "in_progress") and self.due_on < today


@dataclass(frozen=True)
class Signatory:
    """Who signs a letter, e.g. the independent chair and scrutineer."""

    name: str
    role: str


@dataclass(frozen=True)
class Addressee:
    """Who a letter is written to, and where."""

    name: str
    role: str
    address: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedbackLetter:
    """A feedback letter to an agency after moderation and the challenge event.

    ``scale`` lists the questionnaire's bands best first (the chart's axis);
    ``standards`` follow the questionnaire's order.
    """

    partnership: PartnershipRef
    organisation: OrganisationRef
    cycle: CycleRef
    letter_date: date
    addressee: Addressee
    scale: tuple[RatingRef, ...]
    standards: tuple[StandardResult, ...]
    strengths: tuple[str, ...]
    developments: tuple[str, ...]
    actions: tuple[ActionLine, ...]
    signatory: Signatory
    challenge_event_on: date | None = None


@dataclass(frozen=True)
class PeerComparison:
    """How many similar settings had each colour of rating for a section. The app
    counts accepted returns of the same phase or type, leaving out the school itself."""

    green: int
    amber: int
    red: int

    @property
    def total(self) -> int:
        return self.green + self.amber + self.red


@dataclass(frozen=True)
class SectionFeedback:
    """A school's rating for one section, and the spread among similar settings."""

    section_id: str
    title: str
    rating: RatingRef | None
    similar: PeerComparison | None = None
    not_applicable: bool = False


@dataclass(frozen=True)
class QuestionOutcome:
    """How one scored question came out: ``answer`` in words, ``score`` from 0 to 1."""

    section_title: str
    question_id: str
    question_text: str
    answer: str
    score: float


@dataclass(frozen=True)
class SchoolFeedback:
    """Automatic feedback to a school or college once its return is accepted.

    ``comparison_group`` names the similar settings in words ("primary schools in the
    partnership"); ``questions`` are the scored questions the builder picks the lowest
    from. Other settings appear only as counts, never by name.
    """

    partnership: PartnershipRef
    organisation: OrganisationRef
    cycle: CycleRef
    accepted_on: date
    issued_on: date
    overall: RatingRef | None
    sections: tuple[SectionFeedback, ...]
    questions: tuple[QuestionOutcome, ...]
    comparison_group: str


@dataclass(frozen=True)
class OrganisationReturn:
    """One organisation's return in a cycle: ``status`` is one of :data:`RETURN_STATUSES`;
    ``submitted_on`` the day it was first submitted; ``standards`` its results."""

    organisation: OrganisationRef
    status: str
    submitted_on: date | None = None
    overall: RatingRef | None = None
    standards: tuple[StandardResult, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in RETURN_STATUSES:
            raise ValueError(f"return status {self.status!r} is not one of {RETURN_STATUSES}")

    @property
    def submitted(self) -> bool:
        return self.status in SUBMITTED_STATUSES

    def result(self, section_id: str) -> StandardResult | None:
        """The result for a standard, or None if the return has none."""
        for standard in self.standards:
            if standard.section_id == section_id:
                return standard
        return None


@dataclass(frozen=True)
class ActionTally:
    """Agreed actions of a group of organisations (a sector, or all) by status;
    ``overdue`` counts the open and in-progress ones past their due date."""

    group: str
    open: int
    in_progress: int
    completed: int
    overdue: int


@dataclass(frozen=True)
class BoardSummary:
    """The partnership-wide summary of a cycle for the board.

    ``returns`` holds every organisation invited; ``previous_pct_green`` maps a standard
    id to its percentage green in ``previous_cycle`` (standards new this cycle are left
    out). ``themes`` are short statements written by the business unit.
    """

    partnership: PartnershipRef
    cycle: CycleRef
    produced_on: date
    standards: tuple[StandardRef, ...]
    returns: tuple[OrganisationReturn, ...]
    themes: tuple[str, ...] = ()
    actions: tuple[ActionTally, ...] = ()
    previous_cycle: str | None = None
    previous_pct_green: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class FlagLine:
    """A flag on a return: its stable code, its name in a few words and the reason in plain English."""

    code: str
    reason: str
    label: str = ""


@dataclass(frozen=True)
class EvidenceItem:
    """A piece of evidence for a question: a file name or a link (or both).
    ``inadequate_reason`` is set when an auditor marked it inadequate."""

    question_id: str
    question_text: str
    name: str
    link: str | None = None
    inadequate_reason: str | None = None


@dataclass(frozen=True)
class Contact:
    """A named person at an organisation."""

    name: str
    role: str
    email: str = ""


@dataclass(frozen=True)
class BriefingPack:
    """What the challenge panel reads about one organisation before the event.

    ``answered`` of ``required`` questions is the return's progress; ``previous_actions``
    are the actions agreed in ``previous_cycle``.
    """

    partnership: PartnershipRef
    organisation: OrganisationRef
    cycle: CycleRef
    prepared_on: date
    status: str
    submitted_on: date | None
    answered: int
    required: int
    overall: RatingRef | None
    standards: tuple[StandardResult, ...]
    contacts: tuple[Contact, ...] = ()
    flags: tuple[FlagLine, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    previous_actions: tuple[ActionLine, ...] = ()
    previous_cycle: str | None = None
    panel_on: date | None = None


@dataclass(frozen=True)
class AnswerRow:
    """One organisation's answer to one question, keyed by the stable question id so
    exports from different questionnaire versions line up. ``answer`` is in words;
    ``score`` (0-1) is None for unscored questions."""

    organisation: OrganisationRef
    question_id: str
    question_text: str
    answer: str
    na_reason: str = ""
    score: float | None = None


@dataclass(frozen=True)
class OrganisationAction:
    """An agreed action and the organisation it belongs to."""

    organisation: OrganisationRef
    action: ActionLine


@dataclass(frozen=True)
class AuditEvent:
    """One entry of the audit trail: who did what, when."""

    at: datetime
    actor: str
    event: str
    organisation: str = ""
    detail: str = ""


@dataclass(frozen=True)
class AuditWorkbook:
    """Everything the spreadsheet export of a cycle holds; ``audit_trail`` None leaves
    that sheet out."""

    partnership: PartnershipRef
    cycle: CycleRef
    produced_on: date
    standards: tuple[StandardRef, ...]
    returns: tuple[OrganisationReturn, ...]
    answers: tuple[AnswerRow, ...] = ()
    actions: tuple[OrganisationAction, ...] = ()
    audit_trail: tuple[AuditEvent, ...] | None = None
