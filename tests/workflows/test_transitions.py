"""The warning transition table: every (state, event) pair, approval chains, escalation."""

import itertools
from dataclasses import replace
from datetime import date

import pytest

from workflows.guards import ToleranceOutcome, TransitionContext
from workflows.states import FINAL_STATES, OPEN_STATES, Event, State
from workflows.tiers import (
    DEFAULT_PARAMETERS,
    ParameterError,
    Tier,
    param_int,
    param_roles,
    tier_policy,
)
from workflows.transitions import (
    TABLE,
    TRANSITIONS,
    ForbiddenError,
    GuardError,
    TransitionError,
    allowed_events,
    legal_events,
    permitted_roles,
    transition,
)

TODAY = date(2026, 3, 2)
EVERY_ROLE = frozenset({"supervisor", "reviewer", "approver", "minister", "committee"})

# A context in which every guard passes, so the table alone decides.
FULL = TransitionContext(
    actor_roles=EVERY_ROLE,
    actor_is_proposer=True,
    reason="经研判需调整",
    has_verified_basis=True,
    has_action_record=True,
    has_report=True,
    has_review_opinion=True,
    new_deadline=date(2026, 9, 1),
    today=TODAY,
    has_clarification=True,
    basis_found_untrue=True,
    tolerance_outcome=ToleranceOutcome.EXEMPT,
    has_referral_record=True,
    has_committee_decision=True,
    admonished=True,
)

S, E = State, Event
T2, T3 = Tier.ORANGE, Tier.RED

# (state, event) -> (state after, tier after), starting at tier 2 unless TIER_IN says otherwise.
LEGAL: dict[tuple[State, Event], tuple[State, Tier]] = {
    (S.DRAFT, E.SUBMIT): (S.PENDING_APPROVAL, T2),
    (S.DRAFT, E.CLARIFY): (S.REVOKED, T2),
    (S.DRAFT, E.TOLERATE): (S.REVOKED, T2),
    (S.DRAFT, E.WITHDRAW): (S.REVOKED, T2),
    (S.PENDING_APPROVAL, E.APPROVE): (S.PENDING_APPROVAL, T2),
    (S.PENDING_APPROVAL, E.REJECT): (S.DRAFT, T2),
    (S.PENDING_APPROVAL, E.CLARIFY): (S.REVOKED, T2),
    (S.PENDING_APPROVAL, E.TOLERATE): (S.REVOKED, T2),
    (S.PENDING_APPROVAL, E.PAUSE): (S.PENDING_APPROVAL, T2),
    (S.PENDING_APPROVAL, E.RESUME): (S.PENDING_APPROVAL, T2),
    (S.ISSUED, E.RECORD_ACTION): (S.RECTIFYING, T2),
    (S.ISSUED, E.ESCALATE): (S.PENDING_APPROVAL, T3),
    (S.ISSUED, E.CLARIFY): (S.REVOKED, T2),
    (S.ISSUED, E.TOLERATE): (S.REVOKED, T2),
    (S.ISSUED, E.REFER): (S.REFERRED, T3),
    (S.ISSUED, E.PAUSE): (S.ISSUED, T2),
    (S.ISSUED, E.RESUME): (S.ISSUED, T2),
    (S.RECTIFYING, E.SUBMIT_REPORT): (S.REVIEWING, T2),
    (S.RECTIFYING, E.RECORD_SELF_CRITICISM): (S.RECTIFYING, T2),
    (S.RECTIFYING, E.ESCALATE): (S.PENDING_APPROVAL, T3),
    (S.RECTIFYING, E.CLARIFY): (S.REVOKED, T2),
    (S.RECTIFYING, E.TOLERATE): (S.REVOKED, T2),
    (S.RECTIFYING, E.PAUSE): (S.RECTIFYING, T2),
    (S.RECTIFYING, E.RESUME): (S.RECTIFYING, T2),
    (S.REVIEWING, E.RECORD_SELF_CRITICISM): (S.REVIEWING, T2),
    (S.REVIEWING, E.ACCEPT): (S.LIFTED, T2),
    (S.REVIEWING, E.RETURN): (S.RECTIFYING, T2),
    (S.REVIEWING, E.ESCALATE): (S.PENDING_APPROVAL, T3),
    (S.REVIEWING, E.CLARIFY): (S.REVOKED, T2),
    (S.REVIEWING, E.TOLERATE): (S.REVOKED, T2),
    (S.REVIEWING, E.PAUSE): (S.REVIEWING, T2),
    (S.REVIEWING, E.RESUME): (S.REVIEWING, T2),
}
TIER_IN = {(S.ISSUED, E.REFER): T3}

