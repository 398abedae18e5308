"""Flask-Login wiring: every request's session is checked against its server-side record."""

from __future__ import annotations

from flask import Flask, abort, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from sqlalchemy.orm import Session as OrmSession

from webapp.auth import revocation, services, two_factor
from webapp.auth import sessions as user_sessions
from webapp.auth.sessions import EndReason
from webapp.clock import utc_now
from webapp.extensions import db, login_manager
from webapp.lookups import forget_request_copies
from webapp.models import User

EXEMPT_ENDPOINTS = {"static", "main.healthz"}
# What a user who must change his password may still reach.
CHANGE_ENDPOINTS = EXEMPT_ENDPOINTS | {"auth.password", "auth.logout", "main.set_locale"}
# What a user whose role requires two-factor login may reach before he has enrolled.
ENROL_ENDPOINTS = CHANGE_ENDPOINTS | {
    "settings_self.two_factor",
    "settings_self.two_factor_start",
    "settings_self.two_factor_enrol",
}
REFUSAL_MESSAGES = {
    EndReason.IDLE: _l("长时间未操作，已自动退出，请重新登录。"),
    EndReason.EXPIRED: _l("登录已超过最长有效时长，请重新登录。"),
}
ENDED_MESSAGE = _l("登录状态已失效（已退出、密码或账号已变更，或已在别处结束），请重新登录。")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the logged-in user for Flask-Login, unless his account is disabled."""
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def enforce_session():
    """Refuse a cookie whose server-side session record no longer lives; note activity."""
    # g lasts one app context: one request when served, but a whole test when the suite holds
    # a context open. What this check reads (the policy, Flask-Login's cached user) is read
    # afresh, as a served request would; the cookie's user (or nobody, logging in) is the one.
    forget_request_copies()
    for name in ("user_session", "session_user", "session_refused"):
        g.pop(name, None)
    if request.endpoint == "auth.login" or "_user_id" in session:
        g.pop("_login_user", None)
    if request.endpoint in EXEMPT_ENDPOINTS or "_user_id" not in session:
        return None
    user_id = int(session["_user_id"])
    # The user is held in g for the request: the identity map keeps only weak references.
    record, g.session_user = user_sessions.find_with_user(session.get(user_sessions.TOKEN_KEY))
    reason = user_sessions.refusal(record, user_id, utc_now(), user_sessions.policy())
    if reason is None and current_user.is_authenticated:
        g.user_session = record
        user_sessions.touch(record, utc_now())
        return None
    services.session_refused(user_id, record, reason or EndReason.ENDED)
    logout_user()
    session.clear()
    flash(str(REFUSAL_MESSAGES.get(reason, ENDED_MESSAGE)), "warning")
    if request.endpoint == "auth.login":
        return None
    return redirect(url_for("auth.login", next=request.full_path))


def require_password_change():
    """Refuse every page but the change page while the password must be changed."""
    if request.endpoint in CHANGE_ENDPOINTS or not current_user.is_authenticated:
        return None
    if services.change_due(current_user) is None:
        return None
    if request.method not in ("GET", "HEAD"):
        abort(403)
    flash(_("请先修改密码。"), "warning")
    return redirect(url_for("auth.password"))


def require_two_factor_enrolment():
    """Refuse every page but enrolment while a role that requires two-factor login lacks it."""
    if request.endpoint in ENROL_ENDPOINTS or not current_user.is_authenticated:
        return None
    if not two_factor.enrolment_due(current_user):
        return None
    if request.method not in ("GET", "HEAD"):
        abort(403)
    flash(_("您的角色须启用两步验证，请先完成设置。"), "warning")
    return redirect(url_for("settings_self.two_factor"))


def init_app(app: Flask) -> None:
    """Configure Flask-Login, the session check, the forced password change and 2FA enrolment."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"
    revocation.register(OrmSession)
    app.before_request(enforce_session)
    app.before_request(require_password_change)
    app.before_request(require_two_factor_enrolment)
