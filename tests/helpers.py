"""Helpers the tests share (fixtures stay in conftest.py files)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from webapp.models import Warning
from webapp.warnings import services
from webapp.warnings.writer import command_for_code
from workflows.commands import Command
from workflows.guards import ToleranceOutcome

SHANGHAI = ZoneInfo("Asia/Shanghai")

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


def act(warning: Warning, event: str, user, **data) -> Warning:
    """Apply an event through the service with the version the user would have seen."""
    return services.apply_event(warning.id, command(event, **data), user, warning.version)


def issue(world, tier: int = 1, cadre=None, items=(), reason: str = "经研判需预警") -> Warning:
    """Create a warning and take it through its whole approval chain."""
    cadre = cadre or world.cadre
    warning = services.create_warning(world.supervisor, cadre.id, tier, list(items), reason)
    act(warning, "submit", world.supervisor)
    approve_all(world, warning)
    return warning


def approve_all(world, warning: Warning) -> None:
    """Approve every remaining step of the chain, recording the committee's decision."""
    by_role = {
        "reviewer": world.reviewer,
        "approver": world.approver,
        "minister": world.minister,
        "committee": world.reviewer,
    }
    chain = {1: ["reviewer", "approver"], 2: ["reviewer", "approver", "minister"]}
    chain[3] = [*chain[2], "committee"]
    while warning.state == "pending_approval":
        role = chain[warning.tier][warning.approval_step]
        extra = {}
        if role == "committee":
            extra = {
                "document_number": "市委〔2026〕8号",
                "decided_on": "2026-03-09",
                "summary": "同意组织处理",
            }
        act(warning, "approve", by_role[role], comment="同意", **extra)