ALL_PAIRS = list(itertools.product(State, Event))


def _ctx_for(state: State, event: Event) -> TransitionContext:
    return replace(
        FULL,
        # Only the proposer withdraws, and the proposer may not approve (不得自审).
        actor_is_proposer=event is Event.WITHDRAW,
        paused=event is Event.RESUME,
        approval_step=0 if state is State.PENDING_APPROVAL else None,
    )


@pytest.mark.parametrize(("state", "event"), ALL_PAIRS, ids=lambda v: str(v))
def test_every_state_event_pair(state: State, event: Event) -> None:
    tier = TIER_IN.get((state, event), T2)
    ctx = _ctx_for(state, event)
    if (state, event) in LEGAL:
        outcome = transition(state, tier, event, ctx)
        assert (outcome.state, outcome.tier) == LEGAL[(state, event)]
        assert (outcome.from_state, outcome.from_tier, outcome.event) == (state, tier, event)
        assert outcome.paused is (event is Event.PAUSE)
    else:
        with pytest.raises(TransitionError) as caught:
            transition(state, tier, event, ctx)
        error = caught.value
        # Illegal by the table, not by a guard or a role.
        assert type(error) is TransitionError
        assert (error.event, error.state) == (event, state)
        assert set(error.allowed) == {e for (s, e) in LEGAL if s is state}
        assert f"「{state.label}」" in str(error)
        assert f"「{event.label}」" in str(error)


def test_illegal_message_lists_what_is_allowed() -> None:
    with pytest.raises(TransitionError) as caught:
        transition(State.ISSUED, Tier.YELLOW, Event.SUBMIT, FULL)
    assert str(caught.value) == (
        "不能在「已下达」状态执行「送审」；"
        "当前可执行：记录处置、升级、澄清、容错、移送、暂停计时、恢复计时"
    )
    assert isinstance(caught.value, ValueError)


def test_final_state_message_says_nothing_is_allowed() -> None:
    with pytest.raises(TransitionError, match="当前可执行：无（已办结）"):
        transition(State.LIFTED, Tier.YELLOW, Event.ESCALATE, FULL)


def test_unknown_event_is_refused_clearly() -> None:
    with pytest.raises(TransitionError, match="未知的操作「promote」") as caught:
        transition("draft", 1, "promote", FULL)
    assert caught.value.allowed == legal_events(State.DRAFT)


def test_strings_from_the_database_are_accepted() -> None:
    outcome = transition("draft", "2", "submit", FULL)
    assert outcome.state is State.PENDING_APPROVAL
    assert outcome.tier is Tier.ORANGE
    assert transition("reviewing", 1, "return", FULL).state is State.RECTIFYING


def test_table_has_one_row_per_event_and_none_from_final_states() -> None:
    assert [row.event for row in TRANSITIONS] == list(Event)
    assert set(TABLE) == set(Event)
    for row in TRANSITIONS:
        assert not row.sources & FINAL_STATES
    assert {s for (s, _) in LEGAL} == set(OPEN_STATES)


# --- approval chains -------------------------------------------------------------------------

CHAINS = {
    Tier.YELLOW: ("reviewer", "approver"),
    Tier.ORANGE: ("reviewer", "approver", "minister"),
    Tier.RED: ("reviewer", "approver", "minister", "committee"),
}


def _as(*roles: str, **inputs: object) -> TransitionContext:
    return TransitionContext(actor_roles=frozenset(roles), **inputs)


