"""Benchmark: batch scoring of a synthetic national cycle against a per-answer loop.

    python bench/scoring.py               # 25,000 returns x about 120 answers
    python bench/scoring.py --returns 2000

Builds a synthetic questionnaire (8 standards, 120 questions of mixed types, with
show_if, "not applicable", critical questions, weights and duty-specific questions),
generates answers for every return, then prints:

1. the time :func:`scoring.score_many` takes in memory, and the time of a
   straightforward loop (read each answer row into an ``Answer``, then
   :func:`scoring.score_return` per return) on the same data, timed on a subset
   when it is slow and scaled to the full cycle, with the ratio;
2. peak memory: traced allocations while batch scoring (tracemalloc), and the
   process's peak resident size.

It checks that both paths agree on the subset, and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

# Run as a script, Python puts bench/ first on the path, where this file would shadow
# the scoring package it measures: put the project root there instead.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from scoring import Answer, score_many, score_return  # noqa: E402
from scoring.definitions.model import (  # noqa: E402
    Condition,
    Duty,
    Option,
    Question,
    Questionnaire,
    QuestionType,
    Rating,
    Scale,
    Section,
    ShowIf,
)

DUTIES = (Duty.S175, Duty.S157, Duty.FE)
SCALE = Scale(
    name="RAG",
    ratings=(
        Rating("green", "Green", "Fully meets", 0.85, "green"),
        Rating("amber", "Amber", "Partly meets", 0.5, "amber"),
        Rating("red", "Red", "Does not meet", 0.0, "red"),
    ),
    points_min=0,
    points_max=4,
)
YES_NO = (Option("yes", "Yes", 4), Option("no", "No", 0, fails=True))
YES_PARTLY_NO = (
    Option("yes", "Yes", 4),
    Option("partly", "Partly", 2),
    Option("no", "No", 0, fails=True),
)
FOUR_LEVELS = tuple(Option(f"level-{n}", f"Level {n}", n, fails=n == 0) for n in range(4))
FOUR_PARTS = tuple(Option(f"part-{n}", f"Part {n}", 1.5) for n in range(4))


def build_questionnaire() -> Questionnaire:
    """8 standards x 15 questions: every section has a self rating, an unscored text
    question, a question shown only when the first is answered yes, questions that
    allow "not applicable", a critical question, FE-only questions and uneven weights;
    one standard applies to academies and colleges only."""
    sections = []
    for s in range(8):
        questions = []
        for n in range(15):
            qid = f"s{s}.q{n:02d}"
            fields: dict = {"weight": 1.0 + (n % 3) / 2, "na_allowed": n % 4 == 3}
            if n == 0:
                kind, options = QuestionType.YES_NO, YES_NO
                fields["critical"] = True
            elif n == 14:
                questions.append(Question(qid, qid, QuestionType.SELF_RATING))
                continue
            elif n == 13:
                questions.append(Question(qid, qid, QuestionType.TEXT, required=False))
                continue
            elif n % 5 == 1:
                kind, options = QuestionType.MULTIPLE_CHOICE, FOUR_PARTS
            elif n % 5 == 2:
                kind, options = QuestionType.SINGLE_CHOICE, FOUR_LEVELS
            elif n % 2:
                kind, options = QuestionType.YES_PARTLY_NO, YES_PARTLY_NO
            else:
                kind, options = QuestionType.YES_NO, YES_NO
            if n in (4, 5):
                condition = Condition(f"s{s}.q00", ("yes",))
                fields["show_if"] = ShowIf("all", (condition,))
            if n == 6:
                conditions = (
                    Condition(f"s{s}.q01", ("part-0",)),
                    Condition(f"s{s}.q02", ("level-3",)),
                )
                fields["show_if"] = ShowIf("any", conditions)
            if n == 12:
                fields["applies_to"] = (Duty.FE,)
            questions.append(Question(qid, qid, kind, options=options, **fields))
        applies_to = (Duty.S157, Duty.FE) if s == 7 else ()
        sections.append(
            Section(
                f"s{s}",
                f"Standard {s}",
                questions=tuple(questions),
                weight=1.0 + s % 2,
                applies_to=applies_to,
            )
        )
    return Questionnaire(
        id="bench-standards",
        version="1",
        title="Benchmark",
        legal_basis="Education Act 2002, sections 175 and 157",
        duties=DUTIES,
        scale=SCALE,
        sections=tuple(sections),
    )


def generate_answers(questionnaire: Questionnaire, returns: int, seed: int = 2025):
    """A long answer frame (one row per answer, one per chosen option for multiple
    choice) and each return's duty. About 2% of questions are left blank and 6% of
    those that allow it answered "not applicable"; hidden questions are answered too,
    as a respondent who changed an earlier answer leaves them."""
    rng = np.random.default_rng(seed)
    return_ids = np.arange(1, returns + 1, dtype=np.int64)
    frames = []
    for question in questionnaire.questions():
        answered = rng.random(returns) >= 0.02
        na = (question.na_allowed & (rng.random(returns) < 0.06))[answered]
        rows = return_ids[answered]
        if question.type is QuestionType.TEXT:
            values = np.full(len(rows), "Our policy is reviewed each year.", dtype=object)
        elif question.type is QuestionType.SELF_RATING:
            values = np.array([r.id for r in SCALE.ratings], dtype=object)[rng.integers(0, 3, len(rows))]
        elif question.type is QuestionType.MULTIPLE_CHOICE:
            picks = rng.random((len(rows), len(question.options))) < 0.45
            picks[~picks.any(axis=1), 0] = True
            which, option = np.nonzero(picks)
            values = np.array([o.value for o in question.options], dtype=object)[option]
            rows = rows[which]
            na = np.zeros(len(rows), dtype=bool)
        else:
            # Better answers are likelier, as in real returns.
            weights = np.linspace(1, 3, len(question.options))[::-1]
            weights /= weights.sum()
            values = np.array([o.value for o in question.options], dtype=object)[
                rng.choice(len(question.options), size=len(rows), p=weights)
            ]
        values = np.where(na, None, values)
        frames.append(
            pd.DataFrame(
                {
                    "return_id": rows,
                    "question_id": question.id,
                    "value": pd.Series(values, dtype=object),
                    "na": na,
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    # Stored answers come back in no useful order.
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    frame["question_id"] = frame["question_id"].astype(object)
    duties = pd.Series(
        np.array([duty.value for duty in DUTIES], dtype=object)[
            rng.choice(3, size=returns, p=[0.5, 0.4, 0.1])
        ],
        index=return_ids,
    )
    return frame, duties


def per_answer_loop(questionnaire: Questionnaire, frame: pd.DataFrame, duties: pd.Series):
    """The straightforward way: every answer row into an Answer, then score each
    return on its own."""
    grouped: dict[int, dict[str, Answer]] = {return_id: {} for return_id in duties.index}
    for return_id, question_id, value, na in zip(
        frame["return_id"], frame["question_id"], frame["value"], frame["na"], strict=True
    ):
        answers = grouped[return_id]
        if na:
            answers[question_id] = Answer(question_id, na_reason="Not applicable to us")
        elif question_id in answers:  # another option of a multiple-choice answer
            previous = answers[question_id].value
            answers[question_id] = Answer(question_id, [*previous, value])
        elif questionnaire.question(question_id).type is QuestionType.MULTIPLE_CHOICE:
            answers[question_id] = Answer(question_id, [value])
        else:
            answers[question_id] = Answer(question_id, value)
    return {
        return_id: score_return(questionnaire, answers.values(), duties[return_id])
        for return_id, answers in grouped.items()
    }


def timed(runs: int, action):
    """Best and median wall-clock time of ``runs`` runs, and the last result."""
    timings = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - start)
    return min(timings), statistics.median(timings), result


def check_agreement(batch, loop) -> None:
    standards = batch.standards
    for row in standards.itertuples(index=False):
        scored = loop[row.return_id].standard(row.section_id)
        rating = None if pd.isna(row.rating) else row.rating
        score = None if np.isnan(row.score) else row.score
        if (scored.rating, scored.score, scored.status.value) != (rating, score, row.status):
            raise SystemExit(f"batch and loop disagree on {row.return_id} {row.section_id}")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=25_000)
    parser.add_argument(
        "--loop-returns",
        type=int,
        default=1_000,
        help="time the per-answer loop on this many returns and scale (default 1,000)",
    )
    parser.add_argument("--runs", type=int, default=3, help="batch runs; the best counts")
    options = parser.parse_args()

    questionnaire = build_questionnaire()
    frame, duties = generate_answers(questionnaire, options.returns)
    answered = len(frame[["return_id", "question_id"]].drop_duplicates())
    print(f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}")
    print(f"CPU: {cpu_model()}, {len(os.sched_getaffinity(0))} CPUs available")
    print(
        f"Cycle: {options.returns:,} returns, {len(questionnaire.questions())} questions in "
        f"{len(questionnaire.sections)} standards; {answered:,} answers "
        f"({answered / options.returns:.0f} per return) in {len(frame):,} rows "
        "(a row per chosen option of a multiple-choice answer)"
    )

    batch_time, batch_median, _ = timed(options.runs, lambda: score_many(questionnaire, frame, duties))
    print(
        f"Batch scoring (score_many) of the cycle: best {batch_time:.3f} s, "
        f"median {batch_median:.3f} s of {options.runs} runs"
    )

    subset_size = min(options.loop_returns, options.returns)
    subset_ids = duties.index[:subset_size]
    subset = frame[frame["return_id"].isin(subset_ids)]
    subset_duties = duties.loc[subset_ids]
    loop_time, _, loop = timed(options.runs, lambda: per_answer_loop(questionnaire, subset, subset_duties))
    subset_batch_time, _, subset_batch = timed(
        options.runs, lambda: score_many(questionnaire, subset, subset_duties)
    )
    check_agreement(subset_batch, loop)
    scaled = loop_time * options.returns / subset_size
    scaled_note = "" if subset_size == options.returns else f", scaled x{options.returns / subset_size:.3g}"
    print(
        f"Per-answer loop on {subset_size:,} returns, best of {options.runs}: {loop_time:.3f} s"
        f"{scaled_note} -> {scaled:.1f} s for the cycle"
    )
    print(f"Batch on the same {subset_size:,} returns: {subset_batch_time:.3f} s (results agree)")
    print(f"Ratio, loop / batch, whole cycle (best against best): {scaled / batch_time:.0f}x")

    tracemalloc.start()
    score_many(questionnaire, frame, duties)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    answers_size = frame.memory_usage(deep=True).sum()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak traced memory while batch scoring: {peak / 2**20:.0f} MiB")
    print(f"Answer frame in memory (deep): {answers_size / 2**20:.0f} MiB")
    print(f"Process peak resident size (everything above): {rss:.0f} MiB")


if __name__ == "__main__":
    main()
