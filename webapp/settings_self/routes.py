"""The 通知设置 page: the logged-in user's own channels, never anyone else's."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.settings_self import services
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
