"""The warning service: chains, escalation, suggestion, overdue proposals, clearing, history."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from tests.factories import make_report, make_talk
from tests.helpers import SHANGHAI, act, approve_all, command, issue
from webapp import signals
from webapp.audit.recorder import AppendOnlyError
from webapp.holidays.services import recompute_provisional
from webapp.models import (
    Approval,
    Clarification,
    CommitteeDecision,
    HolidayDay,
    HolidayYear,
    Rectification,
    ToleranceDecision,
    Warning,
    WarningEvent,
    WarningProposal,
)
from webapp.negative_info import services as reports
from webapp.warnings import services
from webapp.warnings.history import replay, snapshot_on
from webapp.warnings.queries import cadre_as_of, verify_history, warning_as_of
from webapp.warnings.services import WarningConflict, WarningForbidden, WorkflowError


def at(day: date, hour: int = 10):
    """Travel to a day in the organisation's zone."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI))


def event_count(db, warning) -> int:
    return db.session.scalar(
        select(func.count()).select_from(WarningEvent).where(WarningEvent.warning_id == warning.id)
    )


# --------------------------------------------------------------------------- approval chains


@pytest.mark.parametrize(
    ("tier", "roles", "influence_until"),
    [
        (1, ["reviewer", "approver"], None),
        (2, ["reviewer", "approver", "minister"], date(2026, 9, 10)),
        (3, ["reviewer", "approver", "minister", "committee"], date(2027, 3, 10)),
    ],
)
def test_each_tier_runs_its_approval_chain(db, world, tier, roles, influence_until):
    warning = issue(world, tier)
    assert warning.number == "YJ-2026-0001"
    assert (warning.state, warning.tier, warning.approval_step) == ("issued", tier, None)
    approvals = db.session.scalars(
        select(Approval).where(Approval.warning_id == warning.id).order_by(Approval.id)
    ).all()
    assert [a.role for a in approvals] == roles
    assert {a.decision for a in approvals} == {"approved"}
    assert warning.issued_on == date(2026, 3, 10)
    # 10 working days after Tue 2026-03-10.
    assert warning.action_due == date(2026, 3, 24)
    assert not warning.action_due_provisional
    assert warning.influence_until == influence_until
    assert warning.cadre.status_colour == {1: "yellow", 2: "orange", 3: "red"}[tier]
    history = [(e.event, e.to_state) for e in warning.events]
    assert history[:2] == [("create", "draft"), ("submit", "pending_approval")]
    assert history[-1] == ("approve", "issued")
    assert len(history) == 2 + len(roles)


def test_tier3_chain_ends_with_the_recorded_committee_decision(db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 3, [], "立案审查")
    act(warning, "submit", world.supervisor)
    for user in (world.reviewer, world.approver, world.minister):
        act(warning, "approve", user)
    assert (warning.state, warning.awaiting_role) == ("pending_approval", "committee")
    events = event_count(db, warning)
    with pytest.raises(WorkflowError, match="党委决定"):
        act(warning, "approve", world.reviewer, comment="同意")
    db.session.refresh(warning)
    assert (warning.state, warning.approval_step, event_count(db, warning)) == (
        "pending_approval",
        3,
        events,
    )
    with pytest.raises(WarningForbidden):
        act(warning, "approve", world.minister, document_number="x", decided_on="2026-03-09")
    act(warning, "approve", world.reviewer, document_number="市委〔2026〕8号",
        decided_on=date(2026, 3, 9), summary="同意给予调整职务处理")  # fmt: skip
    assert warning.state == "issued"
    decision = db.session.scalars(
        select(CommitteeDecision).where(CommitteeDecision.warning_id == warning.id)
    ).one()
    assert (decision.document_number, decision.decided_on) == ("市委〔2026〕8号", date(2026, 3, 9))
    assert warning.approvals[-1].role == "committee"
    assert warning.approvals[-1].recorded_by_id == world.reviewer.id


