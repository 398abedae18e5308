"""Login, logout and password pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
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

from webapp.auth import services
from webapp.auth.forms import ChangePasswordForm, LoginForm
from webapp.auth.presenting import last_login_line
from webapp.auth.sessions import TOKEN_KEY
from webapp.extensions import limiter
from webapp.lookups import param_int

bp = Blueprint("auth", __name__, url_prefix="/auth")


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
        if result.user is not None:
            token = services.log_in(result.user)
            locale = session.get("locale")
            session.clear()  # a fresh session on login defeats session fixation
            if locale:
                session["locale"] = locale
            login_user(result.user)
            session[TOKEN_KEY] = token
            flash(_("欢迎，%(name)s。", name=result.user.full_name), "success")
            line, category = last_login_line(result.previous)
            flash(line, category)
            if services.change_due(current_user) is not None:
                return redirect(url_for("auth.password"))
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(result.message)
    return render_template("auth/login.html", form=form)


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
