"""Golden tests for scoring one return, with the arithmetic written out.

Unless a test says otherwise the scale is RAG: points 0 to 2, so a question scores
points / 2; green from 0.85, amber from 0.5, red below.
"""

import json

import pytest

from scoring import (
    Answer,
    Evidence,
    EvidenceFile,
    InvalidAnswer,
    Progress,
    ReturnScore,
    StandardStatus,
    moderate,
    score_return,
    visible_question_ids,
)
from scoring.definitions.model import Duty, EvidenceRule, Rating, Scale

from .scoring_builders import (
    MET,
    NA,
    answers,
    choice,
    documents,
    free_text,
    questionnaire,
    section,
    self_rating,
    shown_if,
    shown_if_all,
    shown_if_any,
    yes_no,
    yes_partly_no,
)


def test_each_answer_scores_its_points_scaled_from_zero_to_one():
    form = questionnaire(
        section("a", yes_partly_no("a.yes"), yes_partly_no("a.partly"), yes_partly_no("a.no")),
        section("b", choice("b.level", {"one": 1, "two": 2, "three": 3, "four": 4}, scale=MET)),
    )
    result = score_return(form, answers({"a.yes": "yes", "a.partly": "partly", "a.no": "no"}), "s11")
    # yes = 2 points: (2 - 0) / (2 - 0) = 1; partly = 1: 1 / 2 = 0.5; no = 0: 0.
    assert result.question_scores == {"a.yes": 1.0, "a.partly": 0.5, "a.no": 0.0}

    met = questionnaire(*form.sections[1:], scale=MET)
    result = score_return(met, answers({"b.level": "two"}), "s11")
    # On a 1 to 4 scale, 2 points: (2 - 1) / (4 - 1) = 1/3.
    assert result.question_scores["b.level"] == pytest.approx(1 / 3)


def test_standard_score_is_the_weighted_mean_of_its_answered_questions():
    weighted = questionnaire(section("s", yes_no("s.policy", weight=3), yes_partly_no("s.review")))
    result = score_return(weighted, answers({"s.policy": "yes", "s.review": "partly"}), "s11")
    # (3 x 1 + 1 x 0.5) / (3 + 1) = 3.5 / 4 = 0.875: green.
    assert result.standard("s").score == 0.875
    assert result.standard("s").rating == "green"

    even = questionnaire(section("s", yes_no("s.policy"), yes_partly_no("s.review")))
    result = score_return(even, answers({"s.policy": "yes", "s.review": "partly"}), "s11")
    # Without the weight: (1 + 0.5) / 2 = 0.75: amber.
    assert result.standard("s").score == 0.75
    assert result.standard("s").rating == "amber"


def test_not_applicable_answers_are_left_out_of_the_standard_score():
    form = questionnaire(
        section(
            "s",
            yes_no("s.lead"),
            yes_no("s.training"),
            yes_no("s.lado", na_allowed=True, critical=True),
        )
    )
    result = score_return(form, answers({"s.lead": "yes", "s.training": "no", "s.lado": NA}), "s11")
    # (1 + 0) / 2 = 0.5: amber. Counting N/A as 0 would give 1/3 and red; a critical
    # question answered N/A does not cap.
    assert result.standard("s").score == 0.5
    assert result.standard("s").rating == "amber"
    assert not result.standard("s").capped
    assert "s.lado" not in result.question_scores


def test_questions_hidden_by_show_if_are_left_out_and_never_fail():
    form = questionnaire(
        section("info", choice("info.agency-staff", {"yes": None, "no": None}), scored=False),
        section(
            "recruitment",
            yes_no("recruitment.dbs"),
            yes_no(
                "recruitment.agency-checks",
                critical=True,
                show_if=shown_if("info.agency-staff", "yes"),
            ),
        ),
    )
    stale = {"recruitment.dbs": "yes", "recruitment.agency-checks": "no"}

    hidden = score_return(form, answers({"info.agency-staff": "no", **stale}), "s11")
    # Only recruitment.dbs counts: 1 / 1 = 1, green, and the hidden critical "no" is
    # ignored.
    assert hidden.standard("recruitment").score == 1.0
    assert hidden.standard("recruitment").rating == "green"
    assert not hidden.standard("recruitment").capped

    shown = score_return(form, answers({"info.agency-staff": "yes", **stale}), "s11")
    # Both count: (1 + 0) / 2 = 0.5, and the critical "no" caps at red.
    assert shown.standard("recruitment").score == 0.5
    assert shown.standard("recruitment").rating == "red"


