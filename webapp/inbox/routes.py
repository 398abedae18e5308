"""站内消息 pages: the list, opening one (marks it read, leads to its record), mark all read."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from webapp.inbox import services

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


def unread_badge() -> int:
    """Return the current user's unread count for the top bar (0 when logged out)."""
    if not current_user.is_authenticated:
        return 0
    return services.unread_count(current_user)


@bp.route("/")
@login_required
def index():
    """List the user's in-app messages, unread first."""
    page = services.messages(current_user, request.args.get("page", 1, type=int))
    return render_template("inbox/index.html", page=page, action_form=FlaskForm())


@bp.route("/<int:message_id>")
@login_required
def open_message(message_id: int):
    """Mark a message read and go to the record it is about."""
    message = services.open_message(current_user, message_id)
    if message is None:
        abort(404)
    return redirect(services.safe_link(message.link) or url_for("inbox.index"))


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    """Mark all the user's messages read."""
    if FlaskForm().validate_on_submit():
        count = services.mark_all_read(current_user)
        flash(_("已将 %(n)s 条消息标为已读。", n=count), "success")
    return redirect(url_for("inbox.index"))
