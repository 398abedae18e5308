"""Named guards of the warning workflow: pure predicates over a frozen context.

A guard is either about the warning and the actor as they stand (`needs_input=False`: the
approval step, the tier, the clock, who proposed it) or about what the actor supplies with
the event (`needs_input=True`: a reason, a record, a document). The UI offers an event when
its standing guards pass and asks for the inputs in the form; `transition` checks all of them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from workflows.states import State
from workflows.text import N_
from workflows.tiers import COMMITTEE_ROLE, Tier, TierPolicy


class ToleranceOutcome(StrEnum):
    """Result of a fault-tolerance decision (容错认定)."""

    EXEMPT = "exempt"
    REDUCED = "reduced"
    DENIED = "denied"

    @property
    def label(self) -> str:
        """Return the Chinese outcome, e.g. "免责"."""
        return {"exempt": N_("免责"), "reduced": N_("减责"), "denied": N_("不予容错")}[self.value]


@dataclass(frozen=True)
class TransitionContext:
    """Everything a guard may look at besides the warning's state and tier."""

    actor_roles: frozenset[str] = field(default_factory=frozenset)
    actor_is_proposer: bool = False
    # Separation of duties (不得自审): the actor sent the pending approval (submitted or
    # escalated it), or already approved an earlier step of that same chain.
    actor_opened_chain: bool = False
    actor_approved_earlier_step: bool = False
    reason: str = ""
    # Basis has at least one negative-info item verified as 属实/部分属实.
    has_verified_basis: bool = False
    has_action_record: bool = False
    has_report: bool = False
    has_review_opinion: bool = False
    new_deadline: date | None = None
    # Only used to refuse a new deadline in the past; passed in, never read from a clock.
    today: date | None = None
    has_clarification: bool = False
    basis_found_untrue: bool = False
    tolerance_outcome: ToleranceOutcome | None = None
    has_referral_record: bool = False
    has_committee_decision: bool = False
    # Tier 2: the action recorded at the warning's tier is a 诫勉谈话 or 诫勉书, and whether
    # the cadre's 书面检查 that follows it is recorded yet (read from the warning's records).
    admonished: bool = False
    has_self_criticism: bool = False
    # The warning's own volatile bits, read from its row by the caller.
    paused: bool = False
    approval_step: int | None = None
    # While an escalation awaits approval: the state the warning stood in before it, so a
    # rejection returns there at the tier already issued (None for a first submission).
    escalated_from: State | None = None

    def __post_init__(self) -> None:
        # Callers hand over lists, sets or a single code from the database; normalise once.
        object.__setattr__(self, "actor_roles", _role_set(self.actor_roles))
        object.__setattr__(self, "reason", (self.reason or "").strip())
        if self.tolerance_outcome is not None:
            object.__setattr__(self, "tolerance_outcome", ToleranceOutcome(self.tolerance_outcome))


def _role_set(roles: Iterable[str] | str | None) -> frozenset[str]:
    if roles is None:
        return frozenset()
    if isinstance(roles, str):
        return frozenset({roles})
    return frozenset(roles)


GuardCheck = Callable[[TransitionContext, Tier, TierPolicy], bool]


