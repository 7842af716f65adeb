"""The app's records as the report builders' plain data (``reports.data``): the one place
where returns, stored scores, actions and the audit trail become briefing packs, letters,
school feedback, the board summary and the workbook.

Ratings come from the score stored on each return (``Return.score``), which already
carries the reviewers' moderation: nothing here scores a return again, except to count
the answers of one never scored. Days are days in England.
"""

from .agreed import action_tallies, actions_for_return, cycle_actions, earlier_actions
from .common import (
    Rated,
    cycle_in_scope,
    cycle_returns,
    cycle_standards,
    job_in_scope,
    organisation_ref,
    partnership_and_cycle,
    previous_cycle,
    rated,
    reportable_cycles,
    return_in_partnership,
    sector_of,
    uk_day,
)
from .cycle import THEMES_LIMIT, audit_workbook, board_summary, board_themes, lines_of, save_board_themes
from .documents import (
    briefing_pack,
    every_school_feedback,
    feedback_letter,
    feedback_ready,
    school_feedback,
    schools_with_feedback,
    signatory_for,
)

__all__ = [
    "THEMES_LIMIT",
    "Rated",
    "action_tallies",
    "actions_for_return",
    "audit_workbook",
    "board_summary",
    "board_themes",
    "briefing_pack",
    "cycle_actions",
    "cycle_in_scope",
    "cycle_returns",
    "cycle_standards",
    "earlier_actions",
    "every_school_feedback",
    "feedback_letter",
    "feedback_ready",
    "job_in_scope",
    "lines_of",
    "organisation_ref",
    "partnership_and_cycle",
    "previous_cycle",
    "rated",
    "reportable_cycles",
    "return_in_partnership",
    "save_board_themes",
    "school_feedback",
    "schools_with_feedback",
    "sector_of",
    "signatory_for",
    "uk_day",
]
