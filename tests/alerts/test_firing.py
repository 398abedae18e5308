"""Firing: superiors on overdue, pushes per 通知设置, acknowledgement, tier-3 suppression."""

from __future__ import annotations

from datetime import date

import pytest

from alerts.firing import fire_due_obligations, fired_note
from alerts.periodic import send_daily_digest
from tests.factories import make_warning
from tests.helpers import (
    AT_YELLOW,
    DUE,
    OVERDUE,
    YELLOW,
    notifications,
    open_inquiry,
)
from webapp.extensions import db as _db
from webapp.models import NotificationPreference
from webapp.models.notifications import ChannelCode
from webapp.obligations import services
from workflows.obligations import ObligationKind, Stage

NOW = AT_YELLOW


@pytest.fixture
def cadre(world):
    return world.cadre


def prefer(user, *channels):
    for channel in channels:
        _db.session.add(NotificationPreference(user_id=user.id, channel=channel, enabled=True))
    _db.session.flush()


def test_overdue_also_reaches_the_superior_up_the_tree(world, cadre):
    open_inquiry(cadre, responsible_user_id=world.supervisor.id)
    fire_due_obligations(DUE, NOW)
    assert {n.user_id for n in notifications()} == {world.supervisor.id}
    fire_due_obligations(OVERDUE, NOW)
    overdue = notifications(stage="overdue")
    # No 直接上级 set: the reviewer in the unit above the supervisor's.
    assert {n.user_id for n in overdue} == {world.supervisor.id, world.reviewer.id}


def test_overdue_goes_to_the_named_superior(world, cadre):
    world.supervisor.superior_id = world.approver.id
    open_inquiry(cadre, responsible_user_id=world.supervisor.id)
    fire_due_obligations(OVERDUE, NOW)
    assert {n.user_id for n in notifications(stage="overdue")} == {
        world.supervisor.id,
        world.approver.id,
    }
    assert {n.user_id for n in notifications(stage="due")} == {world.supervisor.id}


def test_only_an_overdue_stage_is_pushed_at_once_and_it_names_no_cadre(world, cadre):
    user = world.supervisor
    user.email, user.wecom_userid = "sup@example.org", "wx-sup"
    prefer(user, ChannelCode.EMAIL, ChannelCode.WECOM)
    open_inquiry(cadre, responsible_user_id=user.id)
    fire_due_obligations(YELLOW, NOW)
    assert [n.channel for n in notifications()] == [ChannelCode.INAPP]
    fire_due_obligations(OVERDUE, NOW)
    pushed = {
        n.channel: n for n in notifications(stage="overdue", user_id=user.id) if n.channel.pushed
    }
    assert set(pushed) == {ChannelCode.EMAIL, ChannelCode.WECOM}
    assert pushed[ChannelCode.EMAIL].address == "sup@example.org"
    assert pushed[ChannelCode.WECOM].address == "wx-sup"
    for note in pushed.values():
        assert cadre.name not in note.title and cadre.name not in note.body
        assert "函询回复到期" in note.body and note.link
    (inapp,) = notifications(stage="overdue", user_id=user.id, channel=ChannelCode.INAPP)
    assert cadre.name in inapp.body


def test_an_approval_waiting_is_pushed_to_the_step_roles_holders(world, cadre):
    prefer(world.approver, ChannelCode.DINGTALK)
    open_inquiry(
        cadre, kind=ObligationKind.APPROVAL_WAITING, subject_type="warning", step_role="approver"
    )
    fire_due_obligations(YELLOW, NOW)
    assert {(n.user_id, n.channel) for n in notifications()} == {
        (world.approver.id, ChannelCode.INAPP),
        (world.approver.id, ChannelCode.DINGTALK),
    }


def test_an_active_tier_three_warning_suppresses_lower_tier_reminders(world, cadre):
    red = make_warning(cadre, world.supervisor, "红-1", tier=3, state="issued")
    lower = open_inquiry(cadre, responsible_user_id=world.supervisor.id)
    own = open_inquiry(
        cadre,
        kind=ObligationKind.ACTION_DUE,
        subject_type="warning",
        subject_id=red.id,
        responsible_user_id=world.supervisor.id,
    )
    counts = fire_due_obligations(YELLOW, NOW)
    assert counts.suppressed == 1 and counts.as_dict()["suppressed"] == 1
    assert lower.fired == {Stage.YELLOW}
    assert fired_note(lower, Stage.YELLOW) == f"suppressed warning:{red.id}"
    assert fired_note(own, Stage.YELLOW) == ""
    assert {n.subject for n in notifications()} == {f"warning:{red.id}"}
    # Marked fired: the next sweep does not retry it.
    assert fire_due_obligations(YELLOW, NOW).stages == 0
    send_daily_digest(YELLOW)
    (digest,) = notifications(kind="daily_digest")
    assert "1 项" in digest.title


