"""The security admin's changes to accounts: roles and data scope, unlock, password reset.

Each change is logged by the audit recorder (the User row's before and after) and told to every
security auditor in 站内消息, so the person granting access is never the only one who knows.
The 授权 page gives case roles only (an administrator's role comes from the server's shell), and
a reset password is generated, never typed, so no one administrator opens case work alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.admin.forms import SCOPE_LABELS
from webapp.admin.roleless_logins import roleless_logins
from webapp.admin.services import issued_password
from webapp.auth.services import set_password
from webapp.clock import org_today, utc_now
from webapp.extensions import db
from webapp.models import DataScope, OrgUnit, Role, User
from webapp.models.notifications import ChannelCode
from webapp.outbox import enqueue
from webapp.security.permissions import (
    ADMIN_DUTIES,
    Duty,
    Permission,
    duty_of,
    separation_problem,
)
from webapp.templating import fmt_datetime

# Notification kinds (free codes of the outbox; the reminder kinds are ObligationKind values).
GRANT_KIND = "role_grant"
RESET_KIND = "password_reset"

ROLELESS_LOGIN_UNCONFIRMED = _l(
    "该账号在未授权期间登录过：请先与本人核实账号确由本人掌握，再勾选确认后授予业务角色"
)


class SeparationRefused(PermissionError):
    """An account change that 三员分立 forbids; carries the message shown next to the field."""


@dataclass(frozen=True)
class Grant:
    """What the 授权 page sets on an account."""

    role_id: int
    unit_id: int
    data_scope: DataScope
    scope_unit_ids: tuple[int, ...] = ()
    # The security admin checked with the person that a roleless login was his own.
    roleless_login_confirmed: bool = False


def self_change_problem(actor: User, user: User) -> str | None:
    """Return why an admin may not change this account's access, or None."""
    if actor.id == user.id:
        return _("不能修改本人的角色、数据权限或密码重置状态（三员分立）")
    return None


def page_grants(user: User, role: Role) -> bool:
    """Tell whether the 授权 page may give this role: a case role, none, or the one held."""
    return duty_of(role.permissions) not in ADMIN_DUTIES or role.id == user.role_id


def grant_problem(actor: User, user: User, role: Role | None) -> str | None:
    """Return why the actor may not give this role to this account, or None."""
    if role is None:
        return _("请选择有效的角色")
    if not page_grants(user, role):
        return self_change_problem(actor, user) or _(
            "授权页只授予业务角色或撤销授权；管理员角色只能由运维人员在服务器上"
            "用 flask accounts grant-admin 命令授予"
        )
    return self_change_problem(actor, user) or separation_problem(
        user.role.permissions, role.permissions
    )


def logins_to_check(user: User) -> list[datetime]:
    """Return when an account that now holds no role logged in without one (none if it holds one)."""
    if duty_of(user.role.permissions) is not Duty.NONE:
        return []
    return roleless_logins(user)


def needs_login_check(user: User, role: Role | None) -> bool:
    """Tell whether a grant gives case work to a roleless account that has logged in."""
    return (
        role is not None and duty_of(role.permissions) is Duty.CASE and bool(logins_to_check(user))
    )


def roleless_login_text(user: User) -> str:
    """Tell the auditor how often and when last a roleless account logged in."""
    logins = logins_to_check(user)
    return _(
        "注意：该账号在未授权期间已登录 %(n)s 次（最近一次 %(at)s），授权人已勾选确认与本人核实。",
        n=len(logins),
        at=fmt_datetime(logins[-1]),
    )


def access_text(user: User) -> str:
    """Describe an account's role and data scope as the auditor reads it."""
    scope = str(SCOPE_LABELS[user.data_scope])
    if user.data_scope == DataScope.CUSTOM:
        scope += "（" + "、".join(u.name for u in user.scope_units) + "）"
    return _(
        "角色「%(role)s」，所属部门「%(unit)s」，数据权限「%(scope)s」",
        role=user.role.name,
        unit=user.unit.name,
        scope=scope,
    )


