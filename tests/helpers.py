"""Helpers the tests share (fixtures stay in conftest.py files)."""

from __future__ import annotations

from datetime import date

from webapp.warnings.writer import command_for_code
from workflows.commands import Command
from workflows.guards import ToleranceOutcome

_DATE_FIELDS = frozenset(
    {"done_on", "decided_on", "referred_on", "clarified_on", "rectification_due", "new_deadline"}
)


def command(event: str, **data) -> Command:
    """Build a workflow command from loose test values (ISO date strings, outcome codes)."""
    values = {}
    for key, value in data.items():
        if key in _DATE_FIELDS and isinstance(value, str):
            value = date.fromisoformat(value) if value else None
        elif key == "outcome" and isinstance(value, str):
            value = ToleranceOutcome(value) if value else None
        elif key in ("talk_id", "inquiry_id", "influence_months") and value in ("", 0):
            value = None
        values[key] = value
    return command_for_code(event, **values)
