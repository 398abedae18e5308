"""Login, lockout, idle timeout, CSRF, logout and password change."""

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from tests.factories import PASSWORD
from webapp.models import LoginLog

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def login_rows(db, username):
    return db.session.scalars(
        select(LoginLog).where(LoginLog.username == username).order_by(LoginLog.id)
    ).all()


def test_login_success_redirects_home_and_logs(client, login, user, db):
    response = login("zhangsan")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    rows = login_rows(db, "zhangsan")
    assert [(r.success, r.reason) for r in rows] == [(True, "ok")]
    assert user.last_login_at is not None


def test_wrong_password_shows_chinese_error_and_logs(client, login, user, db):
    response = login("zhangsan", "Wrong-Passw0rd!")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert [(r.success, r.reason) for r in login_rows(db, "zhangsan")] == [(False, "bad_password")]


def test_unknown_user_gets_the_same_message(client, login, db):
    response = login("nobody", "Wrong-Passw0rd!")
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert [r.reason for r in login_rows(db, "nobody")] == ["unknown_user"]


def test_lockout_after_five_failures_and_unlock_after_fifteen_minutes(client, login, user, db):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(4):
            assert "用户名或密码错误" in login("zhangsan", "bad").get_data(as_text=True)
        fifth = login("zhangsan", "bad").get_data(as_text=True)
        assert "账号已锁定 15 分钟" in fifth
        # the right password is refused while locked
        locked = login("zhangsan").get_data(as_text=True)
        assert "账号已锁定" in locked
        assert client.get("/").status_code == 302
        clock.shift(timedelta(minutes=14))
        assert "账号已锁定" in login("zhangsan").get_data(as_text=True)
        clock.shift(timedelta(minutes=2))
        assert login("zhangsan").status_code == 302
        assert client.get("/").status_code == 200
    reasons = [r.reason for r in login_rows(db, "zhangsan")]
    assert reasons == ["bad_password"] * 4 + ["lockout", "locked", "locked", "ok"]


def test_disabled_user_cannot_log_in(client, login, user, db):
    user.active = False
    db.session.flush()
    assert "账号已停用" in login("zhangsan").get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_idle_timeout_logs_out_after_thirty_minutes(client, login, user):
    with time_machine.travel(START, tick=False) as clock:
        login("zhangsan")
        clock.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200  # activity resets the clock
        clock.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get("/cadres/")
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "长时间未操作，已自动退出" in page
        assert client.get("/").status_code == 302


def test_post_without_csrf_token_is_rejected(app, client, user, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/auth/login", data={"username": "zhangsan", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_post_with_csrf_token_is_accepted(app, client, user, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/auth/login", data={"username": "zhangsan", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_logout_needs_post_and_ends_the_session(client, login, user):
    login("zhangsan")
    assert client.get("/auth/logout").status_code == 405
    response = client.post("/auth/logout", follow_redirects=True)
    assert "您已安全退出" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_next_parameter_cannot_leave_the_site(client, user):
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={"username": "zhangsan", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_change_password_enforces_policy(client, login, user):
    login("zhangsan")
    weak = client.post(
        "/auth/password", data={"current": PASSWORD, "new": "abcdefghij", "confirm": "abcdefghij"}
    )
    assert "至少三类" in weak.get_data(as_text=True)
    short = client.post(
        "/auth/password", data={"current": PASSWORD, "new": "Ab1!", "confirm": "Ab1!"}
    )
    assert "密码长度至少 10 位" in short.get_data(as_text=True)
    wrong = client.post(
        "/auth/password",
        data={"current": "nope", "new": "New-Passw0rd!", "confirm": "New-Passw0rd!"},
    )
    assert "当前密码不正确" in wrong.get_data(as_text=True)
    ok = client.post(
        "/auth/password",
        data={"current": PASSWORD, "new": "New-Passw0rd!", "confirm": "New-Passw0rd!"},
    )
    assert ok.status_code == 302
    client.post("/auth/logout")
    assert (
        client.post("/auth/login", data={"username": "zhangsan", "password": PASSWORD}).status_code
        == 200
    )
    assert (
        client.post(
            "/auth/login", data={"username": "zhangsan", "password": "New-Passw0rd!"}
        ).status_code
        == 302
    )


def test_user_with_reset_password_must_change_it_first(client, login, user, db):
    user.must_change_password = True
    db.session.flush()
    response = login("zhangsan")
    assert response.headers["Location"].endswith("/auth/password")