@pytest.mark.parametrize("tier", list(Tier))
def test_approval_chain_runs_step_by_step_to_issued(tier: Tier) -> None:
    chain = CHAINS[tier]
    assert tier_policy(tier).approval_chain == chain
    outcome = transition(State.DRAFT, tier, Event.SUBMIT, _as("supervisor", reason="苗头性问题"))
    assert (outcome.state, outcome.approval_step, outcome.awaiting_role) == (
        State.PENDING_APPROVAL,
        0,
        chain[0],
    )
    for step, role in enumerate(chain):
        others = EVERY_ROLE - {role} - ({"reviewer"} if role == "committee" else set())
        with pytest.raises(ForbiddenError) as caught:
            transition(
                State.PENDING_APPROVAL,
                tier,
                Event.APPROVE,
                _as(*others, approval_step=step, has_committee_decision=True),
            )
        assert role in caught.value.roles
        outcome = transition(
            State.PENDING_APPROVAL,
            tier,
            Event.APPROVE,
            _as(role, approval_step=step, has_committee_decision=True),
        )
        if step + 1 < len(chain):
            assert outcome.state is State.PENDING_APPROVAL
            assert outcome.approval_step == step + 1
            assert outcome.awaiting_role == chain[step + 1]
        else:
            assert outcome.state is State.ISSUED
            assert outcome.approval_step is None
            assert outcome.awaiting_role is None
        assert outcome.tier is tier


@pytest.mark.parametrize(("tier", "step"), [(t, s) for t in Tier for s in range(len(CHAINS[t]))])
def test_reject_at_any_step_returns_to_draft_with_a_reason(tier: Tier, step: int) -> None:
    role = CHAINS[tier][step]
    with pytest.raises(GuardError) as caught:
        transition(State.PENDING_APPROVAL, tier, Event.REJECT, _as(role, approval_step=step))
    assert caught.value.failed == ("reason_given",)
    outcome = transition(
        State.PENDING_APPROVAL,
        tier,
        Event.REJECT,
        _as(role, approval_step=step, reason="依据不足"),
    )
    assert (outcome.state, outcome.tier, outcome.approval_step) == (State.DRAFT, tier, None)


def test_tier3_final_step_needs_the_committee_decision() -> None:
    with pytest.raises(GuardError) as caught:
        transition(
            State.PENDING_APPROVAL, Tier.RED, Event.APPROVE, _as("reviewer", approval_step=3)
        )
    assert caught.value.failed == ("committee_decision_if_needed",)
    assert "党委决定" in str(caught.value)
    # Earlier steps need no document.
    outcome = transition(
        State.PENDING_APPROVAL, Tier.RED, Event.APPROVE, _as("minister", approval_step=2)
    )
    assert (outcome.approval_step, outcome.awaiting_role) == (3, "committee")
    for recorder in ("reviewer", "committee"):
        outcome = transition(
            State.PENDING_APPROVAL,
            Tier.RED,
            Event.APPROVE,
            _as(recorder, approval_step=3, has_committee_decision=True),
        )
        assert outcome.state is State.ISSUED


def test_committee_recorders_come_from_parameters() -> None:
    params = {"warning.committee_recorder_roles": "minister"}
    ctx = _as("reviewer", approval_step=3, has_committee_decision=True)
    with pytest.raises(ForbiddenError, match="党委、部长"):
        transition(State.PENDING_APPROVAL, Tier.RED, Event.APPROVE, ctx, params=params)
    ctx = replace(ctx, actor_roles=frozenset({"minister"}))
    assert transition(State.PENDING_APPROVAL, 3, Event.APPROVE, ctx, params=params).state is (
        State.ISSUED
    )
    assert permitted_roles(Event.APPROVE, Tier.RED, 3, params=params) == ("committee", "minister")


def test_supervisor_cannot_approve_the_reviewer_step() -> None:
    with pytest.raises(ForbiddenError, match="需要：科长"):
        transition(State.PENDING_APPROVAL, 1, Event.APPROVE, _as("supervisor", approval_step=0))


