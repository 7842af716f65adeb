"""Automatic feedback to a school or college once its return is accepted.

A common complaint about s175 / s157 audits is that schools send a return and hear
nothing back. This report answers it: the school's rating for each section, the
answers that scored lowest (in words, as areas to develop) and how its ratings sit
among similar settings — as percentages of a group, never naming another school.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from reports.data import PeerComparison, QuestionOutcome, SchoolFeedback, SectionFeedback
from reports.layout import build_pdf, content_width, long_date, markup, para, text
from reports.tables import cell, data_table, details_table, rating_tint, rating_words

# Below this many similar settings the spread is not shown: in a group of two or three
# a school could work out how a named neighbour was rated.
SMALLEST_COMPARISON_GROUP = 5
# Enough areas to act on without burying the most important ones.
MOST_AREAS_TO_DEVELOP = 8


def build_school_feedback(feedback: SchoolFeedback) -> bytes:
    """The feedback as a PDF: ratings by section beside similar settings, the
    lowest-scoring answers as areas to develop, and what happens next."""
    width = content_width()
    school = feedback.organisation
    details = [("Setting", school.name)]
    if school.urn:
        details.append(("URN", school.urn))
    details += [
        ("Audit", feedback.cycle.name),
        ("Return accepted", long_date(feedback.accepted_on)),
        ("Feedback issued", long_date(feedback.issued_on)),
        ("Compared with", feedback.comparison_group),
        ("Overall rating", rating_words(feedback.overall)),
    ]
    story = [
        markup(f"Safeguarding audit feedback for {text(school.name)}", "title"),
        details_table(details, width),
        Spacer(1, 4 * mm),
        para(
            "Thank you for your return. The partnership sends this feedback once it has accepted a return. "
            "It shows how your answers rated section by section, which answers scored lowest and how your "
            f"ratings compare with {feedback.comparison_group}. Other settings are only counted, never named."
        ),
        markup("Your ratings by section", "h2"),
        para(
            "“Similar settings” gives the share of the comparison group rated green, amber and red for "
            f"each section, with the number of settings (n). Groups of fewer than {SMALLEST_COMPARISON_GROUP} "
            "are not shown, so that no setting can be identified.",
            "intro",
        ),
        _sections_table(feedback.sections, width),
        markup("Areas to develop", "h2"),
        *_areas_to_develop(feedback, width),
        markup("What happens next", "h2"),
        para(
            "Please add these areas to your own safeguarding action plan and share this feedback with your "
            "head teacher or principal and your safeguarding governor. If you think a rating does not reflect "
            "your return, contact the partnership's business unit"
            + (f" at {feedback.partnership.email}." if feedback.partnership.email else ".")
        ),
    ]
    return build_pdf(
        story,
        partnership=feedback.partnership.name,
        title="Safeguarding audit feedback",
        footer=f"{feedback.cycle.name} — {school.name}",
    )


def comparison_shares(similar: PeerComparison) -> tuple[int, int, int]:
    """Whole percentages green, amber and red that add up to exactly 100.

    Rounded by largest remainder: plain rounding can print 33% + 33% + 33%, which a
    careful reader rightly questions.
    """
    counts = (similar.green, similar.amber, similar.red)
    exact = [100 * count / similar.total for count in counts]
    floors = [int(value) for value in exact]
    by_remainder = sorted(range(3), key=lambda index: exact[index] - floors[index], reverse=True)
    for index in by_remainder[: 100 - sum(floors)]:
        floors[index] += 1
    return floors[0], floors[1], floors[2]


def comparison_words(similar: PeerComparison | None) -> str:
    """The spread among similar settings in words, e.g.
    "72% green, 20% amber, 8% red (n=25)"."""
    if similar is None or similar.total == 0:
        return "No similar settings yet"
    if similar.total < SMALLEST_COMPARISON_GROUP:
        return f"Fewer than {SMALLEST_COMPARISON_GROUP} similar settings: not shown"
    green, amber, red = comparison_shares(similar)
    return f"{green}% green, {amber}% amber, {red}% red (n={similar.total})"


def _sections_table(sections: tuple[SectionFeedback, ...], width: float):
    rows = []
    tints: list[tuple] = []
    for section in sections:
        row = len(rows) + 1
        words = rating_words(section.rating, section.not_applicable)
        rows.append([cell(section.title), cell(words, "cell_bold"), cell(comparison_words(section.similar))])
        tints += rating_tint(1, row, section.rating)
    header = ["Section", "Your rating", "Similar settings"]
    return data_table(header, rows, [width * 0.42, width * 0.18, width * 0.40], extra=tints)


def lowest_scoring(
    questions: tuple[QuestionOutcome, ...], limit: int = MOST_AREAS_TO_DEVELOP
) -> list[QuestionOutcome]:
    """The answers that fell short of full marks, lowest score first (questionnaire
    order among equals), at most ``limit`` of them."""
    short = [
        (question.score, order, question) for order, question in enumerate(questions) if question.score < 1
    ]
    short.sort(key=lambda item: (item[0], item[1]))
    return [question for _, _, question in short[:limit]]


def _areas_to_develop(feedback: SchoolFeedback, width: float) -> list:
    # Name the sections below green first, worst colour first, grouped by the scale's
    # own words, since a scale may have two bands of one colour.
    below_green: dict[str, list[str]] = {}
    worst_first = sorted(
        (section for section in feedback.sections if section.rating and section.rating.colour != "green"),
        key=lambda section: section.rating.colour != "red",
    )
    for section in worst_first:
        if not section.not_applicable:
            below_green.setdefault(section.rating.label, []).append(section.title)
    story = [para(f"Sections rated {label}: {'; '.join(titles)}.") for label, titles in below_green.items()]
    lowest = lowest_scoring(feedback.questions)
    if not lowest:
        story.append(para("Every scored answer in your return earned full marks."))
        return story
    story.append(
        para(
            "These answers scored lowest. Each is a place where the partnership would expect to see "
            "action before the next audit.",
            "intro",
        )
    )
    rows = [[cell(item.section_title), cell(item.question_text), cell(item.answer)] for item in lowest]
    story.append(
        data_table(["Section", "Question", "Your answer"], rows, [width * 0.25, width * 0.55, width * 0.20])
    )
    return story
