"""The login page answers an unknown username exactly as it answers an account."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from argon2 import PasswordHasher
from sqlalchemy import select

from tests.factories import PASSWORD
from webapp.models import LoginLog

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
MESSAGES = (
    "用户名或密码错误",
    "账号已锁定 15 分钟",
    "账号已锁定，请 15 分钟后再试",
    "账号已锁定，请 1 分钟后再试",
)


def answer(page: str) -> str:
    found = [m for m in MESSAGES if m in page]
    assert len(found) == 1, page
    return found[0]


def attempts(login, username, count, clock):
    result = []
    for _ in range(count):
        result.append(answer(login(username, "Wrong-Passw0rd!").get_data(as_text=True)))
        clock.shift(timedelta(seconds=1))
    return result


def test_unknown_usernames_lock_with_the_same_messages(login, user, db):
    with time_machine.travel(START, tick=False) as clock:
        known = attempts(login, "zhangsan", 7, clock)
        unknown = attempts(login, "nobody", 7, clock)
        assert known == unknown
        assert known[3:5] == ["用户名或密码错误", "账号已锁定 15 分钟"]
        clock.shift(timedelta(minutes=14))
        assert attempts(login, "zhangsan", 1, clock) == attempts(login, "NoBody", 1, clock)
        clock.shift(timedelta(minutes=1, seconds=30))
        # the lock is over for both: the count starts again
        assert attempts(login, "zhangsan", 5, clock) == attempts(login, "nobody", 5, clock)
    reasons = db.session.scalars(
        select(LoginLog.reason).where(LoginLog.username == "nobody").order_by(LoginLog.id)
    ).all()
    assert reasons[:7] == ["unknown_user"] * 4 + ["lockout", "locked", "locked"]


@pytest.fixture
def verifications(monkeypatch):
    """Count argon2 verifications."""
    calls = []
    original = PasswordHasher.verify

    def counting(self, hashed, password):
        calls.append(password)
        return original(self, hashed, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


@pytest.mark.parametrize(
    ("username", "password", "locked"),
    [
        ("nobody", "Wrong-Passw0rd!", False),
        ("zhangsan", "Wrong-Passw0rd!", False),
        ("zhangsan", PASSWORD, False),
        ("zhangsan", PASSWORD, True),
        ("nobody", PASSWORD, True),
    ],
    ids=["unknown", "wrong password", "right password", "locked account", "locked unknown"],
)
def test_every_attempt_costs_one_hash_check(
    login, user, db, verifications, username, password, locked
):
    if locked:
        for _ in range(5):
            login(username, "Wrong-Passw0rd!")
        verifications.clear()
    login(username, password)
    assert verifications == [password]
