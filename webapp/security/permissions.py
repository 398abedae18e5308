"""Permission codes, the default roles of DESIGN §2, and the one check that enforces them."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
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
    ROLE_GRANT = "role.grant"
    PASSWORD_RESET = "password.reset"
    # Reads who reported (举报人保护): granted only through its dedicated role, with a reason each time.
    VIEW_SOURCE_IDENTITY = "view_source_identity"


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

# The role a new account gets: no permission until the security admin grants one (三员分立).
UNASSIGNED = "unassigned"

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

# Appended, not inserted: `ensure_roles` gives a role its place in this list as its sort order, and
# an existing database keeps the orders it was seeded with.
DEFAULT_ROLES += [
    {
        "code": "secadmin",
        "name": _l("安全保密管理员"),
        "permissions": [P.ROLE_GRANT, P.PASSWORD_RESET],
    },
    {"code": UNASSIGNED, "name": _l("未授权"), "permissions": []},
    # The one role that may read a report's source identity: a supervisor who also receives
    # petitions. The secadmin grants it like any case role.
    {
        "code": "source_keeper",
        "name": _l("举报受理员（可查看举报人信息）"),
        "permissions": [*SUPERVISOR, P.VIEW_SOURCE_IDENTITY],
    },
]


class Duty(enum.StrEnum):
    """Which of the separate duties (三员 and case work) a set of permissions belongs to."""

    NONE = "none"
    SYSTEM = "system"
    SECURITY = "security"
    AUDIT = "audit"
    CASE = "case"
    MIXED = "mixed"


DUTY_PERMISSIONS: dict[Duty, frozenset[str]] = {
    Duty.SYSTEM: frozenset(
        {P.USER_MANAGE, P.UNIT_MANAGE, P.DICT_MANAGE, P.PARAM_MANAGE, P.JOB_MANAGE}
    ),
    Duty.SECURITY: frozenset({P.ROLE_GRANT, P.PASSWORD_RESET}),
    Duty.AUDIT: frozenset({P.AUDIT_VIEW}),
    Duty.CASE: frozenset(
        {
            P.CADRE_VIEW,
            P.CADRE_EDIT,
            P.CADRE_EXPORT,
            P.REPORT_VIEW,
            P.REPORT_EDIT,
            P.REPORT_SUBMIT,
            P.TALK_EDIT,
            P.WARNING_PROPOSE,
            P.WARNING_REVIEW,
            P.WARNING_APPROVE,
            P.DASHBOARD_VIEW,
            P.VIEW_SOURCE_IDENTITY,
        }
    ),
}
ADMIN_DUTIES = frozenset({Duty.SYSTEM, Duty.SECURITY, Duty.AUDIT})
DUTY_LABELS = {
    Duty.NONE: _l("未授权"),
    Duty.SYSTEM: _l("系统管理员"),
    Duty.SECURITY: _l("安全保密管理员"),
    Duty.AUDIT: _l("安全审计员"),
    Duty.CASE: _l("业务角色"),
    Duty.MIXED: _l("混合角色"),
}


def duty_of(permissions: Iterable[str]) -> Duty:
    """Tell which duty a role's permissions belong to (MIXED if more than one)."""
    held = set(permissions or ())
    duties = [duty for duty, codes in DUTY_PERMISSIONS.items() if held & codes]
    if not duties:
        return Duty.NONE
    return duties[0] if len(duties) == 1 else Duty.MIXED


def separation_problem(current: Iterable[str], granted: Iterable[str]) -> str | None:
    """Return why moving an account from one role to another breaks 三员分立, or None."""
    before, after = duty_of(current), duty_of(granted)
    if after is Duty.MIXED:
        return str(_l("该角色同时含有多类管理员权限或业务权限，违反三员分立，不能授予"))
    if Duty.NONE in (before, after) or before is after:
        return None
    if before in ADMIN_DUTIES | {Duty.MIXED} or after in ADMIN_DUTIES:
        return str(
            _l(
                "该账号现为%(now)s：管理员不能兼任其他管理员或业务角色，"
                "请先撤销其角色（改为“未授权”）",
                now=DUTY_LABELS[before],
            )
        )
    return None


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
