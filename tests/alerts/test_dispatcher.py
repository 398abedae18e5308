"""The dispatcher on both databases: delivery, attempts, backoff, dead rows, channel isolation."""

from __future__ import annotations

import json
import random
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug import Response

from alerts.channels import build_channels
from alerts.channels.inapp import InAppChannel
from alerts.dispatcher import RetryPolicy, claim_statement, dispatch_once, requeue
from tests.alerts.receivers import HOST, free_port, http_server, smtp_config, smtp_server
from tests.factories import make_unit, make_user
from webapp.extensions import db as _db
from webapp.models import ChannelSetting, DeliveryAttempt, Notification, OrgUnit, Role, User
from webapp.models.notifications import ChannelCode, NotificationStatus
from webapp.outbox import enqueue

__all__ = ["http_server", "smtp_server"]  # fixtures used below

NOW = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)
CADRE = "王建国"


@pytest.fixture
def unit(db):
    return make_unit()


@pytest.fixture
def user(db, unit):
    user = make_user("supervisor", unit, username="lijiandu")
    user.email = "lijiandu@ganbu.example"
    return user


@pytest.fixture
def channels():
    """Fresh channel instances, so no 企业微信 token survives from another test."""
    return build_channels()


def configure(db, channel: ChannelCode, config: dict, unit_id: int | None = None) -> None:
    db.session.add(ChannelSetting(channel=channel, unit_id=unit_id, enabled=True, config=config))
    db.session.flush()


def notify(user, channel: ChannelCode, subject: str = "warning:1", **extra) -> None:
    assert enqueue(
        kind="action_due",
        subject=subject,
        stage="overdue",
        due_date=date(2026, 11, 30),
        user_id=user.id,
        channel=channel,
        label="整改报告到期",
        count=1,
        link="https://ganbu.example/warnings/1",
        detail=f"{CADRE}的整改报告已逾期",
        now=NOW,
        **extra,
    )


def rows(db, channel: ChannelCode | None = None) -> list[Notification]:
    stmt = select(Notification).order_by(Notification.id)
    if channel:
        stmt = stmt.where(Notification.channel == channel)
    return list(db.session.scalars(stmt))


def attempts(db, notification: Notification) -> list[DeliveryAttempt]:
    stmt = select(DeliveryAttempt).where(DeliveryAttempt.notification_id == notification.id)
    return list(db.session.scalars(stmt.order_by(DeliveryAttempt.id)))


def dispatch(now=NOW, **kwargs):
    kwargs.setdefault("rng", random.Random(7))
    return dispatch_once(now, **kwargs)


def test_email_is_delivered_in_chinese_without_the_cadre_name(db, user, smtp_server, channels):
    sink, port = smtp_server
    configure(db, ChannelCode.EMAIL, smtp_config(port))
    notify(user, ChannelCode.EMAIL)
    counts = dispatch(channels=channels)
    assert counts.as_dict() == {"claimed": 1, "sent": 1, "failed": 0, "dead": 0, "deferred": 0}
    (mail,) = sink.received
    assert mail.rcpt_tos == ["lijiandu@ganbu.example"]
    assert mail.message["Subject"] == "干部监督预警：整改报告到期"
    body = mail.message.get_content()
    assert "整改报告到期" in body and "https://ganbu.example/warnings/1" in body
    assert CADRE not in body and CADRE not in mail.message["Subject"]
    (row,) = rows(db)
    assert row.status is NotificationStatus.SENT and row.sent_at == NOW and row.attempts == 1
    (attempt,) = attempts(db, row)
    assert attempt.ok and attempt.response_code == 250 and attempt.channel is ChannelCode.EMAIL


def test_in_app_needs_no_setting_and_keeps_the_detail(db, user, channels):
    notify(user, ChannelCode.INAPP)
    assert dispatch(channels=channels).sent == 1
    (row,) = rows(db)
    assert row.status is NotificationStatus.SENT and CADRE in row.body


