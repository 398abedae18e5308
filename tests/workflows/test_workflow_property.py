"""Random event sequences never corrupt a warning, and its history rebuilds it exactly."""

from dataclasses import dataclass, field, replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.guards import ToleranceOutcome, TransitionContext
from workflows.states import CLOCK_STATES, FINAL_STATES, Event, State
from workflows.tiers import Tier, tier_policy
from workflows.transitions import Outcome, TransitionError, allowed_events, transition

TODAY = date(2026, 3, 2)
CASE_ROLES = frozenset({"supervisor", "reviewer", "approver", "minister", "committee"})
ROLES = ["supervisor", "reviewer", "approver", "minister", "committee", "sysadmin", "viewer"]


@dataclass
class Record:
    """A warning row in memory, with the append-only history the web app keeps."""

    initial_tier: Tier
    state: State = State.DRAFT
    tier: Tier = Tier.YELLOW
    approval_step: int | None = None
    paused: bool = False
    history: list[tuple[Event, TransitionContext, Outcome]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.tier = self.initial_tier

    def context(self, ctx: TransitionContext) -> TransitionContext:
        return replace(ctx, paused=self.paused, approval_step=self.approval_step)

    def snapshot(self) -> tuple:
        return (self.state, self.tier, self.approval_step, self.paused, len(self.history))

    def preview(self, event: Event, ctx: TransitionContext) -> Outcome:
        return transition(self.state, self.tier, event, self.context(ctx))

    def apply(self, event: Event, ctx: TransitionContext) -> Outcome:
        outcome = self.preview(event, ctx)
        self.state, self.tier = outcome.state, outcome.tier
        self.approval_step, self.paused = outcome.approval_step, outcome.paused
        self.history.append((event, ctx, outcome))
        return outcome


mostly = st.sampled_from([True, True, True, False])
contexts = st.builds(
    TransitionContext,
    actor_roles=st.frozensets(st.sampled_from(ROLES), max_size=3),
    actor_is_proposer=mostly,
    reason=st.sampled_from(["", " ", "经研判需处理"]),
    has_verified_basis=st.booleans(),
    has_action_record=mostly,
    has_report=mostly,
    has_review_opinion=mostly,
    new_deadline=st.sampled_from([None, date(2026, 1, 5), date(2026, 9, 1)]),
    today=st.just(TODAY),
    has_clarification=st.booleans(),
    basis_found_untrue=st.booleans(),
    tolerance_outcome=st.sampled_from([None, *ToleranceOutcome, ToleranceOutcome.REDUCED]),
    has_referral_record=mostly,
    has_committee_decision=mostly,
    admonished=mostly,
    has_self_criticism=st.booleans(),
)


def check_invariants(record: Record) -> None:
    assert record.state in State
    assert record.tier in Tier
    chain = tier_policy(record.tier).approval_chain
    if record.state is State.PENDING_APPROVAL:
        assert record.approval_step is not None
        assert 0 <= record.approval_step < len(chain)
    else:
        assert record.approval_step is None
    if record.paused:
        assert record.state in CLOCK_STATES
    if record.state in FINAL_STATES:
        assert not record.paused


@settings(max_examples=250, deadline=None)
@given(initial=st.sampled_from(list(Tier)), data=st.data())
def test_random_sequences_keep_the_warning_valid_and_replayable(initial: Tier, data) -> None:
    record = Record(initial)
    for _ in range(data.draw(st.integers(0, 40), label="length")):
        ctx = data.draw(contexts, label="ctx")
        # Random events with random roles are mostly refused; steering with every case role
        # towards events that will pass (forward ones first) gets deep states visited too.
        mode = data.draw(st.sampled_from(["random", "steer", "forward", "forward"]), label="mode")
        if mode != "random":
            ctx = replace(ctx, actor_roles=CASE_ROLES)
        possible = allowed_events(record.state, record.tier, record.context(ctx), check_inputs=True)
        if mode == "forward":
            candidates = [e for e in possible if not record.preview(e, ctx).state.is_final]
        else:
            candidates = []
        if mode != "random" and (candidates or possible):
            event = data.draw(st.sampled_from(candidates or possible), label="event")
        else:
            event = data.draw(st.sampled_from(list(Event)), label="event")
        before = record.snapshot()
        try:
            outcome = record.apply(event, ctx)
        except TransitionError:
            assert record.snapshot() == before
            assert event not in possible
        else:
            assert event in possible
            assert (outcome.from_state, outcome.from_tier) == before[:2]
            assert record.snapshot()[4] == before[4] + 1
        check_invariants(record)

    replayed = Record(initial)
    for event, ctx, outcome in record.history:
        assert replayed.apply(event, ctx) == outcome
    assert replayed.snapshot() == record.snapshot()


@settings(max_examples=200, deadline=None)
@given(
    state=st.sampled_from(list(State)),
    tier=st.sampled_from(list(Tier)),
    step=st.integers(0, 3),
    paused=st.booleans(),
    ctx=contexts,
)
def test_allowed_events_agrees_with_transition(
    state: State, tier: Tier, step: int, paused: bool, ctx: TransitionContext
) -> None:
    ctx = replace(ctx, paused=paused, approval_step=step)
    allowed = allowed_events(state, tier, ctx, check_inputs=True)
    for event in Event:
        try:
            transition(state, tier, event, ctx)
        except TransitionError:
            assert event not in allowed
        else:
            assert event in allowed
    # The standing-guard view offers at least everything that would fully pass.
    assert set(allowed) <= set(allowed_events(state, tier, ctx))
