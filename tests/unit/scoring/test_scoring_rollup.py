"""Partnership roll-ups on small frames whose figures can be checked by hand."""

from datetime import date

import pandas as pd
import pytest

from scoring import (
    BatchScores,
    non_compliant,
    non_returning,
    rag_by_standard,
    rag_change,
    resolve_successors,
    return_rates,
    score_many,
    year_on_year,
)
from scoring.definitions.model import Duty

from .scoring_builders import NA, answers, questionnaire, section, yes_no, yes_partly_no
from .scoring_strategies import long_frame

# Five schools; the fifth has not rated anything yet.
STANDARDS = pd.DataFrame(
    [
        (1, "lead", "rated", "green"),
        (2, "lead", "rated", "green"),
        (3, "lead", "rated", "red"),
        (4, "lead", "not_applicable", None),
        (5, "lead", "unrated", None),
        (1, "training", "rated", "amber"),
        (2, "training", "rated", "green"),
        (3, "training", "rated", "amber"),
        (4, "training", "rated", "red"),
        (5, "training", "unrated", None),
    ],
    columns=["return_id", "section_id", "status", "final_colour"],
)
REGISTER = pd.DataFrame(
    {
        "return_id": [1, 2, 3, 4, 5],
        "organisation_id": ["URN-105", "URN-101", "URN-104", "URN-102", "URN-103"],
        "phase": ["primary", "primary", "secondary", "secondary", "primary"],
        "submitted_at": [
            pd.Timestamp("2025-01-20 10:00"),
            pd.Timestamp("2025-01-31 23:00"),  # on the initial deadline day
            pd.Timestamp("2025-02-10 09:00"),
            pd.NaT,
            pd.Timestamp("2025-03-05 12:00"),  # after the final deadline
        ],
    }
)
INITIAL, FINAL = date(2025, 1, 31), date(2025, 2, 28)


def test_rag_distribution_per_standard_counts_each_rated_or_not_applicable_return():
    table = rag_by_standard(STANDARDS).set_index("section_id")
    # lead: returns 1-4 count (5 is unrated): green 2, red 1, N/A 1 of 4.
    assert table.loc["lead", ["organisations", "green", "amber", "red", "not_applicable"]].tolist() == [
        4,
        2,
        0,
        1,
        1,
    ]
    assert table.loc["lead", ["pct_green", "pct_amber", "pct_red", "pct_not_applicable"]].tolist() == [
        50,
        0,
        25,
        25,
    ]
    # training: green 1, amber 2, red 1 of 4.
    assert table.loc["training", ["pct_green", "pct_amber", "pct_red"]].tolist() == [25, 50, 25]


def test_rag_distribution_by_sector():
    table = rag_by_standard(STANDARDS, REGISTER, by="phase").set_index(["section_id", "phase"])
    # lead, primary: returns 1 and 2, both green. lead, secondary: 3 red, 4 N/A.
    assert table.loc[("lead", "primary"), ["organisations", "pct_green"]].tolist() == [2, 100]
    assert table.loc[("lead", "secondary"), ["pct_red", "pct_not_applicable"]].tolist() == [50, 50]
    # training, secondary: 3 amber, 4 red.
    assert table.loc[("training", "secondary"), ["pct_amber", "pct_red"]].tolist() == [50, 50]


def test_rag_distribution_from_batch_scores_follows_questionnaire_order_and_moderation():
    form = questionnaire(
        section("zeta", yes_no("zeta.q", na_allowed=True)),
        section("alpha", yes_partly_no("alpha.q")),
    )
    given = {1: answers({"zeta.q": "yes", "alpha.q": "partly"}), 2: answers({"zeta.q": NA, "alpha.q": "no"})}
    moderated = pd.DataFrame([(2, "zeta", "amber")], columns=["return_id", "section_id", "rating"])
    scores = score_many(form, long_frame(given, lists=False), {1: "s11", 2: "s11"}, moderated=moderated)
    table = rag_by_standard(scores.standards)
    assert table["section_id"].astype(str).tolist() == ["zeta", "alpha"]
    # zeta: 1 green; 2 was N/A but moderated amber, so it counts amber.
    assert table.loc[0, ["green", "amber", "not_applicable"]].tolist() == [1, 1, 0]
    # alpha: 1 partly (0.5, amber), 2 no (0, red).
    assert table.loc[1, ["amber", "red"]].tolist() == [1, 1]


