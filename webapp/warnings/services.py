"""The one writer of a warning's state: create, apply an event, and their consequences.

`apply_event` loads a warning in the actor's scope, asks `workflows.transitions` whether the
event may happen, then writes the state, tier, approval step, deadlines, the history row, the
side record (approval, action, rectification, clarification, tolerance, referral, committee
decision) and the cadre's status colour in one transaction. Nothing else in the code base
assigns `Warning.state` or `Warning.tier` (tests/webapp/warnings/test_single_writer.py).

Decisions where DESIGN is silent:
- A reason is required when the chosen tier differs from the suggested one, or when no rule
  suggests a tier; following the suggestion needs none (the suggestion is the reason).
- Deadlines: the action deadline runs from the day of final approval, the rectification
  deadline from the day the action is recorded (tier 3: the date the decision sets), the
  review deadline (parameter `warning.review_workdays`) from the day the report is handed in.
  Only the deadline of the current state runs; a pause moves that one.
- The influence period (影响期) runs from the day the tier is issued.
- A 失实 finding revokes automatically, as the reviewer's act, every open warning whose basis
  items are all untrue; the clarification record it leaves has no method yet, for a reviewer
  to complete (书面/当面/会议/通报).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.exc import StaleDataError

from webapp import clock, signals
from webapp.attachments import services as attachments
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.i18n import translate
from webapp.lookups import all_params
from webapp.models import (
    Approval,
    Cadre,
    Clarification,
    CommitteeDecision,
    Inquiry,
    NegativeInfo,
    Rectification,
    Referral,
    Talk,
    ToleranceDecision,
    User,
    Warning,
    WarningAction,
    WarningEvent,
    WarningProposal,
    warning_basis,
)
from webapp.negative_info.numbering import next_number
from webapp.security.permissions import Permission
from webapp.security.scope import get_in_scope_or_404, scoped
from webapp.warnings.history import Snapshot, colour_of, in_force_tier
from workflows.calendar import Deadline, WorkCalendar, add_months
from workflows.deadlines import due_after_months, shift_for_pause
from workflows.guards import ToleranceOutcome, TransitionContext
from workflows.states import ACTIVE_STATES, OPEN_STATES, Event, State
from workflows.suggestion import (
    ItemFact,
    Suggestion,
    Verification,
    WarningFact,
    overdue_escalations,
    suggest_tier,
)
from workflows.tiers import COMMITTEE_ROLE, Tier, param_int, tier_policy
from workflows.transitions import (
    ForbiddenError,
    Outcome,
    TransitionError,
    effective_roles,
    permitted_roles,
    transition,
)
from workflows.verification import VERIFIED
from workflows.verification import Status as InfoStatus

NUMBER_PREFIX = "YJ"
# Attachments owned by a party-committee decision (the uploaded decision document).
COMMITTEE_OWNER = "warning_committee"
VERIFIED_CODES = frozenset(status.value for status in VERIFIED)
UNTRUE_CODE = InfoStatus.UNTRUE.value

# The negative-info verification codes (workflows.verification) as the suggestion rules
# name them; other spellings ("confirmed", Chinese labels) go through Verification.parse.
_VERIFICATION = {
    InfoStatus.PENDING.value: Verification.PENDING,
    InfoStatus.VERIFYING.value: Verification.VERIFYING,
    InfoStatus.TRUE.value: Verification.CONFIRMED,
    InfoStatus.PARTLY_TRUE.value: Verification.PARTLY_CONFIRMED,
    InfoStatus.UNTRUE.value: Verification.UNTRUE,
    InfoStatus.UNVERIFIABLE.value: Verification.UNVERIFIABLE,
}


class WorkflowError(Exception):
    """A refused create or event; `message` is shown to the user, nothing was written."""

    def __init__(self, message: object) -> None:
        # A refusal from `workflows` carries its message as a Text: render it in the UI's language.
        if isinstance(message, TransitionError):
            message = translate(message.args[0])
        super().__init__(str(message))
        self.message = str(message)


class WarningForbidden(WorkflowError):
    """The actor's role may not do this (the route answers 403)."""


class WarningConflict(WorkflowError):
    """Someone else changed the warning first (optimistic locking)."""


CONFLICT_MESSAGE = _l(
    "该预警事项刚刚已被他人处理，本次操作未保存。请查看最新状态后再决定是否继续。"
)


# ---------------------------------------------------------------------------------------------
# Facts for the pure rules


def info_verification(code: str) -> Verification:
    """Return the suggestion rules' verification status for a stored status code."""
    return _VERIFICATION.get(code) or Verification.parse(code)


