"""The user's own settings: 通知设置 and 登录会话, never anyone else's."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.settings_self import services
from webapp.settings_self import sessions as own_sessions
from webapp.settings_self.forms import CHANNEL_LABELS, PUSHED, NotificationForm

bp = Blueprint("settings_self", __name__, url_prefix="/me")


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def notifications():
    """Show and save the current user's channel choices."""
    current = services.choices(current_user)
    form = NotificationForm(data={c.value: current[c] for c in PUSHED})
    if form.validate_on_submit():
        services.save(current_user, form.chosen())
        flash(_("通知设置已保存。"), "success")
        return redirect(url_for("settings_self.notifications"))
    shown = {c: form[c.value].data for c in PUSHED}
    return render_template(
        "settings_self/notifications.html",
        form=form,
        labels=CHANNEL_LABELS,
        missing=services.missing_addresses(current_user, shown),
    )


def current_session_id() -> int | None:
    """Return the id of the request's own session record."""
    record = g.get("user_session")
    return record.id if record is not None else None


@bp.route("/sessions")
@login_required
def sessions():
    """List the current user's living login sessions."""
    return render_template(
        "settings_self/sessions.html",
        rows=own_sessions.my_sessions(current_user),
        current_id=current_session_id(),
    )


@bp.route("/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    """End one of the current user's other sessions."""
    if not own_sessions.end_mine(current_user, session_id, current_session_id()):
        abort(404)
    flash(_("已结束该登录会话。"), "success")
    return redirect(url_for("settings_self.sessions"))


@bp.route("/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    """End every session of the current user but this one."""
    own_sessions.end_others(current_user, current_session_id())
    flash(_("已结束其他所有登录会话。"), "success")
    return redirect(url_for("settings_self.sessions"))
