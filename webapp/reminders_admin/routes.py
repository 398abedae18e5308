"""The reminder admin pages: 消息通道, 定时任务, 发送记录 (thin views over the services)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.extensions import db
from webapp.forms_common import options
from webapp.models.notifications import (
    ChannelCode,
    ChannelSetting,
    Notification,
    NotificationStatus,
)
from webapp.reminders_admin import channels, jobs, records
from webapp.reminders_admin.forms import FORMS, ActionForm, DingTalkForm, RecordFilterForm
from webapp.security.permissions import Permission, permission_required
from webapp.units import ordered_units, unit_choices

bp = Blueprint("reminders_admin", __name__, url_prefix="/admin/reminders")


# ------------------------------------------------------------------------ 消息通道


@bp.route("/channels")
@permission_required(Permission.PARAM_MANAGE)
def channel_list():
    """List each channel's settings with their state and masked secrets."""
    return render_template(
        "reminders_admin/channels.html",
        overview=channels.overview(),
        label=channels.label,
        masked=channels.masked,
        action_form=ActionForm(),
        has_test=channels.TEST_SEND_EXTENSION in _extensions(),
        unit_names={u.id: u.name for u in ordered_units(active_only=False)},
    )


def _extensions() -> dict:
    return current_app.extensions


def _channel_code(code: str) -> ChannelCode:
    try:
        channel = ChannelCode(code)
    except ValueError:
        abort(404)
    if channel not in channels.CONFIGURED:
        abort(404)
    return channel


def _channel_form(channel: ChannelCode, setting: ChannelSetting | None):
    form = FORMS[channel]()
    if isinstance(form, DingTalkForm):
        form.unit_id.choices = options([(0, _("全部单位（默认机器人）")), *unit_choices()])
    if request.method == "GET" and setting is not None:
        form.fill(setting.config, setting.enabled)
        if isinstance(form, DingTalkForm):
            form.unit_id.data = setting.unit_id or 0
    return form


