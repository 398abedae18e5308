"""Refusals of the warnings area: a code (which guard or check), its message, and the field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.i18n import translate
from workflows.text import Listing, Text
from workflows.transitions import GuardError, TransitionError

# Which form field a refused guard or input check belongs next to.
FIELD_OF = {
    "basis_or_reason": "reason",
    "reason_given": "reason",
    "action_recorded": "content",
    "report_attached": "report",
    "review_opinion_given": "opinion",
    "new_deadline_set": "new_deadline",
    "clarification_recorded": "method",
    "untrue_or_judgement": "reason",
    "tolerance_decided": "outcome",
    "reduction_possible": "outcome",
    "referral_recorded": "receiving_organ",
    "committee_decision_if_needed": "document_number",
}


class WorkflowError(Exception):
    """A refused create or event; nothing was written.

    `code` names the refusal (a guard name or an input check), `text` is the untranslated
    message (`message` renders it in the UI's language), and `field` says which form field it
    belongs next to, if any.
    """

    def __init__(self, message: object, *, code: str = "", field: str | None = None) -> None:
        if isinstance(message, TransitionError):
            failed = getattr(message, "failed", ())
            code = code or (failed[0] if failed else type(message).__name__)
            if field is None and isinstance(message, GuardError) and len(failed) == 1:
                field = FIELD_OF.get(failed[0])
            message = message.args[0]
        # Kept untranslated: whoever shows the refusal renders it in their own language.
        self.text = message
        self.code = code
        self.field = field
        super().__init__(str(message))

    @property
    def message(self) -> str:
        """Return the refusal in the current UI language."""
        if isinstance(self.text, Text | Listing):
            return translate(self.text)
        return str(self.text)


class WarningForbidden(WorkflowError):
    """The actor's role may not do this (the route answers 403)."""


class WarningConflict(WorkflowError):
    """Someone else changed the warning first (optimistic locking)."""


CONFLICT_MESSAGE = _l(
    "该预警事项刚刚已被他人处理，本次操作未保存。请查看最新状态后再决定是否继续。"
)


def conflict() -> WarningConflict:
    """Return the conflict refusal every concurrent action gets."""
    return WarningConflict(CONFLICT_MESSAGE, code="conflict")