def test_webhook_answering_500_then_200_is_retried_and_delivered(db, user, http_server, channels):
    http_server.expect_ordered_request("/oa").respond_with_data("busy", status=500)
    http_server.expect_ordered_request("/oa").respond_with_data("", status=200)
    configure(db, ChannelCode.WEBHOOK, {"url": http_server.url_for("/oa"), "secret": "s"})
    notify(user, ChannelCode.WEBHOOK)

    assert dispatch(channels=channels).failed == 1
    (row,) = rows(db)
    assert row.status is NotificationStatus.PENDING and row.attempts == 1
    # Backoff: one minute at most half taken off by jitter, so not before 30 s.
    assert NOW + timedelta(seconds=30) <= row.next_attempt_at <= NOW + timedelta(minutes=1)
    assert dispatch(NOW + timedelta(seconds=10), channels=channels).claimed == 0

    assert dispatch(NOW + timedelta(minutes=2), channels=channels).sent == 1
    assert row.status is NotificationStatus.SENT and row.attempts == 2
    assert [(a.ok, a.response_code) for a in attempts(db, row)] == [(False, 500), (True, 200)]
    http_server.check_assertions()


def test_dead_channel_leaves_email_delivered(db, user, smtp_server, channels):
    sink, port = smtp_server
    configure(db, ChannelCode.EMAIL, smtp_config(port))
    configure(db, ChannelCode.WEBHOOK, {"url": f"http://{HOST}:{free_port()}/oa", "secret": "s"})
    notify(user, ChannelCode.WEBHOOK)
    notify(user, ChannelCode.EMAIL)

    counts = dispatch(channels=channels)
    assert (counts.sent, counts.failed) == (1, 1)
    assert len(sink.received) == 1
    assert rows(db, ChannelCode.EMAIL)[0].status is NotificationStatus.SENT
    (hook,) = rows(db, ChannelCode.WEBHOOK)
    assert hook.status is NotificationStatus.PENDING and hook.attempts == 1
    (attempt,) = attempts(db, hook)
    assert not attempt.ok and attempt.response_code is None and "refused" in attempt.error.lower()


def test_slow_channel_is_cut_off_and_does_not_hold_up_email(
    db, user, smtp_server, http_server, channels
):
    sink, port = smtp_server
    http_server.expect_request("/slow").respond_with_handler(
        lambda request: (time.sleep(1.5), Response(""))[1]
    )
    configure(db, ChannelCode.EMAIL, smtp_config(port))
    configure(
        db,
        ChannelCode.WEBHOOK,
        {"url": http_server.url_for("/slow"), "secret": "s", "timeout": 0.3},
    )
    notify(user, ChannelCode.WEBHOOK)
    notify(user, ChannelCode.EMAIL)
    started = time.monotonic()
    counts = dispatch(channels=channels)
    assert time.monotonic() - started < 1.2
    assert (counts.sent, counts.failed) == (1, 1) and len(sink.received) == 1
    assert "timed out" in rows(db, ChannelCode.WEBHOOK)[0].last_error


def test_row_is_dead_after_the_last_try_and_not_claimed_again(db, user, channels):
    configure(db, ChannelCode.WEBHOOK, {"url": f"http://{HOST}:{free_port()}/oa", "secret": "s"})
    notify(user, ChannelCode.WEBHOOK)
    policy = RetryPolicy(max_attempts=3)
    moment = NOW
    for _ in range(3):
        dispatch(moment, policy=policy, channels=channels)
        moment += timedelta(hours=7)  # past the longest backoff
    (row,) = rows(db)
    assert row.status is NotificationStatus.DEAD and row.attempts == 3
    assert len(attempts(db, row)) == 3 and row.last_error
    assert dispatch(moment, policy=policy, channels=channels).claimed == 0

    assert requeue([row.id], moment) == 1  # 发送记录's retry gives it a fresh set of tries
    assert row.status is NotificationStatus.PENDING and row.attempts == 0