def test_reject_sends_the_warning_back_to_draft_with_the_reason(db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "反映较多")
    act(warning, "submit", world.supervisor)
    act(warning, "approve", world.reviewer)
    with pytest.raises(WorkflowError, match="理由"):
        act(warning, "reject", world.approver, reason="  ")
    act(warning, "reject", world.approver, reason="依据不足，请补充核实")
    assert (warning.state, warning.approval_step, warning.awaiting_role) == ("draft", None, None)
    assert warning.approvals[-1].decision == "rejected"
    assert warning.approvals[-1].comment == "依据不足，请补充核实"
    assert warning.events[-1].reason == "依据不足，请补充核实"
    assert warning.cadre.status_colour == "green"
    act(warning, "submit", world.supervisor)
    assert (warning.approval_step, warning.awaiting_role) == (0, "reviewer")


def test_tier1_lifecycle_ends_lifted_and_the_cadre_green(db, world):
    item = make_report(world.cadre, status="true", verified_on=date(2026, 3, 2))
    talk = make_talk(world.cadre)
    db.session.commit()
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [item.id])
    assert warning.reason == ""  # the suggestion (rule 1) is the reason
    act(warning, "submit", world.supervisor)
    approve_all(world, warning)
    assert warning.cadre.status_colour == "yellow"
    with pytest.raises(WorkflowError, match="谈话"):
        act(warning, "record_action", world.supervisor, action_kind="reminder_talk")
    act(warning, "record_action", world.supervisor, action_kind="reminder_talk",
        done_on=date(2026, 3, 10), talk_id=talk.id, plan="半年内书面报告整改情况")  # fmt: skip
    assert warning.state == "rectifying"
    assert warning.actions[0].talk_id == talk.id
    # Six months later, a Thursday.
    assert warning.rectification_due == date(2026, 9, 10)
    act(warning, "submit_report", world.supervisor, report="已按要求整改")
    assert warning.review_due == date(2026, 3, 24)
    act(warning, "accept", world.reviewer, opinion="整改到位，予以销号")
    assert (warning.state, warning.closed_on) == ("lifted", date(2026, 3, 10))
    assert warning.cadre.status_colour == "green"
    rounds = db.session.scalars(
        select(Rectification).where(Rectification.warning_id == warning.id)
    ).all()
    assert [(r.report, r.review_result) for r in rounds] == [("已按要求整改", "accepted")]


def test_return_sets_a_new_deadline_and_opens_a_new_round(db, world):
    warning = issue(world, 1)
    act(warning, "record_action", world.supervisor, action_kind="written_reminder",
        done_on=date(2026, 3, 10), record_ref="提醒函〔2026〕3号")  # fmt: skip
    act(warning, "submit_report", world.supervisor, report="初步整改")
    with pytest.raises(WorkflowError, match="晚于今天"):
        act(warning, "return", world.reviewer, reason="不到位", new_deadline=date(2026, 3, 10))
    act(warning, "return", world.reviewer, reason="整改不到位", new_deadline=date(2026, 5, 8))
    assert (warning.state, warning.rectification_due) == ("rectifying", date(2026, 5, 8))
    assert [r.review_result for r in warning.rectifications] == ["returned", ""]
    assert warning.rectifications[-1].due == date(2026, 5, 8)


def test_tier3_rectification_follows_the_decision(db, world):
    warning = issue(world, 3)
    with pytest.raises(WorkflowError, match="整改期限"):
        act(warning, "record_action", world.supervisor, action_kind="org_handling",
            done_on=date(2026, 3, 10), content="调整职务")  # fmt: skip
    act(warning, "record_action", world.supervisor, action_kind="org_handling",
        org_handling="adjust", done_on=date(2026, 3, 10), content="调整职务",
        rectification_due=date(2026, 12, 31), influence_months=24,
        influence_reason="处理决定载明两年内不得提拔")  # fmt: skip
    assert warning.rectification_due == date(2026, 12, 31)
    assert warning.influence_until == date(2028, 3, 10)


# --------------------------------------------------------------------------- escalation


