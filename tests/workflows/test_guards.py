"""Each named guard passes and fails where it should, with a Chinese message."""

from datetime import date

import pytest

from workflows.guards import GUARDS, ToleranceOutcome, TransitionContext
from workflows.tiers import Tier, tier_policy
from workflows.transitions import TRANSITIONS, GuardError, transition

C = TransitionContext
TODAY = date(2026, 3, 2)

# guard name -> ((passing context, tier), (failing context, tier)), a pair per line.
CASES: dict[str, list[tuple[tuple[TransitionContext, Tier], tuple[TransitionContext, Tier]]]] = {
    "basis_or_reason": [
        ((C(has_verified_basis=True), Tier.YELLOW), (C(), Tier.YELLOW)),
        ((C(reason="直接研判"), Tier.YELLOW), (C(reason="   "), Tier.YELLOW)),
    ],
    "reason_given": [((C(reason="依据不足"), Tier.YELLOW), (C(reason="\n "), Tier.YELLOW))],
    "clock_running": [((C(paused=False), Tier.YELLOW), (C(paused=True), Tier.YELLOW))],
    "not_already_paused": [((C(paused=False), Tier.YELLOW), (C(paused=True), Tier.YELLOW))],
    "clock_paused": [((C(paused=True), Tier.YELLOW), (C(paused=False), Tier.YELLOW))],
    "approval_step_known": [
        ((C(approval_step=1), Tier.YELLOW), (C(approval_step=2), Tier.YELLOW)),
        ((C(approval_step=3), Tier.RED), (C(approval_step=None), Tier.RED)),
        ((C(approval_step=0), Tier.RED), (C(approval_step=-1), Tier.RED)),
    ],
    "committee_decision_if_needed": [
        ((C(approval_step=2), Tier.RED), (C(approval_step=3), Tier.RED)),
        (
            (C(approval_step=3, has_committee_decision=True), Tier.RED),
            (C(approval_step=3), Tier.RED),
        ),
    ],
    "action_recorded": [((C(has_action_record=True), Tier.ORANGE), (C(), Tier.ORANGE))],
    "report_attached": [((C(has_report=True), Tier.ORANGE), (C(), Tier.ORANGE))],
    "review_opinion_given": [((C(has_review_opinion=True), Tier.ORANGE), (C(), Tier.ORANGE))],
    "new_deadline_set": [
        (
            (C(new_deadline=date(2026, 4, 1), today=TODAY), Tier.YELLOW),
            (C(today=TODAY), Tier.YELLOW),
        ),
        (
            (C(new_deadline=date(2026, 3, 3), today=TODAY), Tier.YELLOW),
            (C(new_deadline=date(2026, 3, 1), today=TODAY), Tier.YELLOW),
        ),
        (
            (C(new_deadline=date(2020, 1, 1)), Tier.YELLOW),
            (C(new_deadline=TODAY, today=TODAY), Tier.YELLOW),
        ),
    ],
    "admonishment_recorded": [((C(admonished=True), Tier.ORANGE), (C(), Tier.ORANGE))],
    "self_criticism_pending": [
        ((C(admonished=True), Tier.ORANGE), (C(has_self_criticism=True), Tier.ORANGE))
    ],
    "below_top_tier": [
        ((C(), Tier.ORANGE), (C(), Tier.RED)),
        ((C(), Tier.YELLOW), (C(), Tier.RED)),
    ],
    "tier_is_red": [((C(), Tier.RED), (C(), Tier.ORANGE))],
    "clarification_recorded": [((C(has_clarification=True), Tier.YELLOW), (C(), Tier.YELLOW))],
    "untrue_or_judgement": [
        ((C(basis_found_untrue=True), Tier.YELLOW), (C(), Tier.YELLOW)),
        ((C(reason="经研判不实"), Tier.YELLOW), (C(reason=" "), Tier.YELLOW)),
    ],
    "tolerance_decided": [
        ((C(tolerance_outcome="exempt"), Tier.ORANGE), (C(), Tier.ORANGE)),
        ((C(tolerance_outcome="denied"), Tier.ORANGE), (C(), Tier.RED)),
    ],
    "reduction_possible": [
        (
            (C(tolerance_outcome="reduced"), Tier.ORANGE),
            (C(tolerance_outcome="reduced"), Tier.YELLOW),
        ),
        (
            (C(tolerance_outcome="exempt"), Tier.YELLOW),
            (C(tolerance_outcome="reduced"), Tier.YELLOW),
        ),
    ],
    "referral_recorded": [((C(has_referral_record=True), Tier.RED), (C(), Tier.RED))],
    "actor_is_proposer": [((C(actor_is_proposer=True), Tier.YELLOW), (C(), Tier.YELLOW))],
    "not_own_proposal": [
        ((C(), Tier.YELLOW), (C(actor_is_proposer=True), Tier.YELLOW)),
        ((C(), Tier.RED), (C(actor_opened_chain=True), Tier.RED)),
    ],
    "one_step_per_person": [
        (
            (C(approval_step=1), Tier.YELLOW),
            (C(approval_step=1, actor_approved_earlier_step=True), Tier.YELLOW),
        ),
        (
            (C(approval_step=3, actor_approved_earlier_step=True), Tier.RED),
            (C(approval_step=2, actor_approved_earlier_step=True), Tier.RED),
        ),
    ],
}