def test_year_on_year_change_of_the_rag_distribution():
    before = rag_by_standard(STANDARDS)
    after = rag_by_standard(
        STANDARDS.assign(final_colour=STANDARDS["final_colour"].replace({"red": "amber"}))
    )
    change = rag_change(before, after).set_index("section_id")
    # lead: red 25% -> 0%, amber 0% -> 25%.
    assert change.loc["lead", ["change_pct_red", "change_pct_amber", "change_pct_green"]].tolist() == [
        -25,
        25,
        0,
    ]


def test_return_rates_at_each_deadline():
    rates = return_rates(REGISTER, INITIAL, FINAL)
    # 5 expected; by 31 January: 1 and 2 (2 = 40%); by 28 February: also 3 (3 = 60%).
    assert rates.iloc[0].tolist() == [5, 2, 40, 3, 60]


def test_return_rates_by_sector():
    rates = return_rates(REGISTER, INITIAL, FINAL, by="phase").set_index("phase")
    # primary: 1, 2, 5 expected; 1 and 2 by both deadlines (5 came after the final).
    assert rates.loc["primary"].tolist() == [3, 2, pytest.approx(200 / 3), 2, pytest.approx(200 / 3)]
    # secondary: 3 and 4; 3 by the final deadline only.
    assert rates.loc["secondary"].tolist() == [2, 0, 0, 1, 50]


def test_return_rates_read_timezone_aware_times_as_uk_time():
    summer = pd.DataFrame(
        {
            "return_id": [1, 2],
            "organisation_id": ["a", "b"],
            # 22:30 UTC on 18 July is 23:30 BST, on time; 23:30 UTC is 00:30 BST on the 19th.
            "submitted_at": pd.to_datetime(["2025-07-18 22:30", "2025-07-18 23:30"]).tz_localize("UTC"),
        }
    )
    rates = return_rates(summer, date(2025, 7, 18), date(2025, 7, 18))
    assert rates.loc[0, "returned_by_initial"] == 1


def test_non_returning_organisations_are_those_with_nothing_by_the_final_deadline():
    missing = non_returning(REGISTER, FINAL)
    # URN-102 never returned; URN-103 returned on 5 March, after the final deadline.
    assert missing["organisation_id"].tolist() == ["URN-102", "URN-103"]


def test_non_compliant_organisations_have_a_red_standard_or_a_red_overall_rating():
    standards = pd.DataFrame(
        [
            (1, "lead", "green"),
            (1, "training", "green"),
            (2, "lead", "amber"),
            (2, "training", "red"),
            (3, "lead", "red"),
            (3, "training", "red"),
            (4, "lead", "amber"),
            (4, "training", None),
        ],
        columns=["return_id", "section_id", "final_colour"],
    )
    overall = pd.DataFrame(
        [(1, "green", "green"), (2, "amber", "amber"), (3, "red", "red"), (4, "red", "red")],
        columns=["return_id", "rating", "colour"],
    )
    listed = non_compliant(BatchScores(standards, overall), REGISTER)
    # By organisation id: URN-101 (return 2), URN-102 (4, red overall only), URN-104 (3).
    assert listed.to_dict("records") == [
        {
            "organisation_id": "URN-101",
            "return_id": 2,
            "overall_rating": "amber",
            "red_standards": ("training",),
        },
        {"organisation_id": "URN-102", "return_id": 4, "overall_rating": "red", "red_standards": ()},
        {
            "organisation_id": "URN-104",
            "return_id": 3,
            "overall_rating": "red",
            "red_standards": ("lead", "training"),
        },
    ]