def test_escalation_keeps_one_warning_with_its_whole_history(db, world):
    warning = issue(world, 1)
    with pytest.raises(WorkflowError, match="理由"):
        act(warning, "escalate", world.supervisor)
    act(warning, "escalate", world.supervisor, reason="提醒后仍未改正")
    assert (warning.state, warning.tier, warning.issued_tier) == ("pending_approval", 2, 1)
    # The tier already issued stands while the escalation waits for approval.
    assert warning.cadre.status_colour == "yellow"
    approve_all(world, warning)
    assert (warning.state, warning.tier, warning.cadre.status_colour) == ("issued", 2, "orange")
    act(warning, "record_action", world.supervisor, action_kind="admonishment_talk",
        done_on=date(2026, 3, 10), content="诫勉谈话")  # fmt: skip
    act(warning, "escalate", world.supervisor, reason="诫勉后仍不改正")
    approve_all(world, warning)
    assert (warning.state, warning.tier, warning.cadre.status_colour) == ("issued", 3, "red")
    act(warning, "refer", world.approver, receiving_organ="市纪委监委",
        document_number="组移〔2026〕1号", referred_on=date(2026, 3, 10))  # fmt: skip
    assert warning.state == "referred"
    # Referred: the cadre stays red during the tier-3 influence period.
    assert warning.cadre.status_colour == "red"
    assert db.session.scalar(select(func.count()).select_from(Warning)) == 1
    tiers = [(e.event, e.from_tier, e.to_tier) for e in warning.events if e.event == "escalate"]
    assert tiers == [("escalate", 1, 2), ("escalate", 2, 3)]
    assert [e.to_tier for e in warning.events if e.to_state == "issued"] == [1, 2, 3]
    assert verify_history(warning)


def test_refer_is_for_tier3_and_the_approver_only(db, world):
    warning = issue(world, 2)
    referral = {"receiving_organ": "市纪委监委", "document_number": "1号",
                "referred_on": date(2026, 3, 10)}  # fmt: skip
    with pytest.raises(WorkflowError, match="三级"):
        act(warning, "refer", world.approver, **referral)
    with pytest.raises(WarningForbidden):
        act(warning, "refer", world.reviewer, **referral)


# --------------------------------------------------------------------------- suggestion


def test_recurrence_during_an_active_warning_suggests_the_next_tier(db, world):
    first = make_report(world.cadre, status="true", occurred_on=date(2025, 2, 1),
                        verified_on=date(2025, 2, 20))  # fmt: skip
    db.session.commit()
    with at(date(2025, 3, 3)):
        warning = services.create_warning(world.supervisor, world.cadre.id, 1, [first.id])
        act(warning, "submit", world.supervisor)
        approve_all(world, warning)
    assert warning.issued_on == date(2025, 3, 3)
    again = make_report(world.cadre, status="true", occurred_on=date(2026, 3, 1),
                        verified_on=date(2026, 3, 6))  # fmt: skip
    db.session.commit()
    suggestion = services.suggestion_for(world.cadre.id, {again.id})
    assert suggestion.tier == 2
    recurrence = [r for r in suggestion.reasons if r.startswith("规则3")]
    assert recurrence and warning.number in recurrence[0] and again.number in recurrence[0]
    # Rule 2 does not fire: the first item lies outside the 12-month window.
    assert not any(r.startswith("规则2") for r in suggestion.reasons)
    with pytest.raises(WorkflowError, match="理由"):
        services.create_warning(world.supervisor, world.cadre.id, 1, [again.id])
    second = services.create_warning(world.supervisor, world.cadre.id, 2, [again.id])
    assert (second.suggested_tier, second.tier) == (2, 2)
    assert "规则3" in second.suggestion
    lower = services.create_warning(world.supervisor, world.cadre.id, 1, [again.id], "情节轻微")
    assert (lower.suggested_tier, lower.tier, lower.reason) == (2, 1, "情节轻微")


def test_basis_must_belong_to_the_cadre_and_not_be_untrue(db, world):
    untrue = make_report(world.cadre, status="untrue")
    foreign = make_report(world.far_cadre, status="true")
    db.session.commit()
    with pytest.raises(WorkflowError, match="失实"):
        services.create_warning(world.supervisor, world.cadre.id, 1, [untrue.id], "x")
    with pytest.raises(WorkflowError, match="不属于"):
        services.create_warning(world.supervisor, world.cadre.id, 1, [foreign.id], "x")
    with pytest.raises(NotFound):
        services.create_warning(world.supervisor, world.far_cadre.id, 1, [], "x")
    with pytest.raises(WarningForbidden):
        services.create_warning(world.approver, world.cadre.id, 1, [], "x")
    assert db.session.scalar(select(func.count()).select_from(Warning)) == 0


