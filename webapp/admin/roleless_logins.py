"""When an account logged in while it held no role: a sign someone else may hold its password.

The system admin sees an account's initial password, the security admin a reset one; either
could log in to a roleless account and change its password before a case role is granted.
The login log gives every successful login, the operations log every change of the account's
role (its creation included); together they tell which role the account held at each login.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditLog, LoginLog, Role, User
from webapp.security.permissions import Duty, duty_of


@dataclass(frozen=True)
class RoleChange:
    """One logged change of an account's role: before is None when the account was created."""

    at: datetime
    before: int | None
    after: int


def role_at(at: datetime, changes: Sequence[RoleChange], current: int) -> int | None:
    """Return the role an account held at a moment, from its role changes in order."""
    held = None
    for change in changes:
        if change.at > at:
            return change.before if held is None else held
        held = change.after
    return current if held is None else held


def role_changes(user: User) -> list[RoleChange]:
    """Return the logged changes of an account's role, oldest first."""
    stmt = (
        select(AuditLog)
        .where(AuditLog.object_type == "User", AuditLog.object_id == str(user.id))
        .order_by(AuditLog.at, AuditLog.id)
    )
    changes = []
    for row in db.session.scalars(stmt):
        after = row.after or {}
        if "role_id" in after:
            before = (row.before or {}).get("role_id")
            changes.append(RoleChange(row.at, before, after["role_id"]))
    return changes


def successful_logins(user: User) -> list[datetime]:
    """Return when the account logged in (password, and second factor if any), oldest first."""
    stmt = (
        select(LoginLog.at)
        .where(
            LoginLog.user_id == user.id,
            LoginLog.success.is_(True),
            LoginLog.reason.startswith("ok"),  # not a logout nor a session's end
        )
        .order_by(LoginLog.at, LoginLog.id)
    )
    return list(db.session.scalars(stmt))


def roleless_role_ids(roles: Iterable[Role]) -> set[int]:
    """Return the ids of the roles that grant nothing."""
    return {r.id for r in roles if duty_of(r.permissions) is Duty.NONE}


def roleless_logins(user: User) -> list[datetime]:
    """Return when the account logged in successfully while its role granted nothing."""
    logins = successful_logins(user)
    if not logins:
        return []
    changes = role_changes(user)
    roleless = roleless_role_ids(db.session.scalars(select(Role)))
    return [at for at in logins if role_at(at, changes, user.role_id) in roleless]