def test_a_condition_on_an_unanswered_or_hidden_question_hides_the_question():
    form = questionnaire(
        section(
            "s",
            yes_no("s.gate"),
            yes_no("s.second", show_if=shown_if("s.gate", "yes")),
            yes_no("s.third", show_if=shown_if("s.second", "yes")),
            yes_no("s.na-gate", na_allowed=True),
            yes_no("s.after-na", show_if=shown_if("s.na-gate", "yes", "no")),
        )
    )
    later = {"s.second": "yes", "s.third": "no", "s.after-na": "yes"}
    # s.gate unanswered hides s.second, and s.third with it although s.second says yes.
    assert visible_question_ids(form, answers(later), "s11") == {"s.gate", "s.na-gate"}
    # s.gate "no" hides s.second, so s.third stays hidden too.
    shown = visible_question_ids(form, answers({"s.gate": "no", **later}), "s11")
    assert shown == {"s.gate", "s.na-gate"}
    # s.gate "yes" shows the chain; N/A on s.na-gate is not an answer a condition matches.
    shown = visible_question_ids(form, answers({"s.gate": "yes", "s.na-gate": NA, **later}), "s11")
    assert shown == {"s.gate", "s.second", "s.third", "s.na-gate"}


def test_any_needs_one_condition_to_hold_and_all_needs_every_one():
    form = questionnaire(
        section(
            "s",
            yes_partly_no("s.deputies"),
            yes_partly_no("s.cover"),
            yes_no("s.either", show_if=shown_if_any(("s.deputies", ("no",)), ("s.cover", ("no", "partly")))),
            yes_no("s.both", show_if=shown_if_all(("s.deputies", ("no",)), ("s.cover", ("no", "partly")))),
        )
    )
    one = visible_question_ids(form, answers({"s.deputies": "yes", "s.cover": "partly"}), "s11")
    assert "s.either" in one
    assert "s.both" not in one
    both = visible_question_ids(form, answers({"s.deputies": "no", "s.cover": "no"}), "s11")
    assert {"s.either", "s.both"} <= both
    # Under "any", a condition on an unanswered question is false, not fatal.
    half = visible_question_ids(form, answers({"s.cover": "no"}), "s11")
    assert "s.either" in half
    assert "s.both" not in half


def test_a_condition_on_multiple_choice_holds_when_any_chosen_option_matches():
    form = questionnaire(
        section(
            "s",
            choice("s.groups", {"sen": 1, "lac": 1, "carers": 1}, multiple=True),
            yes_no("s.plan", show_if=shown_if("s.groups", "lac", "carers")),
        )
    )
    assert "s.plan" in visible_question_ids(form, answers({"s.groups": ["sen", "carers"]}), "s11")
    assert "s.plan" not in visible_question_ids(form, answers({"s.groups": ["sen"]}), "s11")


def test_questions_and_sections_for_other_duties_are_left_out():
    form = questionnaire(
        section(
            "s",
            yes_no("s.policy"),
            yes_no("s.proprietor", applies_to=(Duty.S157,)),
        ),
        section("fe", yes_no("fe.apprentices"), applies_to=(Duty.FE,)),
        duties=(Duty.S175, Duty.S157, Duty.FE),
    )
    given = answers({"s.policy": "yes", "s.proprietor": "no", "fe.apprentices": "no"})

    maintained = score_return(form, given, Duty.S175)
    # s175: only s.policy counts, 1 / 1 = 1; the FE standard is not applicable.
    assert maintained.standard("s").score == 1.0
    assert maintained.standard("fe").status is StandardStatus.NOT_APPLICABLE
    assert maintained.standard("fe").rating is None

    academy = score_return(form, given, "s157")
    # s157: (1 + 0) / 2 = 0.5.
    assert academy.standard("s").score == 0.5

    college = score_return(form, given, "fe")
    assert college.standard("fe").score == 0.0
    assert college.standard("fe").rating == "red"