def test_submit_needs_a_verified_item_or_a_reason(db, world):
    pending = make_report(world.cadre, status="verifying")
    db.session.commit()
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [pending.id])
    with pytest.raises(WorkflowError, match="已核实"):
        act(warning, "submit", world.supervisor)
    act(warning, "submit", world.supervisor, reason="群众反映集中，先行提醒")
    assert warning.state == "pending_approval"


# --------------------------------------------------------------------------- overdue


def test_overdue_files_a_proposal_and_never_escalates_by_itself(db, world):
    warning = issue(world, 1)  # action due Tue 2026-03-24
    assert services.file_overdue_proposals(date(2026, 3, 31)) == []  # 5 days: within grace
    heard = []

    def receiver(proposal, **_kw):
        heard.append(proposal)

    with signals.escalation_proposed.connected_to(receiver), at(date(2026, 4, 1)):
        filed = services.file_overdue_proposals()
        again = services.file_overdue_proposals()
    assert len(filed) == 1 and again == [] and heard == filed
    proposal = filed[0]
    assert (proposal.warning_id, proposal.from_tier, proposal.to_tier) == (warning.id, 1, 2)
    assert proposal.overdue_workdays == 6
    assert "须人工确认" in proposal.reason
    db.session.refresh(warning)
    assert (warning.state, warning.tier, warning.cadre.status_colour) == ("issued", 1, "yellow")
    assert warning.events[-1].event == "approve"
    act(warning, "escalate", world.supervisor, reason=proposal.reason)
    assert db.session.get(WarningProposal, proposal.id).status == "accepted"


# --------------------------------------------------------------------------- clearing


def test_item_found_untrue_revokes_the_warning_it_alone_supports(db, world):
    item = make_report(world.cadre, status="true")
    other = make_report(world.cadre, status="true")
    db.session.commit()
    alone = issue(world, 1, items=[item.id])
    backed = services.create_warning(
        world.supervisor, world.cadre.id, 1, [item.id, other.id], "两件"
    )
    assert alone.cadre.status_colour == "yellow"
    item.status = "untrue"
    revoked = services.on_item_found_untrue(item, world.reviewer)
    db.session.commit()
    assert revoked == [alone]
    assert (alone.state, alone.closed_on, alone.influence_until) == (
        "revoked",
        date(2026, 3, 10),
        None,
    )
    assert backed.state == "draft"
    assert alone.cadre.status_colour == "green"
    record = db.session.scalars(
        select(Clarification).where(Clarification.warning_id == alone.id)
    ).one()
    assert (record.negative_info_id, record.automatic, record.method) == (item.id, True, "")
    assert item.number in record.summary
    last = alone.events[-1]
    assert (last.event, last.from_state, last.to_state) == ("clarify", "issued", "revoked")
    # A reviewer completes the clearing afterwards.
    services.complete_clarification(
        alone, world.reviewer, method="meeting", clarified_on=date(2026, 3, 10)
    )
    assert record.method == "meeting"


def test_concluding_untrue_in_the_reports_service_clears_the_warning(db, world):
    item = make_report(world.cadre, status="true")
    db.session.commit()
    warning = issue(world, 1, items=[item.id])
    item.status = "verifying"
    item.verification_started_on = date(2026, 3, 1)
    db.session.commit()
    reports.conclude_verification(
        item, world.supervisor, "untrue", date(2026, 3, 10), "经核实反映不实", item.version
    )
    db.session.refresh(warning)
    assert warning.state == "revoked"
    assert warning.cadre.status_colour == "green"
    assert warning.clarifications[0].automatic


