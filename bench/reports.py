"""Benchmark: feedback PDFs by the hundred and the board summary of a large cycle.

    python bench/reports.py                   # 600 organisations
    python bench/reports.py --organisations 100 --runs 1

Generates a synthetic cycle of schools and colleges (12 sections, 10 scored questions
each, ratings spread green / amber / red) and a synthetic set of agencies, then prints:

1. school feedback PDFs per second, and agency feedback letters (each with its chart)
   per second, built one after another as a background job would;
2. the time to build the board summary PDF of the whole cycle (a heat map of every
   organisation against every section), best and median of several runs;
3. a baseline measured in the same run: a one-page PDF with one paragraph and the same
   page furniture, so the figures above can be read as a ratio to it;
4. peak memory: traced allocations (tracemalloc) while building, in a separate pass,
   since tracing slows Python down; and the process's peak resident size.

It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import reportlab

# Run as a script, Python puts bench/ first on the path: put the project root there.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from reports.board_summary import build_board_summary_pdf  # noqa: E402
from reports.data import (  # noqa: E402
    ActionLine,
    ActionTally,
    Addressee,
    BoardSummary,
    CycleRef,
    FeedbackLetter,
    OrganisationRef,
    OrganisationReturn,
    PartnershipRef,
    PeerComparison,
    QuestionOutcome,
    RatingRef,
    SchoolFeedback,
    SectionFeedback,
    Signatory,
    StandardRef,
    StandardResult,
)
from reports.feedback_letter import build_feedback_letter  # noqa: E402
from reports.layout import build_pdf, para  # noqa: E402
from reports.school_feedback import build_school_feedback  # noqa: E402

RAG = (
    RatingRef("green", "Green", "green"),
    RatingRef("amber", "Amber", "amber"),
    RatingRef("red", "Red", "red"),
)
PARTNERSHIP = PartnershipRef(
    "Demoshire Safeguarding Children Partnership", ("County Hall", "Demoton DM1 1AA")
)
CYCLE = CycleRef("Schools and colleges safeguarding audit 2025-26", date(2026, 3, 13), date(2026, 4, 24))
S11_CYCLE = CycleRef("Section 11 audit 2025-26", date(2026, 1, 30), date(2026, 2, 27))
SECTIONS = tuple(
    StandardRef(f"sec{number}", title)
    for number, title in enumerate(
        (
            "Safeguarding culture",
            "Child protection policy",
            "Designated safeguarding lead",
            "Staff training",
            "Governance",
            "Safer recruitment and the single central record",
            "Allegations against staff and low-level concerns",
            "Online safety, filtering and monitoring",
            "Child-on-child abuse",
            "Children absent or missing from education",
            "Vulnerable groups",
            "Records and transfer",
        ),
        start=1,
    )
)
STANDARDS = tuple(
    StandardRef(f"s{number}", title)
    for number, title in enumerate(
        (
            "Senior management commitment to safeguarding",
            "Statement of responsibilities towards children",
            "Clear line of accountability",
            "Service development informed by children and families",
            "Safeguarding training",
            "Safer recruitment",
            "Effective inter-agency working",
            "Information sharing",
        ),
        start=1,
    )
)
PHASES = ("Primary", "Secondary", "Special", "Independent", "Further education")
NAME_STARTS = (
    "St Mary’s",
    "Sacré Cœur",
    "Ætheling",
    "Abbey Fields",
    "Brook Lane",
    "Holy Trinity",
    "Oakfield",
    "Riverside",
)
NAME_ENDS = {
    "Primary": "Primary School",
    "Secondary": "Academy",
    "Special": "Special School",
    "Independent": "School",
    "Further education": "College",
}


def pick_rating(rng: random.Random) -> RatingRef:
    return rng.choices(RAG, weights=(70, 22, 8))[0]


def make_schools(count: int, rng: random.Random) -> list[OrganisationReturn]:
    returns = []
    for number in range(count):
        phase = PHASES[number % len(PHASES)]
        organisation = OrganisationRef(
            f"{NAME_STARTS[number % len(NAME_STARTS)]} {NAME_ENDS[phase]} ({number + 1})",
            "college" if phase == "Further education" else "school",
            phase,
            str(100000 + number),
        )
        # About one in ten sends nothing; a few send between the deadlines.
        roll = rng.random()
        submitted_on = None if roll < 0.1 else CYCLE.initial_deadline - timedelta(days=rng.randint(-20, 30))
        results = ()
        overall = None
        if submitted_on is not None:
            results = tuple(
                StandardResult(
                    section.section_id, section.title, scored_rating=pick_rating(rng), score=rng.random()
                )
                for section in SECTIONS
            )
            worst = max(RAG.index(result.final_rating) for result in results)
            overall = RAG[min(worst, 1)] if worst < 2 else RAG[2]
        status = "accepted" if submitted_on else "in_progress"
        returns.append(OrganisationReturn(organisation, status, submitted_on, overall, results))
    return returns


def school_feedback(ret: OrganisationReturn, rng: random.Random) -> SchoolFeedback:
    sections = tuple(
        SectionFeedback(
            result.section_id,
            result.title,
            result.final_rating,
            PeerComparison(rng.randint(10, 80), rng.randint(2, 30), rng.randint(0, 10)),
        )
        for result in ret.standards
    )
    questions = tuple(
        QuestionOutcome(
            section.title,
            f"{section.section_id}.q{number}",
            f"Question {number} of {section.title.lower()}: is the arrangement in place and reviewed?",
            rng.choice(("Yes", "Partly", "No")),
            rng.choice((1.0, 1.0, 1.0, 0.5, 0.0)),
        )
        for section in SECTIONS
        for number in range(1, 11)
    )
    return SchoolFeedback(
        PARTNERSHIP, ret.organisation, CYCLE, date(2026, 3, 20), date(2026, 3, 21), ret.overall, sections, questions,
        f"{ret.organisation.sector.lower()} settings in the partnership",
    )  # fmt: skip


def agency_letter(number: int, rng: random.Random) -> FeedbackLetter:
    standards = tuple(
        StandardResult(
            standard.section_id,
            standard.title,
            self_rating=pick_rating(rng),
            scored_rating=pick_rating(rng),
            moderated_rating=pick_rating(rng) if rng.random() < 0.2 else None,
        )
        for standard in STANDARDS
    )
    actions = tuple(
        ActionLine(
            STANDARDS[index].title,
            f"Agreed action {index + 1} for the standard",
            "Safeguarding lead",
            date(2026, 9, 30),
        )
        for index in range(rng.randint(1, 4))
    )
    return FeedbackLetter(
        PARTNERSHIP,
        OrganisationRef(f"{NAME_STARTS[number % len(NAME_STARTS)]} Agency {number + 1}", "agency", "Health"),
        S11_CYCLE,
        date(2026, 6, 12),
        Addressee("Zoë Ætheling", "Chief Executive", ("1 Sacré Cœur Lane", "Demoton DM2 2BB")),
        RAG,
        standards,
        ("Training uptake is high across front-line teams.", "Supervision is regular and recorded."),
        ("Record DBS renewal dates for volunteers.",),
        actions,
        Signatory("Dr Amara Okonkwo", "Independent Chair and Scrutineer"),
        date(2026, 5, 14),
    )


def board_summary(returns: list[OrganisationReturn]) -> BoardSummary:
    return BoardSummary(
        PARTNERSHIP,
        CYCLE,
        date(2026, 6, 30),
        SECTIONS,
        tuple(returns),
        themes=("Filtering and monitoring reviews are often overdue.", "Governor training is uneven."),
        actions=(ActionTally("All settings", 120, 80, 310, 25),),
        previous_cycle="Schools and colleges safeguarding audit 2024-25",
        previous_pct_green={section.section_id: 60.0 + number for number, section in enumerate(SECTIONS)},
    )


def per_second(count: int, build) -> tuple[float, float, int]:
    """PDFs per second of wall-clock time and of this process's CPU time, and total bytes.

    On a shared machine the wall-clock rate falls when other work takes the CPUs; the
    CPU-time rate is what the code itself costs.
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    size = sum(len(build(index)) for index in range(count))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return count / wall, count / cpu, size


