"""Tier suggestion rules (DESIGN §4): the system suggests, a person confirms.

Decisions where DESIGN is silent:
- Rule 1 looks at the basis items not found 失实 (a pending item already carries its
  situation's weight; an untrue one carries none).
- Rule 2 counts every verified (属实/部分属实) tier-1-level item of the cadre, basis or not,
  dated by when it occurred (else when it was verified) within the window ending today.
- Rule 3 needs a verified basis item that is not itself the basis of the earlier warning and
  did not occur before that warning was issued (被提醒后仍出现). The earlier warning counts
  while issued and open, or while lifted or referred and inside its influence period.
- Rule 4 proposes escalation for open issued warnings below tier 3 only; it never changes the
  suggested tier of the new warning. With no rule firing the suggestion is None.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from workflows.calendar import add_months
from workflows.states import ACTIVE_STATES, State
from workflows.text import N_, Listing, Text
from workflows.tiers import Tier, param_int
from workflows.verification import Status


@dataclass(frozen=True)
class ItemFact:
    """A negative-info item of the cadre, as the rules need it."""

    id: int
    number: str
    verification: Status
    default_tier: Tier | None = None
    situation: str | None = None
    occurred_on: date | None = None
    verified_on: date | None = None
    # True for the items proposed as the new warning's basis; False for the cadre's others.
    in_basis: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "verification", Status.parse(self.verification))
        if self.default_tier is not None:
            object.__setattr__(self, "default_tier", Tier.parse(self.default_tier))

    @property
    def dated(self) -> date | None:
        """Return the date the item counts on: occurred, else verified."""
        return self.occurred_on or self.verified_on


@dataclass(frozen=True)
class WarningFact:
    """An existing warning of the cadre, as the rules need it."""

    id: int
    tier: Tier
    state: State
    number: str = ""
    issued_on: date | None = None
    influence_until: date | None = None
    # Working days past the action or rectification deadline, pauses excluded (deadlines.py).
    overdue_workdays: int = 0
    basis_item_ids: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tier", Tier.parse(self.tier))
        object.__setattr__(self, "state", State(self.state))
        object.__setattr__(self, "basis_item_ids", frozenset(self.basis_item_ids))

    @property
    def active(self) -> bool:
        """Return whether the warning is issued and not yet closed."""
        return self.state in ACTIVE_STATES

    @property
    def display(self) -> str:
        """Return how explanations name the warning."""
        return self.number or f"#{self.id}"

    def in_force(self, today: date) -> bool:
        """Return whether the warning is active or a closed one still in its influence period."""
        if self.active:
            return True
        return (
            self.state in (State.LIFTED, State.REFERRED)
            and self.influence_until is not None
            and today <= self.influence_until
        )


@dataclass(frozen=True)
class EscalationProposal:
    """A proposal to escalate an overdue warning one tier; a person confirms it."""

    warning_id: int
    from_tier: Tier
    to_tier: Tier
    overdue_workdays: int
    reason: str


@dataclass(frozen=True)
class Suggestion:
    """The suggested tier (None when no rule fires) and why, rule by rule."""

    tier: Tier | None
    reasons: tuple[str, ...]
    escalations: tuple[EscalationProposal, ...] = ()


def _numbers(items: Iterable[ItemFact]) -> str:
    return Listing(item.number for item in items)


def _item_tier(item: ItemFact, situation_default_tiers: Mapping[str, object]) -> Tier | None:
    if item.default_tier is not None:
        return item.default_tier
    if item.situation is not None and item.situation in situation_default_tiers:
        return Tier.parse(situation_default_tiers[item.situation])
    return None


def _rule_situation(
    items: list[ItemFact], tiers: dict[int, Tier | None]
) -> tuple[Tier, str] | None:
    weighed = [
        item
        for item in items
        if item.in_basis and item.verification is not Status.UNTRUE and tiers[item.id] is not None
    ]
    if not weighed:
        return None
    top = max(tiers[item.id] for item in weighed)
    heaviest = [item for item in weighed if tiers[item.id] == top]
    return top, Text(
        N_("规则1：所依据问题的情形默认为%(tier)s（%(numbers)s），建议%(tier)s"),
        tier=top.ordinal_zh,
        numbers=_numbers(heaviest),
    )


def _rule_count(
    items: list[ItemFact],
    tiers: dict[int, Tier | None],
    today: date,
    params: Mapping[str, object] | None,
) -> tuple[Tier, str] | None:
    window = param_int(params, "suggest.count_window_months")
    threshold = param_int(params, "suggest.count_threshold")
    start = add_months(today, -window)
    counted = sorted(
        (
            item
            for item in items
            if item.verification.is_verified
            and tiers[item.id] is Tier.YELLOW
            and item.dated is not None
            and start <= item.dated <= today
        ),
        key=lambda item: (item.dated, item.number),
    )
    # A threshold of 0 would fire for every cadre; treat it as "rule off".
    if threshold == 0 or len(counted) < threshold:
        return None
    return Tier.ORANGE, Text(
        N_("规则2：%(months)s个月内已核实一级问题%(count)s件（%(numbers)s），建议升为%(tier)s"),
        months=window,
        count=len(counted),
        numbers=_numbers(counted),
        tier=Tier.ORANGE.ordinal_zh,
    )


def _rule_recurrence(
    items: list[ItemFact], warnings: list[WarningFact], today: date
) -> tuple[Tier, str] | None:
    fired: list[tuple[WarningFact, list[ItemFact]]] = []
    for warning in warnings:
        if not warning.in_force(today):
            continue
        recurring = [
            item
            for item in items
            if item.in_basis
            and item.verification.is_verified
            and item.id not in warning.basis_item_ids
            and not (
                warning.issued_on is not None
                and item.occurred_on is not None
                and item.occurred_on < warning.issued_on
            )
        ]
        if recurring:
            fired.append((warning, recurring))
    if not fired:
        return None
    warning, recurring = max(fired, key=lambda pair: (pair[0].tier, pair[0].id))
    suggested = Tier(min(warning.tier + 1, Tier.RED))
    period = N_("预警期") if warning.active else N_("影响期")
    advice = (
        Text(N_("建议升为%(tier)s"), tier=suggested.ordinal_zh)
        if suggested > warning.tier
        else Text(N_("已是最高等级，建议维持%(tier)s"), tier=suggested.ordinal_zh)
    )
    return suggested, Text(
        N_(
            "规则3：%(tier)s（%(warning)s）尚在%(period)s内，又核实新问题（%(numbers)s），%(advice)s"
        ),
        tier=warning.tier.ordinal_zh,
        warning=warning.display,
        period=period,
        numbers=_numbers(recurring),
        advice=advice,
    )


def overdue_escalations(
    warnings: Iterable[WarningFact], params: Mapping[str, object] | None = None
) -> tuple[EscalationProposal, ...]:
    """Return escalation proposals for open warnings overdue beyond the grace period."""
    grace = param_int(params, "suggest.overdue_grace_workdays")
    proposals = []
    for warning in warnings:
        if not warning.active or warning.tier is Tier.RED or warning.overdue_workdays <= grace:
            continue
        to_tier = Tier(warning.tier + 1)
        reason = Text(
            N_(
                "规则4：%(tier)s（%(warning)s）处置或整改已超期%(days)s个工作日"
                "（宽限%(grace)s个工作日），建议升级为%(to_tier)s，须人工确认"
            ),
            tier=warning.tier.ordinal_zh,
            warning=warning.display,
            days=warning.overdue_workdays,
            grace=grace,
            to_tier=to_tier.ordinal_zh,
        )
        proposals.append(
            EscalationProposal(warning.id, warning.tier, to_tier, warning.overdue_workdays, reason)
        )
    return tuple(proposals)


def suggest_tier(
    items: Iterable[ItemFact],
    warnings: Iterable[WarningFact],
    today: date,
    params: Mapping[str, object] | None = None,
    situation_default_tiers: Mapping[str, object] | None = None,
) -> Suggestion:
    """Suggest a tier for a new warning on the basis items, explaining every rule that fired."""
    items = list(items)
    warnings = list(warnings)
    tiers = {item.id: _item_tier(item, situation_default_tiers or {}) for item in items}
    fired = [
        result
        for result in (
            _rule_situation(items, tiers),
            _rule_count(items, tiers, today, params),
            _rule_recurrence(items, warnings, today),
        )
        if result is not None
    ]
    escalations = overdue_escalations(warnings, params)
    return Suggestion(
        tier=max((tier for tier, _ in fired), default=None),
        reasons=tuple(text for _, text in fired) + tuple(p.reason for p in escalations),
        escalations=escalations,
    )