def test_backoff_grows_exponentially_with_jitter():
    policy = RetryPolicy(base_delay=timedelta(minutes=1), max_delay=timedelta(hours=1))
    rng = random.Random(1)
    for tries, ceiling in [(1, 60), (2, 120), (3, 240), (4, 480), (10, 3600)]:
        delays = {policy.delay(tries, rng).total_seconds() for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered, so retries of many rows do not arrive together


def test_unreachable_endpoint_costs_one_try_per_pass(db, user, channels):
    configure(db, ChannelCode.WEBHOOK, {"url": f"http://{HOST}:{free_port()}/oa", "secret": "s"})
    for n in range(3):
        notify(user, ChannelCode.WEBHOOK, subject=f"warning:{n}")
    counts = dispatch(channels=channels)
    assert (counts.failed, counts.deferred) == (1, 2)
    tried = [row.attempts for row in rows(db)]
    assert tried == [1, 0, 0]
    assert all(row.next_attempt_at > NOW for row in rows(db))


def test_unconfigured_channel_is_recorded_and_retried(db, user, channels):
    notify(user, ChannelCode.EMAIL)
    configure(db, ChannelCode.WEBHOOK, {"url": "http://127.0.0.1:1/", "secret": "s"})
    assert dispatch(channels=channels).failed == 1
    (row,) = rows(db)
    assert attempts(db, row)[0].error == "通道未配置或已停用"


def test_user_without_email_is_recorded_as_such(db, user, smtp_server, channels):
    _sink, port = smtp_server
    configure(db, ChannelCode.EMAIL, smtp_config(port))
    user.email = None
    notify(user, ChannelCode.EMAIL)
    dispatch(channels=channels)
    assert "地址" in rows(db)[0].last_error


def test_wecom_two_messages_share_one_token(db, unit, user, http_server, channels):
    other = make_user("supervisor", unit, username="zhaoliu")
    http_server.expect_request("/cgi-bin/gettoken").respond_with_json(
        {"errcode": 0, "access_token": "TK", "expires_in": 7200}
    )
    sent: list[str] = []

    def send(request):
        assert request.args["access_token"] == "TK"
        sent.append(json.loads(request.data)["touser"])
        return Response(json.dumps({"errcode": 0, "errmsg": "ok"}), content_type="application/json")

    http_server.expect_request("/cgi-bin/message/send").respond_with_handler(send)
    configure(
        db,
        ChannelCode.WECOM,
        {
            "api_base": http_server.url_for("/").rstrip("/"),
            "corp_id": "c",
            "secret": "s",
            "agent_id": 7,
        },
    )
    notify(user, ChannelCode.WECOM)
    notify(other, ChannelCode.WECOM, address="wx-zhaoliu")  # an explicit 企业微信 userid wins
    assert dispatch(channels=channels).sent == 2
    assert sorted(sent) == ["lijiandu", "wx-zhaoliu"]
    assert sum(1 for request, _ in http_server.log if request.path == "/cgi-bin/gettoken") == 1


def test_dingtalk_uses_the_robot_of_the_nearest_unit_up(db, unit, http_server, channels):
    child = make_unit(parent=unit)
    elsewhere = make_unit()
    near = make_user("supervisor", child)
    far = make_user("supervisor", elsewhere)
    hits: list[str] = []

    def robot(name):
        def handle(request):
            assert "timestamp" in request.args and "sign" in request.args
            hits.append(name)
            return Response(json.dumps({"errcode": 0}), content_type="application/json")

        return handle

    http_server.expect_request("/unit").respond_with_handler(robot("unit"))
    http_server.expect_request("/global").respond_with_handler(robot("global"))
    configure(
        db, ChannelCode.DINGTALK, {"webhook_url": http_server.url_for("/global"), "secret": "g"}
    )
    configure(
        db,
        ChannelCode.DINGTALK,
        {"webhook_url": http_server.url_for("/unit"), "secret": "u"},
        unit.id,
    )
    notify(near, ChannelCode.DINGTALK)
    notify(far, ChannelCode.DINGTALK)
    assert dispatch(channels=channels).sent == 2
    assert sorted(hits) == ["global", "unit"]


def test_disabled_setting_is_not_used(db, user, smtp_server, channels):
    sink, port = smtp_server
    configure(db, ChannelCode.EMAIL, smtp_config(port))
    db.session.scalars(select(ChannelSetting)).one().enabled = False
    notify(user, ChannelCode.EMAIL)
    assert dispatch(channels=channels).failed == 1 and sink.received == []


def test_claim_skips_rows_other_dispatchers_hold_on_postgresql():
    stmt = claim_statement(NOW, 10)
    assert "FOR UPDATE SKIP LOCKED" in str(stmt.compile(dialect=postgresql.dialect()))
    assert "FOR UPDATE" not in str(stmt.compile(dialect=sqlite.dialect()))


def test_claimed_rows_are_leased_until_recorded(app, db, user, channels, monkeypatch):
    # Another dispatcher starting while this one sends must not take the same rows.
    configure(db, ChannelCode.WEBHOOK, {"url": "http://127.0.0.1:1/", "secret": "s"})
    notify(user, ChannelCode.WEBHOOK)
    seen: list[int] = []
    webhook = channels[ChannelCode.WEBHOOK]

    def send_while_another_pass_runs(message, config):
        with app.app_context():  # a second dispatcher's session, on the test's connection
            later = claim_statement(NOW + timedelta(minutes=5), 10)
            seen.append(len(db.session.scalars(later).all()))
        return type(webhook).send(webhook, message, config)

    monkeypatch.setattr(webhook, "send", send_while_another_pass_runs)
    dispatch(channels=channels)
    assert seen == [0]


def test_nothing_due_is_a_quiet_pass(db, user, channels):
    notify(user, ChannelCode.INAPP)
    assert dispatch(NOW - timedelta(minutes=1), channels=channels).claimed == 0
    assert rows(db)[0].status is NotificationStatus.PENDING


class SlowInApp(InAppChannel):
    """An in-app channel that takes a while and remembers what it delivered, thread-safely."""

    def __init__(self) -> None:
        self.delivered: list[int] = []
        self.lock = threading.Lock()

    def send(self, message, config):
        time.sleep(0.05)  # long enough for the other dispatcher to claim meanwhile
        with self.lock:
            self.delivered.append(message.notification_id)
        return super().send(message, config)


@pytest.fixture
def committed_user(app):
    """A unit and user committed for real (Core inserts: no audit rows), removed afterwards."""
    with app.app_context():
        role_id = _db.session.scalar(select(Role.id).where(Role.code == "supervisor"))
        unit_id = _db.session.execute(
            insert(OrgUnit)
            .values(code="disp-race", name="并发测试单位", path="")
            .returning(OrgUnit.id)
        ).scalar_one()
        user_id = _db.session.execute(
            insert(User)
            .values(
                username="disp-race",
                full_name="并发测试",
                password_hash="x",
                role_id=role_id,
                unit_id=unit_id,
            )
            .returning(User.id)
        ).scalar_one()
        _db.session.commit()
    try:
        yield user_id
    finally:
        with app.app_context():
            ids = select(Notification.id).where(Notification.user_id == user_id)
            _db.session.execute(
                delete(DeliveryAttempt).where(DeliveryAttempt.notification_id.in_(ids))
            )
            _db.session.execute(delete(Notification).where(Notification.user_id == user_id))
            _db.session.execute(delete(User).where(User.id == user_id))
            _db.session.execute(delete(OrgUnit).where(OrgUnit.id == unit_id))
            _db.session.commit()


def test_two_dispatchers_at_once_send_each_row_exactly_once(app, committed_user):
    with app.app_context():
        for n in range(24):
            enqueue(
                kind="action_due",
                subject=f"race:{n}",
                stage="due",
                due_date=date(2026, 12, 1),
                user_id=committed_user,
                channel=ChannelCode.INAPP,
                label="整改报告到期",
                now=NOW,
            )
        _db.session.commit()
    channel = SlowInApp()
    errors: list[BaseException] = []

    def dispatcher():
        try:
            with app.app_context():
                while dispatch_once(
                    NOW, batch_size=4, channels={ChannelCode.INAPP: channel}
                ).claimed:
                    pass
        except BaseException as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(channel.delivered) == 24 and len(set(channel.delivered)) == 24
    with app.app_context():
        statuses = _db.session.scalars(
            select(Notification.status).where(Notification.user_id == committed_user)
        ).all()
        assert statuses == [NotificationStatus.SENT] * 24
        tried = _db.session.scalar(
            select(func.count())
            .select_from(DeliveryAttempt)
            .join(Notification)
            .where(Notification.user_id == committed_user)
        )
        assert tried == 24
