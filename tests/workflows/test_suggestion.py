"""Tier suggestion rules: each fires when it should, stays quiet otherwise, and explains."""

from datetime import date

import pytest

from workflows.calendar import add_months
from workflows.states import State
from workflows.suggestion import (
    EscalationProposal,
    ItemFact,
    WarningFact,
    overdue_escalations,
    suggest_tier,
)
from workflows.tiers import Tier
from workflows.verification import Status

TODAY = date(2026, 3, 2)


def item(
    n: int,
    tier: int | None = 1,
    status: str = "true",
    occurred: date | None = date(2026, 1, 10),
    *,
    in_basis: bool = True,
    situation: str | None = None,
    verified: date | None = None,
) -> ItemFact:
    return ItemFact(
        id=n,
        number=f"FM-2026-{n:04d}",
        verification=status,
        default_tier=tier,
        situation=situation,
        occurred_on=occurred,
        verified_on=verified,
        in_basis=in_basis,
    )


def warning(
    n: int,
    tier: int,
    state: str = "issued",
    *,
    influence_until: date | None = None,
    issued_on: date | None = date(2025, 10, 1),
    overdue: int = 0,
    basis: frozenset[int] = frozenset(),
) -> WarningFact:
    return WarningFact(
        id=n,
        tier=tier,
        state=state,
        number=f"YJ-2025-{n:04d}",
        issued_on=issued_on,
        influence_until=influence_until,
        overdue_workdays=overdue,
        basis_item_ids=basis,
    )


# --- rule 1: situation default ----------------------------------------------------------------


def test_rule1_takes_the_highest_default_tier_of_the_basis() -> None:
    result = suggest_tier([item(1, 1), item(2, 2), item(5, 2)], [], TODAY)
    assert result.tier is Tier.ORANGE
    assert result.reasons == (
        "规则1：所依据问题的情形默认为二级预警（FM-2026-0002、FM-2026-0005），建议二级预警",
    )


def test_rule1_reads_the_situation_dictionary_and_skips_untrue_items() -> None:
    items = [
        item(1, None, situation="concealment"),
        item(2, None, "untrue", situation="case_filed"),
    ]
    result = suggest_tier(
        items, [], TODAY, situation_default_tiers={"concealment": "2", "case_filed": 3}
    )
    assert result.tier is Tier.ORANGE
    assert "FM-2026-0002" not in result.reasons[0]


def test_rule1_counts_an_item_still_being_verified() -> None:
    result = suggest_tier([item(1, 3, "verifying")], [], TODAY)
    assert result.tier is Tier.RED
    assert result.reasons[0].startswith("规则1：")


def test_no_rule_fires_without_weighable_items() -> None:
    result = suggest_tier([item(1, None), item(2, 2, "失实")], [], TODAY)
    assert result.tier is None
    assert result.reasons == ()
    assert result.escalations == ()


# --- rule 2: count within the window --------------------------------------------------------


def test_rule2_two_verified_tier1_items_in_twelve_months_suggest_tier2() -> None:
    items = [
        item(1, occurred=date(2025, 6, 1), in_basis=False),
        item(3, occurred=date(2026, 2, 1)),
    ]
    result = suggest_tier(items, [], TODAY)
    assert result.tier is Tier.ORANGE
    assert "规则2：12个月内已核实一级问题2件（FM-2026-0001、FM-2026-0003），建议升为二级预警" in (
        result.reasons
    )
    assert result.reasons[0].startswith("规则1：")


@pytest.mark.parametrize(
    ("other", "why"),
    [
        (item(1, occurred=date(2025, 3, 1), in_basis=False), "outside the window"),
        (item(1, status="pending", in_basis=False), "not verified"),
        (item(1, status="unverifiable", in_basis=False), "not verified"),
        (item(1, tier=2, in_basis=False), "not a tier-1 item"),
        (item(1, occurred=None, in_basis=False), "no date"),
        (item(1, occurred=date(2026, 5, 1), in_basis=False), "in the future"),
    ],
)
def test_rule2_stays_quiet(other: ItemFact, why: str) -> None:
    result = suggest_tier([other, item(3)], [], TODAY)
    assert not any(r.startswith("规则2") for r in result.reasons), why


def test_rule2_window_edge_and_verified_on_fallback() -> None:
    edge = item(1, occurred=None, verified=date(2025, 3, 2), in_basis=False)
    result = suggest_tier([edge, item(3, status="部分属实")], [], TODAY)
    assert any(r.startswith("规则2：12个月内已核实一级问题2件") for r in result.reasons)


def test_rule2_threshold_and_window_are_parameters() -> None:
    items = [item(1, occurred=date(2025, 12, 1)), item(2), item(3)]
    params = {"suggest.count_threshold": "4"}
    assert suggest_tier(items, [], TODAY, params).tier is Tier.YELLOW
    params = {"suggest.count_threshold": "3", "suggest.count_window_months": "2"}
    assert suggest_tier(items, [], TODAY, params).tier is Tier.YELLOW
    params = {"suggest.count_threshold": "3", "suggest.count_window_months": "6"}
    result = suggest_tier(items, [], TODAY, params)
    assert result.tier is Tier.ORANGE
    assert "规则2：6个月内已核实一级问题3件" in result.reasons[1]


# --- rule 3: recurrence ---------------------------------------------------------------------