def test_a_lifted_or_pending_tier_three_warning_suppresses_nothing(world, cadre):
    make_warning(cadre, world.supervisor, "红-2", tier=3, state="lifted")
    make_warning(cadre, world.supervisor, "红-3", tier=3, state="pending_approval")
    make_warning(cadre, world.supervisor, "橙-1", tier=2, state="issued")
    open_inquiry(cadre, responsible_user_id=world.supervisor.id)
    assert fire_due_obligations(YELLOW, NOW).queued == 1


def test_an_acknowledged_item_goes_quiet_then_renotifies_then_escalates(world, cadre):
    user = world.supervisor
    prefer(user, ChannelCode.EMAIL)
    obligation = open_inquiry(cadre, responsible_user_id=user.id)
    fire_due_obligations(YELLOW, NOW)
    services.acknowledge(obligation, date(2026, 3, 10), YELLOW)
    # Due and overdue come and fire silently: the plan says when it will be done.
    fire_due_obligations(date(2026, 3, 10), NOW)
    assert fired_note(obligation, Stage.DUE) == fired_note(obligation, Stage.OVERDUE)
    assert fired_note(obligation, Stage.OVERDUE) == "acknowledged"
    assert notifications(stage="due") == notifications(stage="overdue") == []
    send_daily_digest(date(2026, 3, 10))
    assert notifications(kind="daily_digest") == []
    # The plan lapses (next working day, Mar 11): the responsible person hears again, at once.
    fire_due_obligations(date(2026, 3, 11), NOW)
    lapsed = notifications(stage="ack_lapsed")
    assert {(n.user_id, n.channel) for n in lapsed} == {
        (user.id, ChannelCode.INAPP),
        (user.id, ChannelCode.EMAIL),
    }
    # Three working days later the superior is told too.
    fire_due_obligations(date(2026, 3, 13), NOW)
    assert notifications(stage="ack_escalated") == []
    fire_due_obligations(date(2026, 3, 16), NOW)
    escalated = {n.user_id for n in notifications(stage="ack_escalated", channel=ChannelCode.INAPP)}
    assert escalated == {user.id, world.reviewer.id}


def test_twelve_due_items_make_one_digest_per_enabled_channel(world, cadre):
    user = world.supervisor
    prefer(user, ChannelCode.EMAIL, ChannelCode.WEBHOOK)
    for n in range(12):
        open_inquiry(cadre, subject_id=n + 1, responsible_user_id=user.id)
    open_inquiry(
        cadre,
        kind=ObligationKind.VERIFICATION_DUE,
        subject_type="negative_info",
        subject_id=1,
        responsible_user_id=user.id,
        start=YELLOW,
        due=date(2026, 4, 30),
    )
    result = send_daily_digest(YELLOW)
    assert result == {"users": 1, "items": 12, "queued": 3}
    digests = {n.channel: n for n in notifications(kind="daily_digest")}
    assert set(digests) == {ChannelCode.INAPP, ChannelCode.EMAIL, ChannelCode.WEBHOOK}
    assert len(digests[ChannelCode.INAPP].body.splitlines()) == 12
    for channel in (ChannelCode.EMAIL, ChannelCode.WEBHOOK):
        pushed = digests[channel]
        assert cadre.name not in pushed.title and cadre.name not in pushed.body
        assert "函询回复到期 12" in pushed.body and "12 项" in pushed.body
    assert send_daily_digest(YELLOW)["queued"] == 0


def test_the_digest_lists_a_step_roles_items_to_its_holders_in_scope(world, cadre):
    open_inquiry(cadre, subject_id=1, responsible_user_id=world.supervisor.id)
    open_inquiry(
        cadre, kind=ObligationKind.APPROVAL_WAITING, subject_type="warning", step_role="supervisor"
    )
    result = send_daily_digest(YELLOW)
    # The outsider is a supervisor too, but the cadre is outside their unit.
    assert result["users"] == 1 and result["items"] == 2
    (digest,) = notifications(kind="daily_digest")
    assert digest.user_id == world.supervisor.id and "2 项" in digest.title


def test_once_the_plan_has_lapsed_the_normal_stages_speak_again(world, cadre):
    obligation = open_inquiry(cadre, responsible_user_id=world.supervisor.id)
    services.acknowledge(obligation, date(2026, 2, 26), YELLOW)
    fire_due_obligations(YELLOW, NOW)
    assert fired_note(obligation, Stage.YELLOW) == "acknowledged"
    fire_due_obligations(DUE, NOW)
    assert {n.stage for n in notifications()} == {"ack_lapsed", "ack_escalated", "due"}


