"""The outbox: one row per dedupe key, written in the caller's transaction, nothing secret pushed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.factories import make_unit, make_user
from webapp.models import ChannelSetting, Notification
from webapp.models.notifications import ChannelCode, NotificationStatus, mask
from webapp.outbox import enqueue

CADRE = "张三丰"


@pytest.fixture
def user(db):
    return make_user("supervisor", make_unit())


def reminder(user, **overrides):
    values = {
        "kind": "verification_due",
        "subject": "negative_info:7",
        "stage": "overdue",
        "due_date": date(2026, 12, 18),
        "user_id": user.id,
        "channel": ChannelCode.EMAIL,
        "label": "核查到期",
        "count": 2,
        "link": "https://ganbu.example/negative-info/7",
        "detail": f"{CADRE}的问题线索核查已逾期",
    }
    return {**values, **overrides}


def count_rows(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification))


def test_same_key_is_written_once(db, user):
    assert enqueue(**reminder(user)) is True
    assert enqueue(**reminder(user)) is False
    assert count_rows(db) == 1


@pytest.mark.parametrize(
    "field,value",
    [
        ("kind", "review_due"),
        ("subject", "negative_info:8"),
        ("stage", "due"),
        ("due_date", date(2026, 12, 21)),
        ("channel", ChannelCode.INAPP),
    ],
)
def test_each_part_of_the_key_makes_a_new_row(db, user, field, value):
    assert enqueue(**reminder(user))
    assert enqueue(**reminder(user, **{field: value})) is True
    assert count_rows(db) == 2


def test_another_recipient_makes_a_new_row(db, user):
    other = make_user("supervisor", user.unit)
    assert enqueue(**reminder(user))
    assert enqueue(**reminder(other))
    assert count_rows(db) == 2


def test_enqueue_never_commits(db, user):
    enqueue(**reminder(user))
    db.session.rollback()  # the caller's change failed: its reminder goes with it
    assert count_rows(db) == 0


def test_pushed_message_names_kind_count_and_link_only(db, user):
    enqueue(**reminder(user))
    row = db.session.scalars(select(Notification)).one()
    assert CADRE not in row.title and CADRE not in row.body
    assert "核查到期" in row.title
    assert "2" in row.body and "https://ganbu.example/negative-info/7" in row.body
    assert row.status is NotificationStatus.PENDING and row.attempts == 0
    assert row.next_attempt_at is not None and row.next_attempt_at.tzinfo is not None


def test_in_app_message_keeps_the_detail(db, user):
    enqueue(**reminder(user, channel=ChannelCode.INAPP))
    row = db.session.scalars(select(Notification)).one()
    assert row.body == f"{CADRE}的问题线索核查已逾期"
    assert row.link == "https://ganbu.example/negative-info/7"


def test_secrets_are_masked_for_display(db):
    setting = ChannelSetting(
        channel=ChannelCode.EMAIL,
        enabled=True,
        config={"host": "smtp.example", "username": "bot", "password": "s3cret-pass-1234"},
    )
    db.session.add(setting)
    db.session.flush()
    shown = setting.masked_config()
    assert shown["host"] == "smtp.example" and shown["username"] == "bot"
    assert "s3cret" not in shown["password"] and shown["password"].endswith("1234")
    assert mask("short") == "••••••"  # a short secret shows no characters at all
    assert mask("") == ""


def test_one_global_setting_per_channel_and_one_per_unit(db):
    unit = make_unit()
    db.session.add(ChannelSetting(channel=ChannelCode.DINGTALK, config={}))
    db.session.add(ChannelSetting(channel=ChannelCode.DINGTALK, unit_id=unit.id, config={}))
    db.session.flush()
    for unit_id in (None, unit.id):  # NULL unit ids are kept unique by their own index
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(ChannelSetting(channel=ChannelCode.DINGTALK, unit_id=unit_id, config={}))
            db.session.flush()


def test_a_batch_writes_each_new_key_once_and_counts_only_those(db, user):
    from webapp.outbox import Message, enqueue_all

    assert enqueue(**reminder(user, stage="due"))  # already there
    batch = [
        Message(**reminder(user, stage="due")),
        Message(**reminder(user, stage="overdue")),
        Message(**reminder(user, stage="overdue")),  # twice in one batch
        Message(**reminder(user, stage="overdue", channel=ChannelCode.INAPP)),
    ]
    assert enqueue_all(batch) == 2
    assert enqueue_all(batch) == 0
    rows = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    assert [(r.stage, r.channel) for r in rows] == [
        ("due", ChannelCode.EMAIL),
        ("overdue", ChannelCode.EMAIL),
        ("overdue", ChannelCode.INAPP),
    ]
    assert CADRE not in rows[1].body and CADRE in rows[2].body  # pushed names nobody
    assert enqueue_all([]) == 0
