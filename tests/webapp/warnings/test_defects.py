"""Regression tests for the workflow defects of the seams issue (each failed before its fix)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
import time_machine
from flask import g
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from tests.factories import make_report, make_talk, make_user
from tests.helpers import SHANGHAI, act, issue
from tests.webapp.attachments.files import PDF
from webapp.attachments.services import attachments_of
from webapp.holidays.services import recompute_provisional
from webapp.models import (
    Approval,
    DataScope,
    HolidayDay,
    HolidayYear,
    Parameter,
    Rectification,
    ToleranceDecision,
    Warning,
)
from webapp.warnings import services
from webapp.warnings.history import event_label
from webapp.warnings.owners import RECTIFICATION_OWNER
from webapp.warnings.services import WorkflowError

DECISION = {
    "facts": "先行先试中的失误",
    "distinctions": "无私利",
    "collective_decision": "部务会",
    "decided_on": date(2026, 3, 10),
}


def at(day: date):
    """Travel to a day in the organisation's zone."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI))


def set_param(db, key: str, value: str) -> None:
    """Change a parameter as the admin page would (and drop this context's cached copy)."""
    db.session.scalars(select(Parameter).where(Parameter.key == key)).one().value = value
    db.session.commit()
    g.pop("_params", None)


def warnings_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Warning))


def test_refused_save_and_submit_writes_nothing_and_a_retry_makes_one_warning(db, world):
    # A 待核实 item whose situation suggests tier 1: the draft needs no reason, the submit does.
    info = make_report(world.cadre, world.supervisor, status="pending")
    db.session.commit()
    suggested = services.suggestion_for(world.cadre.id, {info.id}).tier
    with pytest.raises(WorkflowError) as refused:
        services.create_warning(world.supervisor, world.cadre.id, suggested, [info.id], submit=True)
    assert refused.value.field == "reason"
    assert warnings_count(db) == 0
    warning = services.create_warning(
        world.supervisor, world.cadre.id, suggested, [info.id], "群众反映集中", submit=True
    )
    assert warnings_count(db) == 1
    assert warning.state == "pending_approval"
    assert warning.number.endswith("0001")  # the refused attempt used no number


