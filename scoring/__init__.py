"""The scoring core: plain data in, plain data out (stdlib, numpy and pandas only).

One return
    :func:`score_return` scores an organisation's :class:`Answer` list (with its
    :class:`Evidence`) against a :class:`~scoring.definitions.model.Questionnaire` and
    returns a :class:`ReturnScore`, which serialises with ``to_dict`` / ``from_dict``.
    :func:`moderate` applies moderated ratings to a stored result;
    :func:`visible_question_ids` says which questions an organisation is shown.

Flags
    :func:`flags_for` lists the :class:`Flag` s on a return (codes in :class:`FlagCode`)
    from its :class:`ReturnContext` and :class:`ReturnScore`.

A whole cycle
    :func:`score_many` scores a long answer frame to :class:`BatchScores`, equal to
    :func:`score_return` return by return. :func:`rag_by_standard`, :func:`rag_change`,
    :func:`return_rates`, :func:`non_compliant`, :func:`non_returning`,
    :func:`year_on_year` and :func:`resolve_successors` roll the results up for the
    board.

The questionnaire model lives in :mod:`scoring.definitions.model`; loading files is
:mod:`scoring.definitions`' business and is deliberately not imported here.
"""

from scoring.answers import Answer, Evidence, EvidenceFile, InvalidAnswer
from scoring.batch import BatchScores, score_many
from scoring.engine import moderate, question_score, score_return, visible_question_ids
from scoring.flags import (
    FLAG_LABELS,
    ActionStatus,
    AgreedAction,
    Flag,
    FlagCode,
    ReturnContext,
    ReturnStatus,
    flags_for,
)
from scoring.results import (
    OverallScore,
    Progress,
    ReturnScore,
    StandardScore,
    StandardStatus,
    UnusableFile,
)
from scoring.rollup import (
    non_compliant,
    non_returning,
    rag_by_standard,
    rag_change,
    resolve_successors,
    return_rates,
    year_on_year,
)

__all__ = [
    "FLAG_LABELS",
    "ActionStatus",
    "AgreedAction",
    "Answer",
    "BatchScores",
    "Evidence",
    "EvidenceFile",
    "Flag",
    "FlagCode",
    "InvalidAnswer",
    "OverallScore",
    "Progress",
    "ReturnContext",
    "ReturnScore",
    "ReturnStatus",
    "StandardScore",
    "StandardStatus",
    "UnusableFile",
    "flags_for",
    "moderate",
    "non_compliant",
    "non_returning",
    "question_score",
    "rag_by_standard",
    "rag_change",
    "resolve_successors",
    "return_rates",
    "score_many",
    "score_return",
    "visible_question_ids",
    "year_on_year",
]