def current_due(warning: Warning) -> tuple[str, date | None, bool]:
    """Return (kind, due, provisional) of the deadline running in the warning's state."""
    match warning.state:
        case State.ISSUED:
            return "action", warning.action_due, warning.action_due_provisional
        case State.RECTIFYING:
            return "rectification", warning.rectification_due, warning.rectification_due_provisional
        case State.REVIEWING:
            return "review", warning.review_due, warning.review_due_provisional
    return "", None, False


def clock_day(warning: Warning, today: date) -> date:
    """Return the day the warning's clock stands at: the pause day while paused."""
    return warning.paused_since if warning.paused and warning.paused_since else today


def overdue_workdays(warning: Warning, today: date, cal: WorkCalendar) -> int:
    """Return the working days the action or rectification is overdue (0 if not)."""
    kind, due, _ = current_due(warning)
    day = clock_day(warning, today)
    if kind not in ("action", "rectification") or due is None or day <= due:
        return 0
    return cal.workdays_between(due, day)


def warning_fact(warning: Warning, today: date, cal: WorkCalendar) -> WarningFact:
    """Describe a stored warning for the suggestion rules."""
    return WarningFact(
        id=warning.id,
        tier=warning.tier,
        state=warning.state,
        number=warning.number,
        issued_on=warning.issued_on,
        influence_until=warning.influence_until,
        overdue_workdays=overdue_workdays(warning, today, cal),
        basis_item_ids=frozenset(item.id for item in warning.basis),
    )


def cadre_items(cadre_id: int) -> list[NegativeInfo]:
    """Return every negative-info item of a cadre, oldest first."""
    stmt = select_items().where(NegativeInfo.cadre_id == cadre_id)
    return list(db.session.scalars(stmt))


def select_items() -> sa.Select:
    """Select negative-info items in a stable order."""
    return sa.select(NegativeInfo).order_by(NegativeInfo.occurred_on, NegativeInfo.id)


def suggestion_for(cadre_id: int, item_ids: set[int], today: date | None = None) -> Suggestion:
    """Suggest a tier for a new warning on these items of the cadre, with the reasons."""
    today = today or clock.org_today()
    cal = work_calendar()
    items = [
        ItemFact(
            id=info.id,
            number=info.number,
            verification=info_verification(info.status),
            default_tier=info.default_tier or None,
            situation=info.situation,
            occurred_on=info.occurred_on,
            verified_on=info.verified_on,
            in_basis=info.id in item_ids,
        )
        for info in cadre_items(cadre_id)
    ]
    warnings = db.session.scalars(
        sa.select(Warning).where(Warning.cadre_id == cadre_id, Warning.state != State.DRAFT.value)
    )
    facts = [warning_fact(w, today, cal) for w in warnings]
    return suggest_tier(items, facts, today, all_params())


# ---------------------------------------------------------------------------------------------
# Status colour


def snapshot_of(warning: Warning) -> Snapshot:
    """Return the stored warning's workflow fields."""
    return Snapshot(
        state=State(warning.state),
        tier=Tier(warning.tier),
        approval_step=warning.approval_step,
        paused=warning.paused,
        issued_tier=Tier(warning.issued_tier) if warning.issued_tier else None,
        influence_until=warning.influence_until,
    )


def recompute_status_colour(cadre_id: int, today: date | None = None) -> str:
    """Set the cadre's colour from the warnings in force today; return it."""
    today = today or clock.org_today()
    # Lock the cadre so two transactions on two of its warnings cannot both write a colour
    # computed without the other's change (PostgreSQL; SQLite writers are serialised anyway).
    db.session.execute(sa.select(Cadre.id).where(Cadre.id == cadre_id).with_for_update())
    warnings = db.session.scalars(
        sa.select(Warning).where(Warning.cadre_id == cadre_id, Warning.state != State.DRAFT.value)
    )
    colour = colour_of(in_force_tier(snapshot_of(w), today) for w in warnings)
    cadre = db.session.get(Cadre, cadre_id)
    if cadre is not None and cadre.status_colour != colour:
        cadre.status_colour = colour
    return colour


def refresh_status_colours(today: date | None = None) -> int:
    """Recompute every cadre's colour (influence periods end with time); return changes."""
    today = today or clock.org_today()
    candidates = set(db.session.scalars(sa.select(Warning.cadre_id).distinct()))
    candidates |= set(db.session.scalars(sa.select(Cadre.id).where(Cadre.status_colour != "green")))
    changed = 0
    for cadre_id in sorted(candidates):
        before = db.session.scalar(sa.select(Cadre.status_colour).where(Cadre.id == cadre_id))
        if recompute_status_colour(cadre_id, today) != before:
            changed += 1
    return changed