def auditors() -> list[User]:
    """Return the active users whose role reads the logs."""
    roles = [
        r.id for r in db.session.scalars(select(Role)) if Permission.AUDIT_VIEW in r.permissions
    ]
    stmt = select(User).where(User.role_id.in_(roles), User.active.is_(True)).order_by(User.id)
    return list(db.session.scalars(stmt))


def notify_auditors(kind: str, user: User, label: str, detail: str, link: str, now: datetime):
    """Queue one 站内消息 per auditor about a change to an account (in the caller's transaction)."""
    stage = uuid.uuid4().hex[:16]  # every change is its own message, however many a day
    for auditor in auditors():
        enqueue(
            kind=kind,
            subject=f"user:{user.id}",
            stage=stage,
            due_date=org_today(),
            user_id=auditor.id,
            channel=ChannelCode.INAPP,
            label=label,
            detail=detail,
            link=link,
            now=now,
        )


def apply_grant(actor: User, user: User, grant: Grant, link: str = "") -> bool:
    """Set an account's role, unit and data scope; tell the auditors; return whether it changed."""
    role = db.session.get(Role, grant.role_id)
    problem = grant_problem(actor, user, role)
    if problem:
        raise SeparationRefused(problem)
    warning = ""
    if needs_login_check(user, role):
        if not grant.roleless_login_confirmed:
            raise SeparationRefused(str(ROLELESS_LOGIN_UNCONFIRMED))
        warning = roleless_login_text(user)
    before = access_text(user)
    user.role = role
    user.unit = db.session.get(OrgUnit, grant.unit_id)
    user.data_scope = grant.data_scope
    chosen = grant.scope_unit_ids if grant.data_scope == DataScope.CUSTOM else ()
    user.scope_units = list(db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(chosen))))
    after = access_text(user)
    if before == after:
        db.session.commit()
        return False
    now = utc_now()
    detail = _(
        "%(actor)s 将账号 %(user)s 的授权由：%(before)s，改为：%(after)s。",
        actor=actor,
        user=user,
        before=before,
        after=after,
    )
    if warning:
        detail += warning
    notify_auditors(GRANT_KIND, user, _("账号授权变更"), detail, link, now)
    db.session.commit()
    return True


def reset_password(actor: User, user: User, link: str = "") -> str:
    """Set a generated password, unlock, require a change at next login; tell the auditors.

    Return the password, to be shown once to the security admin who hands it over.
    """
    problem = self_change_problem(actor, user)
    if problem:
        raise SeparationRefused(problem)
    password = issued_password()
    set_password(user, password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    detail = _("%(actor)s 重置了账号 %(user)s 的密码（首次登录须修改）。", actor=actor, user=user)
    notify_auditors(RESET_KIND, user, _("账号密码重置"), detail, link, utc_now())
    db.session.commit()
    return password


def unlock(actor: User, user: User) -> None:
    """Clear an account's failed logins and lock."""
    problem = self_change_problem(actor, user)
    if problem:
        raise SeparationRefused(problem)
    user.failed_logins = 0
    user.locked_until = None
    db.session.commit()


def grant_admin_role_from_shell(username: str, role_code: str) -> User:
    """Give an account an administrator's role from the server's shell (the first admins).

    Case roles are never given here: only the security admin's 授权 page grants them.
    """
    user = db.session.scalars(select(User).where(User.username == username)).first()
    role = db.session.scalars(select(Role).where(Role.code == role_code)).first()
    if user is None or role is None:
        raise SeparationRefused(_("没有该用户或角色"))
    if duty_of(role.permissions) not in ADMIN_DUTIES:
        raise SeparationRefused(_("命令行只能授予管理员角色；业务角色由安全保密管理员在授权页授予"))
    problem = separation_problem(user.role.permissions, role.permissions)
    if problem:
        raise SeparationRefused(problem)
    before = access_text(user)
    user.role = role
    detail = _(
        "服务器命令行将账号 %(user)s 的授权由：%(before)s，改为：%(after)s。",
        user=user,
        before=before,
        after=access_text(user),
    )
    notify_auditors(GRANT_KIND, user, _("账号授权变更"), detail, "/audit/operations", utc_now())
    db.session.commit()
    return user
