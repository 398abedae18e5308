"""Authentication with lockout, login logging and password changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import request
from flask_babel import gettext as _
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.lookups import param_int
from webapp.models import LoginLog, User
from webapp.security.passwords import hash_password, password_problems, verify_password


@dataclass(frozen=True)
class LoginResult:
    """What a login attempt came to: the user, or a message to show."""

    user: User | None
    message: str = ""


def log_attempt(username: str, user: User | None, success: bool, reason: str) -> None:
    """Write a LoginLog row for one attempt."""
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


def authenticate(username: str, password: str, now: datetime | None = None) -> LoginResult:
    """Check credentials, applying lockout after repeated failures; log every attempt."""
    now = now or datetime.now(UTC)
    username = username.strip()
    user = db.session.scalars(
        select(User).where(func.lower(User.username) == username.lower())
    ).first()
    generic = _("用户名或密码错误。")
    if user is None:
        log_attempt(username, None, False, "unknown_user")
        db.session.commit()
        return LoginResult(None, generic)
    if user.locked_until and user.locked_until > now:
        log_attempt(username, user, False, "locked")
        db.session.commit()
        minutes = int((user.locked_until - now).total_seconds() // 60) + 1
        return LoginResult(None, _("账号已锁定，请 %(n)s 分钟后再试。", n=minutes))
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        message = generic
        if user.failed_logins >= param_int("auth.lockout_threshold"):
            user.locked_until = now + timedelta(minutes=param_int("auth.lockout_minutes"))
            user.failed_logins = 0
            message = _(
                "连续登录失败次数过多，账号已锁定 %(n)s 分钟。", n=param_int("auth.lockout_minutes")
            )
        log_attempt(username, user, False, "bad_password")
        db.session.commit()
        return LoginResult(None, message)
    if not user.active:
        log_attempt(username, user, False, "disabled")
        db.session.commit()
        return LoginResult(None, _("账号已停用，请联系系统管理员。"))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    user.last_login_ip = request.remote_addr or ""
    log_attempt(username, user, True, "ok")
    db.session.commit()
    return LoginResult(user)


def change_password(user: User, current: str, new: str) -> dict[str, list[str]]:
    """Change a user's own password; return the problems per field if it is refused."""
    if not verify_password(user.password_hash, current):
        return {"current": [_("当前密码不正确。")]}
    problems = password_problems(new, param_int("auth.password_min_length"))
    if problems:
        return {"new": problems}
    set_password(user, new)
    user.must_change_password = False
    db.session.commit()
    return {}


def set_password(user: User, new: str) -> None:
    """Store a new password hash for a user."""
    user.password_hash = hash_password(new)
    user.password_changed_at = datetime.now(UTC)