BASE = "https://ganbu.example.org/jiandu"


@pytest.fixture
def public_base(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", BASE + "/")
    return BASE


def test_an_overdue_push_links_to_its_records_page_by_absolute_url(world, cadre, public_base):
    user = world.supervisor
    user.email = "sup@example.org"
    prefer(user, ChannelCode.EMAIL, ChannelCode.WEBHOOK)
    open_inquiry(cadre, subject_id=7, responsible_user_id=user.id)
    fire_due_obligations(OVERDUE, NOW)
    mine = notifications(stage="overdue", user_id=user.id)
    links = {n.channel: n.link for n in mine}
    assert links == {
        ChannelCode.INAPP: "/inquiries/7",
        ChannelCode.EMAIL: f"{public_base}/inquiries/7",
        ChannelCode.WEBHOOK: f"{public_base}/inquiries/7",
    }
    for note in mine:
        if note.channel.pushed:
            assert note.body.endswith(f"{public_base}/inquiries/7")
            assert cadre.name not in note.title + note.body


def test_an_approval_push_links_to_the_warnings_page(world, cadre, public_base):
    prefer(world.approver, ChannelCode.DINGTALK, ChannelCode.WECOM)
    world.approver.wecom_userid = "wx-approver"
    open_inquiry(
        cadre,
        kind=ObligationKind.APPROVAL_WAITING,
        subject_type="warning",
        subject_id=31,
        step_role="approver",
    )
    fire_due_obligations(YELLOW, NOW)
    pushed = [n for n in notifications(user_id=world.approver.id) if n.channel.pushed]
    assert {n.channel for n in pushed} == {ChannelCode.DINGTALK, ChannelCode.WECOM}
    for note in pushed:
        assert note.link == f"{public_base}/warnings/31"
        assert f"{public_base}/warnings/31" in note.body
        assert cadre.name not in note.title + note.body


def test_the_pushed_digest_links_to_the_todo_list_and_names_nobody(world, cadre, public_base):
    user = world.supervisor
    user.email, user.wecom_userid = "sup@example.org", "wx-sup"
    prefer(user, ChannelCode.EMAIL, ChannelCode.WECOM, ChannelCode.DINGTALK, ChannelCode.WEBHOOK)
    open_inquiry(cadre, subject_id=1, responsible_user_id=user.id)
    open_inquiry(cadre, subject_id=2, responsible_user_id=user.id)
    send_daily_digest(YELLOW)
    digests = {n.channel: n for n in notifications(kind="daily_digest")}
    assert set(digests) == set(ChannelCode)
    for channel, note in digests.items():
        if channel.pushed:
            assert note.link == f"{public_base}/#todo"
            assert note.body.endswith(f"{public_base}/#todo")
            assert cadre.name not in note.title + note.body
            assert "函询回复到期 2" in note.body
    # 站内消息 stays inside the site: 我的待办 for several items, the record for one.
    assert digests[ChannelCode.INAPP].link == "/#todo"
    assert cadre.name in digests[ChannelCode.INAPP].body


def test_the_digest_of_one_item_leads_to_its_record_in_the_inbox(world, cadre):
    open_inquiry(cadre, subject_id=5, responsible_user_id=world.supervisor.id)
    send_daily_digest(YELLOW)
    (digest,) = notifications(kind="daily_digest")
    assert digest.link == "/inquiries/5"


def test_without_a_public_base_url_the_server_name_makes_the_link(app, monkeypatch, world, cadre):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)
    monkeypatch.setitem(app.config, "SERVER_NAME", "ganbu.intra:8443")
    monkeypatch.setitem(app.config, "PREFERRED_URL_SCHEME", "https")
    prefer(world.supervisor, ChannelCode.WEBHOOK)
    open_inquiry(cadre, subject_id=1, responsible_user_id=world.supervisor.id)
    open_inquiry(cadre, subject_id=2, responsible_user_id=world.supervisor.id)
    send_daily_digest(YELLOW)
    (pushed,) = notifications(kind="daily_digest", channel=ChannelCode.WEBHOOK)
    assert pushed.link == "https://ganbu.intra:8443/#todo"


def test_a_sweep_over_many_cadres_loads_them_in_one_query(world):
    import sqlalchemy as sa

    from tests.factories import make_cadre

    for n in range(5):
        other = make_cadre(world.other, name=f"批量干部{n}")
        open_inquiry(other, subject_id=100 + n, responsible_user_id=world.supervisor.id)
    _db.session.commit()
    _db.session.expunge_all()  # as a scheduler pass starts: nothing loaded yet
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT") and "FROM cadre" in statement:
            seen.append(statement)

    engine = _db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        fire_due_obligations(DUE, NOW)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(notifications(stage="due")) == 5
    assert len(seen) == 1, seen
