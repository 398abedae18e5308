"""Server-side sessions: a cookie works only while its record lives."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from tests.factories import make_unit
from tests.webapp.auth.conftest import signed_in
from webapp.auth.services import set_password
from webapp.models import DataScope, LoginLog, Role
from webapp.models.auth import UserSession

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def records(db, user):
    return db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
    ).all()


def saved_cookie(client):
    return client.get_cookie("session").value


def test_a_saved_cookie_is_dead_after_logout(client, login, user, db):
    login("zhangsan")
    cookie = saved_cookie(client)
    client.post("/auth/logout")
    client.set_cookie("session", cookie)  # an attacker replays the cookie he copied
    assert not signed_in(client)
    assert [r.end_reason for r in records(db, user)] == ["logout"]


def test_logout_is_written_to_the_login_log(client, login, user, db):
    login("zhangsan")
    client.post("/auth/logout")
    rows = db.session.scalars(select(LoginLog).where(LoginLog.user_id == user.id)).all()
    assert [(r.success, r.reason) for r in rows] == [(True, "ok"), (True, "logout")]


def test_the_record_keeps_who_where_and_a_hash_of_the_token(client, user, db, browser):
    phone = browser(agent="Phone/1.0")
    with phone.session_transaction() as cookie_session:
        token = cookie_session["sid"]
    [record] = records(db, user)
    assert record.user_agent == "Phone/1.0"
    assert record.ip == "127.0.0.1"
    assert record.token_hash != token and len(record.token_hash) == 64
    assert record.ended_at is None


def promote(db, user):
    user.role = db.session.scalars(select(Role).where(Role.code == "reviewer")).one()


CHANGES = {
    "password reset": lambda db, user: set_password(user, "Reset-Passw0rd!"),
    "disabled": lambda db, user: setattr(user, "active", False),
    "role changed": promote,
    "scope changed": lambda db, user: setattr(user, "data_scope", DataScope.SELF),
    "custom units changed": lambda db, user: user.scope_units.append(make_unit()),
    "moved to another unit": lambda db, user: setattr(user, "unit", make_unit()),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_an_account_change_ends_every_session_of_the_user(change, user, db, browser):
    office, home = browser(), browser(agent="Home/1.0")
    assert signed_in(office) and signed_in(home)
    change(db, user)
    db.session.commit()  # as the admin area's services do; nothing of ours is called
    assert not signed_in(office)
    assert not signed_in(home)
    assert {r.end_reason for r in records(db, user)} == {"account_changed"}


def test_an_unrelated_edit_keeps_the_sessions(user, db, browser):
    office = browser()
    user.full_name = "张三丰"
    user.email = "zs@example.org"
    db.session.commit()
    assert signed_in(office)


def test_own_password_change_ends_the_other_sessions_and_keeps_this_one(user, db, browser):
    office, home = browser(), browser(agent="Home/1.0")
    response = office.post(
        "/auth/password",
        data={"current": "Test-Passw0rd!", "new": "New-Passw0rd!9", "confirm": "New-Passw0rd!9"},
    )
    assert response.status_code == 302
    assert signed_in(office)
    assert not signed_in(home)


def test_sessions_beyond_the_limit_end_the_oldest(user, db, browser, set_param):
    set_param("auth.max_sessions_per_user", 2)
    with time_machine.travel(START, tick=False) as clock:
        first = browser(agent="One")
        clock.shift(timedelta(minutes=1))
        second = browser(agent="Two")
        clock.shift(timedelta(minutes=1))
        third = browser(agent="Three")
        assert not signed_in(first)
        assert signed_in(second) and signed_in(third)
    assert [r.end_reason for r in records(db, user)] == ["over_limit", "", ""]


def test_a_session_ends_after_its_absolute_lifetime_even_when_busy(user, db, browser):
    with time_machine.travel(START, tick=False) as clock:
        office = browser()
        for _ in range(12 * 3):  # active every 20 minutes for the 12 hours allowed
            clock.shift(timedelta(minutes=20))
            assert signed_in(office)
        clock.shift(timedelta(minutes=20))
        response = office.get("/")
        assert response.status_code == 302
        page = office.get(response.headers["Location"]).get_data(as_text=True)
        assert "登录已超过最长有效时长" in page
    assert [r.end_reason for r in records(db, user)] == ["expired"]


def test_idle_timeout_is_kept_on_the_server_and_logged(client, login, user, db):
    with time_machine.travel(START, tick=False) as clock:
        login("zhangsan")
        clock.shift(timedelta(minutes=31))
        assert client.get("/").status_code == 302
    [record] = records(db, user)
    assert record.end_reason == "idle"
    reasons = db.session.scalars(select(LoginLog.reason).where(LoginLog.user_id == user.id)).all()
    assert reasons == ["ok", "session_idle"]


def test_activity_is_written_at_most_once_a_minute(client, login, user, db):
    with time_machine.travel(START, tick=False) as clock:
        login("zhangsan")
        clock.shift(timedelta(seconds=30))
        client.get("/")
        [record] = records(db, user)
        assert record.last_seen_at == START
        clock.shift(timedelta(seconds=40))
        client.get("/")
        db.session.refresh(record)
        assert record.last_seen_at == START + timedelta(seconds=70)


def test_a_cookie_without_a_record_is_refused(client, login, user, db):
    login("zhangsan")
    with client.session_transaction() as cookie_session:
        cookie_session.pop("sid")  # a cookie signed before server-side sessions existed
    assert client.get("/").status_code == 302
