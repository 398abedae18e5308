"""发送记录: filters, pages, attempts, no case content, retry of dead rows (audited)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import select

from tests.factories import make_unit, make_user
from webapp.models import AuditLog
from webapp.models.notifications import (
    ChannelCode,
    DeliveryAttempt,
    Notification,
    NotificationStatus,
)
from webapp.reminders_admin import records

SECRET_TITLE = "关于张三同志违纪问题的核实"


def note(db, user, channel=ChannelCode.EMAIL, status=NotificationStatus.SENT, created=None, **kw):
    row = Notification(
        kind=kw.pop("kind", "verification_due"),
        subject=kw.pop("subject", f"report:{user.id}{channel.value}{status.value}"),
        stage=kw.pop("stage", "due"),
        due_date=date(2026, 12, 1),
        user_id=user.id,
        channel=channel,
        title=SECRET_TITLE,
        body="正文：张三收受礼金",
        link="/reports/1",
        status=status,
        created_at=created or datetime(2026, 12, 1, 2, 0, tzinfo=UTC),
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    return row


def test_records_list_filters_and_shows_no_case_content(db, client, sysadmin):
    alice = make_user("supervisor", make_unit(), username="alice")
    bob = make_user("supervisor", make_unit(), username="bob")
    dead = note(db, alice, status=NotificationStatus.DEAD, attempts=6, last_error="535 auth")
    note(db, bob, channel=ChannelCode.WECOM)
    note(db, bob, channel=ChannelCode.INAPP, created=datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    db.session.commit()

    page = client.get("/admin/reminders/records").get_data(as_text=True)
    assert SECRET_TITLE not in page and "张三" not in page and "/reports/1" not in page
    assert "核实到期" in page and "到期提醒" in page and "alice" in page and "535 auth" in page

    def ids(**filters):
        return {n.id for n in records.list_records(records.RecordFilters(**filters), 1).items}

    assert ids(status=NotificationStatus.DEAD) == {dead.id}
    assert len(ids(channel=ChannelCode.WECOM)) == 1
    assert ids(recipient="ali") == {dead.id}
    assert len(ids(date_from=date(2026, 11, 25))) == 2
    assert len(ids(date_to=date(2026, 11, 20))) == 1
    page = client.get("/admin/reminders/records?status=dead&recipient=ali").get_data(as_text=True)
    assert "alice" in page and "bob" not in page


def test_a_reversed_date_range_gets_an_error_next_to_the_field(db, client, sysadmin):
    response = client.get("/admin/reminders/records?date_from=2026-12-05&date_to=2026-12-01")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="date_to-errors"' in page and "截止日期不能早于起始日期。" in page
    assert 'value="2026-12-05"' in page


def test_records_are_paginated(db, client, sysadmin):
    user = make_user("supervisor", make_unit(), username="carol")
    for n in range(records.PER_PAGE + 3):
        note(db, user, subject=f"warning:{n}")
    db.session.commit()
    first = records.list_records(records.RecordFilters(), 1)
    assert (first.total, len(first.items), first.pages) == (
        records.PER_PAGE + 3,
        records.PER_PAGE,
        2,
    )
    page = client.get("/admin/reminders/records?page=2").get_data(as_text=True)
    assert "第 2 / 2 页" in page


def test_the_detail_shows_each_attempt(db, client, sysadmin):
    user = make_user("supervisor", make_unit(), username="dave")
    row = note(db, user, status=NotificationStatus.DEAD, attempts=2)
    db.session.add_all(
        [
            DeliveryAttempt(
                notification_id=row.id, channel=ChannelCode.EMAIL, ok=False, error="timed out"
            ),
            DeliveryAttempt(
                notification_id=row.id,
                channel=ChannelCode.EMAIL,
                ok=False,
                response_code=550,
                error="mailbox unavailable",
            ),
        ]
    )
    db.session.commit()
    page = client.get(f"/admin/reminders/records/{row.id}").get_data(as_text=True)
    assert "timed out" in page and "550" in page and "mailbox unavailable" in page
    assert SECRET_TITLE not in page and "重新发送" in page


@time_machine.travel(datetime(2026, 12, 1, 4, 0, tzinfo=UTC), tick=False)
def test_retry_sets_dead_rows_pending_from_now_and_audits_it(db, client, sysadmin, login):
    # The fixture logged in at the real time: a session from another hour is ended.
    login(sysadmin.username)
    user = make_user("supervisor", make_unit(), username="erin")
    dead = note(db, user, status=NotificationStatus.DEAD, attempts=6, last_error="x")
    sent = note(db, user, channel=ChannelCode.WECOM, status=NotificationStatus.SENT)
    db.session.commit()
    response = client.post(
        "/admin/reminders/records/retry",
        data={"ids": [str(dead.id), str(sent.id)], "next": "/admin/reminders/records?status=dead"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/reminders/records?status=dead")
    db.session.refresh(dead)
    db.session.refresh(sent)
    assert (dead.status, dead.attempts) == (NotificationStatus.PENDING, 0)
    assert dead.next_attempt_at.replace(tzinfo=UTC) == datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
    assert sent.status is NotificationStatus.SENT
    audited = db.session.scalars(select(AuditLog).where(AuditLog.action == "retry")).all()
    assert [(a.object_id, a.username) for a in audited] == [(str(dead.id), sysadmin.username)]


def test_retry_never_redirects_off_the_records_pages(db, client, sysadmin):
    response = client.post(
        "/admin/reminders/records/retry", data={"ids": [], "next": "https://evil.example/"}
    )
    assert response.headers["Location"].endswith("/admin/reminders/records")


def test_kinds_outside_the_due_rules_show_their_code():
    assert records.kind_label("daily_digest") == "daily_digest"
    assert records.kind_label("verification_due") == "核实到期"