def test_successor_links_are_followed_through_a_chain():
    links = {"URN-100001": "URN-139999", "URN-139999": "URN-140001"}
    ids = pd.Series(["URN-100001", "URN-139999", "URN-100002"])
    assert resolve_successors(ids, links).tolist() == ["URN-140001", "URN-140001", "URN-100002"]
    # Stop at the first id present in the cycle compared with.
    assert resolve_successors(ids, links, present=["URN-139999"]).tolist() == [
        "URN-139999",
        "URN-139999",
        "URN-100002",
    ]


def test_successor_links_in_a_loop_are_refused():
    with pytest.raises(ValueError, match="loop through"):
        resolve_successors(pd.Series(["a"]), {"a": "b", "b": "a"})


def _standards(rows):
    return pd.DataFrame(rows, columns=["return_id", "section_id", "score", "final_rating", "final_position"])


def test_year_on_year_joins_standards_through_successor_organisations():
    previous = _standards(
        [
            (11, "lead", 0.9, "green", 0),
            (11, "training", 0.5, "amber", 1),
            (12, "lead", 0.25, "red", 2),
            (13, "lead", 1.0, "green", 0),  # closed school, no successor
        ]
    )
    current = _standards(
        [
            (21, "lead", 0.6, "amber", 1),
            (21, "training", 0.9, "green", 0),
            (22, "lead", 0.25, "red", 2),
            (22, "training", None, None, -1),  # new standard, nothing last year
        ]
    )
    previous_register = pd.DataFrame(
        {"return_id": [11, 12, 13], "organisation_id": ["100001", "100002", "100003"]}
    )
    current_register = pd.DataFrame({"return_id": [21, 22], "organisation_id": ["140001", "100002"]})
    # 100001 converted to an academy (139999), which was re-brokered to a new trust (140001).
    links = {"100001": "139999", "139999": "140001"}
    change = year_on_year(previous, current, previous_register, current_register, successors=links)
    assert change[
        [
            "organisation_id",
            "previous_organisation_id",
            "section_id",
            "score_change",
            "band_change",
            "declined",
        ]
    ].to_dict("records") == [
        {
            "organisation_id": "100002",
            "previous_organisation_id": "100002",
            "section_id": "lead",
            "score_change": 0.0,
            "band_change": 0,
            "declined": False,
        },
        {
            "organisation_id": "140001",
            "previous_organisation_id": "100001",
            "section_id": "lead",
            "score_change": pytest.approx(-0.3),
            "band_change": -1,
            "declined": True,
        },
        {
            "organisation_id": "140001",
            "previous_organisation_id": "100001",
            "section_id": "training",
            "score_change": pytest.approx(0.4),
            "band_change": 1,
            "declined": False,
        },
    ]
    assert change["previous_rating"].tolist() == ["red", "green", "amber"]


def test_year_on_year_by_question():
    form = questionnaire(section("s", yes_no("s.lead"), yes_partly_no("s.review")), duties=(Duty.S175,))
    last = score_many(
        form,
        long_frame({1: answers({"s.lead": "yes", "s.review": "yes"})}, lists=False),
        {1: "s175"},
        with_questions=True,
    )
    this = score_many(
        form,
        long_frame({2: answers({"s.lead": "yes", "s.review": "partly"})}, lists=False),
        {2: "s175"},
        with_questions=True,
    )
    registers = (
        pd.DataFrame({"return_id": [1], "organisation_id": [501]}),
        pd.DataFrame({"return_id": [2], "organisation_id": [501]}),
    )
    change = year_on_year(last.questions, this.questions, *registers, on="question_id")
    # s.lead 1 -> 1; s.review 1 -> 0.5.
    assert change[["question_id", "score_change"]].to_dict("records") == [
        {"question_id": "s.lead", "score_change": 0.0},
        {"question_id": "s.review", "score_change": -0.5},
    ]
    assert "band_change" not in change.columns