def _edit(channel: ChannelCode, setting: ChannelSetting | None):
    form = _channel_form(channel, setting)
    if form.validate_on_submit():
        unit_id = getattr(form, "unit_id", None)
        try:
            channels.save(
                setting,
                channel,
                (unit_id.data or None) if unit_id is not None else None,
                form.enabled.data,
                form.typed_config(),
            )
        except channels.ChannelError as exc:
            db.session.rollback()
            getattr(form, exc.field, form.enabled).errors.append(str(exc))
        else:
            flash(_("已保存%(channel)s配置。", channel=channels.label(channel)), "success")
            return redirect(url_for("reminders_admin.channel_list"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "reminders_admin/channel_form.html",
        form=form,
        channel=channel,
        label=channels.label(channel),
        setting=setting,
        masked=channels.masked(setting),
    ), status


@bp.route("/channels/<code>/new", methods=["GET", "POST"])
@permission_required(Permission.PARAM_MANAGE)
def channel_new(code: str):
    """Configure a channel (or, for 钉钉, one more unit's robot)."""
    channel = _channel_code(code)
    if channel is not ChannelCode.DINGTALK:
        existing = channels.find(channel, None)
        if existing is not None:
            return redirect(url_for("reminders_admin.channel_edit", setting_id=existing.id))
    return _edit(channel, None)


@bp.route("/channels/<int:setting_id>", methods=["GET", "POST"])
@permission_required(Permission.PARAM_MANAGE)
def channel_edit(setting_id: int):
    """Change a channel setting; empty secrets keep the stored ones."""
    setting = db.get_or_404(ChannelSetting, setting_id)
    return _edit(setting.channel, setting)


@bp.route("/channels/<int:setting_id>/test", methods=["POST"])
@permission_required(Permission.PARAM_MANAGE)
def channel_test(setting_id: int):
    """Send a test message to the current sysadmin through one setting."""
    setting = db.get_or_404(ChannelSetting, setting_id)
    if ActionForm().validate_on_submit():
        result = channels.test_send(setting, current_user)
        flash(result.message, "success" if result.ok else "danger")
    return redirect(url_for("reminders_admin.channel_list"))


# ------------------------------------------------------------------------ 定时任务


@bp.route("/jobs")
@permission_required(Permission.JOB_MANAGE)
def job_list():
    """List the jobs: cron, last run, next run, paused or not."""
    return render_template(
        "reminders_admin/jobs.html",
        rows=jobs.job_rows(),
        action_form=ActionForm(),
        can_run=jobs.RUN_EXTENSION in _extensions(),
        trigger_label=jobs.trigger_label,
        detail_line=jobs.detail_line,
    )


@bp.route("/jobs/<job_id>/<any(pause, resume):action>", methods=["POST"])
@permission_required(Permission.JOB_MANAGE)
def job_pause(job_id: str, action: str):
    """Pause or resume a job's scheduled runs."""
    if ActionForm().validate_on_submit():
        try:
            jobs.set_paused(job_id, action == "pause")
        except jobs.JobError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash(_("已暂停。") if action == "pause" else _("已恢复。"), "success")
    return redirect(url_for("reminders_admin.job_list"))


@bp.route("/jobs/<job_id>/run", methods=["POST"])
@permission_required(Permission.JOB_MANAGE)
def job_run(job_id: str):
    """Run a job at once and say how it ended."""
    if ActionForm().validate_on_submit():
        try:
            flash(jobs.run_now(job_id), "success")
        except jobs.JobError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
    return redirect(url_for("reminders_admin.job_list"))


# ------------------------------------------------------------------------ 发送记录


def _filters(form: RecordFilterForm) -> records.RecordFilters:
    channel = form.channel.data if form.channel.data in set(ChannelCode) else None
    status = form.status.data if form.status.data in set(NotificationStatus) else None
    return records.RecordFilters(
        channel=ChannelCode(channel) if channel else None,
        status=NotificationStatus(status) if status else None,
        recipient=(form.recipient.data or "").strip(),
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )


@bp.route("/records")
@permission_required(Permission.JOB_MANAGE)
def record_list():
    """List the outbox rows, filtered and paginated."""
    form = RecordFilterForm(request.args)
    valid = form.validate()
    filters = _filters(form) if valid else records.RecordFilters()
    page = records.list_records(filters, request.args.get("page", 1, type=int))
    return render_template(
        "reminders_admin/records.html",
        form=form,
        page=page,
        names=records.usernames(page.items),
        action_form=ActionForm(),
        label=channels.label,
        kind_label=records.kind_label,
        stage_label=records.stage_label,
    ), (200 if valid else 400)


@bp.route("/records/<int:notification_id>")
@permission_required(Permission.JOB_MANAGE)
def record_detail(notification_id: int):
    """Show one record's delivery attempts."""
    notification = db.get_or_404(Notification, notification_id)
    return render_template(
        "reminders_admin/record.html",
        n=notification,
        attempts=records.attempts_of(notification),
        recipient=records.usernames([notification]).get(notification.user_id, ""),
        action_form=ActionForm(),
        label=channels.label,
        kind_label=records.kind_label,
        stage_label=records.stage_label,
    )


@bp.route("/records/retry", methods=["POST"])
@permission_required(Permission.JOB_MANAGE)
def record_retry():
    """Send the chosen dead records again from now."""
    if ActionForm().validate_on_submit():
        ids = [int(v) for v in request.form.getlist("ids") if v.isdigit()]
        count = records.retry(ids)
        if count:
            flash(_("已重新排队 %(n)s 条发送失败的记录。", n=count), "success")
        else:
            flash(_("请选择发送失败的记录。"), "danger")
    back = request.form.get("next", "")
    # Only back to a 发送记录 page: never an address taken from the form as is.
    if not back.startswith(url_for("reminders_admin.record_list")) or "//" in back:
        back = url_for("reminders_admin.record_list")
    return redirect(back)
