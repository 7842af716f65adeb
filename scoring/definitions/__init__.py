"""Questionnaire definitions: loading, checking, comparing and describing them.

Questionnaires are YAML files documented key by key in questionnaires/README.md.
They load into the frozen dataclasses of :mod:`scoring.definitions.model`; a
file with anything wrong raises :class:`QuestionnaireError` listing every
problem with its line and column. ``python -m scoring.definitions PATH...``
checks files from the command line.
"""

from scoring.definitions.checking import check_paths, check_report, expand_paths
from scoring.definitions.diff import Change, QuestionnaireDiff, diff_questionnaires, render_diff
from scoring.definitions.loader import content_hash, load_questionnaire, parse_questionnaire
from scoring.definitions.model import (
    Condition,
    Duty,
    EvidenceRule,
    Option,
    Question,
    Questionnaire,
    QuestionType,
    Rating,
    Scale,
    Section,
    ShowIf,
    SignOffRole,
)
from scoring.definitions.problems import Problem, QuestionnaireError
from scoring.definitions.schema import json_schema

__all__ = [
    "Change",
    "Condition",
    "Duty",
    "EvidenceRule",
    "Option",
    "Problem",
    "Question",
    "QuestionType",
    "Questionnaire",
    "QuestionnaireDiff",
    "QuestionnaireError",
    "Rating",
    "Scale",
    "Section",
    "ShowIf",
    "SignOffRole",
    "check_paths",
    "check_report",
    "content_hash",
    "diff_questionnaires",
    "expand_paths",
    "json_schema",
    "load_questionnaire",
    "parse_questionnaire",
    "render_diff",
]
