"""Authentication with lockout, login logging, logout and password changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import request
from flask_babel import gettext as _
from sqlalchemy import func, select

from webapp.audit.services import record_operation
from webapp.auth import history, lockout, two_factor
from webapp.auth import sessions as user_sessions
from webapp.auth.policy import ChangeDue, password_change_due
from webapp.auth.sessions import EndReason
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.lookups import param_int
from webapp.models import LoginLog, User
from webapp.models.auth import UserSession
from webapp.security.passwords import (
    hash_password,
    password_problems,
    verify_nobody,
    verify_password,
)


@dataclass(frozen=True)
class LastLogin:
    """The previous successful login and the failed attempts since, shown after a login."""

    at: datetime | None
    ip: str
    failures: int


@dataclass(frozen=True)
class LoginResult:
    """What a login attempt came to: the user and his previous login, or a message to show."""

    user: User | None
    message: str = ""
    previous: LastLogin | None = None
    needs_code: bool = False  # the password was right; a second factor must follow
    locked: bool = False  # the account is locked: a second step cannot go on


def log_attempt(username: str, user: User | None, success: bool, reason: str) -> None:
    """Write a LoginLog row for one attempt (or a logout, a timeout)."""
    db.session.add(
        LoginLog(
            username=username[:64],
            user_id=user.id if user else None,
            success=success,
            reason=reason,
            ip=request.remote_addr or "",
            user_agent=(request.user_agent.string or "")[:255],
        )
    )


def generic_message() -> str:
    """Return the one message for a wrong username or password."""
    return _("用户名或密码错误。")


def locked_message(locked_until: datetime, now: datetime) -> str:
    """Return the message for an attempt while locked."""
    minutes = int((locked_until - now).total_seconds() // 60) + 1
    return _("账号已锁定，请 %(n)s 分钟后再试。", n=minutes)


def lockout_message(minutes: int) -> str:
    """Return the message for the failure that starts a lock."""
    return _("连续登录失败次数过多，账号已锁定 %(n)s 分钟。", n=minutes)


def refuse(
    username: str, user: User | None, reason: str, message: str, locked: bool = False
) -> LoginResult:
    """Log a refused attempt, commit, and return the message."""
    log_attempt(username, user, False, reason)
    db.session.commit()
    return LoginResult(None, message, locked=locked)


def count_failure(user: User, username: str, reason: str, now: datetime) -> LoginResult:
    """Count a wrong password or code against the account, locking it at the threshold."""
    threshold, minutes = param_int("auth.lockout_threshold"), param_int("auth.lockout_minutes")
    user.failed_logins += 1
    if user.failed_logins >= threshold:
        user.locked_until = now + timedelta(minutes=minutes)
        user.failed_logins = 0
        return refuse(username, user, lockout.LOCKOUT, lockout_message(minutes), True)
    message = generic_message() if reason == "bad_password" else code_message()
    return refuse(username, user, reason, message)


def code_message() -> str:
    """Return the message for a wrong second-step code."""
    return _("动态口令或恢复码不正确。")


def find_user(username: str) -> User | None:
    """Return the account of a username, ignoring case."""
    return db.session.scalars(
        select(User).where(func.lower(User.username) == username.lower())
    ).first()


def authenticate(username: str, password: str, now: datetime | None = None) -> LoginResult:
    """Check credentials, applying lockout after repeated failures; log every attempt.

    Every path checks one argon2 hash and answers unknown usernames as it answers accounts,
    so neither the messages nor the time taken tell whether a username exists.
    """
    now = now or utc_now()
    username = username.strip()
    threshold, minutes = param_int("auth.lockout_threshold"), param_int("auth.lockout_minutes")
    user = find_user(username)
    if user is None:
        verify_nobody(password)
        locked_until, failures = lockout.unknown_state(username, timedelta(minutes=minutes))
        if locked_until and locked_until > now:
            return refuse(username, None, "locked", locked_message(locked_until, now))
        if failures + 1 >= threshold:
            return refuse(username, None, lockout.LOCKOUT, lockout_message(minutes))
        return refuse(username, None, lockout.UNKNOWN, generic_message())
    correct = verify_password(user.password_hash, password)
    if user.locked_until and user.locked_until > now:
        return refuse(username, user, "locked", locked_message(user.locked_until, now))
    if not correct:
        return count_failure(user, username, "bad_password", now)
    if not user.active:
        return refuse(username, user, "disabled", _("账号已停用，请联系系统管理员。"))
    if two_factor.enabled(user.id):
        # Failures are not cleared by the password alone: wrong codes count towards the lock.
        return LoginResult(user, needs_code=True)
    return finish_login(user, username, now, "ok")


def second_step(user_id: int, code: str, now: datetime | None = None) -> LoginResult:
    """Check the code (TOTP or recovery code) of a user whose password was right; log it."""
    now = now or utc_now()
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return LoginResult(None, generic_message(), locked=True)
    if user.locked_until and user.locked_until > now:
        message = locked_message(user.locked_until, now)
        return refuse(user.username, user, "locked", message, True)
    method = two_factor.second_factor(user.id, code, now)
    if method is None:
        return count_failure(user, user.username, "bad_code", now)
    return finish_login(user, user.username, now, "ok" if method == "totp" else "ok_recovery")


def finish_login(user: User, username: str, now: datetime, reason: str) -> LoginResult:
    """Record a successful login (clearing the failures) and return the previous one."""
    previous = last_login(user)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    user.last_login_ip = request.remote_addr or ""
    log_attempt(username, user, True, reason)
    db.session.commit()
    return LoginResult(user, previous=previous)


def last_login(user: User) -> LastLogin:
    """Return a user's previous successful login and the failed attempts on him since."""
    failures = (
        select(func.count())
        .select_from(LoginLog)
        .where(LoginLog.user_id == user.id, LoginLog.success.is_(False))
    )
    if user.last_login_at is not None:
        failures = failures.where(LoginLog.at > user.last_login_at)
    return LastLogin(user.last_login_at, user.last_login_ip or "", db.session.scalar(failures))


