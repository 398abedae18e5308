"""不得自审 as a pure rule: the table refuses and hides approval by the proposer or a repeat."""

import pytest

from workflows.guards import TransitionContext
from workflows.states import Event, State
from workflows.tiers import Tier
from workflows.transitions import GuardError, allowed_events, transition

PENDING = State.PENDING_APPROVAL


def ctx(role: str, step: int, **facts) -> TransitionContext:
    return TransitionContext(actor_roles={role}, approval_step=step, **facts)


@pytest.mark.parametrize(
    ("facts", "guard", "words"),
    [
        ({"actor_is_proposer": True}, "not_own_proposal", "不得审批本人提出"),
        ({"actor_opened_chain": True}, "not_own_proposal", "不得审批本人提出"),
        ({"actor_approved_earlier_step": True}, "one_step_per_person", "两个步骤"),
    ],
)
def test_a_refused_approval_names_its_guard(facts: dict, guard: str, words: str) -> None:
    with pytest.raises(GuardError, match=words) as caught:
        transition(PENDING, Tier.YELLOW, Event.APPROVE, ctx("approver", 1, **facts))
    assert caught.value.failed == (guard,)
    assert Event.APPROVE not in allowed_events(PENDING, Tier.YELLOW, ctx("approver", 1, **facts))


def test_the_proposer_may_approve_no_step_of_any_tier() -> None:
    chains = {Tier.YELLOW: 2, Tier.ORANGE: 3, Tier.RED: 4}
    roles = ("reviewer", "approver", "minister", "committee")
    for tier, length in chains.items():
        for step in range(length):
            mine = ctx(roles[step], step, actor_is_proposer=True, has_committee_decision=True)
            assert Event.APPROVE not in allowed_events(PENDING, tier, mine)
            other = ctx(roles[step], step, has_committee_decision=True)
            assert Event.APPROVE in allowed_events(PENDING, tier, other)


def test_the_proposer_may_still_reject_and_others_approve() -> None:
    mine = ctx("reviewer", 0, actor_is_proposer=True)
    assert allowed_events(PENDING, Tier.YELLOW, mine) == (Event.REJECT, Event.CLARIFY, Event.PAUSE)
    outcome = transition(PENDING, Tier.YELLOW, Event.APPROVE, ctx("reviewer", 0))
    assert outcome.approval_step == 1


def test_a_first_step_approver_may_record_the_committee_decision() -> None:
    # The committee (党委) decides collectively; the recorder only files its document.
    recorder = ctx("committee", 3, actor_approved_earlier_step=True, has_committee_decision=True)
    assert transition(PENDING, Tier.RED, Event.APPROVE, recorder).state is State.ISSUED
    proposer = ctx("committee", 3, actor_is_proposer=True, has_committee_decision=True)
    with pytest.raises(GuardError):
        transition(PENDING, Tier.RED, Event.APPROVE, proposer)
