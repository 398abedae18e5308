"""Permission codes, the default roles of DESIGN §2, and the one check that enforces them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

F = TypeVar("F", bound=Callable)


class Permission:
    """Permission codes stored in `Role.permissions`."""

    CADRE_VIEW = "cadre.view"
    CADRE_EDIT = "cadre.edit"
    CADRE_EXPORT = "cadre.export"
    REPORT_VIEW = "report.view"
    REPORT_EDIT = "report.edit"
    REPORT_SUBMIT = "report.submit"
    TALK_EDIT = "talk.edit"
    WARNING_PROPOSE = "warning.propose"
    WARNING_REVIEW = "warning.review"
    WARNING_APPROVE = "warning.approve"
    DASHBOARD_VIEW = "dashboard.view"
    USER_MANAGE = "user.manage"
    UNIT_MANAGE = "unit.manage"
    DICT_MANAGE = "dict.manage"
    PARAM_MANAGE = "param.manage"
    JOB_MANAGE = "job.manage"
    AUDIT_VIEW = "audit.view"


P = Permission
SUPERVISOR = [
    P.CADRE_VIEW,
    P.CADRE_EDIT,
    P.CADRE_EXPORT,
    P.REPORT_VIEW,
    P.REPORT_EDIT,
    P.TALK_EDIT,
    P.WARNING_PROPOSE,
    P.DASHBOARD_VIEW,
]

DEFAULT_ROLES: list[dict] = [
    {
        "code": "sysadmin",
        "name": _l("系统管理员"),
        "permissions": [P.USER_MANAGE, P.UNIT_MANAGE, P.DICT_MANAGE, P.PARAM_MANAGE, P.JOB_MANAGE],
    },
    {"code": "auditor", "name": _l("安全审计员"), "permissions": [P.AUDIT_VIEW]},
    {"code": "supervisor", "name": _l("监督员（干部监督科）"), "permissions": SUPERVISOR},
    {
        "code": "reviewer",
        "name": _l("科长（审核）"),
        "permissions": [*SUPERVISOR, P.WARNING_REVIEW],
    },
    {
        "code": "approver",
        "name": _l("分管领导（审定）"),
        "permissions": [
            P.CADRE_VIEW,
            P.CADRE_EXPORT,
            P.REPORT_VIEW,
            P.WARNING_APPROVE,
            P.DASHBOARD_VIEW,
        ],
    },
    {
        "code": "minister",
        "name": _l("部长（审定）"),
        "permissions": [
            P.CADRE_VIEW,
            P.CADRE_EXPORT,
            P.REPORT_VIEW,
            P.WARNING_APPROVE,
            P.DASHBOARD_VIEW,
        ],
    },
    {"code": "liaison", "name": _l("联络员（成员单位）"), "permissions": [P.REPORT_SUBMIT]},
    {
        "code": "viewer",
        "name": _l("领导查阅"),
        "permissions": [P.CADRE_VIEW, P.REPORT_VIEW, P.DASHBOARD_VIEW],
    },
]

ALL_PERMISSIONS = sorted(value for key, value in vars(Permission).items() if key.isupper())


def permission_required(*permissions: str) -> Callable[[F], F]:
    """Let a view run only for a logged-in user holding every named permission."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not all(current_user.can(p) for p in permissions):
                abort(403)
            return view(*args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorator
