"""One event being applied: what the writer knows, handed to the event's effects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from webapp.models import User, Warning, WarningEvent
from webapp.warnings.history import Snapshot
from workflows.calendar import WorkCalendar
from workflows.commands import Command
from workflows.states import Event, State
from workflows.transitions import Outcome


@dataclass
class Step:
    """Everything one event's side effects need."""

    warning: Warning
    command: Command
    actor: User | None
    outcome: Outcome
    before: Snapshot
    today: date
    now: datetime
    cal: WorkCalendar
    params: dict[str, str]
    details: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    @property
    def actor_id(self) -> int | None:
        """Return the acting user's id, or None for the system."""
        return self.actor.id if self.actor else None


def escalation_start(warning: Warning) -> WarningEvent | None:
    """Return the escalate event that opened the approval now pending, if it was one."""
    # Only a warning issued before can be escalating: a first submission needs no history read.
    if warning.state is not State.PENDING_APPROVAL or warning.issued_tier is None:
        return None
    entered = next(
        (e for e in reversed(warning.events) if e.to_state == State.PENDING_APPROVAL.value), None
    )
    return entered if entered is not None and entered.event == Event.ESCALATE.value else None


def chain_people(warning: Warning) -> tuple[int | None, frozenset[int]]:
    """Return who sent the pending approval chain and who approved its steps so far.

    The chain opens with the submit or escalate event that entered 待审批 (a 减责 that
    restarts it on a lower tier opens a new one, sent by nobody); a rejection ends it.
    """
    if warning.state is not State.PENDING_APPROVAL:
        return None, frozenset()
    approvers: set[int] = set()
    for e in reversed(warning.events):
        if e.event == Event.APPROVE.value:
            approvers.add(e.actor_id)
            continue
        if e.to_state == State.PENDING_APPROVAL.value and (
            e.from_state != State.PENDING_APPROVAL.value or e.from_tier != e.to_tier
        ):
            sender = e.actor_id if e.event in (Event.SUBMIT.value, Event.ESCALATE.value) else None
            return sender, frozenset(approvers - {None})
    return None, frozenset(approvers - {None})


def separation_facts(warning: Warning, user: User | None) -> dict[str, bool]:
    """Return the context fields of the 不得自审 guards for this user and warning."""
    if user is None:
        return {}
    sender, approvers = chain_people(warning)
    return {
        "actor_is_proposer": warning.proposer_id == user.id,
        "actor_opened_chain": sender == user.id,
        "actor_approved_earlier_step": user.id in approvers,
    }


def lapse_proposals(warning: Warning, status: str, now: datetime) -> None:
    """Close the warning's open escalation proposals with a status."""
    for proposal in warning.proposals:
        if proposal.status == "open":
            proposal.status = status
            proposal.closed_at = now
