"""The warnings area's services, for pages, meetings, the scheduler, the API and tests.

Where each idea lives: `writer` (the one state writer, `apply_event`), `effects` (what each
event writes besides the state), `inputs` (checks of a command's own inputs and dates),
`creation` (opening a warning), `consequences` (an item found 失实, a clearing completed),
`scheduled` (overdue proposals, provisional deadlines), `due` (the obligations a warning owes,
reconciled by the writer), `facts` (facts for the pure rules),
`colours` (the cadre's status colour), `errors` (refusals). Commands are in `workflows.commands`.
"""

from webapp.warnings.colours import recompute_status_colour, refresh_status_colours
from webapp.warnings.consequences import (
    complete_clarification,
    on_item_found_untrue,
    on_verification_concluded,
)
from webapp.warnings.creation import NUMBER_PREFIX, create_warning
from webapp.warnings.errors import (
    CONFLICT_MESSAGE,
    WarningConflict,
    WarningForbidden,
    WorkflowError,
)
from webapp.warnings.facts import (
    cadre_items,
    current_due,
    overdue_workdays,
    snapshot_of,
    suggestion_for,
    warning_fact,
)
from webapp.warnings.owners import COMMITTEE_OWNER, RECTIFICATION_OWNER, attachment_owners
from webapp.warnings.scheduled import file_overdue_proposals, recompute_provisional_deadlines
from webapp.warnings.writer import apply_command, apply_event, may_perform

__all__ = [
    "COMMITTEE_OWNER",
    "CONFLICT_MESSAGE",
    "NUMBER_PREFIX",
    "RECTIFICATION_OWNER",
    "WarningConflict",
    "WarningForbidden",
    "WorkflowError",
    "apply_command",
    "apply_event",
    "attachment_owners",
    "cadre_items",
    "complete_clarification",
    "create_warning",
    "current_due",
    "file_overdue_proposals",
    "may_perform",
    "on_item_found_untrue",
    "on_verification_concluded",
    "overdue_workdays",
    "recompute_provisional_deadlines",
    "recompute_status_colour",
    "refresh_status_colours",
    "snapshot_of",
    "suggestion_for",
    "warning_fact",
]