# ---------------------------------------------------------------------------------------------
# The writer


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _after(warning: Warning) -> dict[str, Any]:
    """Return the workflow fields the history keeps after each event."""
    return {
        "approval_step": warning.approval_step,
        "awaiting_role": warning.awaiting_role,
        "paused": warning.paused,
        "issued_tier": warning.issued_tier,
        "issued_on": _iso(warning.issued_on),
        "closed_on": _iso(warning.closed_on),
        "influence_until": _iso(warning.influence_until),
        "action_due": _iso(warning.action_due),
        "rectification_due": _iso(warning.rectification_due),
        "review_due": _iso(warning.review_due),
    }


def _write_state(warning: Warning, outcome: Outcome) -> None:
    """Assign the workflow's verdict: the only place `Warning.state` and `.tier` are set."""
    warning.state = outcome.state.value
    warning.tier = int(outcome.tier)
    warning.approval_step = outcome.approval_step
    warning.awaiting_role = outcome.awaiting_role
    warning.paused = outcome.paused


def _history(
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
    row = WarningEvent(
        warning=warning,
        at=now,
        actor_id=actor.id if actor else None,
        actor_name=actor.full_name if actor else "系统",
        actor_role=actor.role.code if actor else "",
        event=event,
        from_state=from_state,
        to_state=warning.state,
        from_tier=from_tier,
        to_tier=warning.tier,
        reason=reason,
        payload={"details": details, "after": _after(warning)},
    )
    db.session.add(row)
    return row


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def _day(data: Mapping[str, Any], key: str) -> date | None:
    value = data.get(key)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _tolerance(data: Mapping[str, Any]) -> ToleranceOutcome | None:
    value = _text(data, "outcome")
    # The dictionary says "refused" where the workflow says "denied".
    value = {"refused": ToleranceOutcome.DENIED.value}.get(value, value)
    try:
        return ToleranceOutcome(value) if value else None
    except ValueError:
        return None


@dataclass
class _Step:
    """Everything one event's side effects need."""

    warning: Warning
    event: Event
    actor: User | None
    data: Mapping[str, Any]
    outcome: Outcome
    before: Snapshot
    today: date
    now: datetime
    cal: WorkCalendar
    params: Mapping[str, object]
    details: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    @property
    def actor_id(self) -> int | None:
        return self.actor.id if self.actor else None


def _context(
    warning: Warning,
    event: Event,
    actor: User | None,
    data: Mapping[str, Any],
    today: date,
    roles: frozenset[str] | None,
) -> TransitionContext:
    """Build what the guards look at from the warning, the actor and the form."""
    basis = list(warning.basis)
    reason = _text(data, "reason")
    if event is Event.SUBMIT and not reason:
        reason = warning.reason.strip()
    tier = Tier(warning.tier)
    step_role = tier_policy(tier, all_params()).step_role(warning.approval_step)
    return TransitionContext(
        actor_roles=roles if roles is not None else frozenset({actor.role.code} if actor else ()),
        actor_is_proposer=actor is not None and warning.proposer_id == actor.id,
        reason=reason,
        has_verified_basis=any(item.status in VERIFIED_CODES for item in basis),
        has_action_record=bool(_text(data, "action_kind"))
        and bool(
            _int(data, "talk_id")
            or _int(data, "inquiry_id")
            or _text(data, "record_ref")
            or _text(data, "content")
        ),
        has_report=bool(_text(data, "report")),
        has_review_opinion=bool(_text(data, "opinion")),
        new_deadline=_day(data, "new_deadline"),
        today=today,
        has_clarification=bool(_text(data, "method")) or bool(data.get("automatic")),
        basis_found_untrue=any(item.status == UNTRUE_CODE for item in basis),
        tolerance_outcome=_tolerance(data),
        has_referral_record=bool(
            _text(data, "receiving_organ")
            and _text(data, "document_number")
            and _day(data, "referred_on")
        ),
        has_committee_decision=step_role == COMMITTEE_ROLE
        and bool(_text(data, "document_number") and _day(data, "decided_on")),
        paused=warning.paused,
        approval_step=warning.approval_step,
    )


def _check_inputs(warning: Warning, event: Event, data: Mapping[str, Any], today: date) -> None:
    """Refuse input the guards do not judge (wrong kind, future dates, foreign records)."""
    tier = Tier(warning.tier)
    policy = tier_policy(tier, all_params())
    for key in ("done_on", "decided_on", "referred_on", "clarified_on"):
        day = _day(data, key)
        if day is not None and day > today:
            raise WorkflowError(_l("日期不能晚于今天"))
    for file in _files(data):
        try:
            attachments.check_file(file.stream, file.filename)
        except attachments.RejectedFile as exc:
            raise WorkflowError(exc) from None
    if event is Event.RECORD_ACTION:
        kind = _text(data, "action_kind")
        if kind and kind not in policy.required_actions:
            raise WorkflowError(_l("该处置方式不适用于本等级预警"))
        if kind and _day(data, "done_on") is None:
            raise WorkflowError(_l("请填写处置日期"))
        if policy.rectification_months is None:
            due = _day(data, "rectification_due")
            if due is None or due <= today:
                raise WorkflowError(_l("三级预警请按处理决定填写晚于今天的整改期限"))
        for key, model in (("talk_id", Talk), ("inquiry_id", Inquiry)):
            ident = _int(data, key)
            if ident:
                record = db.session.get(model, ident)
                if record is None or record.cadre_id != warning.cadre_id:
                    raise WorkflowError(_l("所选谈话或函询记录不属于该干部"))


def _files(data: Mapping[str, Any]) -> list[Any]:
    """Return the uploaded files of a form (the committee's decision document)."""
    files = data.get("documents") or []
    return [f for f in files if getattr(f, "filename", None)]


def _lapse_proposals(warning: Warning, status: str, now: datetime) -> None:
    for proposal in warning.proposals:
        if proposal.status == "open":
            proposal.status = status
            proposal.closed_at = now


def _start_clock(warning: Warning, today: date) -> None:
    warning.clock_started_on = today
    warning.clock_paused_workdays = 0


def _issue(s: _Step) -> None:
    """Start the action deadline and the influence period of the tier just approved."""
    w = s.warning
    policy = tier_policy(s.outcome.tier, s.params)
    deadline = s.cal.add_workdays(s.today, policy.action_deadline_workdays)
    w.issued_on = s.today
    w.issued_tier = int(s.outcome.tier)
    w.action_due, w.action_due_provisional = deadline.due, deadline.provisional
    w.influence_until = (
        add_months(s.today, policy.influence_months) if policy.influence_months else None
    )
    _start_clock(w, s.today)


def _on_approve(s: _Step) -> None:
    policy = tier_policy(s.before.tier, s.params)
    role = policy.step_role(s.before.approval_step) or ""
    comment = _text(s.data, "comment")
    db.session.add(
        Approval(
            warning_id=s.warning.id,
            tier=int(s.before.tier),
            step=s.before.approval_step or 0,
            role=role,
            decision="approved",
            comment=comment,
            recorded_by_id=s.actor_id,
            at=s.now,
        )
    )
    s.details.update(step=s.before.approval_step, role=role)
    s.reason = comment
    if role == COMMITTEE_ROLE:
        decision = CommitteeDecision(
            warning_id=s.warning.id,
            document_number=_text(s.data, "document_number"),
            decided_on=_day(s.data, "decided_on"),
            summary=_text(s.data, "summary"),
            recorded_by_id=s.actor_id,
            at=s.now,
        )
        db.session.add(decision)
        db.session.flush()
        stored, _refused = attachments.store_many(
            _files(s.data), COMMITTEE_OWNER, s.actor, owner_id=decision.id
        )
        s.details["committee_document"] = decision.document_number
        s.details["attachment_ids"] = [a.id for a in stored]
    if s.outcome.state is State.ISSUED:
        _issue(s)


def _on_reject(s: _Step) -> None:
    policy = tier_policy(s.before.tier, s.params)
    role = policy.step_role(s.before.approval_step) or ""
    db.session.add(
        Approval(
            warning_id=s.warning.id,
            tier=int(s.before.tier),
            step=s.before.approval_step or 0,
            role=role,
            decision="rejected",
            comment=s.reason,
            recorded_by_id=s.actor_id,
            at=s.now,
        )
    )
    s.details.update(step=s.before.approval_step, role=role)


def _on_record_action(s: _Step) -> None:
    w, data = s.warning, s.data
    policy = tier_policy(s.before.tier, s.params)
    action = WarningAction(
        warning_id=w.id,
        tier=w.tier,
        kind=_text(data, "action_kind"),
        org_handling=_text(data, "org_handling"),
        done_on=_day(data, "done_on") or s.today,
        talk_id=_int(data, "talk_id") or None,
        inquiry_id=_int(data, "inquiry_id") or None,
        record_ref=_text(data, "record_ref"),
        content=_text(data, "content"),
        recorded_by_id=s.actor_id,
        at=s.now,
    )
    db.session.add(action)
    if policy.rectification_months is None:
        due, provisional = _day(data, "rectification_due"), False
        months = _int(data, "influence_months")
        if months:
            w.influence_until = add_months(w.issued_on or s.today, months)
    else:
        deadline = due_after_months(s.today, policy.rectification_months, s.cal)
        due, provisional = deadline.due, deadline.provisional
    db.session.add(
        Rectification(
            warning_id=w.id,
            round=len(w.rectifications) + 1,
            plan=_text(data, "plan"),
            started_on=s.today,
            due=due,
            recorded_by_id=s.actor_id,
            at=s.now,
        )
    )
    w.rectification_due, w.rectification_due_provisional = due, provisional
    _start_clock(w, s.today)
    s.details.update(
        action_kind=action.kind,
        talk_id=action.talk_id,
        inquiry_id=action.inquiry_id,
        record_ref=action.record_ref,
        org_handling=action.org_handling,
    )
    s.reason = action.content


def _current_round(s: _Step) -> Rectification:
    if s.warning.rectifications:
        return s.warning.rectifications[-1]
    # A rectifying warning always has a round; keep going if an old row lacks one.
    round_ = Rectification(warning_id=s.warning.id, round=1, started_on=s.today, at=s.now)
    db.session.add(round_)
    return round_


def _on_submit_report(s: _Step) -> None:
    current = _current_round(s)
    current.report = _text(s.data, "report")
    current.reported_on = s.today
    deadline = s.cal.add_workdays(s.today, param_int(s.params, "warning.review_workdays"))
    s.warning.review_due, s.warning.review_due_provisional = deadline.due, deadline.provisional
    _start_clock(s.warning, s.today)
    s.reason = current.report


def _review(s: _Step, result: str, opinion: str) -> None:
    current = _current_round(s)
    current.review_opinion = opinion
    current.review_result = result
    current.reviewed_on = s.today
    current.reviewer_id = s.actor_id


def _on_accept(s: _Step) -> None:
    s.reason = _text(s.data, "opinion")
    _review(s, "accepted", s.reason)


def _on_return(s: _Step) -> None:
    due = _day(s.data, "new_deadline")
    _review(s, "returned", s.reason)
    db.session.add(
        Rectification(
            warning_id=s.warning.id,
            round=len(s.warning.rectifications) + 1,
            plan=_text(s.data, "plan"),
            started_on=s.today,
            due=due,
            recorded_by_id=s.actor_id,
            at=s.now,
        )
    )
    s.warning.rectification_due, s.warning.rectification_due_provisional = due, False
    _start_clock(s.warning, s.today)
    s.details["new_deadline"] = _iso(due)


def _on_escalate(s: _Step) -> None:
    # Approval restarts at the higher tier; no deadline runs while it waits.
    s.warning.clock_started_on = None
    s.details["proposal_ids"] = [p.id for p in s.warning.proposals if p.status == "open"]
    _lapse_proposals(s.warning, "accepted", s.now)


def _on_clarify(s: _Step) -> None:
    untrue = [item for item in s.warning.basis if item.status == UNTRUE_CODE]
    info_id = _int(s.data, "negative_info_id") or (untrue[0].id if untrue else None)
    record = Clarification(
        warning_id=s.warning.id,
        negative_info_id=info_id,
        method=_text(s.data, "method"),
        clarified_on=_day(s.data, "clarified_on"),
        scope=_text(s.data, "scope"),
        document_number=_text(s.data, "document_number"),
        summary=s.reason or _text(s.data, "summary"),
        automatic=bool(s.data.get("automatic")),
        recorded_by_id=s.actor_id,
        at=s.now,
    )
    db.session.add(record)
    s.details.update(method=record.method, negative_info_id=info_id, automatic=record.automatic)
    if not s.reason:
        s.reason = record.summary


def _on_tolerate(s: _Step) -> None:
    w, data = s.warning, s.data
    outcome = _tolerance(data)
    reduced = outcome is ToleranceOutcome.REDUCED
    db.session.add(
        ToleranceDecision(
            warning_id=w.id,
            application=_text(data, "application"),
            facts=_text(data, "facts"),
            distinctions=_text(data, "distinctions"),
            collective_decision=_text(data, "collective_decision"),
            decided_on=_day(data, "decided_on") or s.today,
            outcome=outcome.value if outcome else "",
            from_tier=int(s.before.tier),
            to_tier=int(s.outcome.tier) if reduced else None,
            recorded_by_id=s.actor_id,
            at=s.now,
        )
    )
    s.details["outcome"] = outcome.value if outcome else ""
    s.reason = s.reason or _text(data, "facts")
    if reduced and w.issued_tier is not None:
        w.issued_tier = min(w.issued_tier, int(s.outcome.tier))
        months = tier_policy(s.outcome.tier, s.params).influence_months
        base = w.issued_on or s.today
        w.influence_until = add_months(base, months) if months else None


def _on_refer(s: _Step) -> None:
    referral = Referral(
        warning_id=s.warning.id,
        receiving_organ=_text(s.data, "receiving_organ"),
        document_number=_text(s.data, "document_number"),
        referred_on=_day(s.data, "referred_on") or s.today,
        note=_text(s.data, "note"),
        recorded_by_id=s.actor_id,
        at=s.now,
    )
    db.session.add(referral)
    s.details.update(
        receiving_organ=referral.receiving_organ, document_number=referral.document_number
    )


def _on_pause(s: _Step) -> None:
    s.warning.paused_since = s.today
    s.warning.paused_reason = s.reason[:500]


def _on_resume(s: _Step) -> None:
    w = s.warning
    since = w.paused_since or s.today
    paused = s.cal.workdays_between(since, s.today)
    w.clock_paused_workdays = (w.clock_paused_workdays or 0) + paused
    field_name = {
        State.ISSUED: "action_due",
        State.RECTIFYING: "rectification_due",
        State.REVIEWING: "review_due",
    }.get(State(w.state))
    if field_name and getattr(w, field_name):
        moved = shift_for_pause(getattr(w, field_name), since, s.today, s.cal)
        setattr(w, field_name, moved.due)
        flag = f"{field_name}_provisional"
        setattr(w, flag, getattr(w, flag) or moved.provisional)
        s.details[field_name] = _iso(moved.due)
    s.details.update(paused_since=_iso(since), paused_workdays=paused)
    w.paused_since = None
    w.paused_reason = ""


_EFFECTS: dict[Event, Callable[[_Step], None]] = {
    Event.APPROVE: _on_approve,
    Event.REJECT: _on_reject,
    Event.RECORD_ACTION: _on_record_action,
    Event.SUBMIT_REPORT: _on_submit_report,
    Event.ACCEPT: _on_accept,
    Event.RETURN: _on_return,
    Event.ESCALATE: _on_escalate,
    Event.CLARIFY: _on_clarify,
    Event.TOLERATE: _on_tolerate,
    Event.REFER: _on_refer,
    Event.PAUSE: _on_pause,
    Event.RESUME: _on_resume,
}


def _apply(
    warning: Warning,
    event: Event | str,
    actor: User | None,
    data: Mapping[str, Any] | None = None,
    *,
    roles: frozenset[str] | None = None,
) -> WarningEvent:
    """Apply an event to a loaded warning inside the caller's transaction."""
    data = data or {}
    today, now = clock.org_today(), clock.utc_now()
    try:
        event = Event(event)
    except ValueError:
        raise WorkflowError(_l("未知的操作：%(event)s", event=event)) from None
    ctx = _context(warning, event, actor, data, today, roles)
    params = all_params()
    try:
        outcome = transition(warning.state, warning.tier, event, ctx, params=params)
    except ForbiddenError as exc:
        raise WarningForbidden(exc) from None
    except TransitionError as exc:
        raise WorkflowError(exc) from None
    _check_inputs(warning, event, data, today)
    before = snapshot_of(warning)
    step = _Step(warning, event, actor, data, outcome, before, today, now, work_calendar(), params)
    step.reason = ctx.reason
    effect = _EFFECTS.get(event)
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
        _lapse_proposals(warning, "lapsed", now)
    _write_state(warning, outcome)
    # Touch the row so every event bumps the version, even one that only adds records.
    warning.updated_at = now
    row = _history(
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
    recompute_status_colour(warning.cadre_id, today)
    return row


def apply_event(
    warning_id: int,
    event: Event | str,
    actor: User,
    form_data: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
) -> Warning:
    """Apply one workflow event to a warning in the actor's scope and commit it.

    Raises WarningForbidden (role), WarningConflict (someone was first) or WorkflowError
    (refused by the table, a guard or the input); nothing is written in any of these cases.
    A warning outside the actor's scope answers 404.
    """
    warning = get_in_scope_or_404(Warning, warning_id, actor)
    if expected_version is not None and warning.version != expected_version:
        raise WarningConflict(CONFLICT_MESSAGE)
    try:
        _apply(warning, event, actor, form_data)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise WarningConflict(CONFLICT_MESSAGE) from None
    return warning


def may_perform(warning: Warning, event: Event | str, user: User) -> bool:
    """Tell whether the user's role may perform the event at the warning's tier and step."""
    roles = permitted_roles(Event(event), warning.tier, warning.approval_step, params=all_params())
    return bool(effective_roles({user.role.code}) & set(roles))


# ---------------------------------------------------------------------------------------------
# Creating a warning


def create_warning(
    actor: User,
    cadre_id: int,
    tier: Tier | int | str,
    item_ids: list[int] | set[int] | tuple[int, ...] = (),
    reason: str = "",
    *,
    submit: bool = False,
) -> Warning:
    """Open a draft warning (拟预警) for a cadre in scope, optionally sending it for approval."""
    if not actor.can(Permission.WARNING_PROPOSE):
        raise WarningForbidden(_l("当前角色无权发起预警"))
    cadre = get_in_scope_or_404(Cadre, cadre_id, actor)
    wanted = {int(i) for i in item_ids}
    items = (
        list(db.session.scalars(select_items().where(NegativeInfo.id.in_(wanted))))
        if wanted
        else []
    )
    if len(items) != len(wanted) or any(item.cadre_id != cadre.id for item in items):
        raise WorkflowError(_l("所选依据中有不属于该干部的负面信息"))
    if any(item.status == UNTRUE_CODE for item in items):
        raise WorkflowError(_l("已核实为失实的负面信息不能作为预警依据"))
    try:
        tier = Tier.parse(tier)
    except ValueError:
        raise WorkflowError(_l("请选择预警等级")) from None
    reason = (reason or "").strip()
    today, now = clock.org_today(), clock.utc_now()
    suggestion = suggestion_for(cadre.id, wanted, today)
    if tier != suggestion.tier and not reason:
        raise WorkflowError(_l("所选等级与系统建议不一致（或系统无建议），请写明理由"))
    warning = Warning(
        number=next_number(NUMBER_PREFIX, today.year),
        cadre_id=cadre.id,
        proposer_id=actor.id,
        handler_id=actor.id,
        reason=reason,
        suggested_tier=int(suggestion.tier) if suggestion.tier else None,
        suggestion="\n".join(suggestion.reasons),
    )
    warning.basis = items
    warning.state = State.DRAFT.value
    warning.tier = int(tier)
    db.session.add(warning)
    _history(
        warning,
        "create",
        actor,
        from_state="",
        from_tier=None,
        reason=reason,
        details={
            "basis": [item.number for item in items],
            "suggested_tier": warning.suggested_tier,
        },
        now=now,
    )
    db.session.commit()
    if submit:
        apply_event(warning.id, Event.SUBMIT, actor, {}, warning.version)
    return warning


# ---------------------------------------------------------------------------------------------
# Consequences of other records


def on_item_found_untrue(info: NegativeInfo, actor: User | None = None) -> list[Warning]:
    """Revoke every open warning resting only on untrue items, with a clarification record.

    Runs in the caller's transaction (the verification that found the item 失实) and does
    not commit. Returns the warnings revoked.
    """
    if info.status != UNTRUE_CODE:
        return []
    stmt = (
        sa.select(Warning)
        .join(warning_basis, warning_basis.c.warning_id == Warning.id)
        .where(
            warning_basis.c.negative_info_id == info.id,
            Warning.state.in_([s.value for s in OPEN_STATES]),
        )
        .order_by(Warning.id)
    )
    revoked = []
    for warning in db.session.scalars(stmt).unique():
        if not all(item.status == UNTRUE_CODE for item in warning.basis):
            continue
        summary = f"预警依据的负面信息 {info.number} 经核实失实，预警事项自动撤销，应予澄清正名"
        _apply(
            warning,
            Event.CLARIFY,
            actor,
            {"automatic": True, "negative_info_id": info.id, "reason": summary},
            # The 失实 finding is the judgement the reviewer would otherwise write.
            roles=frozenset({"reviewer"}),
        )
        revoked.append(warning)
    return revoked


def complete_clarification(warning: Warning, actor: User, data: Mapping[str, Any]) -> None:
    """Record how an automatic clearing was carried out (method, date, scope, document)."""
    record = next((c for c in reversed(warning.clarifications) if not c.method), None)
    if record is None:
        raise WorkflowError(_l("没有待补充的澄清正名记录"))
    if not _text(data, "method"):
        raise WorkflowError(_l("请选择澄清方式"))
    record.method = _text(data, "method")
    record.clarified_on = _day(data, "clarified_on")
    record.scope = _text(data, "scope")
    record.document_number = _text(data, "document_number")
    record.recorded_by_id = actor.id
    db.session.commit()


# ---------------------------------------------------------------------------------------------
# Scheduled work: overdue proposals and provisional deadlines


def file_overdue_proposals(today: date | None = None) -> list[WarningProposal]:
    """File a proposal for every warning overdue beyond the grace period (rule 4).

    Never escalates: a supervisor confirms by escalating. Each (warning, tier) is proposed
    once, however often the sweep runs, even from two processes at once.
    """
    today = today or clock.org_today()
    cal = work_calendar()
    params = all_params()
    warnings = list(
        db.session.scalars(
            sa.select(Warning).where(
                Warning.state.in_([s.value for s in ACTIVE_STATES]), Warning.tier < int(Tier.RED)
            )
        )
    )
    by_id = {w.id: w for w in warnings}
    facts = [warning_fact(w, today, cal) for w in warnings]
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    filed = []
    for proposal in overdue_escalations(facts, params):
        new_id = db.session.execute(
            insert(WarningProposal)
            .values(
                warning_id=proposal.warning_id,
                from_tier=int(proposal.from_tier),
                to_tier=int(proposal.to_tier),
                overdue_workdays=proposal.overdue_workdays,
                reason=proposal.reason,
                proposed_on=today,
                status="open",
                at=clock.utc_now(),
            )
            .on_conflict_do_nothing(index_elements=["warning_id", "to_tier"])
            .returning(WarningProposal.id)
        ).scalar()
        if new_id is not None:
            filed.append(db.session.get(WarningProposal, new_id))
            db.session.expire(by_id[proposal.warning_id], ["proposals"])
    for proposal in filed:
        signals.escalation_proposed.send(proposal)
    return filed


def recompute_provisional_deadlines(cal: WorkCalendar) -> int:
    """Recompute running deadlines counted over a year without holiday data; return changes."""
    params = all_params()
    stmt = sa.select(Warning).where(
        Warning.state.in_([s.value for s in ACTIVE_STATES]),
        sa.or_(
            Warning.action_due_provisional,
            Warning.rectification_due_provisional,
            Warning.review_due_provisional,
        ),
    )
    changed = 0
    for w in db.session.scalars(stmt):
        kind, due, provisional = current_due(w)
        start, paused = w.clock_started_on, w.clock_paused_workdays or 0
        if not provisional or start is None:
            continue
        policy = tier_policy(w.tier, params)
        if kind == "action":
            new = cal.add_workdays(start, policy.action_deadline_workdays + paused)
        elif kind == "rectification" and policy.rectification_months:
            new = due_after_months(start, policy.rectification_months, cal)
            if paused:
                moved = cal.add_workdays(new.due, paused)
                new = Deadline(moved.due, new.provisional or moved.provisional)
        elif kind == "review":
            new = cal.add_workdays(start, param_int(params, "warning.review_workdays") + paused)
        else:
            continue
        if (new.due, new.provisional) != (due, provisional):
            setattr(w, f"{kind}_due", new.due)
            setattr(w, f"{kind}_due_provisional", new.provisional)
            changed += 1
    return changed


def on_verification_concluded(
    info: NegativeInfo, *, previous: str, actor: User | None, **_kw: object
) -> None:
    """Revoke the warnings an item rested on once its verification concludes 失实."""
    if info.status == UNTRUE_CODE and previous != UNTRUE_CODE:
        on_item_found_untrue(info, actor)


def _committee_decision_for(user: User, decision_id: int) -> CommitteeDecision | None:
    """Return a committee decision whose warning the user may see, else None."""
    decision = db.session.get(CommitteeDecision, decision_id)
    if decision is None or not user.can(Permission.CADRE_VIEW):
        return None
    stmt = scoped(sa.select(Warning.id).where(Warning.id == decision.warning_id), Warning, user)
    return decision if db.session.scalar(stmt) is not None else None


def _committee_url(decision: CommitteeDecision) -> str:
    from flask import url_for

    return url_for("warnings.detail", warning_id=decision.warning_id)


def attachment_owners(_app: object) -> dict[str, attachments.Owner]:
    """Let party-committee decisions own their documents (answers `signals.attachment_owners`)."""
    return {
        COMMITTEE_OWNER: attachments.Owner(
            viewable=lambda decision_id, user: _committee_decision_for(user, decision_id),
            # A recorded decision is part of the history: its document is never swapped.
            editable=lambda decision_id, user: None,
            on_change=lambda record, user, event, attachment: None,
            url=_committee_url,
        )
    }
