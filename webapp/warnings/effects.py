"""What each event writes besides the state: approvals, actions, rounds, decisions, deadlines.

Each function takes the writer's `Step` (the command, the outcome, today, the calendar) and
adds its side records in the writer's transaction; the writer then sets the state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from webapp.attachments import services as attachments
from webapp.extensions import db
from webapp.models import (
    Approval,
    Clarification,
    CommitteeDecision,
    Rectification,
    Referral,
    ToleranceDecision,
    WarningAction,
)
from webapp.warnings.errors import WorkflowError
from webapp.warnings.inputs import FUTURE
from webapp.warnings.owners import ACTION_OWNER, COMMITTEE_OWNER, RECTIFICATION_OWNER
from webapp.warnings.step import (
    SELF_CRITICISM_KIND,
    Step,
    admonishment,
    escalation_start,
    lapse_proposals,
)
from workflows.calendar import add_months
from workflows.commands import (
    Accept,
    Approve,
    Clarify,
    RecordAction,
    RecordSelfCriticism,
    Refer,
    Return,
    SubmitReport,
    Tolerate,
)
from workflows.deadlines import due_after_months, shift_for_pause
from workflows.guards import ToleranceOutcome
from workflows.states import Event, State
from workflows.text import N_, Text
from workflows.tiers import COMMITTEE_ROLE, influence_months_for, param_int, tier_policy
from workflows.verification import Status

# The deadline fields a rejected escalation restores as they stood before it.
RESTORED = (
    "clock_started_on",
    "clock_paused_workdays",
    "clock_workdays",
    "clock_months",
    "paused_since",
    "paused_reason",
    "action_due",
    "action_due_provisional",
    "rectification_due",
    "rectification_due_provisional",
    "review_due",
    "review_due_provisional",
)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _start_clock(s: Step, *, workdays: int | None = None, months: int | None = None) -> None:
    s.warning.clock_started_on = s.today
    s.warning.clock_paused_workdays = 0
    s.warning.clock_workdays = workdays
    s.warning.clock_months = months


def _issue(s: Step) -> None:
    """Start the action deadline and the influence period of the tier just approved."""
    w = s.warning
    policy = tier_policy(s.outcome.tier, s.params)
    deadline = s.cal.add_workdays(s.today, policy.action_deadline_workdays)
    w.issued_on = s.today
    w.issued_tier = s.outcome.tier
    w.action_due, w.action_due_provisional = deadline.due, deadline.provisional
    w.influence_until = (
        add_months(s.today, policy.influence_months) if policy.influence_months else None
    )
    _start_clock(s, workdays=policy.action_deadline_workdays)


def _approval(s: Step, decision: str, comment: str) -> str:
    policy = tier_policy(s.before.tier, s.params)
    role = policy.step_role(s.before.approval_step) or ""
    db.session.add(
        Approval(
            warning_id=s.warning.id,
            tier=int(s.before.tier),
            step=s.before.approval_step or 0,
            role=role,
            decision=decision,
            comment=comment,
            recorded_by_id=s.actor_id,
            at=s.now,
        )
    )
    s.details.update(step=s.before.approval_step, role=role)
    return role


def on_approve(s: Step) -> None:
    """Record the approval (and the committee's decision with its document)."""
    command: Approve = s.command  # type: ignore[assignment]
    role = _approval(s, "approved", command.comment)
    s.reason = command.comment
    if role == COMMITTEE_ROLE:
        decision = CommitteeDecision(
            warning_id=s.warning.id,
            document_number=command.document_number,
            decided_on=command.decided_on,
            summary=command.summary,
            recorded_by_id=s.actor_id,
            at=s.now,
        )
        db.session.add(decision)
        db.session.flush()
        stored, _refused = attachments.store_many(
            list(command.documents), COMMITTEE_OWNER, s.actor, owner_id=decision.id
        )
        s.details["committee_document"] = decision.document_number
        s.details["attachment_ids"] = [a.id for a in stored]
    if s.outcome.state is State.ISSUED:
        _issue(s)


def on_reject(s: Step) -> None:
    """Record the rejection; a refused escalation gets its old deadlines back."""
    _approval(s, "rejected", s.reason)
    escalation = escalation_start(s.warning)
    if escalation is None:
        return
    saved = (escalation.payload or {}).get("details", {}).get("resume", {})
    for name in RESTORED:
        if name in saved:
            value = saved[name]
            if name.endswith(("_on", "_due", "_since")) and isinstance(value, str):
                value = date.fromisoformat(value)
            setattr(s.warning, name, value)
    s.details["escalation_rejected"] = True
    s.details["rejected_tier"] = int(s.before.tier)


def on_record_action(s: Step) -> None:
    """Record the measure taken and open the first rectification round."""
    w, command = s.warning, s.command
    assert isinstance(command, RecordAction)
    policy = tier_policy(s.before.tier, s.params)
    action = WarningAction(
        tier=int(w.tier),
        kind=command.action_kind,
        org_handling=command.org_handling,
        done_on=command.done_on or s.today,
        talk_id=command.talk_id or None,
        inquiry_id=command.inquiry_id or None,
        record_ref=command.record_ref,
        content=command.content,
        recorded_by_id=s.actor_id,
        at=s.now,
    )
    w.actions.append(action)  # the guards and the deadlines read the relationship
    if policy.rectification_months is None:
        due, provisional = command.rectification_due, False
        _set_influence(s, command.org_handling, command.influence_months, command.influence_reason)
    else:
        deadline = due_after_months(s.today, policy.rectification_months, s.cal)
        due, provisional = deadline.due, deadline.provisional
    _new_round(s, command.plan, due)
    w.rectification_due, w.rectification_due_provisional = due, provisional
    _start_clock(s, months=policy.rectification_months)
    s.details.update(
        action_kind=action.kind,
        talk_id=action.talk_id,
        inquiry_id=action.inquiry_id,
        record_ref=action.record_ref,
        org_handling=action.org_handling,
    )
    s.reason = action.content


def _set_influence(s: Step, kind: str, months: int | None, why: str) -> None:
    """Derive a tier-3 influence period from the kind of measure; another length needs a reason."""
    default = influence_months_for(kind, s.params)
    chosen = months or default
    if chosen != default and not why.strip():
        raise WorkflowError(
            Text(
                N_("影响期与该处理方式的默认值（%(months)s个月）不同，请说明理由"), months=default
            ),
            code="influence_reason",
            field="influence_reason",
        )
    base = s.warning.issued_on or s.today
    s.warning.influence_until = add_months(base, chosen) if chosen else None
    s.details.update(influence_months=chosen, influence_default=default)
    if chosen != default:
        s.details["influence_reason"] = why.strip()


def _new_round(s: Step, plan: str, due: date | None) -> None:
    db.session.add(
        Rectification(
            warning_id=s.warning.id,
            round=len(s.warning.rectifications) + 1,
            plan=plan,
            started_on=s.today,
            due=due,
            recorded_by_id=s.actor_id,
            at=s.now,
        )
    )


def _current_round(s: Step) -> Rectification:
    if s.warning.rectifications:
        return s.warning.rectifications[-1]
    # A rectifying warning always has a round; keep going if an old row lacks one.
    round_ = Rectification(warning_id=s.warning.id, round=1, started_on=s.today, at=s.now)
    db.session.add(round_)
    return round_


def on_submit_report(s: Step) -> None:
    """Hand in the rectification report (with its attachments) and start the review."""
    command: SubmitReport = s.command  # type: ignore[assignment]
    current = _current_round(s)
    current.report = command.report.strip()
    current.reported_on = s.today
    db.session.flush()
    stored, _refused = attachments.store_many(
        list(command.documents), RECTIFICATION_OWNER, s.actor, owner_id=current.id
    )
    s.details["attachment_ids"] = [a.id for a in stored]
    workdays = param_int(s.params, "warning.review_workdays")
    deadline = s.cal.add_workdays(s.today, workdays)
    s.warning.review_due, s.warning.review_due_provisional = deadline.due, deadline.provisional
    _start_clock(s, workdays=workdays)
    s.reason = current.report


def _handed_in_on(s: Step, command: RecordSelfCriticism) -> date:
    """Return the day the 书面检查 was handed in, refused when missing, future or too early."""
    day = command.handed_in_on
    if day is None:
        raise WorkflowError(
            Text(N_("请填写书面检查的提交日期")), code="handed_in_on_missing", field="handed_in_on"
        )
    if day > s.today:
        raise WorkflowError(FUTURE, code="date_in_future", field="handed_in_on")
    talk = admonishment(s.warning)
    if talk is not None and day < talk.done_on:
        raise WorkflowError(
            Text(
                N_("提交日期不能早于诫勉谈话或诫勉书的日期（%(day)s）"),
                day=talk.done_on.isoformat(),
            ),
            code="date_before_timeline",
            field="handed_in_on",
        )
    return day


def on_record_self_criticism(s: Step) -> None:
    """Record the 书面检查 handed in (with its attachments); state and tier stay."""
    command: RecordSelfCriticism = s.command  # type: ignore[assignment]
    day = _handed_in_on(s, command)
    record = WarningAction(
        tier=int(s.warning.tier),
        kind=SELF_CRITICISM_KIND,
        done_on=day,
        content=command.note.strip(),
        recorded_by_id=s.actor_id,
        at=s.now,
    )
    s.warning.actions.append(record)
    db.session.flush()
    stored, _refused = attachments.store_many(
        list(command.documents), ACTION_OWNER, s.actor, owner_id=record.id
    )
    s.details.update(handed_in_on=_iso(day), attachment_ids=[a.id for a in stored])
    s.reason = record.content


def _review(s: Step, result: str, opinion: str) -> None:
    current = _current_round(s)
    current.review_opinion = opinion
    current.review_result = result
    current.reviewed_on = s.today
    current.reviewer_id = s.actor_id


def on_accept(s: Step) -> None:
    """Accept the report: the warning is lifted (销号)."""
    command: Accept = s.command  # type: ignore[assignment]
    s.reason = command.opinion.strip()
    _review(s, "accepted", s.reason)


def on_return(s: Step) -> None:
    """Return the report with a new deadline: a new round starts."""
    command: Return = s.command  # type: ignore[assignment]
    _review(s, "returned", s.reason)
    _new_round(s, command.plan, command.new_deadline)
    s.warning.rectification_due, s.warning.rectification_due_provisional = (
        command.new_deadline,
        False,
    )
    _start_clock(s)
    s.details["new_deadline"] = _iso(command.new_deadline)


def on_escalate(s: Step) -> None:
    """Keep the running deadlines so a rejection can restore them; no clock runs meanwhile."""
    w = s.warning
    s.details["resume"] = {
        name: _iso(v) if isinstance(v, date) else v
        for name in RESTORED
        if (v := getattr(w, name)) is not None
    }
    w.clock_started_on = None
    s.details["proposal_ids"] = [p.id for p in w.proposals if p.status == "open"]
    lapse_proposals(w, "accepted", s.now)


def on_clarify(s: Step) -> None:
    """Record the clarification (澄清正名) that goes with the revocation."""
    command: Clarify = s.command  # type: ignore[assignment]
    untrue = [item for item in s.warning.basis if item.status == Status.UNTRUE]
    info_id = command.negative_info_id or (untrue[0].id if untrue else None)
    record = Clarification(
        warning_id=s.warning.id,
        negative_info_id=info_id,
        method=command.method,
        clarified_on=command.clarified_on,
        scope=command.scope,
        document_number=command.document_number,
        summary=s.reason,
        automatic=command.automatic,
        recorded_by_id=s.actor_id,
        at=s.now,
    )
    db.session.add(record)
    s.details.update(method=record.method, negative_info_id=info_id, automatic=record.automatic)


def on_tolerate(s: Step) -> None:
    """Record the tolerance decision; 减责 lowers the tier in force, 不予容错 changes nothing."""
    w, command = s.warning, s.command
    assert isinstance(command, Tolerate)
    outcome = ToleranceOutcome(command.outcome)
    reduced = outcome is ToleranceOutcome.REDUCED
    db.session.add(
        ToleranceDecision(
            warning_id=w.id,
            application=command.application,
            facts=command.facts,
            distinctions=command.distinctions,
            collective_decision=command.collective_decision,
            decided_on=command.decided_on or s.today,
            outcome=outcome.value,
            from_tier=int(s.before.tier),
            to_tier=int(s.outcome.tier) if reduced else None,
            recorded_by_id=s.actor_id,
            at=s.now,
        )
    )
    s.details["outcome"] = outcome.value
    s.reason = s.reason or command.facts
    if reduced and w.issued_tier is not None:
        w.issued_tier = min(w.issued_tier, s.outcome.tier)
        months = tier_policy(s.outcome.tier, s.params).influence_months
        base = w.issued_on or s.today
        w.influence_until = add_months(base, months) if months else None


def on_refer(s: Step) -> None:
    """Record the referral; its note is the history's reason and its kind sets the influence."""
    command: Refer = s.command  # type: ignore[assignment]
    referral = Referral(
        warning_id=s.warning.id,
        receiving_organ=command.receiving_organ,
        document_number=command.document_number,
        referred_on=command.referred_on or s.today,
        note=command.note,
        recorded_by_id=s.actor_id,
        at=s.now,
    )
    db.session.add(referral)
    s.reason = command.note.strip() or s.reason
    s.details.update(
        receiving_organ=referral.receiving_organ, document_number=referral.document_number
    )
    _set_influence(s, "referral", None, "")


def on_pause(s: Step) -> None:
    """Stop the clock with the reason."""
    s.warning.paused_since = s.today
    s.warning.paused_reason = s.reason[:500]


def on_resume(s: Step) -> None:
    """Restart the clock: the running deadline moves by the paused working days."""
    w = s.warning
    since = w.paused_since or s.today
    paused = s.cal.workdays_between(since, s.today)
    w.clock_paused_workdays = (w.clock_paused_workdays or 0) + paused
    field_name = {
        State.ISSUED: "action_due",
        State.RECTIFYING: "rectification_due",
        State.REVIEWING: "review_due",
    }.get(w.state)
    if field_name and getattr(w, field_name):
        moved = shift_for_pause(getattr(w, field_name), since, s.today, s.cal)
        setattr(w, field_name, moved.due)
        flag = f"{field_name}_provisional"
        setattr(w, flag, getattr(w, flag) or moved.provisional)
        s.details[field_name] = _iso(moved.due)
    s.details.update(paused_since=_iso(since), paused_workdays=paused)
    w.paused_since = None
    w.paused_reason = ""


EFFECTS: dict[Event, Callable[[Step], None]] = {
    Event.APPROVE: on_approve,
    Event.REJECT: on_reject,
    Event.RECORD_ACTION: on_record_action,
    Event.SUBMIT_REPORT: on_submit_report,
    Event.RECORD_SELF_CRITICISM: on_record_self_criticism,
    Event.ACCEPT: on_accept,
    Event.RETURN: on_return,
    Event.ESCALATE: on_escalate,
    Event.CLARIFY: on_clarify,
    Event.TOLERATE: on_tolerate,
    Event.REFER: on_refer,
    Event.PAUSE: on_pause,
    Event.RESUME: on_resume,
}