def test_save_and_submit_page_keeps_the_input_and_shows_the_error_beside_the_field(
    client, login, db, world
):
    info = make_report(world.cadre, world.supervisor, status="pending")
    db.session.commit()
    suggested = services.suggestion_for(world.cadre.id, {info.id}).tier
    login(world.supervisor.username)
    page = client.post(
        f"/warnings/new?cadre_id={world.cadre.id}",
        data={"items": [info.id], "tier": str(int(suggested)), "reason": "", "save_submit": "1"},
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert warnings_count(db) == 0
    assert 'id="reason-errors"><li>不能执行「送审」' in html
    assert re.search(rf'<input checked[^>]*value="{info.id}"', html)


def test_rejected_escalation_keeps_the_issued_tier_and_its_deadlines(db, world):
    warning = issue(world, 1)
    act(warning, "record_action", world.supervisor, action_kind="reminder_talk",
        done_on=date(2026, 3, 10), content="已谈话提醒")  # fmt: skip
    before = (warning.state, warning.tier, warning.rectification_due, warning.clock_started_on)
    act(warning, "escalate", world.supervisor, reason="提醒后仍未改正")
    assert (warning.state, warning.tier) == ("pending_approval", 2)
    act(warning, "reject", world.reviewer, reason="整改尚在期限内")
    assert (warning.state, warning.tier, warning.rectification_due, warning.clock_started_on) == (
        before
    )
    assert warning.issued_tier == 1
    last = warning.events[-1]
    assert (last.event, last.reason) == ("reject", "整改尚在期限内")
    assert event_label(last) == "升级未获批准"
    # Withdrawing is not offered: the tier-1 warning goes on and can be lifted as before.
    act(warning, "submit_report", world.supervisor, report="已整改")
    assert warning.state == "reviewing"


def test_rejected_first_submission_still_goes_back_to_draft(db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "经研判")
    act(warning, "submit", world.supervisor)
    act(warning, "reject", world.reviewer, reason="材料不足")
    assert (warning.state, warning.tier) == ("draft", 1)
    assert event_label(warning.events[-1]) == "退回"


def test_tolerance_denied_is_recorded_and_the_warning_goes_on(db, world):
    warning = issue(world, 2)
    act(warning, "tolerate", world.approver, outcome="denied", **DECISION)
    assert (warning.state, warning.tier) == ("issued", 2)
    outcomes = db.session.scalars(
        select(ToleranceDecision.outcome).where(ToleranceDecision.warning_id == warning.id)
    ).all()
    assert outcomes == ["denied"]
    assert warning.events[-1].event == "tolerate"
    assert warning.cadre.status_colour == "orange"


@pytest.mark.parametrize(("kind", "months"), [("suspension", 6), ("removal", 24)])
def test_tier3_influence_follows_the_kind_of_handling(db, world, kind, months):
    warning = issue(world, 3)
    act(warning, "record_action", world.supervisor, action_kind="org_handling",
        org_handling=kind, done_on=date(2026, 3, 10), content="组织处理",
        rectification_due=date(2026, 12, 31))  # fmt: skip
    expected = {6: date(2026, 9, 10), 24: date(2028, 3, 10)}[months]
    assert warning.influence_until == expected


def test_tier3_influence_default_is_a_parameter_and_another_length_needs_a_reason(db, world):
    set_param(db, "warning.influence_months.adjust", "18")
    warning = issue(world, 3)
    with pytest.raises(WorkflowError, match="理由"):
        act(warning, "record_action", world.supervisor, action_kind="org_handling",
            org_handling="adjust", done_on=date(2026, 3, 10), content="调整职务",
            rectification_due=date(2026, 12, 31), influence_months=12)  # fmt: skip
    act(warning, "record_action", world.supervisor, action_kind="org_handling",
        org_handling="adjust", done_on=date(2026, 3, 10), content="调整职务",
        rectification_due=date(2026, 12, 31))  # fmt: skip
    assert warning.influence_until == date(2027, 9, 10)


def test_slower_of_two_approvers_gets_the_conflict_message_not_403(client, login, db, world):
    second = make_user("reviewer", world.root, DataScope.ALL)
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "经研判")
    act(warning, "submit", world.supervisor)
    db.session.commit()
    seen = warning.version
    act(warning, "approve", world.reviewer, comment="同意")  # the faster one
    login(second.username)
    response = client.post(
        f"/warnings/{warning.id}/events/approve",
        data={"approve-comment": "同意", "approve-version": str(seen)},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "已被他人处理" in response.get_data(as_text=True)
    count = db.session.scalar(
        select(func.count()).select_from(Approval).where(Approval.warning_id == warning.id)
    )
    assert count == 1


def test_recompute_uses_the_span_the_deadline_was_set_with_and_leaves_history(db, world, app):
    with at(date(2026, 12, 21)):
        warning = issue(world, 1)
        assert (warning.action_due, warning.action_due_provisional) == (date(2027, 1, 4), True)
        set_param(db, "warning.action_deadline_workdays", "3")
        db.session.add_all(
            [HolidayYear(year=2027), HolidayDay(day=date(2027, 1, 1), is_workday=False)]
        )
        db.session.flush()
        with app.test_request_context():
            assert recompute_provisional() == 1
    # Still ten working days (the parameter now says 3), one more for New Year's Day.
    assert (warning.action_due, warning.action_due_provisional) == (date(2027, 1, 5), False)
    last = warning.events[-1]
    assert last.event == "deadline_recomputed"
    assert "2027-01-04" in last.reason and "2027-01-05" in last.reason


def test_an_action_cannot_be_dated_before_the_warning_was_issued(db, world):
    warning = issue(world, 1)
    with pytest.raises(WorkflowError, match="不能早于预警下达日期") as refused:
        act(warning, "record_action", world.supervisor, action_kind="reminder_talk",
            done_on=date(2026, 3, 9), content="已谈话")  # fmt: skip
    assert refused.value.field == "done_on"
    assert warning.state == "issued"


def test_rectification_report_carries_its_attachment(db, world):
    warning = issue(world, 1)
    act(warning, "record_action", world.supervisor, action_kind="reminder_talk",
        done_on=date(2026, 3, 10), content="已谈话")  # fmt: skip
    report = FileStorage(io.BytesIO(PDF), filename="整改报告.pdf")
    act(warning, "submit_report", world.supervisor, report="已整改到位", documents=(report,))
    round_ = db.session.scalars(
        select(Rectification).where(Rectification.warning_id == warning.id)
    ).one()
    assert [a.original_name for a in attachments_of(RECTIFICATION_OWNER, round_.id)] == [
        "整改报告.pdf"
    ]


def test_completing_a_clearing_and_a_referral_note_are_in_the_history(db, world):
    info = make_report(world.cadre, world.supervisor, status="true", verified_on=date(2026, 3, 1))
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [info.id], "经研判")
    info.status = "untrue"
    services.on_item_found_untrue(info, world.reviewer)
    db.session.commit()
    services.complete_clarification(
        warning, world.reviewer, method="meeting", clarified_on=date(2026, 3, 10)
    )
    assert warning.events[-1].event == "clarification_completed"
    red = issue(world, 3)
    act(red, "refer", world.approver, receiving_organ="市纪委监委", document_number="移〔2026〕1号",
        referred_on=date(2026, 3, 10), note="涉嫌违纪，移送审查")  # fmt: skip
    assert (red.events[-1].event, red.events[-1].reason) == ("refer", "涉嫌违纪，移送审查")


def test_register_unit_filter_offers_only_units_in_scope(client, login, db, world):
    login(world.outsider.username)
    html = client.get("/warnings/").get_data(as_text=True)
    assert world.other.name in html
    assert world.mine.name not in html


def test_warning_page_lists_the_talks_linked_to_it(client, login, db, world):
    warning = issue(world, 1)
    talk = make_talk(world.cadre, world.supervisor, warning_id=warning.id, reason="提醒谈话事由")
    db.session.commit()
    login(world.supervisor.username)
    html = client.get(f"/warnings/{warning.id}").get_data(as_text=True)
    assert 'id="talks"' in html and f"/talks/{talk.id}" in html
    assert f"/talks/new?warning_id={warning.id}" in html