def test_multiple_choice_adds_the_chosen_points_up_to_the_scale_maximum():
    form = questionnaire(
        section("s", choice("s.training", {"induction": 1, "refresher": 1, "online": 0.5}, multiple=True))
    )

    def score(chosen):
        return score_return(form, answers({"s.training": chosen}), "s11").standard("s").score

    assert score(["induction"]) == 0.5  # 1 / 2
    assert score(["induction", "online"]) == 0.75  # (1 + 0.5) / 2
    assert score(["induction", "refresher", "online"]) == 1.0  # 2.5 capped at 2: 2 / 2
    assert score("online") == 0.25  # one option given as a plain string: 0.5 / 2


def test_critical_no_caps_standard_at_red():
    others = [yes_no(f"s.q{n}") for n in range(2, 10)]
    form = questionnaire(section("s", yes_no("s.q1", critical=True), *others))
    given = {"s.q1": "no", **{f"s.q{n}": "yes" for n in range(2, 10)}}
    result = score_return(form, answers(given), "s11").standard("s")
    # (0 + 8 x 1) / 9 = 0.888...: green by score, but the critical "no" caps at red.
    assert result.score == pytest.approx(8 / 9)
    assert result.rating == "red"
    assert result.capped
    assert result.critical_fails == ("s.q1",)


def test_a_failing_answer_to_a_question_that_is_not_critical_does_not_cap():
    others = [yes_no(f"s.q{n}") for n in range(2, 10)]
    form = questionnaire(section("s", yes_no("s.q1"), *others))
    given = {"s.q1": "no", **{f"s.q{n}": "yes" for n in range(2, 10)}}
    result = score_return(form, answers(given), "s11").standard("s")
    # 8 / 9 = 0.888... >= 0.85: green.
    assert result.rating == "green"
    assert not result.capped


def test_an_option_marked_fails_caps_even_when_it_is_worth_points():
    review = choice(
        "s.review",
        {"annually": 2, "every-three-years": 1, "never": 0},
        fails=("every-three-years", "never"),
        critical=True,
    )
    form = questionnaire(section("s", review, yes_no("s.published")))
    result = score_return(form, answers({"s.review": "every-three-years", "s.published": "yes"}), "s11")
    # (0.5 + 1) / 2 = 0.75 (amber), capped to red by the failing option.
    assert result.standard("s").score == 0.75
    assert result.standard("s").rating == "red"


TWENTY = Scale(
    name="0 to 20",
    ratings=(
        Rating("green", "Green", "Meets", 0.85, "green"),
        Rating("amber", "Amber", "Partly meets", 0.5, "amber"),
        Rating("red", "Red", "Does not meet", 0.0, "red"),
    ),
    points_min=0,
    points_max=20,
)
LEVELS = {"p19": 19, "p18": 18, "p17": 17, "p16.99": 16.99, "p14": 14, "p10": 10, "p9.99": 9.99, "p0": 0}


def _twenty_point_score(*chosen: str):
    questions = [choice(f"s.q{n}", LEVELS, scale=TWENTY) for n in range(len(chosen))]
    form = questionnaire(section("s", *questions), scale=TWENTY)
    given = {f"s.q{n}": value for n, value in enumerate(chosen)}
    return score_return(form, answers(given), "s11").standard("s")


def test_a_score_exactly_on_a_threshold_earns_the_band():
    # 17 / 20 = 0.85 exactly: green.
    assert _twenty_point_score("p17").rating == "green"
    # 10 / 20 = 0.5 exactly: amber.
    assert _twenty_point_score("p10").rating == "amber"
    # (14 + 17 + 18 + 19) / 20 / 4 = 68 / 80 = 0.85, though adding the four scores in
    # floating point gives 0.8499999999999999: still green.
    mean = _twenty_point_score("p14", "p17", "p18", "p19")
    assert mean.score == pytest.approx(0.85)
    assert mean.rating == "green"


def test_a_score_just_below_a_threshold_earns_the_band_below():
    # 16.99 / 20 = 0.8495: amber; 9.99 / 20 = 0.4995: red.
    assert _twenty_point_score("p16.99").rating == "amber"
    assert _twenty_point_score("p9.99").rating == "red"


