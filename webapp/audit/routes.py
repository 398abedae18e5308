"""The auditor's read-only log pages."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from webapp.audit.checks import check
from webapp.audit.labels import (
    MODEL_LABELS,
    endpoint_label,
    ends_a_session,
    login_reason,
    model_label,
)
from webapp.audit.presenting import (
    describe,
    describe_filters,
    object_names,
    raw_json,
    shown_summary,
)
from webapp.audit.services import LogFilters, search_log
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.forms_common import options
from webapp.security.permissions import Permission, permission_required

bp = Blueprint("audit", __name__, url_prefix="/audit")

TITLES = {"operations": _l("操作日志"), "logins": _l("登录日志"), "accesses": _l("访问日志")}
CHAIN_TITLES = {
    "audit_log": TITLES["operations"],
    "login_log": TITLES["logins"],
    "access_log": TITLES["accesses"],
}
# What an access-log row read.
READ_LABELS = {
    "view": _l("查看记录"),
    "list": _l("列表/查询"),
    "edit": _l("打开编辑"),
    "reveal_id_number": _l("查看完整身份证号码"),
    "reveal_source": _l("查看来源身份"),
}
# The operations the log records, as the auditor reads them (the table and the filter).
ACTION_LABELS = {
    "create": _l("新增"),
    "update": _l("修改"),
    "delete": _l("删除"),
    "export": _l("导出"),
    "import": _l("导入"),
    "download": _l("下载"),
    "reveal_id_number": _l("查看完整身份证号码"),
    "reveal_source_identity": _l("查看来源身份"),
    "totp_reset": _l("重置两步验证"),
    "run_job": _l("立即执行定时任务"),
    "retry": _l("重新发送"),
    "channel_setting": _l("修改消息通道"),
    "channel_test": _l("测试发送"),
}


class LogFilterForm(FlaskForm):
    """Filters for a log list, read from the query string."""

    class Meta:
        csrf = False

    username = StringField(_l("用户名"), validators=[Optional(), Length(max=64)])
    action = SelectField(
        _l("操作"),
        validators=[Optional()],
        choices=options([("", _l("全部")), *ACTION_LABELS.items()]),
    )
    object_type = SelectField(
        _l("对象类型"),
        validators=[Optional(), Length(max=64)],
        choices=options([("", _l("全部")), *MODEL_LABELS.items(), ("endpoint", _l("功能"))]),
        validate_choice=False,  # a type no longer audited may still be in old rows
    )
    result = SelectField(
        _l("结果"),
        validators=[Optional()],
        choices=options([("", _l("全部")), ("allowed", _l("已查看")), ("denied", _l("已拒绝"))]),
    )
    date_from = DateField(_l("起始日期"), validators=[Optional()])
    date_to = DateField(_l("截止日期"), validators=[Optional()])


def show(kind: str):
    """Render one log with its filters."""
    form = LogFilterForm(request.args)
    filters = LogFilters()
    if form.validate():
        filters = LogFilters(
            form.username.data or "",
            form.action.data or "",
            form.object_type.data or "",
            form.date_from.data,
            form.date_to.data,
            form.result.data or "",
        )
    page = search_log(kind, filters, request.args.get("page", 1, type=int))
    names = object_names(page.items) if kind != "logins" else {}
    changes = {row.id: describe(row, names) for row in page.items} if kind == "operations" else {}
    filters_shown = (
        {row.id: describe_filters(row, names) for row in page.items} if kind == "accesses" else {}
    )
    return render_template(
        "audit/log.html",
        kind=kind,
        title=TITLES[kind],
        form=form,
        page=page,
        action_labels=ACTION_LABELS,
        read_labels=READ_LABELS,
        changes=changes,
        names=names,
        model_label=model_label,
        login_reason=login_reason,
        ends_a_session=ends_a_session,
        endpoint_label=endpoint_label,
        raw_json=raw_json,
        shown_summary=shown_summary,
        filters_shown=filters_shown,
    )


@bp.route("/operations")
@permission_required(Permission.AUDIT_VIEW)
def operations():
    """List create/update/delete and other operations."""
    return show("operations")


@bp.route("/logins")
@permission_required(Permission.AUDIT_VIEW)
def logins():
    """List login attempts."""
    return show("logins")


@bp.route("/accesses")
@permission_required(Permission.AUDIT_VIEW)
def accesses():
    """List views of sensitive records."""
    return show("accesses")


@bp.route("/verify")
@permission_required(Permission.AUDIT_VIEW)
def verify():
    """Verify every log's chain and recorded head, record the heads, name each first break."""
    result = check(db.session.connection(), "page", utc_now())
    return render_template("audit/verify.html", result=result, titles=CHAIN_TITLES)