def test_rule3_new_item_during_an_active_warning_suggests_the_next_tier() -> None:
    result = suggest_tier([item(7)], [warning(1, 1, "rectifying")], TODAY)
    assert result.tier is Tier.ORANGE
    assert result.reasons[-1] == (
        "规则3：一级预警（YJ-2025-0001）尚在预警期内，又核实新问题（FM-2026-0007），建议升为二级预警"
    )


def test_rule3_within_the_influence_period_of_a_lifted_warning() -> None:
    lifted = warning(2, 2, "lifted", influence_until=date(2026, 3, 2))
    result = suggest_tier([item(7)], [lifted], TODAY)
    assert result.tier is Tier.RED
    assert "二级预警（YJ-2025-0002）尚在影响期内" in result.reasons[-1]


def test_rule3_caps_at_tier3() -> None:
    result = suggest_tier([item(7)], [warning(3, 3, "reviewing")], TODAY)
    assert result.tier is Tier.RED
    assert result.reasons[-1].endswith("已是最高等级，建议维持三级预警")


def test_rule3_uses_the_highest_warning_in_force() -> None:
    warnings = [warning(1, 1, "issued"), warning(2, 2, "issued")]
    result = suggest_tier([item(7)], warnings, TODAY)
    assert result.tier is Tier.RED
    assert "YJ-2025-0002" in result.reasons[-1]


@pytest.mark.parametrize(
    ("existing", "new", "why"),
    [
        (warning(1, 1, "lifted", influence_until=date(2026, 3, 1)), item(7), "influence over"),
        (warning(1, 1, "lifted"), item(7), "no influence period"),
        (warning(1, 1, "revoked", influence_until=date(2027, 1, 1)), item(7), "revoked"),
        (warning(1, 1, "pending_approval"), item(7), "not yet issued"),
        (warning(1, 1, "draft"), item(7), "not yet issued"),
        (warning(1, 1), item(7, status="pending"), "new item not verified"),
        (warning(1, 1), item(7, in_basis=False), "not a new basis item"),
        (warning(1, 1, basis=frozenset({7})), item(7), "the warning's own basis"),
        (warning(1, 1), item(7, occurred=date(2025, 9, 1)), "occurred before the warning"),
    ],
)
def test_rule3_stays_quiet(existing: WarningFact, new: ItemFact, why: str) -> None:
    result = suggest_tier([new], [existing], TODAY)
    assert not any(r.startswith("规则3") for r in result.reasons), why


# --- rule 4: overdue ------------------------------------------------------------------------


def test_rule4_proposes_escalation_beyond_the_grace_period() -> None:
    overdue = warning(4, 1, "rectifying", overdue=6)
    result = suggest_tier([], [overdue], TODAY)
    # The proposal is about the existing warning; it does not suggest a tier for a new one.
    assert result.tier is None
    assert result.escalations == (
        EscalationProposal(
            warning_id=4,
            from_tier=Tier.YELLOW,
            to_tier=Tier.ORANGE,
            overdue_workdays=6,
            reason=result.reasons[0],
        ),
    )
    assert result.reasons == (
        "规则4：一级预警（YJ-2025-0004）处置或整改已超期6个工作日（宽限5个工作日），"
        "建议升级为二级预警，须人工确认",
    )


@pytest.mark.parametrize(
    ("existing", "why"),
    [
        (warning(4, 1, overdue=5), "exactly the grace period"),
        (warning(4, 3, overdue=30), "already tier 3"),
        (warning(4, 1, "lifted", overdue=30), "closed"),
        (warning(4, 1, "pending_approval", overdue=30), "not issued"),
    ],
)
def test_rule4_stays_quiet(existing: WarningFact, why: str) -> None:
    assert overdue_escalations([existing]) == (), why


def test_rule4_grace_is_a_parameter() -> None:
    proposals = overdue_escalations(
        [warning(4, 2, overdue=3)], {"suggest.overdue_grace_workdays": "2"}
    )
    assert [(p.from_tier, p.to_tier) for p in proposals] == [(Tier.ORANGE, Tier.RED)]


# --- all together ---------------------------------------------------------------------------


def test_every_fired_rule_is_explained_and_the_maximum_wins() -> None:
    items = [item(1, in_basis=False, occurred=date(2025, 8, 1)), item(2)]
    warnings = [warning(9, 2, "issued", overdue=8)]
    result = suggest_tier(items, warnings, TODAY)
    assert result.tier is Tier.RED
    assert [r[:3] for r in result.reasons] == ["规则1", "规则2", "规则3", "规则4"]
    assert len(result.escalations) == 1


def test_facts_accept_database_values() -> None:
    fact = item(1, status="属实")
    assert fact.verification is Status.TRUE
    assert Status.parse("partly_true").is_verified
    assert not Status.parse("无法核实").is_verified
    w = WarningFact(id=1, tier="2", state="issued")
    assert (w.tier, w.state, w.active, w.display) == (Tier.ORANGE, State.ISSUED, True, "#1")
    with pytest.raises(ValueError):
        Status.parse("maybe")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 2), 12, date(2025, 3, 2)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 15), 2, date(2025, 11, 15)),
        (date(2026, 1, 15), 0, date(2026, 1, 15)),
    ],
)
def test_months_before(day: date, months: int, expected: date) -> None:
    assert add_months(day, -months) == expected