def test_standard_with_every_scored_question_not_applicable_is_rated_not_applicable():
    form = questionnaire(
        section("s", yes_no("s.a", na_allowed=True), yes_no("s.b", na_allowed=True), free_text("s.notes")),
        section("t", yes_no("t.a")),
    )
    result = score_return(
        form, answers({"s.a": NA, "s.b": NA, "s.notes": "Commissioned out", "t.a": "yes"}), "s11"
    )
    standard = result.standard("s")
    assert standard.status is StandardStatus.NOT_APPLICABLE
    assert (standard.score, standard.rating, standard.capped) == (None, None, False)
    # The overall rating rests on t alone: 1 / 1.
    assert result.overall.score == 1.0
    assert result.overall.rating == "green"


def test_standard_with_nothing_answered_has_no_rating():
    form = questionnaire(section("s", yes_no("s.a", na_allowed=True), yes_no("s.b")))
    nothing = score_return(form, [], "s11")
    assert nothing.standard("s").status is StandardStatus.UNRATED
    assert nothing.standard("s").rating is None
    assert nothing.overall.status is StandardStatus.UNRATED
    # N/A on one question while the other is still open: still no rating.
    partly = score_return(form, answers({"s.a": NA}), "s11")
    assert partly.standard("s").status is StandardStatus.UNRATED


def test_overall_rating_is_the_section_weighted_mean_of_rated_standards():
    form = questionnaire(
        section("a", yes_no("a.q")),
        section("b", yes_partly_no("b.q"), weight=3),
        section("c", yes_no("c.q", na_allowed=True), weight=5),
        section("info", free_text("info.name"), scored=False),
    )
    result = score_return(form, answers({"a.q": "yes", "b.q": "partly", "c.q": NA}), "s11")
    # a = 1 (weight 1), b = 0.5 (weight 3), c not applicable and left out:
    # (1 x 1 + 3 x 0.5) / (1 + 3) = 2.5 / 4 = 0.625: amber.
    assert result.overall.score == 0.625
    assert result.overall.rating == "amber"
    assert [standard.section_id for standard in result.standards] == ["a", "b", "c"]


def test_a_critically_capped_standard_caps_the_overall_rating():
    form = questionnaire(
        section("a", yes_no("a.critical", critical=True), *[yes_no(f"a.q{n}") for n in range(8)]),
        section("b", yes_no("b.q")),
    )
    given = {"a.critical": "no", **{f"a.q{n}": "yes" for n in range(8)}, "b.q": "yes"}
    result = score_return(form, answers(given), "s11")
    # a = 8 / 9, b = 1: mean (8/9 + 1) / 2 = 0.944... would be green; a was capped, so
    # the return is red.
    assert result.overall.score == pytest.approx((8 / 9 + 1) / 2)
    assert result.overall.rating == "red"
    assert result.overall.capped


def test_progress_counts_required_shown_questions_and_not_applicable_with_a_reason():
    form = questionnaire(
        section(
            "s",
            yes_no("s.answered"),
            yes_no("s.optional", required=False),
            yes_no("s.hidden", show_if=shown_if("s.answered", "no")),
            yes_no("s.na-with-reason", na_allowed=True),
            yes_no("s.na-without-reason", na_allowed=True),
            yes_no("s.open"),
            free_text("s.notes"),
            documents("s.policy-documents"),
        ),
        section("info", free_text("info.name"), free_text("info.urn"), scored=False),
    )
    given = answers(
        {"s.answered": "yes", "s.na-with-reason": NA, "s.notes": "Reviewed", "info.name": "Oak School"}
    )
    given.append(Answer("s.na-without-reason", na_reason="  "))
    evidence = {"s.policy-documents": Evidence(files=(EvidenceFile("policy.pdf"),))}
    result = score_return(form, given, "s11", evidence=evidence)
    # Required and shown in s: answered, na-with-reason, na-without-reason, open, notes,
    # policy-documents = 6 (optional and hidden are not required). Answered: answered,
    # na-with-reason, notes, and policy-documents by its upload = 4.
    assert result.progress["s"] == Progress(answered=4, required=6)
    assert result.progress["info"] == Progress(answered=1, required=2)
    assert result.overall_progress == Progress(answered=5, required=8)
    assert not result.overall_progress.complete
    assert result.overall_progress.fraction == 5 / 8


