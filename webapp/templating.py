"""Template filters and globals: dates in the org's zone, masked IDs, labels, navigation."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.clock import org_today, to_org
from webapp.forms_common import mask_id_number
from webapp.i18n import translate
from webapp.lookups import dict_label
from webapp.security.permissions import Permission as P

# (endpoint, label, permission or a tuple of any-of permissions): the menu shows an entry
# only to those who may use it.
NAVIGATION = [
    ("main.index", _l("工作台"), None),
    ("dashboard.index", _l("晴雨表"), P.DASHBOARD_VIEW),
    ("cadres.index", _l("干部信息"), P.CADRE_VIEW),
    ("negative_info.index", _l("负面信息台账"), P.REPORT_VIEW),
    ("negative_info.queue", _l("待核实信息"), P.REPORT_EDIT),
    ("negative_info.submit", _l("报送负面信息"), P.REPORT_SUBMIT),
    ("negative_info.mine", _l("我的报送"), P.REPORT_SUBMIT),
    ("talks.index", _l("谈话记录"), P.REPORT_VIEW),
    ("inquiries.index", _l("函询"), P.REPORT_VIEW),
    ("warnings.index", _l("预警事项"), P.CADRE_VIEW),
    ("warnings.pending", _l("待审批"), (P.WARNING_REVIEW, P.WARNING_APPROVE)),
    ("meetings.index", _l("研判会商"), P.REPORT_VIEW),
    ("admin.users", _l("用户管理"), P.USER_MANAGE),
    ("admin.grants_list", _l("授权管理"), P.ROLE_GRANT),
    ("api_clients.index", _l("接入系统"), P.USER_MANAGE),
    ("api_clients.grants", _l("接入系统授权"), P.ROLE_GRANT),
    ("admin.units", _l("部门管理"), P.UNIT_MANAGE),
    ("admin.dictionaries", _l("字典管理"), P.DICT_MANAGE),
    ("admin.parameters", _l("参数管理"), P.PARAM_MANAGE),
    ("holidays.index", _l("节假日维护"), P.PARAM_MANAGE),
    ("reminders_admin.channel_list", _l("消息通道"), P.PARAM_MANAGE),
    ("reminders_admin.job_list", _l("定时任务"), P.JOB_MANAGE),
    ("reminders_admin.record_list", _l("发送记录"), P.JOB_MANAGE),
    ("audit.operations", _l("操作日志"), P.AUDIT_VIEW),
    ("audit.logins", _l("登录日志"), P.AUDIT_VIEW),
    ("audit.accesses", _l("访问日志"), P.AUDIT_VIEW),
]


def navigation() -> list[tuple[str, str, str]]:
    """Return the menu entries (endpoint, label, URL) the current user may open.

    Built once per worker for each set of permissions (a role's edit makes a new set), since
    every page shows the menu: the labels stay lazy, so each page still shows its language.
    """
    if not current_user.is_authenticated:
        return []
    granted = frozenset(current_user.role.permissions or ()) if current_user.active else frozenset()
    menus = current_app.extensions.setdefault("navigation", {})
    key = (granted, request.script_root)
    if key not in menus:
        menus[key] = [
            (ep, label, url_for(ep)) for ep, label, perm in NAVIGATION if _may(perm, granted)
        ]
    return menus[key]


def _may(perm: str | tuple[str, ...] | None, granted: frozenset[str]) -> bool:
    # A tuple means any one of the permissions (待审批 serves reviewers and approvers).
    if perm is None:
        return True
    perms = perm if isinstance(perm, tuple) else (perm,)
    return not granted.isdisjoint(perms)


def fmt_date(value: date | None) -> str:
    """Format a date as 2026-11-22."""
    return value.isoformat() if value else ""


def fmt_datetime(value: datetime | None) -> str:
    """Format a UTC timestamp in the org's zone as 2026-11-22 08:30."""
    local = to_org(value)
    return local.strftime("%Y-%m-%d %H:%M") if local else ""


def years_since(value: date | None) -> str:
    """Return whole years from a date to today (age, working years, party years)."""
    if not value:
        return ""
    today = org_today()
    return str(today.year - value.year - ((today.month, today.day) < (value.month, value.day)))


def init_app(app: Flask) -> None:
    """Register the filters and globals."""
    app.jinja_env.filters.update(
        date=fmt_date,
        datetime=fmt_datetime,
        mask_id=mask_id_number,
        years_since=years_since,
        # A workflows label or message (state, tier, event, guard, suggestion) in the UI's language.
        t=translate,
    )
    app.jinja_env.globals.update(
        navigation=navigation, dict_label=dict_label, get_locale=get_locale
    )
