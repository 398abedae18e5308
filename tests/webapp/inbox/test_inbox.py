"""站内消息: the list, opening a message, mark all read, and the top bar's unread badge."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from webapp.extensions import db as _db
from webapp.models.notifications import ChannelCode, Notification
from webapp.outbox import enqueue

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def message(user, n, channel=ChannelCode.INAPP, link="/cadres/1", read=False):
    enqueue(
        kind="inquiry_reply_due",
        subject=f"inquiry:{n}",
        stage="yellow",
        due_date=date(2026, 12, 1),
        user_id=user.id,
        channel=channel,
        label=f"函询回复到期{n}号",
        detail=f"王建国：函询回复到期·黄灯{n}号",
        link=link,
        now=T0 + timedelta(hours=n),
    )
    row = _db.session.scalars(
        sa.select(Notification).where(
            Notification.subject == f"inquiry:{n}", Notification.user_id == user.id
        )
    ).one()
    if read:
        row.read_at = T0 + timedelta(days=1)
    return row


def badge(page: str) -> str | None:
    found = re.search(r'class="inbox-badge"[^>]*>([^<]+)<', page)
    return found.group(1) if found else None


def titles(page: str) -> list[str]:
    return re.findall(r"函询回复到期(\d+)号</a>", page)


@pytest.fixture
def supervisor(world, login):
    login(world.supervisor.username)
    return world.supervisor


def test_badge_counts_my_unread_in_app_messages(db, world, client, supervisor):
    assert badge(client.get("/").get_data(as_text=True)) is None
    message(supervisor, 1)
    message(supervisor, 2)
    message(supervisor, 3, read=True)
    message(supervisor, 4, channel=ChannelCode.EMAIL)
    message(world.reviewer, 5)
    db.session.commit()
    page = client.get("/cadres/").get_data(as_text=True)
    assert badge(page) == "2"
    assert "站内消息" in page


def test_no_badge_when_logged_out(db, client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert "inbox-badge" not in page and "站内消息" not in page


def test_the_badge_costs_one_count_query_per_page(app, db, world, client, supervisor):
    message(supervisor, 1)
    db.session.commit()
    seen = []

    def record(conn, cursor, statement, *args):
        if "notification" in statement.lower():
            seen.append(statement)

    engine = _db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        client.get("/cadres/")
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert len(seen) == 1
    assert "count(" in seen[0].lower()


def test_list_shows_unread_first_then_newest(db, world, client, supervisor):
    message(supervisor, 1)
    message(supervisor, 2, read=True)
    message(supervisor, 3)
    message(supervisor, 4, read=True)
    message(world.reviewer, 5)
    message(supervisor, 6, channel=ChannelCode.EMAIL)
    db.session.commit()
    page = client.get("/inbox/").get_data(as_text=True)
    assert titles(page) == ["3", "1", "4", "2"]
    assert "王建国：函询回复到期·黄灯3号" in page
    assert "未读 2 条" in page


def test_list_is_paginated(app, db, client, supervisor):
    size = app.config["PAGE_SIZE"]
    for n in range(1, size + 3):
        message(supervisor, n)
    db.session.commit()
    first = client.get("/inbox/").get_data(as_text=True)
    assert len(titles(first)) == size
    assert "下一页" in first
    second = client.get("/inbox/?page=2").get_data(as_text=True)
    assert titles(second) == ["2", "1"]


def test_opening_marks_read_and_leads_to_the_record(db, client, supervisor):
    row = message(supervisor, 1, link="/inquiries/7")
    message(supervisor, 2)
    db.session.commit()
    response = client.get(f"/inbox/{row.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/inquiries/7")
    db.session.expire_all()
    assert db.session.get(Notification, row.id).read_at is not None
    assert badge(client.get("/").get_data(as_text=True)) == "1"


def test_opening_a_message_with_a_foreign_link_stays_on_the_site(db, client, supervisor):
    row = message(supervisor, 1, link="https://evil.example/x")
    other = message(supervisor, 2, link="//evil.example/x")
    db.session.commit()
    for ident in (row.id, other.id):
        response = client.get(f"/inbox/{ident}")
        assert response.headers["Location"].endswith("/inbox/")


def test_someone_elses_message_is_not_found(db, world, client, supervisor):
    theirs = message(world.reviewer, 1)
    db.session.commit()
    assert client.get(f"/inbox/{theirs.id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_mark_all_read(db, world, client, supervisor):
    message(supervisor, 1)
    message(supervisor, 2)
    theirs = message(world.reviewer, 3)
    db.session.commit()
    response = client.post("/inbox/read-all", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已将 2 条消息标为已读。" in page
    assert badge(page) is None
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_inbox_requires_login(db, client):
    response = client.get("/inbox/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