def log_in(user: User, now: datetime | None = None) -> str:
    """Open a session record for a user who just authenticated; return its cookie token."""
    token = user_sessions.start(user, now or utc_now())
    db.session.commit()
    return token


def log_out(user: User, record: UserSession | None, now: datetime | None = None) -> None:
    """End the current session and log the logout."""
    if record is not None:
        user_sessions.end(record, EndReason.LOGOUT, now or utc_now())
    log_attempt(user.username, user, True, "logout")
    db.session.commit()


def session_refused(user_id: int | None, record: UserSession | None, reason: EndReason) -> None:
    """End a session the idle or lifetime limit refused, and log the timeout."""
    if record is None or record.ended_at is not None:
        return
    user_sessions.end(record, reason, utc_now())
    user = db.session.get(User, user_id) if user_id else None
    if user is not None:
        log_attempt(user.username, user, True, f"session_{reason}")
    db.session.commit()


def change_password(user: User, current: str, new: str) -> dict[str, list[str]]:
    """Change a user's own password; return the problems per field if it is refused."""
    if not verify_password(user.password_hash, current):
        return {"current": [_("当前密码不正确。")]}
    problems = password_problems(new, param_int("auth.password_min_length"), user.username)
    count = param_int("auth.password_history_count")
    if not problems and history.reused(user, new, count):
        problems.append(_("新密码不得与最近 %(n)s 次使用过的密码相同", n=count))
    if problems:
        return {"new": problems}
    set_password(user, new)
    user.must_change_password = False
    db.session.commit()
    return {}


def set_password(user: User, new: str) -> None:
    """Store a new password hash for a user and remember it in his password history."""
    user.password_hash = hash_password(new)
    user.password_changed_at = utc_now()
    history.remember(user, param_int("auth.password_history_count"))


def change_due(user: User) -> ChangeDue | None:
    """Return why a user must change his password before anything else, or None."""
    return password_change_due(
        user.must_change_password,
        user.password_changed_at,
        param_int("auth.password_max_age_days"),
        utc_now(),
    )


def reset_two_factor(actor: User, user: User) -> None:
    """Take a user's second factor off for the security admin: log it, end the user's sessions."""
    two_factor.reset(actor, user, utc_now())
    record_operation(
        "totp_reset", "User", user.id, f"{actor.username} 重置了 {user.username} 的两步验证"
    )
    db.session.commit()