PARAMS = [
    pytest.param(name, good, bad, id=f"{name}-{i}")
    for name, pairs in CASES.items()
    for i, (good, bad) in enumerate(pairs)
]


@pytest.mark.parametrize(("name", "good", "bad"), PARAMS)
def test_guard_passes_and_fails(name: str, good: tuple, bad: tuple) -> None:
    guard = GUARDS[name]
    ctx, tier = good
    assert guard(ctx, tier, tier_policy(tier)) is True
    ctx, tier = bad
    assert guard(ctx, tier, tier_policy(tier)) is False


def test_every_guard_is_tested_and_used() -> None:
    assert set(CASES) == set(GUARDS)
    used = {name for row in TRANSITIONS for name in row.guards}
    assert used == set(GUARDS)


@pytest.mark.parametrize("name", sorted(GUARDS))
def test_guard_message_is_chinese(name: str) -> None:
    message = GUARDS[name].message
    assert message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_input_guards_are_those_the_form_supplies() -> None:
    standing = {name for name, guard in GUARDS.items() if not guard.needs_input}
    assert standing == {
        "clock_running",
        "not_already_paused",
        "clock_paused",
        "approval_step_known",
        "admonishment_recorded",
        "self_criticism_pending",
        "below_top_tier",
        "tier_is_red",
        "actor_is_proposer",
        "not_own_proposal",
        "one_step_per_person",
    }


def test_context_normalises_what_the_database_hands_over() -> None:
    ctx = C(actor_roles=["reviewer", "reviewer"], reason="  理由 ", tolerance_outcome="reduced")
    assert ctx.actor_roles == frozenset({"reviewer"})
    assert ctx.reason == "理由"
    assert ctx.tolerance_outcome is ToleranceOutcome.REDUCED
    assert C(actor_roles="approver").actor_roles == frozenset({"approver"})
    assert C(reason=None).reason == ""  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        C(tolerance_outcome="maybe")
    assert [o.label for o in ToleranceOutcome] == ["免责", "减责", "不予容错"]


def test_context_is_frozen() -> None:
    ctx = C()
    with pytest.raises(AttributeError):
        ctx.paused = True  # type: ignore[misc]


def test_guard_error_lists_every_failed_message() -> None:
    ctx = C(actor_roles={"reviewer"}, new_deadline=date(2026, 1, 1), today=TODAY)
    with pytest.raises(GuardError) as caught:
        transition("reviewing", 1, "return", ctx)
    error = caught.value
    assert error.failed == ("reason_given", "new_deadline_set")
    assert str(error) == "不能执行「退回整改」：请写明理由；请设定晚于今天的新整改期限"
    assert error.messages == (GUARDS["reason_given"].message, GUARDS["new_deadline_set"].message)