def test_approval_step_outside_the_chain_is_reported() -> None:
    with pytest.raises(GuardError) as caught:
        transition(State.PENDING_APPROVAL, 1, Event.APPROVE, _as("approver", approval_step=2))
    assert caught.value.failed == ("approval_step_known",)
    with pytest.raises(GuardError):
        transition(State.PENDING_APPROVAL, 1, Event.APPROVE, _as("reviewer", approval_step=None))


def test_approval_chain_from_database_strings() -> None:
    params = {"warning.tier1.approval_chain": " approver ，minister "}
    assert tier_policy(1, params).approval_chain == ("approver", "minister")
    outcome = transition(State.DRAFT, 1, Event.SUBMIT, _as("supervisor", reason="x"), params=params)
    assert outcome.awaiting_role == "approver"


# --- escalation ------------------------------------------------------------------------------


def _approve_all(tier: Tier) -> State:
    state, step = State.PENDING_APPROVAL, 0
    while state is State.PENDING_APPROVAL:
        ctx = _as(CHAINS[tier][step], approval_step=step, has_committee_decision=True)
        outcome = transition(state, tier, Event.APPROVE, ctx)
        state, step = outcome.state, outcome.approval_step
    return state


def test_escalation_goes_one_to_two_to_three_and_stops() -> None:
    escalate = _as("supervisor", reason="整改不到位")
    state, tier = State.ISSUED, Tier.YELLOW
    for expected in (Tier.ORANGE, Tier.RED):
        outcome = transition(state, tier, Event.ESCALATE, escalate)
        assert (outcome.state, outcome.tier, outcome.approval_step) == (
            State.PENDING_APPROVAL,
            expected,
            0,
        )
        assert outcome.tier_changed
        # The higher tier's whole chain restarts from its first step.
        assert outcome.awaiting_role == "reviewer"
        tier = outcome.tier
        state = _approve_all(tier)
        assert state is State.ISSUED
    with pytest.raises(GuardError, match="已是三级预警，无法再升级") as caught:
        transition(state, tier, Event.ESCALATE, escalate)
    assert caught.value.failed == ("below_top_tier",)
    assert Event.ESCALATE not in allowed_events(state, tier, escalate)


def test_escalate_needs_a_reason_and_a_supervisor() -> None:
    with pytest.raises(GuardError, match="请写明理由"):
        transition(State.RECTIFYING, 1, Event.ESCALATE, _as("supervisor"))
    with pytest.raises(ForbiddenError):
        transition(State.RECTIFYING, 1, Event.ESCALATE, _as("approver", reason="x"))


# --- the side exits --------------------------------------------------------------------------


def test_tolerance_exempt_revokes() -> None:
    ctx = _as("approver", tolerance_outcome="exempt")
    outcome = transition(State.RECTIFYING, Tier.ORANGE, Event.TOLERATE, ctx)
    assert (outcome.state, outcome.tier) == (State.REVOKED, Tier.ORANGE)


@pytest.mark.parametrize("state", [State.DRAFT, State.ISSUED, State.RECTIFYING, State.REVIEWING])
def test_tolerance_reduced_lowers_one_tier_and_keeps_the_state(state: State) -> None:
    ctx = _as("approver", tolerance_outcome=ToleranceOutcome.REDUCED)
    outcome = transition(state, Tier.RED, Event.TOLERATE, ctx)
    assert (outcome.state, outcome.tier, outcome.approval_step) == (state, Tier.ORANGE, None)


def test_tolerance_reduced_while_pending_restarts_the_lower_chain() -> None:
    ctx = _as("approver", tolerance_outcome="reduced", approval_step=3)
    outcome = transition(State.PENDING_APPROVAL, Tier.RED, Event.TOLERATE, ctx)
    assert (outcome.state, outcome.tier, outcome.approval_step, outcome.awaiting_role) == (
        State.PENDING_APPROVAL,
        Tier.ORANGE,
        0,
        "reviewer",
    )


