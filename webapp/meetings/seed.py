"""Seed the meeting-kind and decision dictionaries (idempotent; `flask seed-defaults` calls it)."""

from __future__ import annotations

from webapp.meetings.kinds import DECISION_DICT, DECISIONS, KIND_DICT, KINDS
from webapp.seed.reference import ensure_dict_type, ensure_item


def seed_meeting_kinds() -> None:
    """Create the 会商类型 and 会商决定 dictionaries and their missing items."""
    kinds = ensure_dict_type(KIND_DICT, "研判会商类型")
    for order, spec in enumerate(KINDS):
        ensure_item(kinds, order, spec.code, spec.label, extra={"young": spec.young})
    decisions = ensure_dict_type(DECISION_DICT, "研判会商决定")
    for order, (code, label, event, record) in enumerate(DECISIONS):
        extra = {"event": event.value if event else "", "record": record}
        ensure_item(decisions, order, code, label, extra=extra)