def _self_rated(scale, points, *, chosen, self_rated):
    form = questionnaire(
        section("s", choice("s.q", points, scale=scale), self_rating("s.self")),
        scale=scale,
    )
    return score_return(form, answers({"s.q": chosen, "s.self": self_rated}), "s11").standard("s")


def test_self_rating_green_against_a_red_score_is_a_mismatch():
    result = _self_rated(TWENTY, LEVELS, chosen="p0", self_rated="green")
    assert (result.rating, result.self_rating, result.self_rating_mismatch) == ("red", "green", True)


def test_self_rating_red_against_a_green_score_is_a_mismatch():
    result = _self_rated(TWENTY, LEVELS, chosen="p19", self_rated="red")
    assert (result.rating, result.self_rating, result.self_rating_mismatch) == ("green", "red", True)


def test_self_rating_one_band_from_the_score_is_no_mismatch():
    result = _self_rated(TWENTY, LEVELS, chosen="p10", self_rated="green")
    assert (result.rating, result.self_rating_mismatch) == ("amber", False)


def test_self_rating_two_bands_from_the_score_is_a_mismatch_whatever_the_colours():
    points = {"one": 1, "two": 2, "three": 3, "four": 4}
    # 2 points on 1 to 4: 1/3, "partially met" (from 0.3), two bands below "fully met";
    # both bands are not red, so only the distance makes the mismatch.
    result = _self_rated(MET, points, chosen="two", self_rated="fully")
    assert (result.rating, result.self_rating_mismatch) == ("partially", True)
    result = _self_rated(MET, points, chosen="two", self_rated="mostly")
    assert result.self_rating_mismatch is False


def test_moderated_rating_overrides_the_scored_one_in_the_overall_view():
    form = questionnaire(section("a", yes_no("a.q")), section("b", yes_partly_no("b.q")))
    given = answers({"a.q": "yes", "b.q": "partly"})
    result = score_return(form, given, "s11", moderated={"a": "amber"})
    # Scored: a = 1, b = 0.5, overall (1 + 0.5) / 2 = 0.75. Moderated: a counts at the
    # top of amber, the green threshold 0.85: (0.85 + 0.5) / 2 = 0.675.
    assert result.standard("a").rating == "green"
    assert result.standard("a").final_rating == "amber"
    assert result.scored_overall.score == 0.75
    assert result.overall.score == pytest.approx(0.675)


def test_moderating_up_raises_the_score_to_the_band_threshold():
    form = questionnaire(section("a", yes_partly_no("a.q"), yes_no("a.r")), section("b", yes_no("b.q")))
    given = answers({"a.q": "partly", "a.r": "no", "b.q": "yes"})
    result = score_return(form, given, "s11", moderated={"a": "amber"})
    # a scored (0.5 + 0) / 2 = 0.25, red; moderated amber it counts at 0.5:
    # (0.5 + 1) / 2 = 0.75, against (0.25 + 1) / 2 = 0.625 scored.
    assert result.scored_overall.score == 0.625
    assert result.overall.score == 0.75


def test_moderation_lifts_a_critical_cap_and_rates_a_not_applicable_standard():
    form = questionnaire(
        section("a", yes_no("a.critical", critical=True), *[yes_no(f"a.q{n}") for n in range(8)]),
        section("b", yes_no("b.q", na_allowed=True)),
        section("c", yes_no("c.q")),
    )
    given = answers({"a.critical": "no", **{f"a.q{n}": "yes" for n in range(8)}, "b.q": NA, "c.q": "yes"})
    result = score_return(form, given, "s11")
    assert result.overall.rating == "red"
    moderated = moderate(form, result, {"a": "amber", "b": "red"})
    # a = 8/9 moved into amber [0.5, 0.85]: 0.85. b had no score: the middle of red,
    # (0 + 0.5) / 2 = 0.25. c = 1. (0.85 + 0.25 + 1) / 3 = 0.7, amber, no longer capped.
    assert moderated.overall.score == pytest.approx(0.7)
    assert (moderated.overall.rating, moderated.overall.capped) == ("amber", False)
    assert moderated.scored_overall == result.scored_overall
    assert moderated.standard("b").final_rating == "red"
    # Moderating again replaces the earlier moderation.
    assert moderate(form, moderated, {}).overall == result.overall