def test_a_reviewer_may_clarify_on_judgement_with_a_record(db, world):
    warning = issue(world, 1)
    with pytest.raises(WorkflowError, match="澄清"):
        act(warning, "clarify", world.reviewer, reason="经研判不属实")
    with pytest.raises(WarningForbidden):
        act(warning, "clarify", world.supervisor, method="written", reason="x")
    act(warning, "clarify", world.reviewer, method="written", reason="经研判不属实",
        clarified_on=date(2026, 3, 10), scope="本单位")  # fmt: skip
    assert warning.state == "revoked"
    assert warning.clarifications[0].method == "written"


def test_tolerance_reduces_then_exempts(db, world):
    warning = issue(world, 2)
    assert warning.cadre.status_colour == "orange"
    decision = {"facts": "先行先试中的失误", "distinctions": "无私利", "collective_decision":
                "部务会 2026-03-09", "decided_on": date(2026, 3, 9)}  # fmt: skip
    with pytest.raises(WarningForbidden):
        act(warning, "tolerate", world.reviewer, outcome="reduced", **decision)
    act(warning, "tolerate", world.approver, outcome="reduced", **decision)
    assert (warning.state, warning.tier, warning.issued_tier) == ("issued", 1, 1)
    assert warning.influence_until is None  # tier 1 has none
    assert warning.cadre.status_colour == "yellow"
    with pytest.raises(WorkflowError, match="一级预警无法减责"):
        act(warning, "tolerate", world.approver, outcome="reduced", **decision)
    act(warning, "tolerate", world.approver, outcome="exempt", **decision)
    assert warning.state == "revoked"
    assert warning.cadre.status_colour == "green"
    outcomes = db.session.scalars(
        select(ToleranceDecision.outcome).where(ToleranceDecision.warning_id == warning.id)
    ).all()
    assert outcomes == ["reduced", "exempt"]


# --------------------------------------------------------------------------- deadlines


def test_pause_moves_the_running_deadline_by_the_paused_workdays(db, world):
    warning = issue(world, 1)  # action due Tue 2026-03-24
    with at(date(2026, 3, 12)):
        act(warning, "pause", world.supervisor, reason="等待审计结果")
        assert (warning.paused, warning.paused_since) == (True, date(2026, 3, 12))
        with pytest.raises(WorkflowError, match="暂停"):
            act(warning, "record_action", world.supervisor, action_kind="reminder_talk",
                done_on=date(2026, 3, 12), content="x")  # fmt: skip
    with at(date(2026, 3, 17)):
        act(warning, "resume", world.supervisor)
    # Fri 13, Mon 16, Tue 17: three working days back.
    assert warning.action_due == date(2026, 3, 27)
    assert (warning.paused, warning.paused_since, warning.clock_paused_workdays) == (
        False,
        None,
        3,
    )
    assert [e.event for e in warning.events[-2:]] == ["pause", "resume"]
    assert warning.events[-1].payload["details"]["paused_workdays"] == 3


def test_provisional_deadline_is_recomputed_when_the_year_is_entered(db, world, app):
    with at(date(2026, 12, 21)):
        warning = issue(world, 1)
        # Ten working days from Mon 2026-12-21, counting 2027-01-01 as a workday for now.
        assert (warning.action_due, warning.action_due_provisional) == (date(2027, 1, 4), True)
        db.session.add_all(
            [HolidayYear(year=2027), HolidayDay(day=date(2027, 1, 1), is_workday=False)]
        )
        db.session.flush()
        with app.test_request_context():
            assert recompute_provisional() == 1
    assert (warning.action_due, warning.action_due_provisional) == (date(2027, 1, 5), False)


# --------------------------------------------------------------------------- refusals


def test_wrong_role_outside_scope_or_illegal_event_changes_nothing(db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "x")
    act(warning, "submit", world.supervisor)
    version, events = warning.version, event_count(db, warning)
    with pytest.raises(WarningForbidden, match="科长"):
        act(warning, "approve", world.supervisor)
    with pytest.raises(WarningForbidden):
        act(warning, "approve", world.viewer)
    with pytest.raises(NotFound):
        act(warning, "withdraw", world.outsider, reason="x")
    with pytest.raises(WorkflowError, match="不能在「待审批」状态执行「记录处置」"):
        act(warning, "record_action", world.supervisor, action_kind="reminder_talk", content="x")
    with pytest.raises(WorkflowError, match="未知"):
        act(warning, "explode", world.supervisor)
    db.session.expire_all()
    warning = db.session.get(Warning, warning.id)
    assert (warning.state, warning.version, event_count(db, warning)) == (
        "pending_approval",
        version,
        events,
    )


