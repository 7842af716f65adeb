"""A hand-made copy of a return for the return-copy tests, saying only what a test needs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from reports.return_copy import AnswerLine, ReturnCopy, SectionCopy, SignOffLine

LONG_ANSWER = (
    "Every member of staff completes the partnership's safeguarding induction before starting work with "
    "children, and a refresher each September. The designated safeguarding lead keeps the training record, "
    "checks it each half term and reports gaps to governors. Supply staff are briefed on arrival. "
) * 3


def answer(question_id: str, text: str, value: str = "Yes", **details) -> AnswerLine:
    return AnswerLine(question_id=question_id, text=text, answer=value, **details)


def sample_copy(questions_per_section: int | None = None, **changes) -> ReturnCopy:
    """A school's submitted return with three standards; ``questions_per_section`` pads each one to that many."""
    standards = [
        SectionCopy(
            title="Standard 1: Senior management commitment",
            self_rating="Green",
            questions=[
                answer(
                    "1.1",
                    "Is there a named senior lead for safeguarding?",
                    "Yes",
                    evidence=["Job description – DSL.pdf"],
                ),
                answer(
                    "1.2",
                    "When was the child protection policy last reviewed by governors?",
                    "12 March 2026",
                    references=["KCSIE 2025 paragraph 103"],
                ),
                answer(
                    "1.3",
                    "Who is the designated teacher for looked-after children?",
                    "Sam Okafor, trained 3 February 2025",
                ),
            ],
        ),
        SectionCopy(
            title="Standard 5: Safeguarding training",
            self_rating="Amber",
            questions=[
                answer("5.1", "How do staff receive safeguarding training at induction?", LONG_ANSWER),
                answer(
                    "5.2",
                    "Do apprentices on work placements receive safeguarding training?",
                    "Not applicable",
                    not_applicable_reason="The school has no apprentices or work placements",
                ),
                answer(
                    "5.3",
                    "Are training records kept for every member of staff?",
                    "Partly",
                    evidence=[
                        "Training matrix 2025-26.xlsx",
                        "Link: staff training log on the trust intranet",
                    ],
                ),
            ],
        ),
        SectionCopy(
            title="Standard 8: Information sharing",
            self_rating=None,
            questions=[
                answer("8.1", "Are child protection files moved within 5 school days of a pupil leaving?", "")
            ],
        ),
    ]
    if questions_per_section:
        standards = [_padded(section, questions_per_section) for section in standards]
    copy = ReturnCopy(
        partnership_name="Demoshire Safeguarding Children Partnership",
        organisation_name="St Mary’s Church of England Primary School",
        organisation_details=[
            ("URN", "100123"),
            ("Type", "Voluntary aided school"),
            ("Trust", "Œuvre Learning Trust"),
            ("Local authority", "Demoshire"),
        ],
        cycle_name="Schools and colleges audit 2025-26",
        questionnaire_title="Section 175 / 157 safeguarding audit",
        questionnaire_version="2025.1",
        reference="C001-00042",
        status="Submitted",
        submitted_at=datetime(2026, 3, 12, 14, 5, tzinfo=UTC),
        declaration=(
            "We confirm that this return is accurate to the best of our knowledge.\n\n"
            "We understand the partnership may ask to see the evidence it refers to."
        ),
        sign_offs=[
            SignOffLine("Head teacher", "Ætheling Price", "Head teacher", date(2026, 3, 10)),
            SignOffLine(
                "Designated safeguarding lead", "Zoë Sacré Cœur-Smith", "Deputy head", date(2026, 3, 11)
            ),
            SignOffLine("Chair of governors", "Priya Natarajan", "Chair", date(2026, 3, 12)),
        ],
        sections=standards,
    )
    return replace(copy, **changes)


def _padded(section: SectionCopy, questions: int) -> SectionCopy:
    """The section with made-up questions added until it has ``questions`` of them."""
    number = section.title.split()[1].rstrip(":")  # "Standard 5: …" → "5"
    extra = [
        answer(f"{number}.{i}", f"Padding question {i} about {section.title.lower()}", LONG_ANSWER[: 40 * i])
        for i in range(len(section.questions) + 1, questions + 1)
    ]
    return replace(section, questions=section.questions + extra)
