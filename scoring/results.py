"""What scoring a return produces: plain, immutable data that round-trips through JSON.

The app stores a :class:`ReturnScore` (as ``to_dict()``) when a return is submitted, shows it without
scoring the answers again, and rebuilds it with ``ReturnScore.from_dict`` before applying moderation.
Ratings are held as the ids of the questionnaire's scale, so a stored result stays readable beside the
exact questionnaire copy the cycle keeps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from scoring.definitions.model import Duty


class StandardStatus(StrEnum):
    """Whether a standard (or a whole return) has a rating."""

    RATED = "rated"
    # Every scored question that applies and is shown was answered "not applicable" (or none applies at all).
    NOT_APPLICABLE = "not_applicable"
    # Nothing scored has been answered yet, but something could be.
    UNRATED = "unrated"


@dataclass(frozen=True)
class Progress:
    """How far through a section (or a whole return) the respondent is.

    ``required`` counts the required questions that apply to the organisation's duty and are shown;
    ``answered`` counts those of them with an answer, a "not applicable" with a reason counting as one.
    """

    answered: int
    required: int

    @property
    def complete(self) -> bool:
        """Every required question has an answer."""
        return self.answered >= self.required

    @property
    def fraction(self) -> float:
        """Answered over required, from 0 to 1; a section with nothing required is complete (1)."""
        return self.answered / self.required if self.required else 1.0

    def to_dict(self) -> dict[str, int]:
        return {"answered": self.answered, "required": self.required}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Progress:
        return cls(answered=int(data["answered"]), required=int(data["required"]))


@dataclass(frozen=True)
class StandardScore:
    """The result for one standard (a scored section).

    ``score`` is the weighted mean of the normalised scores of its answered questions (None unless rated);
    ``rating`` is the scored band's id after the critical cap; ``capped`` says the cap applied and
    ``critical_fails`` lists the critical questions whose answers failed. ``self_rating`` is the
    organisation's own band for the standard, if asked and given, and ``self_rating_mismatch`` whether it
    disagrees with ``rating``. ``moderated_rating`` is the band an auditor settled on, if any;
    ``final_rating`` is what the partnership sees.
    """

    section_id: str
    status: StandardStatus
    score: float | None = None
    rating: str | None = None
    capped: bool = False
    critical_fails: tuple[str, ...] = ()
    self_rating: str | None = None
    self_rating_mismatch: bool = False
    moderated_rating: str | None = None

    @property
    def final_rating(self) -> str | None:
        """The moderated rating where there is one, otherwise the scored rating."""
        return self.moderated_rating if self.moderated_rating is not None else self.rating

    def to_dict(self) -> dict[str, Any]:
        return {
            "section_id": self.section_id,
            "status": self.status.value,
            "score": self.score,
            "rating": self.rating,
            "capped": self.capped,
            "critical_fails": list(self.critical_fails),
            "self_rating": self.self_rating,
            "self_rating_mismatch": self.self_rating_mismatch,
            "moderated_rating": self.moderated_rating,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StandardScore:
        return cls(
            section_id=data["section_id"],
            status=StandardStatus(data["status"]),
            score=None if data["score"] is None else float(data["score"]),
            rating=data["rating"],
            capped=bool(data["capped"]),
            critical_fails=tuple(data["critical_fails"]),
            self_rating=data["self_rating"],
            self_rating_mismatch=bool(data["self_rating_mismatch"]),
            moderated_rating=data.get("moderated_rating"),
        )


@dataclass(frozen=True)
class OverallScore:
    """The rating of a whole return: the section-weighted mean of its rated standards, capped as described in
    :func:`scoring.engine.score_return`."""

    status: StandardStatus
    score: float | None = None
    rating: str | None = None
    capped: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "score": self.score,
            "rating": self.rating,
            "capped": self.capped,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OverallScore:
        return cls(
            status=StandardStatus(data["status"]),
            score=None if data["score"] is None else float(data["score"]),
            rating=data["rating"],
            capped=bool(data["capped"]),
        )


@dataclass(frozen=True)
class UnusableFile:
    """An evidence file attached to a shown question that is empty or could not be read."""

    question_id: str
    file_name: str
    problem: str  # "empty" | "unreadable"

    def to_dict(self) -> dict[str, str]:
        return {
            "question_id": self.question_id,
            "file_name": self.file_name,
            "problem": self.problem,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UnusableFile:
        return cls(
            question_id=data["question_id"],
            file_name=data["file_name"],
            problem=data["problem"],
        )


@dataclass(frozen=True)
class ReturnScore:
    """Everything scoring one return produces.

    ``standards`` follows the questionnaire's order and holds its scored sections only; ``progress``
    holds every section, information sections included. ``overall`` applies any moderated ratings,
    ``scored_overall`` does not (the two are equal until a return is moderated). ``question_scores``
    holds the normalised score of each question that counted towards its standard. ``missing_evidence``
    lists the questions whose answer requires evidence and have neither a usable file nor a description
    or link; ``unusable_files`` the empty or unreadable files on shown questions.
    """

    questionnaire_id: str
    questionnaire_version: str
    duty: Duty
    standards: tuple[StandardScore, ...]
    overall: OverallScore
    scored_overall: OverallScore
    progress: Mapping[str, Progress]
    overall_progress: Progress
    question_scores: Mapping[str, float] = field(default_factory=dict)
    missing_evidence: tuple[str, ...] = ()
    unusable_files: tuple[UnusableFile, ...] = ()

    def standard(self, section_id: str) -> StandardScore:
        """The result for one standard; ``KeyError`` if the section is not a standard here."""
        for standard in self.standards:
            if standard.section_id == section_id:
                return standard
        raise KeyError(section_id)

    def to_dict(self) -> dict[str, Any]:
        """A dict of str, int, float, bool, None, lists and dicts only: ready for ``json.dumps``."""
        return {
            "questionnaire_id": self.questionnaire_id,
            "questionnaire_version": self.questionnaire_version,
            "duty": self.duty.value,
            "standards": [standard.to_dict() for standard in self.standards],
            "overall": self.overall.to_dict(),
            "scored_overall": self.scored_overall.to_dict(),
            "progress": {section_id: progress.to_dict() for section_id, progress in self.progress.items()},
            "overall_progress": self.overall_progress.to_dict(),
            "question_scores": dict(self.question_scores),
            "missing_evidence": list(self.missing_evidence),
            "unusable_files": [file.to_dict() for file in self.unusable_files],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReturnScore:
        """Rebuild a result from ``to_dict()`` output (after a JSON round trip, too)."""
        return cls(
            questionnaire_id=data["questionnaire_id"],
            questionnaire_version=data["questionnaire_version"],
            duty=Duty(data["duty"]),
            standards=tuple(StandardScore.from_dict(item) for item in data["standards"]),
            overall=OverallScore.from_dict(data["overall"]),
            scored_overall=OverallScore.from_dict(data["scored_overall"]),
            progress={key: Progress.from_dict(value) for key, value in data["progress"].items()},
            overall_progress=Progress.from_dict(data["overall_progress"]),
            question_scores={key: float(value) for key, value in data["question_scores"].items()},
            missing_evidence=tuple(data["missing_evidence"]),
            unusable_files=tuple(UnusableFile.from_dict(item) for item in data["unusable_files"]),
        )
