"""Each flag, raised and not raised. The cycle's initial deadline is Friday 31 January
2025 and the final (extended) deadline Friday 28 February 2025."""

from datetime import date, datetime

import pytest

from scoring import (
    ActionStatus,
    AgreedAction,
    Evidence,
    EvidenceFile,
    Flag,
    FlagCode,
    ReturnContext,
    ReturnStatus,
    flags_for,
    score_return,
)
from scoring.definitions.model import EvidenceRule

from .scoring_builders import answers, questionnaire, section, self_rating, yes_no

INITIAL = date(2025, 1, 31)
FINAL = date(2025, 2, 28)

FORM = questionnaire(
    section(
        "leadership",
        yes_no("leadership.named-lead", critical=True),
        yes_no(
            "leadership.job-description",
            evidence=EvidenceRule(allowed=True, required_when=("yes",)),
        ),
        self_rating("leadership.self-rating"),
    ),
    section("training", yes_no("training.induction"), yes_no("training.refresher")),
)
GOOD = {
    "leadership.named-lead": "yes",
    "leadership.job-description": "yes",
    "training.induction": "yes",
    "training.refresher": "yes",
}
JOB_DESCRIPTION = {"leadership.job-description": Evidence(files=(EvidenceFile("jd.pdf"),))}


def context(status="submitted", today=date(2025, 3, 10), **fields) -> ReturnContext:
    if status in ("submitted", "accepted", "returned_for_changes"):
        fields.setdefault("submitted_at", datetime(2025, 1, 20, 16, 30))
    if status != "not_started":
        fields.setdefault("started_at", date(2025, 1, 6))
    return ReturnContext(status, INITIAL, today, final_deadline=FINAL, **fields)


def codes(flags: list[Flag]) -> list[FlagCode]:
    return [flag.code for flag in flags]


def scored(given=GOOD, evidence=JOB_DESCRIPTION, **changes):
    return score_return(FORM, answers({**given, **changes}), "s11", evidence=evidence)


def test_a_return_not_started_before_the_final_deadline_is_flagged_not_started():
    flags = flags_for(FORM, context("not_started", today=date(2025, 2, 3)))
    assert codes(flags) == [FlagCode.NOT_STARTED]
    assert flags[0].reason == "The return has not been started; the deadline passed on 31 January 2025."
    assert codes(flags_for(FORM, context("in_progress", today=date(2025, 1, 10)))) == []


def test_a_return_in_progress_after_the_initial_deadline_is_overdue():
    flags = flags_for(FORM, context("in_progress", today=date(2025, 2, 1)))
    assert codes(flags) == [FlagCode.IN_PROGRESS_OVERDUE]
    assert "since 6 January 2025" in flags[0].reason
    # On the deadline day itself it is not yet overdue.
    assert flags_for(FORM, context("in_progress", today=INITIAL)) == []


def test_nothing_submitted_by_the_final_deadline_is_a_non_return():
    flags = flags_for(FORM, context("in_progress", today=date(2025, 3, 1)))
    assert codes(flags) == [FlagCode.NON_RETURN]
    assert flags[0].reason == (
        "Not returned by the final deadline of 28 February 2025: the return was started but not submitted."
    )
    never = flags_for(FORM, context("not_started", today=date(2025, 3, 1)))
    assert "was never started" in never[0].reason
    # The final deadline day itself still counts as in time.
    assert codes(flags_for(FORM, context("in_progress", today=FINAL))) == [FlagCode.IN_PROGRESS_OVERDUE]
    assert flags_for(FORM, context("submitted", today=date(2025, 3, 1))) == []


def test_a_return_submitted_after_the_initial_deadline_is_late():
    late = flags_for(FORM, context(submitted_at=datetime(2025, 2, 3, 9, 0)))
    assert codes(late) == [FlagCode.LATE]
    assert late[0].reason == "Submitted on 3 February 2025, 3 days after the deadline of 31 January 2025."
    very_late = flags_for(FORM, context(submitted_at=date(2025, 3, 3)))
    assert very_late[0].reason.endswith("and after the final deadline of 28 February 2025.")
    # Late in the evening of the deadline day is on time.
    assert flags_for(FORM, context(submitted_at=datetime(2025, 1, 31, 23, 59))) == []


def test_a_failing_critical_answer_is_flagged_naming_the_question_and_standard():
    flags = flags_for(FORM, context(), scored(**{"leadership.named-lead": "no"}))
    assert codes(flags) == [FlagCode.CRITICAL_FAIL]
    flag = flags[0]
    assert (flag.section_id, flag.question_id) == ("leadership", "leadership.named-lead")
    assert flag.reason == (
        'The answer to the critical question "Question leadership.named-lead?" '
        '(leadership.named-lead) fails, so standard "Standard leadership" is rated Red.'
    )
    assert flags_for(FORM, context(), scored()) == []


def test_an_answer_needing_evidence_without_any_is_flagged_no_evidence():
    flags = flags_for(FORM, context(), scored(evidence={}))
    assert codes(flags) == [FlagCode.NO_EVIDENCE]
    assert flags[0].question_id == "leadership.job-description"
    assert "needs evidence" in flags[0].reason
    described = {"leadership.job-description": Evidence(description="Intranet: HR/JD-114")}
    assert flags_for(FORM, context(), scored(evidence=described)) == []
    # Answered "no", nothing is required.
    assert flags_for(FORM, context(), scored(evidence={}, **{"leadership.job-description": "no"})) == []


