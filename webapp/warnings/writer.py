"""The one writer of a warning's state: a typed command in, one transaction out.

`apply_event(warning_id, command, actor, expected_version)` loads the warning in the actor's
scope, refuses a stale version before anything else (so two people acting at once both get
the same conflict message, whatever their roles), asks `workflows.transitions` whether the
event may happen, then writes the state, tier, approval step, deadlines, the history row, the
event's side records (`effects`), the obligations due (`due`) and the cadre's colour, and
commits once. Nothing else in the code base assigns `Warning.state` or `Warning.tier`
(tests/webapp/warnings/test_single_writer.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from webapp import clock
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.lookups import all_params
from webapp.models import User, Warning, WarningEvent
from webapp.security.scope import get_in_scope_or_404
from webapp.warnings.colours import recompute_status_colour
from webapp.warnings.due import sync_obligations
from webapp.warnings.effects import EFFECTS
from webapp.warnings.errors import WarningForbidden, WorkflowError, conflict
from webapp.warnings.facts import snapshot_of
from webapp.warnings.inputs import check_inputs
from webapp.warnings.step import (
    Step,
    escalation_start,
    lapse_proposals,
    people_facts,
    standing_facts,
)
from workflows.commands import (
    Approve,
    Clarify,
    Command,
    RecordAction,
    Refer,
    Tolerate,
    command_for,
)
from workflows.guards import GUARDS, SEPARATION_GUARDS, TransitionContext
from workflows.states import ACTIVE_STATES, Event, State
from workflows.tiers import COMMITTEE_ROLE, Tier, tier_policy
from workflows.transitions import (
    ForbiddenError,
    Outcome,
    TransitionError,
    effective_roles,
    permitted_roles,
    transition,
)
from workflows.verification import VERIFIED, Status

# Events that decide or enter an approval step: the step waiting afterwards is a new one.
STEP_EVENTS = frozenset({Event.SUBMIT, Event.APPROVE, Event.REJECT, Event.ESCALATE})


def _context(
    warning: Warning,
    command: Command,
    actor: User | None,
    today: date,
    roles: frozenset[str] | None,
) -> TransitionContext:
    """Build what the guards look at from the warning, the actor and the command."""
    basis = list(warning.basis)
    reason = command.reason.strip()
    if command.event is Event.SUBMIT and not reason:
        reason = warning.reason.strip()
    step_role = tier_policy(warning.tier, all_params()).step_role(warning.approval_step)
    escalation = escalation_start(warning)
    return TransitionContext(
        actor_roles=roles if roles is not None else frozenset({actor.role.code} if actor else ()),
        **standing_facts(warning, actor),
        reason=reason,
        has_verified_basis=any(Status.parse(item.status) in VERIFIED for item in basis),
        has_action_record=isinstance(command, RecordAction)
        and bool(command.action_kind)
        and command.has_record,
        has_report=bool(getattr(command, "report", "").strip()),
        has_review_opinion=bool(getattr(command, "opinion", "").strip()),
        new_deadline=getattr(command, "new_deadline", None),
        today=today,
        has_clarification=isinstance(command, Clarify)
        and (bool(command.method) or command.automatic),
        basis_found_untrue=any(item.status == Status.UNTRUE for item in basis),
        tolerance_outcome=command.outcome if isinstance(command, Tolerate) else None,
        has_referral_record=isinstance(command, Refer)
        and bool(command.receiving_organ and command.document_number and command.referred_on),
        has_committee_decision=step_role == COMMITTEE_ROLE
        and isinstance(command, Approve)
        and bool(command.document_number and command.decided_on),
        paused=warning.paused,
        approval_step=warning.approval_step,
        escalated_from=State(escalation.from_state) if escalation is not None else None,
    )


def open_draft(warning: Warning, tier: Tier) -> None:
    """Put a new warning in 拟预警 at its tier (the writer's other assignment of state)."""
    warning.state = State.DRAFT
    warning.tier = tier


def command_for_code(event_code: str, **values: Any) -> Command:
    """Build the command of an event named by code (meetings, the API); refuse unknown codes."""
    try:
        return command_for(event_code, **values)
    except ValueError:
        raise WorkflowError(
            _l("未知的操作：%(event)s", event=event_code), code="unknown_event"
        ) from None


def _write_state(warning: Warning, outcome: Outcome) -> None:
    """Assign the workflow's verdict: the only place `Warning.state` and `.tier` are set."""
    warning.state = outcome.state
    warning.tier = outcome.tier
    warning.approval_step = outcome.approval_step
    warning.awaiting_role = outcome.awaiting_role
    warning.paused = outcome.paused


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def after_fields(warning: Warning) -> dict[str, Any]:
    """Return the workflow fields the history keeps after each event."""
    return {
        "approval_step": warning.approval_step,
        "awaiting_role": warning.awaiting_role,
        "paused": warning.paused,
        "issued_tier": int(warning.issued_tier) if warning.issued_tier else None,
        "issued_on": _iso(warning.issued_on),
        "closed_on": _iso(warning.closed_on),
        "influence_until": _iso(warning.influence_until),
        "action_due": _iso(warning.action_due),
        "rectification_due": _iso(warning.rectification_due),
        "review_due": _iso(warning.review_due),
    }


def write_history(
    warning: Warning,
    event: str,
    actor: User | None,
    *,
    from_state: str,
    from_tier: int | None,
    reason: str,
    details: dict[str, Any],
    now: datetime,
) -> WarningEvent:
    """Add one line to the warning's history (全程记录)."""
    row = WarningEvent(
        warning=warning,
        at=now,
        actor_id=actor.id if actor else None,
        actor_name=actor.full_name if actor else "系统",
        actor_role=actor.role.code if actor else "",
        event=event,
        from_state=from_state,
        to_state=str(warning.state),
        from_tier=from_tier,
        to_tier=int(warning.tier),
        reason=reason,
        payload={"details": details, "after": after_fields(warning)},
    )
    db.session.add(row)
    return row


def apply_command(
    warning: Warning,
    command: Command,
    actor: User | None,
    *,
    roles: frozenset[str] | None = None,
) -> WarningEvent:
    """Apply a command to a loaded warning inside the caller's transaction (no commit)."""
    today, now = clock.org_today(), clock.utc_now()
    event = command.event
    ctx = _context(warning, command, actor, today, roles)
    params = all_params()
    try:
        outcome = transition(warning.state, warning.tier, event, ctx, params=params)
    except ForbiddenError as exc:
        raise WarningForbidden(exc) from None
    except TransitionError as exc:
        raise WorkflowError(exc) from None
    check_inputs(warning, command, today)
    before = snapshot_of(warning)
    step = Step(warning, command, actor, outcome, before, today, now, work_calendar(), params)
    step.reason = ctx.reason
    effect = EFFECTS.get(event)
    if effect is not None:
        effect(step)
    if outcome.state.is_final:
        warning.closed_on = today
        warning.clock_started_on = None
        if outcome.state is State.REVOKED:
            # Revoked (失实、免责、撤回): no influence period survives.
            warning.influence_until = None
    if not outcome.paused:
        warning.paused_since = None
    if outcome.state not in ACTIVE_STATES and event is not Event.ESCALATE:
        lapse_proposals(warning, "lapsed", now)
    _write_state(warning, outcome)
    # Touch the row so every event bumps the version, even one that only adds records.
    warning.updated_at = now
    row = write_history(
        warning,
        event.value,
        actor,
        from_state=before.state.value,
        from_tier=int(before.tier),
        reason=step.reason,
        details={k: v for k, v in step.details.items() if v not in (None, "", [])},
        now=now,
    )
    db.session.flush()
    # What is due follows the deadlines just written, in this transaction (DESIGN §6).
    sync_obligations(
        warning, today, now, step_decided=event in STEP_EVENTS, cal=step.cal, params=params
    )
    recompute_status_colour(warning.cadre_id, today)
    return row


def apply_event(
    warning_id: int,
    command: Command,
    actor: User,
    expected_version: int | None = None,
) -> Warning:
    """Apply one command to a warning in the actor's scope and commit it.

    Raises WarningConflict (someone was first: checked before anything else), WarningForbidden
    (role) or WorkflowError (refused by the table, a guard or the input); nothing is written in
    any of these cases. A warning outside the actor's scope answers 404.
    """
    warning = get_in_scope_or_404(Warning, warning_id, actor)
    if expected_version is not None and warning.version != expected_version:
        raise conflict()
    try:
        apply_command(warning, command, actor)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise conflict() from None
    except WorkflowError:
        db.session.rollback()
        raise
    return warning


def may_perform(warning: Warning, event: Event | str, user: User) -> bool:
    """Tell whether the user's role may perform the event at the warning's tier and step."""
    roles = permitted_roles(Event(event), warning.tier, warning.approval_step, params=all_params())
    return bool(effective_roles({user.role.code}) & set(roles))


def approval_barred(warning: Warning, user: User) -> bool:
    """Tell whether 不得自审 refuses this user's approval of the warning's pending step."""
    ctx = TransitionContext(approval_step=warning.approval_step, **people_facts(warning, user))
    policy = tier_policy(warning.tier, all_params())
    return not all(GUARDS[name](ctx, warning.tier, policy) for name in SEPARATION_GUARDS)
