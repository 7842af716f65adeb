"""The statutory content shipped in questionnaires/: complete, cited and safe."""

import re
from pathlib import Path

import pytest

from scoring.definitions import load_questionnaire
from scoring.definitions.model import Duty, QuestionType

FOLDER = Path(__file__).resolve().parents[2] / "questionnaires"
SHIPPED = {q.id: q for q in (load_questionnaire(path) for path in sorted(FOLDER.glob("*.yaml")))}

# Asking for a child's name or other identifying detail would put personal data in an
# audit that boards publish from; the return is about arrangements, not individuals.
_CHILD = r"(child|children|pupil|learner|student|young person)"
NAMES_A_CHILD = re.compile(
    r"\b(give|enter|provide|record|list|state|write|tell us)\b[^.?]{0,40}"
    rf"((names?|initials|dates? of birth|address(es)?)\s+of\s+(the|a|an|any|each)?\s*{_CHILD}"
    rf"|{_CHILD}'?s'?\s+(names?|initials|dates? of birth|address))",
    re.IGNORECASE,
)


def test_the_four_questionnaires_are_shipped():
    assert set(SHIPPED) == {
        "s11-8-standards",
        "s11-working-together-2023",
        "s175-s157-schools",
        "fe-colleges",
    }


@pytest.mark.parametrize(
    ("questionnaire_id", "low", "high"),
    [
        ("s11-8-standards", 40, 60),
        ("s11-working-together-2023", 30, 55),
        ("s175-s157-schools", 70, 100),
        ("fe-colleges", 55, 95),
    ],
)
def test_each_questionnaire_has_the_expected_number_of_questions(questionnaire_id, low, high):
    assert low <= len(SHIPPED[questionnaire_id].questions()) <= high


@pytest.mark.parametrize("questionnaire", SHIPPED.values(), ids=list(SHIPPED))
def test_every_scored_question_cites_its_statutory_source(questionnaire):
    uncited = [q.id for q in questionnaire.questions() if q.scored and not q.references]
    assert uncited == []


@pytest.mark.parametrize("questionnaire", SHIPPED.values(), ids=list(SHIPPED))
def test_every_question_cites_a_source_or_sits_in_a_section_that_does(questionnaire):
    # Setting details and data questions are unrated but still asked under a statutory
    # duty; auditors read the reference beside each question to see which one.
    uncited = [
        question.id
        for section in questionnaire.sections
        if not section.references
        for question in section.questions
        if not question.references
    ]
    assert not uncited, f"{questionnaire.id}: no statutory source for {', '.join(uncited)}"


@pytest.mark.parametrize("questionnaire", SHIPPED.values(), ids=list(SHIPPED))
def test_no_question_asks_for_an_individual_child(questionnaire):
    offending = [
        q.id
        for q in questionnaire.questions()
        if NAMES_A_CHILD.search(q.text) or NAMES_A_CHILD.search(q.hint)
    ]
    assert offending == []


def test_the_child_name_check_would_catch_such_a_question():
    assert NAMES_A_CHILD.search("Give the name of the child referred to the LADO")
    assert NAMES_A_CHILD.search("Please record each pupil's initials and year group")
    assert not NAMES_A_CHILD.search("Name the designated safeguarding lead")
    assert not NAMES_A_CHILD.search(
        "Do you tell the LA when a pupil's name is to be deleted from the register?"
    )


STAFF_ROLE = re.compile(
    r"lead|teacher|governor|trustee|head|principal|officer|manager|practitioner|chair|executive|deputy", re.I
)


@pytest.mark.parametrize("questionnaire", SHIPPED.values(), ids=list(SHIPPED))
def test_person_questions_name_a_staff_role_holder(questionnaire):
    not_staff = [
        q.id
        for q in questionnaire.questions()
        if q.type is QuestionType.PERSON and not STAFF_ROLE.search(q.text)
    ]
    assert not_staff == []


@pytest.mark.parametrize("questionnaire", SHIPPED.values(), ids=list(SHIPPED))
def test_every_scored_standard_asks_for_a_self_rating(questionnaire):
    missing = [s.id for s in questionnaire.sections if s.scored and s.self_rating_question is None]
    assert missing == []


def test_section_11_covers_the_eight_standards_and_key_sub_items():
    s11 = SHIPPED["s11-8-standards"]
    scored = [s for s in s11.sections if s.scored]
    assert len(scored) == 8
    text = " ".join(q.text.lower() for q in s11.questions())
    for topic in ("supervision", "allegation", "whistleblowing", "escalat", "dbs", "lado"):
        assert topic in text, topic


def test_schools_questionnaire_tells_maintained_schools_from_academies():
    schools = SHIPPED["s175-s157-schools"]
    only_s175 = [q.id for q in schools.questions() if q.applies_to == (Duty.S175,)]
    only_s157 = [q.id for q in schools.questions() if q.applies_to == (Duty.S157,)]
    assert only_s175 and only_s157
    assert len([q for q in schools.questions() if q.applies(Duty.S175)]) != len(
        [q for q in schools.questions() if q.applies(Duty.S157)]
    )


def test_fe_questionnaire_adds_placements_subcontracting_adults_and_prevent():
    fe = SHIPPED["fe-colleges"]
    section_ids = {s.id for s in fe.sections}
    assert {"placements", "subcontracting", "adult-learners", "prevent"} <= section_ids


def test_key_roles_are_asked_as_people_with_training_dates():
    schools = SHIPPED["s175-s157-schools"]
    people = [q for q in schools.questions() if q.type is QuestionType.PERSON]
    assert len(people) >= 4
