"""The warning workflow as a declared table, and the one function that applies an event.

`TRANSITIONS` is DESIGN §5 written as data. `transition()` decides; it stores nothing. The web
app's single state-writing service calls it, then writes the warning row and its
`WarningEvent` history row from the returned `Outcome` in one transaction.

Decisions where DESIGN is silent:
- "any open" (clarify, tolerate) includes `draft`: a draft resting on untrue information is
  revoked with a clarification, like any other warning.
- 减责 lowers the tier by one and keeps the state; at tier 1 it is refused (use 免责). In
  `pending_approval` the lower tier's approval chain restarts at its first step.
- While the clock is paused only `resume`, `clarify`, `tolerate` and `refer` are allowed:
  each other event starts or stops a deadline, and the paused span must be closed first so
  deadlines move by exactly the paused time. Events that end the case clear the pause.
- A rejected escalation returns the warning to the state and tier it had before escalating
  (the writer restores its deadlines); a rejected first submission goes back to draft.
- 不予容错 is a recorded decision that changes neither state nor tier.
- 登记书面检查 records the cadre's written self-criticism that a tier-2 诫勉谈话 or 诫勉书
  calls for: a record that changes neither state nor tier, in 整改中 and 待复核 (the action
  exists from 整改中 on), once per admonishment, by whoever submits the rectification report.
  It ends a deadline, so it waits while the clock is paused.
- `withdraw` and `pause` need a reason (history keeps why); `resume` does not.
- The committee (党委) step is a recorded decision: a user holding "committee" or a role in
  "warning.committee_recorder_roles" (default reviewer) records it, with the document.
- Nobody approves their own warning: the proposer, and whoever submitted or escalated the
  pending chain, may approve none of its steps, and nobody approves two steps of one chain
  (the committee's recorded decision excepted). Rejecting stays open to them.
- A reviewer may do everything a supervisor may; no other role implies another, and
  sysadmin, auditor, liaison and viewer appear in no row.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from workflows.guards import GUARDS, ToleranceOutcome, TransitionContext
from workflows.states import ACTIVE_STATES, CLOCK_STATES, OPEN_STATES, Event, State
from workflows.text import N_, Listing, Text
from workflows.tiers import (
    COMMITTEE_ROLE,
    Tier,
    TierPolicy,
    param_roles,
    role_label,
    tier_policy,
)


class Rule(StrEnum):
    """A target that depends on the warning rather than a fixed state."""

    NEXT_APPROVAL_STEP = "next_approval_step"
    REJECTION = "rejection"
    ESCALATE = "escalate"
    TOLERANCE = "tolerance"
    PAUSE = "pause"
    RESUME = "resume"
    # A record that changes neither state nor tier (登记书面检查).
    RECORD = "record"


# In a row's `who`: the role of the current approval step (and the committee's recorders).
STEP_ROLE = "@step"

# A reviewer (科长) may do everything a supervisor may (DESIGN §2).
ROLE_IMPLIES: dict[str, frozenset[str]] = {"reviewer": frozenset({"supervisor"})}


@dataclass(frozen=True)
class Transition:
    """One row of the table: event, from-states, target, guards by name, who may act."""

    event: Event
    sources: frozenset[State]
    target: State | Rule
    guards: tuple[str, ...]
    who: tuple[str, ...]


def _from(*states: State) -> frozenset[State]:
    return frozenset(states)


_OPEN = _from(State.DRAFT, State.PENDING_APPROVAL, State.ISSUED, State.RECTIFYING, State.REVIEWING)
_RUNNING = _from(State.PENDING_APPROVAL, State.ISSUED, State.RECTIFYING, State.REVIEWING)
_AFTER_ISSUE = _from(State.ISSUED, State.RECTIFYING, State.REVIEWING)
_ACTION_TAKEN = _from(State.RECTIFYING, State.REVIEWING)

# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    Transition(Event.SUBMIT, _from(State.DRAFT), State.PENDING_APPROVAL,
               ("basis_or_reason",), ("supervisor",)),
    Transition(Event.APPROVE, _from(State.PENDING_APPROVAL), Rule.NEXT_APPROVAL_STEP,
               ("approval_step_known", "clock_running", "not_own_proposal",
                "one_step_per_person", "committee_decision_if_needed"),
               (STEP_ROLE,)),
    Transition(Event.REJECT, _from(State.PENDING_APPROVAL), Rule.REJECTION,
               ("approval_step_known", "clock_running", "reason_given"), (STEP_ROLE,)),
    Transition(Event.RECORD_ACTION, _from(State.ISSUED), State.RECTIFYING,
               ("clock_running", "action_recorded"), ("supervisor",)),
    Transition(Event.SUBMIT_REPORT, _from(State.RECTIFYING), State.REVIEWING,
               ("clock_running", "report_attached"), ("supervisor",)),
    Transition(Event.RECORD_SELF_CRITICISM, _ACTION_TAKEN, Rule.RECORD,
               ("clock_running", "admonishment_recorded", "self_criticism_pending"),
               ("supervisor",)),
    Transition(Event.ACCEPT, _from(State.REVIEWING), State.LIFTED,
               ("clock_running", "review_opinion_given"), ("reviewer",)),
    Transition(Event.RETURN, _from(State.REVIEWING), State.RECTIFYING,
               ("clock_running", "reason_given", "new_deadline_set"), ("reviewer",)),
    Transition(Event.ESCALATE, ACTIVE_STATES, Rule.ESCALATE,
               ("clock_running", "below_top_tier", "reason_given"), ("supervisor",)),
    Transition(Event.CLARIFY, OPEN_STATES, State.REVOKED,
               ("clarification_recorded", "untrue_or_judgement"), ("reviewer",)),
    Transition(Event.TOLERATE, OPEN_STATES, Rule.TOLERANCE,
               ("tolerance_decided", "reduction_possible"), ("approver",)),
    Transition(Event.REFER, _from(State.ISSUED), State.REFERRED,
               ("tier_is_red", "referral_recorded"), ("approver",)),
    Transition(Event.WITHDRAW, _from(State.DRAFT), State.REVOKED,
               ("actor_is_proposer", "reason_given"), ("supervisor",)),
    Transition(Event.PAUSE, CLOCK_STATES, Rule.PAUSE,
               ("not_already_paused", "reason_given"), ("supervisor",)),
    Transition(Event.RESUME, CLOCK_STATES, Rule.RESUME,
               ("clock_paused",), ("supervisor",)),
)
# fmt: on

TABLE: dict[Event, Transition] = {row.event: row for row in TRANSITIONS}


class TransitionError(ValueError):
    """An event refused in the warning's state; `allowed` lists what the table allows there."""

    def __init__(
        self,
        message: str,
        *,
        event: Event | str,
        state: State,
        allowed: tuple[Event, ...],
    ) -> None:
        super().__init__(message)
        self.event = event
        self.state = state
        self.allowed = allowed


