"""An enrolled user logs in in two steps: the password, then a TOTP code or a recovery code."""

from datetime import UTC, datetime, timedelta

import pyotp
import time_machine
from sqlalchemy import func, select

from tests.factories import PASSWORD
from tests.webapp.auth.conftest import signed_in
from webapp.models import LoginLog
from webapp.models.auth import RecoveryCode, UserSession

NOW = datetime(2025, 3, 4, 9, 0, 0, tzinfo=UTC)


def sessions_of(db, user) -> int:
    stmt = select(func.count()).select_from(UserSession).where(UserSession.user_id == user.id)
    return db.session.scalar(stmt)


def reasons(db, user) -> list[str]:
    stmt = select(LoginLog.reason).where(LoginLog.user_id == user.id).order_by(LoginLog.id)
    return list(db.session.scalars(stmt))


def code(client, value):
    return client.post("/auth/login/code", data={"code": value})


def test_the_password_alone_opens_nothing_and_makes_no_session(client, login, user, enrol, db):
    enrol(user)
    response = login("zhangsan")
    assert response.headers["Location"].endswith("/auth/login/code")
    assert sessions_of(db, user) == 0
    assert not signed_in(client)
    assert client.get("/me/sessions").status_code == 302
    assert reasons(db, user) == []  # nothing is logged as a login yet


def test_a_wrong_code_is_refused_and_the_right_one_logs_in(client, login, user, enrol, db):
    secret, _codes = enrol(user)
    login("zhangsan")
    response = code(client, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert response.status_code == 200
    assert "动态口令或恢复码不正确" in response.get_data(as_text=True)
    assert sessions_of(db, user) == 0
    response = code(client, pyotp.TOTP(secret).now())
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert sessions_of(db, user) == 1
    assert signed_in(client)
    assert reasons(db, user) == ["bad_code", "ok"]
    assert user.failed_logins == 0 and user.last_login_at is not None


def test_the_code_page_without_a_password_sends_back_to_login(client, user, enrol):
    secret, _codes = enrol(user)
    response = code(client, pyotp.TOTP(secret).now())
    assert response.headers["Location"].endswith("/auth/login")
    assert not signed_in(client)


def test_a_code_is_accepted_only_once(client, login, user, enrol, db):
    secret, _codes = enrol(user)
    with time_machine.travel(NOW, tick=False):
        current = pyotp.TOTP(secret).at(NOW)
        login("zhangsan")
        assert code(client, current).status_code == 302
        client.post("/auth/logout")
        login("zhangsan")
        assert code(client, current).status_code == 200  # replayed within its 30 seconds
        assert sessions_of(db, user) == 1


def test_a_code_of_the_next_step_is_accepted_for_clock_drift(client, login, user, enrol):
    secret, _codes = enrol(user)
    with time_machine.travel(NOW, tick=False):
        login("zhangsan")
        assert code(client, pyotp.TOTP(secret).at(NOW + timedelta(seconds=30))).status_code == 302
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        client.post("/auth/logout")
        login("zhangsan")
        stale = pyotp.TOTP(secret).at(NOW + timedelta(minutes=4))
        assert code(client, stale).status_code == 200


def test_a_recovery_code_works_once_only(client, login, user, enrol, db):
    _secret, codes = enrol(user)
    login("zhangsan")
    assert code(client, codes[0].upper().replace("-", " ")).status_code == 302
    assert reasons(db, user)[-1] == "ok_recovery"
    client.post("/auth/logout")
    login("zhangsan")
    assert code(client, codes[0]).status_code == 200
    assert not signed_in(client)
    assert code(client, codes[1]).status_code == 302
    used = select(func.count()).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_not(None)
    )
    assert db.session.scalar(used.select_from(RecoveryCode)) == 2


def test_recovery_codes_are_stored_hashed(user, enrol, db):
    _secret, codes = enrol(user)
    stored = list(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == len(codes) == 10
    assert not any(c.replace("-", "") in h or c in h for c in codes for h in stored)
    assert len({h.split("$")[0] for h in stored}) == 10  # a salt of its own per code


def test_wrong_codes_lock_the_account_with_the_password_lockout(
    client, login, user, enrol, set_param, db
):
    secret, _codes = enrol(user)
    set_param("auth.lockout_threshold", 3)
    wrong = "123456" if pyotp.TOTP(secret).now() != "123456" else "654321"
    login("zhangsan")
    code(client, wrong)
    code(client, wrong)
    # The right password again does not clear the count: only a full login does.
    login("zhangsan")
    response = code(client, wrong)
    assert response.headers["Location"].endswith("/auth/login")
    assert user.locked_until is not None
    assert reasons(db, user)[-1] == "lockout"
    # Locked: neither the password nor the pending step go on.
    response = login("zhangsan")
    assert response.status_code == 200
    assert "账号已锁定" in response.get_data(as_text=True)
    assert code(client, pyotp.TOTP(secret).now()).headers["Location"].endswith("/auth/login")
    assert sessions_of(db, user) == 0


def test_the_second_step_waits_five_minutes_at_most(client, login, user, enrol):
    secret, _codes = enrol(user)
    with time_machine.travel(NOW, tick=False):
        login("zhangsan")
    later = NOW + timedelta(minutes=6)
    with time_machine.travel(later, tick=False):
        response = code(client, pyotp.TOTP(secret).at(later))
        assert response.headers["Location"].endswith("/auth/login")
        assert not signed_in(client)


def test_a_user_without_two_factor_logs_in_with_the_password(client, login, user, db):
    response = login("zhangsan", PASSWORD)
    assert response.headers["Location"] == "/"
    assert sessions_of(db, user) == 1


def test_the_page_asked_for_before_login_opens_after_the_code(client, user, enrol):
    secret, _codes = enrol(user)
    client.post(
        "/auth/login?next=/me/sessions", data={"username": "zhangsan", "password": PASSWORD}
    )
    response = code(client, pyotp.TOTP(secret).now())
    assert response.headers["Location"] == "/me/sessions"