def test_a_result_survives_a_json_round_trip():
    form = questionnaire(
        section(
            "a", yes_no("a.q", critical=True, evidence=EvidenceRule(True, ("no",))), self_rating("a.self")
        ),
        section("b", yes_no("b.q", na_allowed=True)),
        duties=(Duty.S175, Duty.S157),
    )
    given = answers({"a.q": "no", "a.self": "green", "b.q": NA})
    evidence = {"a.q": Evidence(files=(EvidenceFile("blank.pdf", empty=True),))}
    result = score_return(form, given, "s157", evidence=evidence, moderated={"a": "amber"})
    stored = json.loads(json.dumps(result.to_dict()))
    assert ReturnScore.from_dict(stored) == result
    assert stored["duty"] == "s157"
    assert stored["standards"][1]["status"] == "not_applicable"


def test_evidence_is_missing_when_a_required_answer_has_nothing_usable():
    rule = EvidenceRule(allowed=True, required_when=("yes",))
    form = questionnaire(
        section(
            "s",
            yes_no("s.bare", evidence=rule),
            yes_no("s.described", evidence=rule),
            yes_no("s.blank-file", evidence=rule),
            yes_no("s.answered-no", evidence=rule),
            yes_no("s.hidden", evidence=rule, show_if=shown_if("s.answered-no", "yes")),
        )
    )
    given = answers({name: "yes" for name in ("s.bare", "s.described", "s.blank-file", "s.hidden")})
    given.append(Answer("s.answered-no", "no"))
    evidence = {
        "s.described": Evidence(description="https://example.org/policy"),
        "s.blank-file": Evidence(files=(EvidenceFile("scan.pdf", unreadable=True),)),
        "s.hidden": Evidence(files=(EvidenceFile("empty.docx", empty=True),)),
    }
    result = score_return(form, given, "s11", evidence=evidence)
    assert result.missing_evidence == ("s.bare", "s.blank-file")
    # The file on the hidden question is not looked at.
    assert [(item.question_id, item.problem) for item in result.unusable_files] == [
        ("s.blank-file", "unreadable")
    ]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ([Answer("s.unknown", "yes")], "not a question"),
        ([Answer("s.q", "maybe")], "not an answer to question s.q"),
        ([Answer("s.q", "yes"), Answer("s.q", "no")], "answered twice"),
        ([Answer("s.q", na_reason="Not ours")], "cannot be answered 'not applicable'"),
        ([Answer("s.q", ["yes"])], "takes one of yes, no"),
    ],
)
def test_answers_that_do_not_fit_the_questionnaire_are_refused(given, message):
    form = questionnaire(section("s", yes_no("s.q")))
    with pytest.raises(InvalidAnswer, match=message):
        score_return(form, given, "s11")


def test_a_duty_the_questionnaire_does_not_serve_is_refused():
    form = questionnaire(section("s", yes_no("s.q")))
    with pytest.raises(ValueError, match="serves s11, not fe"):
        score_return(form, [], "fe")


def test_a_moderated_rating_off_the_scale_is_refused():
    form = questionnaire(section("s", yes_no("s.q")))
    with pytest.raises(ValueError, match="'purple' is not a rating"):
        score_return(form, [], "s11", moderated={"s": "purple"})
    with pytest.raises(ValueError, match="not a standard"):
        score_return(form, [], "s11", moderated={"t": "red"})


def test_blank_answers_are_no_answer_at_all():
    form = questionnaire(section("s", yes_no("s.q"), choice("s.many", {"a": 1, "b": 1}, multiple=True)))
    result = score_return(form, [Answer("s.q", ""), Answer("s.many", [])], "s11")
    assert result.standard("s").status is StandardStatus.UNRATED
    assert result.progress["s"] == Progress(answered=0, required=2)