class ForbiddenError(TransitionError):
    """The event is legal here, but not for the actor's roles; `roles` may act."""

    def __init__(
        self, *, event: Event, state: State, allowed: tuple[Event, ...], roles: tuple[str, ...]
    ) -> None:
        needed = Listing(role_label(code) for code in roles) if roles else N_("无")
        super().__init__(
            Text(
                N_("当前角色无权执行「%(event)s」；需要：%(roles)s"),
                event=event.label,
                roles=needed,
            ),
            event=event,
            state=state,
            allowed=allowed,
        )
        self.roles = roles


class GuardError(TransitionError):
    """The event is legal and permitted, but guards failed; `failed` names them."""

    def __init__(
        self, *, event: Event, state: State, allowed: tuple[Event, ...], failed: tuple[str, ...]
    ) -> None:
        self.failed = failed
        self.messages = tuple(GUARDS[name].message for name in failed)
        super().__init__(
            Text(
                N_("不能执行「%(event)s」：%(reasons)s"),
                event=event.label,
                reasons=Listing(self.messages, N_("；")),
            ),
            event=event,
            state=state,
            allowed=allowed,
        )


@dataclass(frozen=True)
class Outcome:
    """The result of an accepted event: what to write on the warning and in its history."""

    event: Event
    from_state: State
    from_tier: Tier
    state: State
    tier: Tier
    # Index into the tier's approval chain while pending approval, else None.
    approval_step: int | None
    # Role code whose decision is awaited next (for the to-do list), else None.
    awaiting_role: str | None
    paused: bool

    @property
    def tier_changed(self) -> bool:
        """Return whether the event moved the tier."""
        return self.tier != self.from_tier


