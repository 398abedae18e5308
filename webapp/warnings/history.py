"""A warning's state on any date, rebuilt from its append-only history, and the cadre's colour.

Each WarningEvent keeps the state and tier after it, plus the workflow fields after it in
`payload["after"]`; folding the events in order gives the warning as it stood after any of
them. The colour rule lives here so that today's stored colour and a past date's rebuilt
colour come from the same function.

Decision where DESIGN is silent: a warning colours its cadre while it is issued and open
(已下达/整改中/待复核), at the tier last approved while an escalation awaits approval, and
after it is lifted or referred until its influence period (影响期) ends; a revoked warning
(失实、免责、撤回) never does. So a lifted tier-1 warning (no influence period) turns the
cadre green at once, a lifted tier-2 one six months after it was issued.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from webapp import clock
from webapp.models import WarningEvent
from workflows.states import ACTIVE_STATES, Event, State
from workflows.text import N_
from workflows.tiers import Tier

GREEN = "green"


class HistoryError(RuntimeError):
    """The history does not chain: an event starts from a state the previous one did not leave."""


@dataclass(frozen=True)
class Snapshot:
    """The workflow fields of a warning at one point of its history."""

    state: State
    tier: Tier
    approval_step: int | None = None
    paused: bool = False
    issued_tier: Tier | None = None
    influence_until: date | None = None


def in_force_tier(snap: Snapshot | None, day: date) -> Tier | None:
    """Return the tier with which a warning colours its cadre on `day`, or None."""
    if snap is None:
        return None
    if snap.state in ACTIVE_STATES:
        return snap.tier
    if snap.state in (State.PENDING_APPROVAL, State.DRAFT) and snap.issued_tier is not None:
        # An escalation awaiting approval (or sent back) leaves the tier already issued.
        return snap.issued_tier
    if (
        snap.state in (State.LIFTED, State.REFERRED)
        and snap.influence_until is not None
        and day <= snap.influence_until
    ):
        return snap.tier
    return None


def colour_of(tiers: Iterable[Tier | None]) -> str:
    """Return the status colour for the highest tier in force, green when none is."""
    top = max((t for t in tiers if t is not None), default=None)
    return top.colour if top is not None else GREEN


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _tier(value: int | None) -> Tier | None:
    return Tier(value) if value else None


def after_event(event: WarningEvent) -> Snapshot:
    """Return the warning as it stood right after one history row."""
    after = (event.payload or {}).get("after", {})
    return Snapshot(
        state=State(event.to_state),
        tier=Tier(event.to_tier),
        approval_step=after.get("approval_step"),
        paused=bool(after.get("paused")),
        issued_tier=_tier(after.get("issued_tier")),
        influence_until=_date(after.get("influence_until")),
    )


def replay(events: Sequence[WarningEvent]) -> Snapshot | None:
    """Fold a history in order; raise HistoryError where it does not chain."""
    current: Snapshot | None = None
    for event in sorted(events, key=lambda e: e.id):
        expected_from = current.state.value if current is not None else ""
        if event.from_state != expected_from or (
            current is not None and event.from_tier != int(current.tier)
        ):
            raise HistoryError(
                f"预警历史不连续：第 {event.id} 条记录自「{event.from_state}」开始，"
                f"上一状态为「{expected_from}」"
            )
        current = after_event(event)
    return current


def local_day(event: WarningEvent) -> date:
    """Return the organisation's calendar day on which an event happened."""
    return clock.to_org(event.at).date()


def snapshot_on(events: Sequence[WarningEvent], day: date) -> Snapshot | None:
    """Return the warning at the end of `day` (None if it did not exist yet)."""
    return replay([e for e in events if local_day(e) <= day])


# History rows that record something besides a workflow event (same state before and after).
RECORD_LABELS = {
    "create": N_("发起"),
    "clarification_completed": N_("补充澄清正名记录"),
    "deadline_recomputed": N_("节假日数据录入后重算期限"),
}


def event_label(row: WarningEvent) -> str:
    """Return the label of a history row as a message to translate (升级未获批准 for a refused escalation)."""
    details = (row.payload or {}).get("details", {})
    if row.event == Event.REJECT.value and details.get("escalation_rejected"):
        return N_("升级未获批准")
    if row.event in RECORD_LABELS:
        return RECORD_LABELS[row.event]
    return Event(row.event).label