def test_an_empty_or_unreadable_file_is_flagged_and_is_no_evidence():
    files = (EvidenceFile("blank.pdf", empty=True), EvidenceFile("scan.tif", unreadable=True))
    flags = flags_for(FORM, context(), scored(evidence={"leadership.job-description": Evidence(files=files)}))
    assert codes(flags) == [FlagCode.NO_EVIDENCE, FlagCode.EMPTY_EVIDENCE, FlagCode.EMPTY_EVIDENCE]
    assert flags[1].reason == (
        'The file "blank.pdf" attached to "Question leadership.job-description?" '
        "(leadership.job-description) is empty."
    )
    assert flags[2].reason.endswith("is unreadable.")
    with_one_good = Evidence(files=(*files, EvidenceFile("jd.pdf")))
    flags = flags_for(FORM, context(), scored(evidence={"leadership.job-description": with_one_good}))
    assert codes(flags) == [FlagCode.EMPTY_EVIDENCE, FlagCode.EMPTY_EVIDENCE]
    # Files with content raise nothing.
    good = Evidence(files=(EvidenceFile("jd.pdf"), EvidenceFile("jd-2024.pdf")))
    assert flags_for(FORM, context(), scored(evidence={"leadership.job-description": good})) == []


def test_a_self_rating_far_from_the_score_is_flagged():
    flags = flags_for(
        FORM,
        context(),
        scored(**{"leadership.job-description": "no", "leadership.self-rating": "green"}),
    )
    # Leadership scores (1 + 0) / 2 = 0.5: amber, one band from green, so no flag ...
    assert flags == []
    flags = flags_for(
        FORM,
        context(),
        scored(**{"leadership.named-lead": "no", "leadership.self-rating": "green"}),
    )
    # ... but capped red by the critical "no" it is green against red.
    assert codes(flags) == [FlagCode.CRITICAL_FAIL, FlagCode.SELF_RATING_MISMATCH]
    assert flags[1].reason == (
        'The organisation rated itself Green on standard "Standard leadership", but its answers score Red.'
    )


def test_a_standard_rated_worse_than_last_cycle_is_flagged_declined():
    result = scored(**{"training.refresher": "no"})  # training: (1 + 0) / 2 = 0.5, amber
    flags = flags_for(FORM, context(previous_ratings={"training": "green", "leadership": "amber"}), result)
    assert codes(flags) == [FlagCode.DECLINED]
    assert flags[0].section_id == "training"
    assert flags[0].reason == 'Standard "Standard training" is rated Amber, down from Green last cycle.'
    assert flags_for(FORM, context(previous_ratings={"training": "amber"}), result) == []
    assert flags_for(FORM, context(previous_ratings={"training": "red"}), result) == []


def test_declined_compares_the_moderated_rating():
    result = score_return(FORM, answers(GOOD), "s11", evidence=JOB_DESCRIPTION, moderated={"training": "red"})
    flags = flags_for(FORM, context(previous_ratings={"training": "amber"}), result)
    assert codes(flags) == [FlagCode.DECLINED]


def test_agreed_actions_past_their_due_date_are_flagged():
    actions = [
        AgreedAction(date(2025, 2, 14), ActionStatus.OPEN),
        (date(2025, 1, 15), "in_progress"),
        (date(2025, 1, 10), "completed"),
        (date(2025, 3, 10), "open"),  # due today: not yet overdue
    ]
    flags = flags_for(FORM, context(actions=actions))
    assert codes(flags) == [FlagCode.ACTIONS_OVERDUE]
    assert flags[0].reason == (
        "2 agreed actions are past the due date and not completed (the oldest was due 15 January 2025)."
    )
    assert flags_for(FORM, context(actions=[(date(2025, 1, 10), "closed")])) == []


def test_flags_come_in_a_fixed_order():
    result = scored(evidence={}, **{"leadership.named-lead": "no", "training.refresher": "no"})
    flags = flags_for(
        FORM,
        context(
            submitted_at=date(2025, 2, 5),
            previous_ratings={"training": "green"},
            actions=[(date(2025, 1, 1), "open")],
        ),
        result,
    )
    assert codes(flags) == [
        FlagCode.LATE,
        FlagCode.CRITICAL_FAIL,
        FlagCode.DECLINED,
        FlagCode.NO_EVIDENCE,
        FlagCode.ACTIONS_OVERDUE,
    ]
    assert [Flag.from_dict(flag.to_dict()) for flag in flags] == flags


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "submitted"}, "needs submitted_at"),
        ({"status": "in_progress", "submitted_at": date(2025, 1, 5)}, "cannot have submitted_at"),
        ({"status": "not_started", "started_at": date(2025, 1, 5)}, "cannot have started_at"),
        ({"status": "in_progress", "final_deadline": date(2025, 1, 1)}, "final deadline comes before"),
    ],
)
def test_a_context_that_contradicts_itself_is_refused(fields, message):
    with pytest.raises(ValueError, match=message):
        ReturnContext(initial_deadline=INITIAL, today=date(2025, 2, 1), **fields)


def test_a_context_without_an_extension_uses_the_initial_deadline_as_final():
    plain = ReturnContext("in_progress", INITIAL, date(2025, 2, 1))
    assert plain.final_deadline == INITIAL
    assert plain.status is ReturnStatus.IN_PROGRESS
    assert codes(flags_for(FORM, plain)) == [FlagCode.NON_RETURN]