def timed(runs: int, action) -> list[tuple[float, float]]:
    """Wall-clock and CPU seconds of each run."""
    times = []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        action()
        times.append((time.perf_counter() - started, time.process_time() - cpu_started))
    return times


def traced_peak(action) -> float:
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--organisations", type=int, default=600)
    parser.add_argument("--runs", type=int, default=3, help="board summary builds to time")
    arguments = parser.parse_args()
    count = arguments.organisations
    rng = random.Random(2026)
    schools = make_schools(count, rng)
    returned = [ret for ret in schools if ret.submitted]
    feedback = [school_feedback(ret, rng) for ret in returned]
    letters = [agency_letter(number, rng) for number in range(count)]
    summary = board_summary(schools)

    print(f"Python {platform.python_version()}, reportlab {reportlab.Version}")
    print(f"CPU: {cpu_model()}, {len(os.sched_getaffinity(0))} CPUs available")
    print(
        f"Cycle: {count} schools and colleges ({len(returned)} returned), 12 sections; {count} agencies, 8 standards"
    )

    baseline_rate, baseline_cpu_rate, _ = per_second(
        200, lambda _: build_pdf([para("One paragraph.")], partnership=PARTNERSHIP.name, title="Baseline")
    )
    print(
        f"Baseline, one-page PDF with one paragraph: {baseline_rate:.0f} PDFs/s "
        f"({1000 / baseline_rate:.1f} ms each; CPU {1000 / baseline_cpu_rate:.1f} ms)"
    )

    def report(label: str, count: int, rate: float, cpu_rate: float, size: int) -> None:
        print(
            f"{label}: {count} PDFs at {rate:.1f} PDFs/s ({1000 / rate:.1f} ms each; CPU {1000 / cpu_rate:.1f} ms, "
            f"{cpu_rate:.0f}/s), {size / count / 1024:.0f} KiB each; {baseline_rate / rate:.1f}x the baseline's "
            f"time (CPU {baseline_cpu_rate / cpu_rate:.1f}x)"
        )

    rate, cpu_rate, size = per_second(len(feedback), lambda index: build_school_feedback(feedback[index]))
    report("School feedback", len(feedback), rate, cpu_rate, size)
    rate, cpu_rate, size = per_second(len(letters), lambda index: build_feedback_letter(letters[index]))
    report("Agency feedback letters with chart", len(letters), rate, cpu_rate, size)

    times = timed(arguments.runs, lambda: build_board_summary_pdf(summary))
    walls = [wall for wall, _ in times]
    cpus = [cpu for _, cpu in times]
    board = build_board_summary_pdf(summary)
    pages = board.count(b"/Type /Page\n")
    print(
        f"Board summary, {count} organisations x 12 sections ({pages} pages, {len(board) / 1024:.0f} KiB): "
        f"best {min(walls):.2f} s, median {statistics.median(walls):.2f} s of {len(times)} runs "
        f"(CPU best {min(cpus):.2f} s); {min(walls) * baseline_rate:.0f}x the baseline's time "
        f"(CPU {min(cpus) * baseline_cpu_rate:.0f}x)"
    )

    letters_peak = traced_peak(lambda: [build_feedback_letter(letter) for letter in letters[:50]])
    board_peak = traced_peak(lambda: build_board_summary_pdf(summary))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak traced memory, 50 letters one after another: {letters_peak:.1f} MiB")
    print(f"Peak traced memory, board summary: {board_peak:.0f} MiB")
    print(f"Process peak resident size (everything above): {rss:.0f} MiB")


if __name__ == "__main__":
    main()
