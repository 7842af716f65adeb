"""Scoring one return: answers in, a :class:`~scoring.results.ReturnScore` out.

The rules are those of questionnaires/README.md ("The rating scale", "Questions"),
applied to a :class:`~scoring.definitions.model.Questionnaire` whose defaults the loader
has already filled in (default options and points, failing options). The engine reads
the definition as given and never fills anything in itself.

:mod:`scoring.batch` applies the same rules to a whole cycle at once. The arithmetic
here (sums in questionnaire order, no rounding) is what the batch path repeats
operation for operation, so the two agree to the last bit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from scoring.answers import (
    Answer,
    Evidence,
    Given,
    InvalidAnswer,
    read_answers,
)
from scoring.definitions.model import (
    Duty,
    Question,
    Questionnaire,
    QuestionType,
    Scale,
    Section,
)
from scoring.ratings import band_index, band_position, is_mismatch, moderated_score
from scoring.results import (
    OverallScore,
    Progress,
    ReturnScore,
    StandardScore,
    StandardStatus,
    UnusableFile,
)


def question_score(scale: Scale, question: Question, chosen: frozenset[str]) -> float:
    """The normalised score, 0 to 1, of the options chosen for a scored question.

    The chosen options' points are added in the questionnaire's order (a single choice
    has just one) and kept within the scale's points, so multiple choice tops out at
    ``points.max``; then ``points.min`` scores 0 and ``points.max`` scores 1.
    """
    total = 0.0
    for option in question.options:
        if option.value in chosen:
            total += option.points
    total = min(max(total, scale.points_min), scale.points_max)
    return (total - scale.points_min) / (scale.points_max - scale.points_min)


def _condition_holds(question: Question, given: Mapping[str, Given], visible: set[str]) -> bool:
    # A condition on a question that is hidden, unanswered or answered "not applicable"
    # does not hold; under "any", another condition can still show the question.
    results = []
    for condition in question.show_if.conditions:
        answer = given.get(condition.question)
        results.append(
            condition.question in visible
            and answer is not None
            and not answer.chosen.isdisjoint(condition.values)
        )
    return any(results) if question.show_if.mode == "any" else all(results)


def _visible(questionnaire: Questionnaire, given: Mapping[str, Given], duty: Duty) -> set[str]:
    # Conditions name earlier questions, so one pass in questionnaire order settles all.
    visible: set[str] = set()
    for section in questionnaire.sections:
        if not section.applies(duty):
            continue
        for question in section.questions:
            if question.applies(duty) and (
                question.show_if is None or _condition_holds(question, given, visible)
            ):
                visible.add(question.id)
    return visible


def _check_duty(questionnaire: Questionnaire, duty: Duty | str) -> Duty:
    duty = Duty(duty)
    if duty not in questionnaire.duties:
        served = ", ".join(item.value for item in questionnaire.duties)
        raise ValueError(f"{questionnaire.id} {questionnaire.version} serves {served}, not {duty.value}")
    return duty


def visible_question_ids(
    questionnaire: Questionnaire, answers: Iterable[Answer], duty: Duty | str
) -> frozenset[str]:
    """The questions an organisation with this duty is shown, given its answers so far.

    A question is shown when it and its section apply to the duty and its ``show_if``
    holds. A condition holds when the question it names is shown and answered (not
    "not applicable") with one of the condition's values; a multiple-choice answer
    matches when any of its chosen options does.
    """
    duty = _check_duty(questionnaire, duty)
    return frozenset(_visible(questionnaire, read_answers(questionnaire, answers), duty))


def _score_standard(
    scale: Scale,
    section: Section,
    given: Mapping[str, Given],
    visible: set[str],
    scores: dict[str, float],
) -> StandardScore:
    total = 0.0
    weights = 0.0
    unanswered = False
    fails: list[str] = []
    for question in section.questions:
        if not question.scored or question.id not in visible:
            continue
        answer = given.get(question.id)
        if answer is None:
            unanswered = True
            continue
        if answer.not_applicable:
            continue
        score = question_score(scale, question, answer.chosen)
        scores[question.id] = score
        total += question.weight * score
        weights += question.weight
        failing = {option.value for option in question.options if option.fails}
        if question.critical and not failing.isdisjoint(answer.chosen):
            fails.append(question.id)

    self_rating = None
    rating_question = section.self_rating_question
    if rating_question is not None and rating_question.id in visible:
        answer = given.get(rating_question.id)
        if answer is not None and not answer.not_applicable:
            (self_rating,) = answer.chosen

    if weights == 0:
        if unanswered:
            return StandardScore(section.id, StandardStatus.UNRATED, self_rating=self_rating)
        return StandardScore(section.id, StandardStatus.NOT_APPLICABLE, self_rating=self_rating)
    score = total / weights
    position = len(scale.ratings) - 1 if fails else band_index(scale, score)
    mismatch = self_rating is not None and is_mismatch(scale, position, band_position(scale, self_rating))
    return StandardScore(
        section.id,
        StandardStatus.RATED,
        score=score,
        rating=scale.ratings[position].id,
        capped=bool(fails),
        critical_fails=tuple(fails),
        self_rating=self_rating,
        self_rating_mismatch=mismatch,
    )


def _overall(
    questionnaire: Questionnaire, standards: tuple[StandardScore, ...], moderation: bool
) -> OverallScore:
    scale = questionnaire.scale
    sections = [section for section in questionnaire.sections if section.scored]
    total = 0.0
    weights = 0.0
    capped = False
    unrated = False
    for section, standard in zip(sections, standards, strict=True):
        if moderation and standard.moderated_rating is not None:
            # The moderator's band stands, and any critical cap goes with the scored one.
            position = band_position(scale, standard.moderated_rating)
            contribution = moderated_score(scale, position, standard.score)
        elif standard.status is StandardStatus.RATED:
            contribution = standard.score
            capped = capped or standard.capped
        else:
            unrated = unrated or standard.status is StandardStatus.UNRATED
            continue
        total += section.weight * contribution
        weights += section.weight
    if weights == 0:
        if unrated:
            return OverallScore(StandardStatus.UNRATED)
        return OverallScore(StandardStatus.NOT_APPLICABLE)
    score = total / weights
    position = len(scale.ratings) - 1 if capped else band_index(scale, score)
    return OverallScore(
        StandardStatus.RATED,
        score=score,
        rating=scale.ratings[position].id,
        capped=capped,
    )


def moderate(questionnaire: Questionnaire, result: ReturnScore, moderated: Mapping[str, str]) -> ReturnScore:
    """A stored result with moderated ratings applied, without scoring answers again.

    ``moderated`` maps standard (section) id to rating id and replaces any earlier
    moderation. Each moderated rating overrides the scored one in ``final_rating`` and
    in ``overall``: a moderated standard counts in the weighted mean with its score
    moved into the moderated band (:func:`scoring.ratings.moderated_score`), and a
    critical cap on its scored rating no longer caps the return. ``scored_overall`` is
    left as scored.
    """
    standards = {standard.section_id for standard in result.standards}
    for section_id, rating_id in moderated.items():
        if section_id not in standards:
            raise ValueError(
                f"{section_id!r} is not a standard of {questionnaire.id} {questionnaire.version}"
            )
        band_position(questionnaire.scale, rating_id)
    updated = tuple(
        replace(standard, moderated_rating=moderated.get(standard.section_id))
        for standard in result.standards
    )
    overall = _overall(questionnaire, updated, moderation=True)
    return replace(result, standards=updated, overall=overall)


def _progress(
    section: Section,
    given: Mapping[str, Given],
    visible: set[str],
    evidence: Mapping[str, Evidence],
) -> Progress:
    required = answered = 0
    for question in section.questions:
        if not question.required or question.id not in visible:
            continue
        required += 1
        answer = given.get(question.id)
        if answer is not None:
            answered += not answer.not_applicable or answer.reason_given
        elif question.type is QuestionType.EVIDENCE and evidence.get(question.id, Evidence()).files:
            # A documents-only question is answered by its uploads.
            answered += 1
    return Progress(answered, required)


def _check_evidence(
    questionnaire: Questionnaire,
    given: Mapping[str, Given],
    visible: set[str],
    evidence: Mapping[str, Evidence],
) -> tuple[tuple[str, ...], tuple[UnusableFile, ...]]:
    known = {question.id for question in questionnaire.questions()}
    for question_id in evidence:
        if question_id not in known:
            raise InvalidAnswer(
                f"evidence is attached to {question_id!r}, which is not a question of {questionnaire.id}"
            )
    missing: list[str] = []
    unusable: list[UnusableFile] = []
    for question in questionnaire.questions():
        if question.id not in visible:
            continue
        attached = evidence.get(question.id, Evidence())
        for file in attached.files:
            if not file.usable:
                problem = "empty" if file.empty else "unreadable"
                unusable.append(UnusableFile(question.id, file.name, problem))
        answer = given.get(question.id)
        if (
            answer is not None
            and not answer.chosen.isdisjoint(question.evidence.required_when)
            and not attached.usable
        ):
            missing.append(question.id)
    return tuple(missing), tuple(unusable)


def score_return(
    questionnaire: Questionnaire,
    answers: Iterable[Answer],
    duty: Duty | str,
    evidence: Mapping[str, Evidence] | None = None,
    moderated: Mapping[str, str] | None = None,
) -> ReturnScore:
    """Score one organisation's return.

    - Only questions shown to the organisation count (:func:`visible_question_ids`):
      answers to the others are ignored.
    - A scored question's score is its chosen options' points scaled to 0-1
      (:func:`question_score`).
    - A standard's score is the weighted mean of its answered, scored, shown questions;
      "not applicable" answers are left out of it altogether. Its rating is the first
      band, best first, whose ``min_score`` the score reaches (a score exactly on a
      threshold earns the band), or the worst band when the answer to a critical
      question fails. Its status is "not applicable" when every scored question shown
      was answered "not applicable" (or none is shown), and "unrated" when nothing
      scored is answered yet though something could be.
    - The return's overall score is the mean of its rated standards' scores weighted by
      section ``weight``, rated the same way. It is the worst band whenever a standard
      was capped by a critical question, so a critical failure is never averaged away.
      ``moderated`` (section id to rating id) then applies as :func:`moderate` says.
    - Progress, per section and overall, counts the required questions shown and those
      of them answered.
    - ``evidence`` (question id to :class:`~scoring.answers.Evidence`) is checked for
      answers that require evidence and have none usable, and for empty or unreadable
      files.

    Raises :class:`~scoring.answers.InvalidAnswer` for an answer that does not fit the
    questionnaire, ``ValueError`` for a duty the questionnaire does not serve or a
    moderated rating that is not on its scale.
    """
    duty = _check_duty(questionnaire, duty)
    evidence = evidence or {}
    given = read_answers(questionnaire, answers)
    visible = _visible(questionnaire, given, duty)
    scores: dict[str, float] = {}
    standards = tuple(
        _score_standard(questionnaire.scale, section, given, visible, scores)
        for section in questionnaire.sections
        if section.scored
    )
    progress = {
        section.id: _progress(section, given, visible, evidence) for section in questionnaire.sections
    }
    missing, unusable = _check_evidence(questionnaire, given, visible, evidence)
    scored_overall = _overall(questionnaire, standards, moderation=False)
    result = ReturnScore(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        duty=duty,
        standards=standards,
        overall=scored_overall,
        scored_overall=scored_overall,
        progress=progress,
        overall_progress=Progress(
            sum(item.answered for item in progress.values()),
            sum(item.required for item in progress.values()),
        ),
        question_scores=scores,
        missing_evidence=missing,
        unusable_files=unusable,
    )
    return moderate(questionnaire, result, moderated) if moderated else result
