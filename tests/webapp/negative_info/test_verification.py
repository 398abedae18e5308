"""Verification: 待核实 → 核实中 (handler, working-day deadline) → conclusion, with history."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import make_report, make_user
from webapp import signals
from webapp.holidays.services import recompute_provisional
from webapp.models import HolidayDay, HolidayYear
from webapp.negative_info import verification

SHANGHAI = ZoneInfo("Asia/Shanghai")


def start(client, info, handler, **extra):
    data = {"handler_id": str(handler.id), "version": str(info.version), **extra}
    return client.post(f"/negative-info/{info.id}/start", data=data)


def conclude(client, info, **extra):
    data = {
        "conclusion": "true",
        "concluded_on": "2026-03-10",
        "note": "经谈话核实，情况属实。",
        "version": str(info.version),
        **extra,
    }
    return client.post(f"/negative-info/{info.id}/conclude", data=data)


def test_start_sets_handler_and_deadline_in_working_days(client, db, world, as_supervisor):
    info = make_report(world.cadre, source_channel="petition")  # 15 working days
    response = start(client, info, as_supervisor, note="转承办")
    assert response.status_code == 302
    db.session.refresh(info)
    assert info.status == "verifying"
    assert info.handler_id == as_supervisor.id
    assert info.verification_started_on == date(2026, 3, 10)
    assert info.verification_workdays == 15
    assert info.verification_due == date(2026, 3, 31)
    assert not info.verification_due_provisional
    event = info.history[-1]
    assert (event.event, event.from_status, event.to_status, event.note) == (
        "start",
        "pending",
        "verifying",
        "转承办",
    )
    page = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
    assert "2026-03-31（15 个工作日）" in page


def test_deadline_skips_national_day_and_counts_the_adjusted_saturday(db, world, app):
    # 2025: 10/1–10/8 off; Saturday 10/11 is an adjusted workday (调休).
    # Received before the start: a verification cannot start before the item arrived.
    info = make_report(
        world.cadre,
        source_channel="public_opinion",  # 5 working days
        occurred_on=date(2025, 9, 20),
        received_on=date(2025, 9, 29),
    )
    with (
        app.test_request_context(),
        time_machine.travel(datetime(2025, 9, 30, 9, 0, tzinfo=SHANGHAI), tick=False),
    ):
        verification.start_verification(info, world.supervisor, world.supervisor.id, info.version)
    assert info.verification_due == date(2025, 10, 14)
    assert not info.verification_due_provisional


def test_deadline_in_a_year_without_data_is_provisional_then_recomputed(
    client, db, world, app, as_supervisor
):
    info = make_report(world.cadre, source_channel="petition")
    with time_machine.travel(datetime(2026, 12, 21, 9, 0, tzinfo=SHANGHAI), tick=True):
        assert start(client, info, as_supervisor).status_code == 302
        db.session.refresh(info)
        # Weekends only: 2027-01-01 counts as a workday for now.
        assert info.verification_due == date(2027, 1, 11)
        assert info.verification_due_provisional
        page = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
        assert "待节假日数据确认" in page
        assert "待节假日数据确认" in client.get("/negative-info/").get_data(as_text=True)
        db.session.add_all(
            [HolidayYear(year=2027), HolidayDay(day=date(2027, 1, 1), is_workday=False)]
        )
        db.session.flush()
        with app.test_request_context():
            assert recompute_provisional() == 1
    db.session.refresh(info)
    assert info.verification_due == date(2027, 1, 12)
    assert not info.verification_due_provisional
    assert info.history[-1].event == "deadline_recomputed"
    assert info.history[-1].note == "2027-01-11 → 2027-01-12"


@pytest.mark.parametrize("conclusion", ["true", "partly_true", "untrue", "unverifiable"])
def test_conclusion_with_note_is_recorded(client, db, world, as_supervisor, conclusion):
    info = make_report(world.cadre)
    start(client, info, as_supervisor)
    db.session.refresh(info)
    response = conclude(client, info, conclusion=conclusion)
    assert response.status_code == 302
    db.session.refresh(info)
    assert info.status == conclusion
    assert info.verified_on == date(2026, 3, 10)
    assert info.verified_by_id == as_supervisor.id
    assert info.verification_note == "经谈话核实，情况属实。"
    assert [h.event for h in info.history] == ["start", "conclude"]
    assert info.history[-1].to_status == conclusion


def test_conclusion_signal_is_sent_in_the_same_transaction(client, db, world, as_supervisor):
    seen = []

    def receiver(info, *, previous, actor, **_kw):
        seen.append((info.number, previous, info.status, actor.id))

    info = make_report(world.cadre)
    start(client, info, as_supervisor)
    db.session.refresh(info)
    with signals.verification_concluded.connected_to(receiver):
        conclude(client, info, conclusion="untrue")
    assert seen == [(info.number, "verifying", "untrue", as_supervisor.id)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"note": ""}, "此项为必填项"),
        ({"conclusion": "verifying"}, "不是有效的选择"),
        ({"concluded_on": "2026-03-11"}, "日期不能晚于今天"),
        ({"concluded_on": "2026-03-09"}, "核实办结日期不能早于开始核实日期"),
    ],
)
def test_bad_conclusion_is_refused(client, db, world, as_supervisor, changes, message):
    info = make_report(world.cadre)
    start(client, info, as_supervisor)
    db.session.refresh(info)
    response = conclude(client, info, **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.refresh(info)
    assert info.status == "verifying"


def test_conclusion_before_start_is_refused_by_the_table(client, db, world, as_supervisor):
    info = make_report(world.cadre)
    response = conclude(client, info)
    assert response.status_code == 400
    assert "当前核实状态下不能执行此操作" in response.get_data(as_text=True)
    db.session.refresh(info)
    assert info.status == "pending" and info.history == []


def test_start_needs_a_handler_who_may_edit_reports(client, db, world, as_supervisor):
    info = make_report(world.cadre)
    viewer = make_user("viewer", world.mine)
    response = start(client, info, viewer)
    assert response.status_code == 400
    db.session.refresh(info)
    assert info.status == "pending"


def test_reopen_restarts_the_clock_and_keeps_the_reason(client, db, world, as_supervisor):
    info = make_report(world.cadre)
    start(client, info, as_supervisor)
    db.session.refresh(info)
    conclude(client, info, conclusion="untrue")
    db.session.refresh(info)
    assert (
        client.post(
            f"/negative-info/{info.id}/reopen", data={"reason": "", "version": str(info.version)}
        ).status_code
        == 400
    )
    response = client.post(
        f"/negative-info/{info.id}/reopen",
        data={"reason": "收到新的证据材料", "version": str(info.version)},
    )
    assert response.status_code == 302
    db.session.refresh(info)
    assert info.status == "verifying" and info.verified_on is None
    assert info.history[-1].note == "收到新的证据材料"
    assert [h.to_status for h in info.history] == ["verifying", "untrue", "verifying"]


def test_register_shows_the_red_light_once_overdue(client, db, world, as_supervisor):
    info = make_report(world.cadre, source_channel="public_opinion")
    start(client, info, as_supervisor)
    with time_machine.travel(datetime(2026, 3, 20, 9, 0, tzinfo=SHANGHAI), tick=True):
        page = client.get("/negative-info/?status=verifying").get_data(as_text=True)
    assert info.number in page
    assert '<span class="badge red">红灯</span>' in page


def test_history_table_lists_every_step(client, db, world, as_supervisor):
    info = make_report(world.cadre)
    start(client, info, as_supervisor)
    db.session.refresh(info)
    conclude(client, info)
    page = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
    history = page.split('id="history"', 1)[1]
    assert "开始核实" in history and "核实办结" in history
    assert "待核实 → 核实中" in history and "核实中 → 属实" in history
