"""登记书面检查: a record after a tier-2 admonishment that changes neither state nor tier."""

import pytest

from workflows.guards import TransitionContext
from workflows.states import Event, State
from workflows.tiers import Tier
from workflows.transitions import (
    ForbiddenError,
    GuardError,
    TransitionError,
    allowed_events,
    transition,
)

E = Event.RECORD_SELF_CRITICISM
OWED = TransitionContext(actor_roles=frozenset({"supervisor"}), admonished=True)


@pytest.mark.parametrize("state", [State.RECTIFYING, State.REVIEWING])
@pytest.mark.parametrize("role", ["supervisor", "reviewer"])
def test_the_handler_records_it_and_nothing_moves(state: State, role: str) -> None:
    ctx = TransitionContext(actor_roles=frozenset({role}), admonished=True)
    outcome = transition(state, Tier.ORANGE, E, ctx)
    assert (outcome.state, outcome.tier, outcome.paused) == (state, Tier.ORANGE, False)
    assert E in allowed_events(state, Tier.ORANGE, ctx)
    assert E.label == "登记书面检查"


@pytest.mark.parametrize(
    ("ctx", "failed", "message"),
    [
        (TransitionContext(), "admonishment_recorded", "须已记录诫勉谈话或诫勉书"),
        (
            TransitionContext(admonished=True, has_self_criticism=True),
            "self_criticism_pending",
            "书面检查已登记",
        ),
        (TransitionContext(admonished=True, paused=True), "clock_running", "请先恢复计时"),
    ],
)
def test_it_is_refused_without_an_admonishment_twice_or_while_paused(ctx, failed, message):
    ctx = TransitionContext(
        actor_roles=frozenset({"supervisor"}),
        admonished=ctx.admonished,
        has_self_criticism=ctx.has_self_criticism,
        paused=ctx.paused,
    )
    with pytest.raises(GuardError, match=message) as caught:
        transition(State.RECTIFYING, Tier.ORANGE, E, ctx)
    assert caught.value.failed == (failed,)
    # A standing guard: the page does not offer it either.
    assert E not in allowed_events(State.RECTIFYING, Tier.ORANGE, ctx)


def test_only_the_handlers_roles_and_only_once_the_action_is_taken() -> None:
    with pytest.raises(ForbiddenError, match="需要：监督员"):
        transition(
            State.RECTIFYING,
            Tier.ORANGE,
            E,
            TransitionContext(actor_roles=frozenset({"approver"}), admonished=True),
        )
    for state in (State.DRAFT, State.PENDING_APPROVAL, State.ISSUED, State.LIFTED):
        with pytest.raises(TransitionError, match="不能在"):
            transition(state, Tier.ORANGE, E, OWED)