def legal_events(state: State | str) -> tuple[Event, ...]:
    """Return the events the table allows from `state`, ignoring roles and guards."""
    state = State(state)
    return tuple(row.event for row in TRANSITIONS if state in row.sources)


def effective_roles(roles: Iterable[str]) -> frozenset[str]:
    """Return the roles plus those they imply (a reviewer is also a supervisor)."""
    roles = frozenset(roles)
    implied = (ROLE_IMPLIES.get(role, frozenset()) for role in roles)
    return roles.union(*implied)


def permitted_roles(
    event: Event | str,
    tier: Tier | int,
    approval_step: int | None = None,
    *,
    params: Mapping[str, object] | None = None,
) -> tuple[str, ...]:
    """Return the role codes that may perform `event` now (the step's role for approvals)."""
    row = TABLE[Event(event)]
    if STEP_ROLE not in row.who:
        return row.who
    step_role = tier_policy(tier, params).step_role(approval_step)
    if step_role is None:
        return ()
    if step_role == COMMITTEE_ROLE:
        recorders = param_roles(params, "warning.committee_recorder_roles")
        return (step_role, *(r for r in recorders if r != step_role))
    return (step_role,)


def _refusal(
    row: Transition,
    state: State,
    tier: Tier,
    ctx: TransitionContext,
    policy: TierPolicy,
    params: Mapping[str, object] | None,
    *,
    include_inputs: bool,
) -> TransitionError | None:
    allowed = legal_events(state)
    if STEP_ROLE in row.who and policy.step_role(ctx.approval_step) is None:
        # Without a valid step there is no role to check against: report the data problem.
        return GuardError(
            event=row.event, state=state, allowed=allowed, failed=("approval_step_known",)
        )
    roles = permitted_roles(row.event, tier, ctx.approval_step, params=params)
    if not effective_roles(ctx.actor_roles) & set(roles):
        return ForbiddenError(event=row.event, state=state, allowed=allowed, roles=roles)
    failed = tuple(
        name
        for name in row.guards
        if (include_inputs or not GUARDS[name].needs_input) and not GUARDS[name](ctx, tier, policy)
    )
    if failed:
        return GuardError(event=row.event, state=state, allowed=allowed, failed=failed)
    return None


def _parse_event(event: Event | str, state: State) -> Event:
    try:
        return Event(event)
    except ValueError:
        raise TransitionError(
            Text(N_("未知的操作「%(event)s」"), event=str(event)),
            event=event,
            state=state,
            allowed=legal_events(state),
        ) from None


def _illegal(event: Event, state: State) -> TransitionError:
    allowed = legal_events(state)
    offered = Listing(e.label for e in allowed) if allowed else N_("无（已办结）")
    return TransitionError(
        Text(
            N_("不能在「%(state)s」状态执行「%(event)s」；当前可执行：%(offered)s"),
            state=state.label,
            event=event.label,
            offered=offered,
        ),
        event=event,
        state=state,
        allowed=allowed,
    )


