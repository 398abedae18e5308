"""One event being applied: what the writer knows, handed to the event's effects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from webapp.models import User, Warning, WarningAction, WarningEvent
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


# Tier 2's measures after which the cadre owes a 书面检查, and the action kind that records it.
ADMONISHMENT_KINDS = frozenset({"admonishment_talk", "admonishment_letter"})
SELF_CRITICISM_KIND = "written_self_criticism"


def _actions_at_tier(warning: Warning) -> list[WarningAction]:
    # The relationship: an event's effect appends its action there (webapp/warnings/effects.py),
    # so the writer sees it, and a page that lists the actions reads them once.
    return [a for a in warning.actions if a.tier == int(warning.tier)]


def admonishment(warning: Warning) -> WarningAction | None:
    """Return the 诫勉谈话 or 诫勉书 that is the warning's action at its tier, if it is one."""
    return _admonishment_in(_actions_at_tier(warning))


def _admonishment_in(actions: list[WarningAction]) -> WarningAction | None:
    # Only the tier in force counts: an escalation or a 减责 leaves an admonishment behind.
    taken = [a for a in actions if a.kind != SELF_CRITICISM_KIND]
    return taken[-1] if taken and taken[-1].kind in ADMONISHMENT_KINDS else None


def unanswered_admonishment(warning: Warning) -> WarningAction | None:
    """Return the warning's 诫勉谈话 or 诫勉书 while no 书面检查 answers it yet."""
    actions = _actions_at_tier(warning)
    return None if _self_criticism_in(actions) else _admonishment_in(actions)


def _self_criticism_in(actions: list[WarningAction]) -> WarningAction | None:
    return next((a for a in actions if a.kind == SELF_CRITICISM_KIND), None)


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


def people_facts(warning: Warning, user: User | None) -> dict[str, bool]:
    """Return the context fields of the 不得自审 guards for this user and warning."""
    if user is None:
        return {}
    sender, approvers = chain_people(warning)
    return {
        "actor_is_proposer": warning.proposer_id == user.id,
        "actor_opened_chain": sender == user.id,
        "actor_approved_earlier_step": user.id in approvers,
    }


def standing_facts(warning: Warning, user: User | None) -> dict[str, bool]:
    """Return every context field the standing guards read from the warning's records and people.

    The 不得自审 facts (none for the system) and the 书面检查 a tier-2 admonishment calls for.
    """
    actions = _actions_at_tier(warning)
    return {
        "admonished": _admonishment_in(actions) is not None,
        "has_self_criticism": _self_criticism_in(actions) is not None,
        **people_facts(warning, user),
    }


def lapse_proposals(warning: Warning, status: str, now: datetime) -> None:
    """Close the warning's open escalation proposals with a status."""
    for proposal in warning.proposals:
        if proposal.status == "open":
            proposal.status = status
            proposal.closed_at = now
