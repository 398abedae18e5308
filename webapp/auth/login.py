"""Flask-Login wiring: every request's session is checked against its server-side record."""

from __future__ import annotations

from flask import Flask, abort, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from sqlalchemy.orm import Session as OrmSession

from webapp.auth import revocation, services
from webapp.auth import sessions as user_sessions
from webapp.auth.sessions import EndReason
from webapp.clock import utc_now
from webapp.extensions import db, login_manager
from webapp.models import User

EXEMPT_ENDPOINTS = {"static", "main.healthz"}
# What a user who must change his password may still reach.
CHANGE_ENDPOINTS = EXEMPT_ENDPOINTS | {"auth.password", "auth.logout", "main.set_locale"}
REFUSAL_MESSAGES = {
    EndReason.IDLE: _l("长时间未操作，已自动退出，请重新登录。"),
    EndReason.EXPIRED: _l("登录已超过最长有效时长，请重新登录。"),
}
ENDED_MESSAGE = _l("登录状态已失效（已退出、密码或账号已变更，或已在别处结束），请重新登录。")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the logged-in user, only while his session record lives and he is active."""
    user = db.session.get(User, int(user_id))
    record = user_sessions.find(session.get(user_sessions.TOKEN_KEY))
    if user is None or not user.active:
        g.session_refused = (record, EndReason.ENDED)
        return None
    refused = user_sessions.refusal(record, user.id, utc_now(), user_sessions.policy())
    if refused is not None:
        g.session_refused = (record, refused)
        return None
    g.user_session = record
    return user


def enforce_session():
    """End a cookie whose session record no longer lives; note activity on one that does."""
    # Flask-Login caches the user in g, which lasts one app context: one request when served,
    # but a whole test when the suite holds a context open. Dropping it runs the loader (and
    # so the record check) on every request in both.
    for name in ("_login_user", "user_session", "session_refused"):
        g.pop(name, None)
    if request.endpoint in EXEMPT_ENDPOINTS or "_user_id" not in session:
        return None
    user_id = session.get("_user_id")
    if current_user.is_authenticated:
        user_sessions.touch(g.user_session, utc_now())
        return None
    record, reason = g.pop("session_refused", (None, EndReason.ENDED))
    services.session_refused(int(user_id) if user_id else None, record, reason)
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


def init_app(app: Flask) -> None:
    """Configure Flask-Login, the session check and the forced password change."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"
    revocation.register(OrmSession)
    app.before_request(enforce_session)
    app.before_request(require_password_change)