def test_a_stale_version_is_a_conflict_and_writes_nothing(db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "x")
    seen = warning.version
    act(warning, "submit", world.supervisor)
    events = event_count(db, warning)
    with pytest.raises(WarningConflict, match="已被他人处理"):
        services.apply_event(warning.id, command("withdraw", reason="x"), world.supervisor, seen)
    assert (warning.state, event_count(db, warning)) == ("pending_approval", events)


def test_only_the_proposer_may_withdraw_a_draft(db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "x")
    with pytest.raises(WorkflowError, match="提出人"):
        act(warning, "withdraw", world.reviewer, reason="不需要")
    act(warning, "withdraw", world.supervisor, reason="不需要")
    assert warning.state == "revoked"


# --------------------------------------------------------------------------- history


def test_history_replays_to_the_current_state_and_cannot_be_edited(db, world):
    warning = issue(world, 2)
    act(warning, "pause", world.supervisor, reason="等待")
    act(warning, "resume", world.supervisor)
    act(warning, "record_action", world.supervisor, action_kind="admonishment_letter",
        done_on=date(2026, 3, 10), record_ref="诫勉书")  # fmt: skip
    act(warning, "submit_report", world.supervisor, report="报告")
    act(warning, "return", world.reviewer, reason="再改", new_deadline=date(2026, 6, 1))
    act(warning, "tolerate", world.approver, outcome="reduced", facts="f", distinctions="d",
        collective_decision="部务会", decided_on=date(2026, 3, 10))  # fmt: skip
    assert verify_history(warning)
    snap = replay(warning.events)
    assert (snap.state, snap.tier, snap.issued_tier) == ("rectifying", 1, 1)
    row = warning.events[0]
    row.reason = "篡改"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


def test_state_and_colour_as_of_past_dates(db, world):
    with at(date(2026, 3, 2)):
        warning = services.create_warning(world.supervisor, world.cadre.id, 2, [], "x")
        act(warning, "submit", world.supervisor)
    with at(date(2026, 3, 4)):
        approve_all(world, warning)
    with at(date(2026, 3, 6)):
        act(warning, "record_action", world.supervisor, action_kind="admonishment_talk",
            done_on=date(2026, 3, 6), content="诫勉谈话")  # fmt: skip
        act(warning, "submit_report", world.supervisor, report="报告")
        act(warning, "accept", world.reviewer, opinion="到位")
    assert warning.influence_until == date(2026, 9, 4)
    cases = [
        (date(2026, 3, 1), None, None, "green"),
        (date(2026, 3, 3), "pending_approval", 2, "green"),
        (date(2026, 3, 5), "issued", 2, "orange"),
        # Lifted, but inside the six-month influence period of an admonishment.
        (date(2026, 3, 9), "lifted", 2, "orange"),
        (date(2026, 9, 5), "lifted", 2, "green"),
    ]
    for day, state, tier, colour in cases:
        result = warning_as_of(warning, day)
        got = (result.snapshot.state, result.snapshot.tier) if result.snapshot else (None, None)
        assert got == (state, tier), day
        assert cadre_as_of(world.cadre, day, world.supervisor)[0] == colour, day
    assert snapshot_on(warning.events, date(2026, 3, 10)) == replay(warning.events)
    assert world.cadre.status_colour == "orange"
    with at(date(2026, 9, 5)):
        assert services.refresh_status_colours() == 1
    assert world.cadre.status_colour == "green"


def test_sweep_command_files_proposals_and_refreshes_colours(app, db, world):
    issue(world, 1)
    with at(date(2026, 4, 1)):
        result = app.test_cli_runner().invoke(args=["warnings", "sweep"])
    assert result.exit_code == 0, result.output
    assert "新增升级建议 1 条" in result.output
    assert db.session.scalar(select(func.count()).select_from(WarningProposal)) == 1
