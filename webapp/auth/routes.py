"""Login, logout and password pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from webapp.auth.forms import ChangePasswordForm, LoginForm
from webapp.auth.services import authenticate, change_password
from webapp.extensions import limiter

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
        result = authenticate(form.username.data, form.password.data)
        if result.user is not None:
            locale = session.get("locale")
            session.clear()  # a fresh session on login defeats session fixation
            if locale:
                session["locale"] = locale
            login_user(result.user)
            flash(_("欢迎，%(name)s。", name=result.user.full_name), "success")
            if result.user.must_change_password:
                return redirect(url_for("auth.password"))
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(result.message)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log the user out."""
    logout_user()
    session.clear()
    flash(_("您已安全退出。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Let a user change their own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        problems = change_password(current_user, form.current.data, form.new.data)
        if not problems:
            flash(_("密码已修改。"), "success")
            return redirect(url_for("main.index"))
        for name, messages in problems.items():
            form[name].errors.extend(messages)
    return render_template("auth/password.html", form=form)
