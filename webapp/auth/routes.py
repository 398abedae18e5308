"""Login, logout and password pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from webapp.auth import services, two_factor
from webapp.auth.forms import ChangePasswordForm, CodeForm, LoginForm, ResetTwoFactorForm
from webapp.auth.presenting import last_login_line
from webapp.auth.sessions import TOKEN_KEY
from webapp.clock import utc_now
from webapp.extensions import db, limiter
from webapp.lookups import param_int
from webapp.models import User
from webapp.security.permissions import Permission, permission_required

bp = Blueprint("auth", __name__, url_prefix="/auth")
PENDING_KEY = "totp_pending"  # the cookie's note that a password was right and a code is due
PENDING_SECONDS = 300


def safe_next(target: str | None) -> str:
    """Return a local redirect target, never another site."""
    if target and not urlsplit(target).netloc and target.startswith("/"):
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    """Show the login form and log the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = services.authenticate(form.username.data, form.password.data)
        if result.needs_code:
            fresh_session()
            session[PENDING_KEY] = pending_login(result.user.id, request.args.get("next"))
            return redirect(url_for("auth.login_code"))
        if result.user is not None:
            return open_session(result)
        form.password.errors.append(result.message)
    return render_template("auth/login.html", form=form)


def fresh_session() -> None:
    """Start a new cookie session, keeping only the language (defeats session fixation)."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def pending_login(user_id: int, target: str | None) -> dict:
    """Return what the cookie keeps between the password and the code: who, when, where to."""
    return {"uid": user_id, "at": utc_now().timestamp(), "next": target or ""}


def pending_user_id() -> int | None:
    """Return the user whose password was right a moment ago and whose code is awaited."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if utc_now().timestamp() - float(pending.get("at", 0)) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    return int(pending["uid"])


def open_session(result: services.LoginResult):
    """Log in a user who passed every step: a session record, the welcome, the next page."""
    target = request.args.get("next") or session.get(PENDING_KEY, {}).get("next")
    token = services.log_in(result.user)
    fresh_session()
    login_user(result.user)
    session[TOKEN_KEY] = token
    flash(_("欢迎，%(name)s。", name=result.user.full_name), "success")
    line, category = last_login_line(result.previous)
    flash(line, category)
    if services.change_due(current_user) is not None:
        return redirect(url_for("auth.password"))
    if two_factor.enrolment_due(current_user):
        return redirect(url_for("settings_self.two_factor"))
    return redirect(safe_next(target))


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login_code():
    """Ask a user whose password was right for his TOTP code or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    user_id = pending_user_id()
    if user_id is None:
        flash(_("请重新输入用户名和密码。"), "warning")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        result = services.second_step(user_id, form.code.data)
        if result.user is not None:
            return open_session(result)
        if result.locked:
            session.pop(PENDING_KEY, None)
            flash(result.message, "danger")
            return redirect(url_for("auth.login"))
        form.code.errors.append(result.message)
    return render_template("auth/login_code.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log the user out, ending this session on the server."""
    services.log_out(current_user, g.get("user_session"))
    logout_user()
    session.clear()
    flash(_("您已安全退出。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Let a user change their own password; every other session of his ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        problems = services.change_password(current_user, form.current.data, form.new.data)
        if not problems:
            # The change ended all his sessions; this one goes on under a new token.
            session[TOKEN_KEY] = services.log_in(current_user)
            flash(_("密码已修改，其他登录会话已全部结束。"), "success")
            return redirect(url_for("main.index"))
        for name, messages in problems.items():
            form[name].errors.extend(messages)
    return render_template(
        "auth/password.html",
        form=form,
        due=services.change_due(current_user),
        min_length=param_int("auth.password_min_length"),
        history_count=param_int("auth.password_history_count"),
    )


@bp.route("/users/<int:user_id>/two-factor/reset", methods=["POST"])
@permission_required(Permission.PASSWORD_RESET)
def reset_two_factor(user_id: int):
    """Take another account's second factor off (the security admin only), ending its sessions."""
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        abort(403)
    if ResetTwoFactorForm().validate_on_submit():
        services.reset_two_factor(current_user, user)
        flash(_("已重置 %(u)s 的两步验证，其登录会话已全部结束。", u=user.username), "success")
    return redirect(
        safe_next(request.form.get("next") or url_for("admin.grant_edit", user_id=user.id))
    )