@dataclass(frozen=True)
class Guard:
    """A named predicate with the Chinese message shown when it fails."""

    name: str
    message: str
    check: GuardCheck
    needs_input: bool

    def __call__(self, ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
        """Return whether the guard passes."""
        return self.check(ctx, tier, policy)


def basis_or_reason(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when the basis has a verified item or a reason is written."""
    return ctx.has_verified_basis or bool(ctx.reason)


def reason_given(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when a non-blank reason is written."""
    return bool(ctx.reason)


def clock_running(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when the clock is not paused."""
    return not ctx.paused


def clock_paused(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when the clock is paused."""
    return ctx.paused


def approval_step_known(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when the current approval step lies within the tier's chain."""
    return policy.step_role(ctx.approval_step) is not None


def committee_decision_if_needed(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass unless the current step is the committee's and no decision is recorded."""
    return policy.step_role(ctx.approval_step) != COMMITTEE_ROLE or ctx.has_committee_decision


def action_recorded(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when the talk, inquiry reply or decision record exists."""
    return ctx.has_action_record


def report_attached(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when the rectification report exists."""
    return ctx.has_report


def review_opinion_given(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when the review opinion exists."""
    return ctx.has_review_opinion


def new_deadline_set(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when a new deadline is given and, if today is known, lies after it."""
    if ctx.new_deadline is None:
        return False
    return ctx.today is None or ctx.new_deadline > ctx.today


def admonishment_recorded(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when the warning's action at its tier is a 诫勉谈话 or 诫勉书."""
    return ctx.admonished


def self_criticism_pending(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass while no 书面检查 is recorded for that admonishment."""
    return not ctx.has_self_criticism


def below_top_tier(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when the tier can still go up."""
    return tier < Tier.RED


def tier_is_red(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass for a tier-3 warning."""
    return tier is Tier.RED


def clarification_recorded(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when a clarification (澄清正名) record exists."""
    return ctx.has_clarification


def untrue_or_judgement(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when the basis was found 失实 or the reviewer wrote a judgement."""
    return ctx.basis_found_untrue or bool(ctx.reason)


def tolerance_decided(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when a tolerance decision was reached: 免责, 减责 or 不予容错."""
    return ctx.tolerance_outcome is not None


def reduction_possible(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass unless 减责 is asked for a tier-1 warning, which has no lower tier."""
    return ctx.tolerance_outcome is not ToleranceOutcome.REDUCED or tier > Tier.YELLOW


def referral_recorded(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when the referral record (receiving organ, document number, date) exists."""
    return ctx.has_referral_record


def actor_is_proposer(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass when the actor proposed the warning."""
    return ctx.actor_is_proposer


def not_own_proposal(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass unless the actor proposed the warning or sent this approval chain on its way."""
    return not (ctx.actor_is_proposer or ctx.actor_opened_chain)


def one_step_per_person(ctx: TransitionContext, tier: Tier, policy: TierPolicy) -> bool:
    """Pass unless the actor approved an earlier step of this chain.

    The committee's (党委) step is exempt: its recorder files the committee's collective
    decision with its document, and decides nothing alone.
    """
    if policy.step_role(ctx.approval_step) == COMMITTEE_ROLE:
        return True
    return not ctx.actor_approved_earlier_step


def _guard(check: GuardCheck, message: str, *, needs_input: bool, name: str = "") -> Guard:
    return Guard(name or check.__name__, message, check, needs_input)


GUARDS: dict[str, Guard] = {
    g.name: g
    for g in (
        _guard(
            basis_or_reason, N_("需至少一条已核实的负面信息作为依据，或写明理由"), needs_input=True
        ),
        _guard(reason_given, N_("请写明理由"), needs_input=True),
        _guard(clock_running, N_("计时已暂停，请先恢复计时"), needs_input=False),
        _guard(
            clock_running, N_("计时已处于暂停状态"), needs_input=False, name="not_already_paused"
        ),
        _guard(clock_paused, N_("计时未暂停，无需恢复"), needs_input=False),
        _guard(
            approval_step_known, N_("审批步骤与该等级的审批链不符，请联系管理员"), needs_input=False
        ),
        _guard(
            committee_decision_if_needed, N_("本步骤须上传党委决定文件后方可通过"), needs_input=True
        ),
        _guard(action_recorded, N_("请先登记谈话、函询回复或处理决定记录"), needs_input=True),
        _guard(report_attached, N_("请先上传整改报告"), needs_input=True),
        _guard(review_opinion_given, N_("请填写复核意见"), needs_input=True),
        _guard(new_deadline_set, N_("请设定晚于今天的新整改期限"), needs_input=True),
        _guard(
            admonishment_recorded, N_("须已记录诫勉谈话或诫勉书（二级预警）"), needs_input=False
        ),
        _guard(self_criticism_pending, N_("书面检查已登记，无需重复登记"), needs_input=False),
        _guard(below_top_tier, N_("已是三级预警，无法再升级"), needs_input=False),
        _guard(tier_is_red, N_("仅三级预警可移送纪检监察机关"), needs_input=False),
        _guard(clarification_recorded, N_("请先登记澄清正名记录"), needs_input=True),
        _guard(
            untrue_or_judgement,
            N_("须依据负面信息核实为失实，或由科长写明研判意见"),
            needs_input=True,
        ),
        _guard(tolerance_decided, N_("须有容错认定结论（免责、减责或不予容错）"), needs_input=True),
        _guard(
            reduction_possible, N_("一级预警无法减责降级，请按免责处理或继续办理"), needs_input=True
        ),
        _guard(referral_recorded, N_("请先登记移送记录（接收机关、文号、日期）"), needs_input=True),
        _guard(actor_is_proposer, N_("只有提出人可以撤回拟预警"), needs_input=False),
        _guard(
            not_own_proposal,
            N_("不得审批本人提出、提交审批或提请升级的预警，请由其他人员审批"),
            needs_input=False,
        ),
        _guard(
            one_step_per_person,
            N_("同一人不得审批同一审批链中的两个步骤，请由其他人员审批"),
            needs_input=False,
        ),
    )
}

# The guards that keep a warning's proposer and each approver apart (等保 separation of duties).
SEPARATION_GUARDS = ("not_own_proposal", "one_step_per_person")