def test_tolerance_refused_when_missing_or_below_tier1() -> None:
    with pytest.raises(GuardError) as caught:
        transition(State.ISSUED, 2, Event.TOLERATE, _as("approver", tolerance_outcome=None))
    assert caught.value.failed == ("tolerance_decided",)
    with pytest.raises(GuardError, match="一级预警无法减责降级"):
        transition(State.ISSUED, 1, Event.TOLERATE, _as("approver", tolerance_outcome="reduced"))


@pytest.mark.parametrize("state", [State.DRAFT, State.PENDING_APPROVAL, State.ISSUED])
def test_tolerance_denied_is_recorded_and_changes_nothing(state: State) -> None:
    step = 1 if state is State.PENDING_APPROVAL else None
    ctx = _as("approver", tolerance_outcome="denied", approval_step=step)
    outcome = transition(state, 2, Event.TOLERATE, ctx)
    assert (outcome.state, outcome.tier, outcome.approval_step) == (state, Tier.ORANGE, step)


def test_rejected_escalation_returns_to_the_state_and_tier_before_it() -> None:
    ctx = _as("reviewer", approval_step=0, reason="证据不足", escalated_from=State.RECTIFYING)
    outcome = transition(State.PENDING_APPROVAL, 2, Event.REJECT, ctx)
    assert (outcome.state, outcome.tier, outcome.approval_step) == (
        State.RECTIFYING,
        Tier.YELLOW,
        None,
    )
    first = transition(
        State.PENDING_APPROVAL, 2, Event.REJECT, _as("reviewer", approval_step=0, reason="证据不足")
    )
    assert (first.state, first.tier) == (State.DRAFT, Tier.ORANGE)


def test_clarify_needs_a_record_and_untrue_basis_or_judgement() -> None:
    with pytest.raises(GuardError) as caught:
        transition(State.ISSUED, 1, Event.CLARIFY, _as("reviewer"))
    assert caught.value.failed == ("clarification_recorded", "untrue_or_judgement")
    assert len(caught.value.messages) == 2
    for inputs in ({"basis_found_untrue": True}, {"reason": "经研判问题不实"}):
        ctx = _as("reviewer", has_clarification=True, **inputs)
        assert transition(State.ISSUED, 1, Event.CLARIFY, ctx).state is State.REVOKED
    with pytest.raises(ForbiddenError):
        transition(State.ISSUED, 1, Event.CLARIFY, _as("supervisor", has_clarification=True))


def test_refer_only_from_issued_tier3_with_a_record() -> None:
    ctx = _as("approver", has_referral_record=True)
    assert transition(State.ISSUED, Tier.RED, Event.REFER, ctx).state is State.REFERRED
    with pytest.raises(GuardError, match="仅三级预警"):
        transition(State.ISSUED, Tier.ORANGE, Event.REFER, ctx)
    with pytest.raises(GuardError, match="移送记录"):
        transition(State.ISSUED, Tier.RED, Event.REFER, _as("approver"))
    with pytest.raises(ForbiddenError):
        transition(State.ISSUED, Tier.RED, Event.REFER, _as("reviewer", has_referral_record=True))


def test_withdraw_only_by_the_proposer_with_a_reason() -> None:
    ctx = _as("supervisor", reason="信息有误", actor_is_proposer=True)
    assert transition(State.DRAFT, 1, Event.WITHDRAW, ctx).state is State.REVOKED
    with pytest.raises(GuardError, match="只有提出人"):
        transition(State.DRAFT, 1, Event.WITHDRAW, replace(ctx, actor_is_proposer=False))


def test_return_needs_a_reason_and_a_future_deadline() -> None:
    ctx = _as("reviewer", reason="整改不彻底", new_deadline=TODAY, today=TODAY)
    with pytest.raises(GuardError) as caught:
        transition(State.REVIEWING, 1, Event.RETURN, ctx)
    assert caught.value.failed == ("new_deadline_set",)
    ok = replace(ctx, new_deadline=date(2026, 6, 1))
    assert transition(State.REVIEWING, 1, Event.RETURN, ok).state is State.RECTIFYING


# --- pause and resume ------------------------------------------------------------------------


