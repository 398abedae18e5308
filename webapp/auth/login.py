"""Flask-Login wiring and the idle-timeout check."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from webapp.extensions import db, login_manager
from webapp.lookups import param_int
from webapp.models import User

EXEMPT_ENDPOINTS = {"static", "main.healthz", "auth.login", "main.set_locale"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the logged-in user for Flask-Login."""
    return db.session.get(User, int(user_id))


def enforce_idle_timeout():
    """Log out a user who has been idle longer than the idle-timeout parameter."""
    if request.endpoint in EXEMPT_ENDPOINTS or not current_user.is_authenticated:
        return None
    now = datetime.now(UTC).timestamp()
    last_seen = session.get("last_seen")
    if last_seen is not None and now - last_seen > param_int("auth.idle_timeout_minutes") * 60:
        logout_user()
        session.clear()
        flash(_("长时间未操作，已自动退出，请重新登录。"), "warning")
        return redirect(url_for("auth.login", next=request.full_path))
    session["last_seen"] = now
    return None


def init_app(app: Flask) -> None:
    """Configure Flask-Login and the idle-timeout check."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"
    app.before_request(enforce_idle_timeout)