def _target(
    row: Transition, state: State, tier: Tier, ctx: TransitionContext, policy: TierPolicy
) -> tuple[State, Tier, int | None, bool]:
    """Return (state, tier, approval step, paused) after `row` fires."""
    match row.target:
        case Rule.NEXT_APPROVAL_STEP:
            step = (ctx.approval_step or 0) + 1
            if step < len(policy.approval_chain):
                return State.PENDING_APPROVAL, tier, step, ctx.paused
            return State.ISSUED, tier, None, ctx.paused
        case Rule.REJECTION:
            if ctx.escalated_from is not None:
                # A refused escalation: the tier already issued goes on where it stood.
                return ctx.escalated_from, Tier(tier - 1), None, ctx.paused
            return State.DRAFT, tier, None, False
        case Rule.ESCALATE:
            return State.PENDING_APPROVAL, Tier(tier + 1), 0, ctx.paused
        case Rule.TOLERANCE:
            if ctx.tolerance_outcome is ToleranceOutcome.EXEMPT:
                return State.REVOKED, tier, None, False
            if ctx.tolerance_outcome is ToleranceOutcome.DENIED:
                # 不予容错: the decision is recorded and the warning goes on unchanged.
                return state, tier, ctx.approval_step, ctx.paused
            # 减责: one tier down, same state; a pending approval restarts on the new chain.
            step = 0 if state is State.PENDING_APPROVAL else None
            return state, Tier(tier - 1), step, ctx.paused
        case Rule.PAUSE:
            return state, tier, ctx.approval_step, True
        case Rule.RESUME:
            return state, tier, ctx.approval_step, False
        case Rule.RECORD:
            return state, tier, ctx.approval_step, ctx.paused
        case State() as target:
            step = 0 if target is State.PENDING_APPROVAL else None
            return target, tier, step, ctx.paused and target in CLOCK_STATES
    raise AssertionError(f"unhandled target {row.target!r}")  # pragma: no cover


def transition(
    state: State | str,
    tier: Tier | int | str,
    event: Event | str,
    ctx: TransitionContext | None = None,
    *,
    params: Mapping[str, object] | None = None,
) -> Outcome:
    """Apply `event` to a warning in `state` at `tier`, or raise TransitionError."""
    state = State(state)
    tier = Tier.parse(tier)
    event = _parse_event(event, state)
    ctx = ctx or TransitionContext()
    row = TABLE[event]
    if state not in row.sources:
        raise _illegal(event, state)
    policy = tier_policy(tier, params)
    refusal = _refusal(row, state, tier, ctx, policy, params, include_inputs=True)
    if refusal is not None:
        raise refusal
    new_state, new_tier, step, paused = _target(row, state, tier, ctx, policy)
    awaiting = tier_policy(new_tier, params).step_role(step) if step is not None else None
    return Outcome(
        event=event,
        from_state=state,
        from_tier=tier,
        state=new_state,
        tier=new_tier,
        approval_step=step,
        awaiting_role=awaiting,
        paused=paused,
    )


def allowed_events(
    state: State | str,
    tier: Tier | int | str,
    ctx: TransitionContext | None = None,
    role: str | Iterable[str] | None = None,
    *,
    params: Mapping[str, object] | None = None,
    check_inputs: bool = False,
) -> tuple[Event, ...]:
    """Return the events `role` may perform now, in table order, for the UI to offer.

    By default only the standing guards are checked (step, tier, clock, proposer): the form
    then asks for the reason or record. With `check_inputs=True` every guard must pass.
    """
    state = State(state)
    tier = Tier.parse(tier)
    ctx = ctx or TransitionContext()
    if role is not None:
        ctx = replace(ctx, actor_roles=frozenset({role} if isinstance(role, str) else role))
    policy = tier_policy(tier, params)
    return tuple(
        row.event
        for row in TRANSITIONS
        if state in row.sources
        and _refusal(row, state, tier, ctx, policy, params, include_inputs=check_inputs) is None
    )