def test_pause_and_resume_toggle_the_flag_only() -> None:
    pause = _as("supervisor", reason="等待审计结果")
    outcome = transition(State.RECTIFYING, 2, Event.PAUSE, pause)
    assert (outcome.state, outcome.tier, outcome.paused) == (State.RECTIFYING, Tier.ORANGE, True)
    with pytest.raises(GuardError, match="计时已处于暂停状态"):
        transition(State.RECTIFYING, 2, Event.PAUSE, replace(pause, paused=True))
    with pytest.raises(GuardError, match="计时未暂停"):
        transition(State.RECTIFYING, 2, Event.RESUME, _as("supervisor"))
    outcome = transition(State.RECTIFYING, 2, Event.RESUME, _as("supervisor", paused=True))
    assert (outcome.state, outcome.paused) == (State.RECTIFYING, False)


def test_pause_keeps_the_approval_step() -> None:
    ctx = _as("reviewer", reason="等待审计结果", approval_step=1)
    outcome = transition(State.PENDING_APPROVAL, 2, Event.PAUSE, ctx)
    assert (outcome.approval_step, outcome.awaiting_role, outcome.paused) == (1, "approver", True)


def test_pause_needs_a_reason_and_is_refused_on_a_draft() -> None:
    with pytest.raises(GuardError, match="请写明理由"):
        transition(State.ISSUED, 1, Event.PAUSE, _as("supervisor"))
    with pytest.raises(TransitionError):
        transition(State.DRAFT, 1, Event.PAUSE, _as("supervisor", reason="x"))


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (State.PENDING_APPROVAL, Event.APPROVE),
        (State.PENDING_APPROVAL, Event.REJECT),
        (State.ISSUED, Event.RECORD_ACTION),
        (State.ISSUED, Event.ESCALATE),
        (State.RECTIFYING, Event.SUBMIT_REPORT),
        (State.RECTIFYING, Event.RECORD_SELF_CRITICISM),
        (State.REVIEWING, Event.RECORD_SELF_CRITICISM),
        (State.REVIEWING, Event.ACCEPT),
        (State.REVIEWING, Event.RETURN),
    ],
)
def test_clock_events_wait_for_resume(state: State, event: Event) -> None:
    ctx = replace(FULL, paused=True, approval_step=0, actor_is_proposer=False)
    with pytest.raises(GuardError, match="请先恢复计时") as caught:
        transition(state, Tier.ORANGE, event, ctx)
    assert caught.value.failed == ("clock_running",)


def test_closing_while_paused_clears_the_pause_and_reducing_keeps_it() -> None:
    paused = replace(FULL, paused=True)
    assert transition(State.ISSUED, 2, Event.CLARIFY, paused).paused is False
    assert transition(State.ISSUED, 3, Event.REFER, paused).paused is False
    reduced = replace(paused, tolerance_outcome=ToleranceOutcome.REDUCED)
    outcome = transition(State.ISSUED, 3, Event.TOLERATE, reduced)
    assert (outcome.state, outcome.tier, outcome.paused) == (State.ISSUED, Tier.ORANGE, True)


# --- roles and allowed_events ----------------------------------------------------------------


def test_reviewer_may_do_what_a_supervisor_may() -> None:
    assert transition(State.DRAFT, 1, Event.SUBMIT, _as("reviewer", reason="x")).state is (
        State.PENDING_APPROVAL
    )
    assert transition(State.ISSUED, 1, Event.RECORD_ACTION, _as("reviewer", has_action_record=True))
    with pytest.raises(ForbiddenError, match="需要：科长"):
        transition(State.REVIEWING, 1, Event.ACCEPT, _as("supervisor", has_review_opinion=True))


@pytest.mark.parametrize("role", ["sysadmin", "auditor", "liaison", "viewer"])
def test_non_case_roles_may_do_nothing(role: str) -> None:
    for state, tier in itertools.product(State, Tier):
        assert allowed_events(state, tier, FULL, role, check_inputs=True) == ()
    with pytest.raises(ForbiddenError):
        transition(State.DRAFT, 1, Event.SUBMIT, replace(FULL, actor_roles=frozenset({role})))


def test_allowed_events_checks_standing_guards_and_leaves_inputs_to_the_form() -> None:
    bare = TransitionContext(approval_step=0)
    assert allowed_events(State.ISSUED, 2, bare, "supervisor") == (
        Event.RECORD_ACTION,
        Event.ESCALATE,
        Event.PAUSE,
    )
    assert allowed_events(State.ISSUED, 2, bare, "supervisor", check_inputs=True) == ()
    assert allowed_events(State.ISSUED, 3, bare, ["approver"]) == (Event.TOLERATE, Event.REFER)
    assert allowed_events(State.PENDING_APPROVAL, 2, bare, "reviewer") == (
        Event.APPROVE,
        Event.REJECT,
        Event.CLARIFY,
        Event.PAUSE,
    )
    assert allowed_events(State.PENDING_APPROVAL, 2, replace(bare, paused=True), "reviewer") == (
        Event.CLARIFY,
        Event.RESUME,
    )
    assert allowed_events(State.DRAFT, 2, bare, "supervisor") == (Event.SUBMIT,)
    proposer = replace(bare, actor_is_proposer=True)
    assert allowed_events(State.DRAFT, 2, proposer, "supervisor") == (
        Event.SUBMIT,
        Event.WITHDRAW,
    )
    # Without a role argument the context's own roles are used.
    assert allowed_events(State.REVIEWING, 1, _as("reviewer")) == (
        Event.ACCEPT,
        Event.RETURN,
        Event.ESCALATE,
        Event.CLARIFY,
        Event.PAUSE,
    )
    assert allowed_events(State.LIFTED, 1, FULL) == ()


# --- tier policy and parameters --------------------------------------------------------------


def test_tier_policies_follow_the_design_defaults() -> None:
    yellow, orange, red = (tier_policy(t, DEFAULT_PARAMETERS) for t in Tier)
    assert [p.action_deadline_workdays for p in (yellow, orange, red)] == [10, 10, 10]
    assert [p.rectification_months for p in (yellow, orange, red)] == [6, 6, None]
    assert [p.influence_months for p in (yellow, orange, red)] == [0, 6, 12]
    assert yellow.required_actions == ("reminder_talk", "written_reminder", "inquiry")
    assert "admonishment_talk" in orange.required_actions
    assert red.required_actions == ("org_handling", "referral")


def test_parameters_parse_database_strings_and_reject_garbage() -> None:
    params = {"warning.action_deadline_workdays": " 15 ", "warning.tier2.influence_months": ""}
    policy = tier_policy(Tier.ORANGE, params)
    assert policy.action_deadline_workdays == 15
    # A blank value falls back to the default rather than to zero.
    assert policy.influence_months == 6
    key = "warning.tier1.approval_chain"
    assert param_roles({key: ["a", " b "]}, key) == ("a", "b")
    for bad in ("ten", "-1", True, 2.5):
        with pytest.raises(ParameterError, match=r"warning\.action_deadline_workdays"):
            param_int({"warning.action_deadline_workdays": bad}, "warning.action_deadline_workdays")
    with pytest.raises(ParameterError, match="不能为空"):
        param_roles({"warning.tier1.approval_chain": " , "}, "warning.tier1.approval_chain")
    with pytest.raises(ParameterError, match="未知参数"):
        param_int({}, "warning.no_such_key")


def test_tier_labels_and_parsing() -> None:
    assert [t.label for t in Tier] == ["一级预警（黄色）", "二级预警（橙色）", "三级预警（红色）"]
    assert [t.colour for t in Tier] == ["yellow", "orange", "red"]
    assert Tier.parse("red") is Tier.RED
    assert Tier.parse(" 2 ") is Tier.ORANGE
    for bad in ("4", "purple", True, None):
        with pytest.raises(ValueError):
            Tier.parse(bad)


def test_state_and_event_labels() -> None:
    assert [s.label for s in State] == [
        "拟预警", "待审批", "已下达", "整改中", "待复核", "已销号", "已撤销", "已移送",
    ]  # fmt: skip
    assert Event.RETURN.value == "return"
    assert Event.RETURN.label == "退回整改"
    assert all(e.label for e in Event)
