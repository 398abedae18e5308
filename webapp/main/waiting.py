"""What waits for a role on its first screen, each as one or two queries (no query per line).

The case roles' lists go through the one scope filter; the administrators' lists hold no case
content (三员分立): jobs, deliveries, accounts and the security events of the logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from webapp.auth.lockout import LOCKOUT
from webapp.extensions import db
from webapp.models import (
    AccessLog,
    AuditLog,
    Cadre,
    Clarification,
    LoginLog,
    NegativeInfo,
    Notification,
    Role,
    User,
    Warning,
    WarningProposal,
)
from webapp.models.notifications import NotificationStatus
from webapp.paging import capped_count
from webapp.reminders_admin.jobs import JobRow, job_rows
from webapp.security.scope import scoped
from webapp.warnings.queries import pending_for
from workflows.states import State
from workflows.verification import Status

# How many lines a panel lists; the panel's count and its 查看全部 link give the rest.
SHOWN = 8
# How far a panel counts: past it the count reads 999+ (a province's 待核实 ran to 56,000,
# 13 ms of the first screen to count them all); the page behind 查看全部 has the rest.
COUNT_CAP = 999
# How far back the auditor's security events reach.
SECURITY_DAYS = 7
AWAITING_VERIFICATION = (Status.PENDING, Status.VERIFYING)


@dataclass(frozen=True)
class Listing:
    """The first lines of a list and how many there are in all."""

    rows: list
    total: int  # COUNT_CAP + 1 when there are more than COUNT_CAP


def _listing(stmt: sa.Select, key: sa.Column, order: tuple, limit: int = SHOWN) -> Listing:
    counted = capped_count(stmt, key, COUNT_CAP)
    total = COUNT_CAP + 1 if counted is None else counted
    rows = list(db.session.execute(stmt.order_by(*order).limit(limit)).all()) if total else []
    return Listing(rows, total)


# --------------------------------------------------------------------------- case roles


def items_to_verify(user: User) -> Listing:
    """Return the negative-information items in scope waiting for verification, oldest due first."""
    stmt = scoped(
        sa.select(
            NegativeInfo.id,
            NegativeInfo.number,
            NegativeInfo.cadre_name,
            NegativeInfo.status,
            NegativeInfo.verification_due,
        ).where(NegativeInfo.status.in_(AWAITING_VERIFICATION)),
        NegativeInfo,
        user,
    )
    return _listing(
        stmt, NegativeInfo.id, (NegativeInfo.verification_due.asc().nulls_last(), NegativeInfo.id)
    )


def _warnings(user: User, *columns) -> sa.Select:
    """Select the warnings in scope: number, tier and the cadre's name, with more columns."""
    stmt = sa.select(
        Warning.id, Warning.number, Warning.tier, Cadre.name.label("cadre_name"), *columns
    ).join(Cadre, Cadre.id == Warning.cadre_id)
    return scoped(stmt, Warning, user)


def escalation_proposals(user: User) -> Listing:
    """Return the open proposals in scope to escalate an overdue warning (rule 4), oldest first."""
    p = WarningProposal
    stmt = _warnings(user, p.to_tier, p.overdue_workdays, p.proposed_on).join(
        p, p.warning_id == Warning.id
    )
    return _listing(stmt.where(p.status == "open"), Warning.id, (p.proposed_on, p.id))


def clarifications_to_complete(user: User) -> Listing:
    """Return the automatic clearings in scope whose method is still to be recorded."""
    c = Clarification
    stmt = _warnings(user, c.at).join(c, c.warning_id == Warning.id).where(c.method == "")
    return _listing(stmt, Warning.id, (c.at, c.id))


def reviews_waiting(user: User) -> Listing:
    """Return the warnings in scope waiting for 复核 (待复核), earliest review due first."""
    stmt = _warnings(user, Warning.review_due).where(Warning.state == State.REVIEWING)
    return _listing(stmt, Warning.id, (Warning.review_due.asc().nulls_last(), Warning.id))


def approvals_waiting(user: User) -> Listing:
    """Return the warnings waiting for this user's approval step (待审批), as that page lists them."""
    found = pending_for(user)
    return Listing(found[:SHOWN], len(found))


def own_submissions(user: User) -> Listing:
    """Return the liaison's own submissions, newest first (never anyone else's)."""
    stmt = sa.select(
        NegativeInfo.id,
        NegativeInfo.number,
        NegativeInfo.cadre_name,
        NegativeInfo.status,
        NegativeInfo.created_at,
    ).where(NegativeInfo.created_by_id == user.id, NegativeInfo.via_liaison.is_(True))
    return _listing(stmt, NegativeInfo.id, (NegativeInfo.id.desc(),))


# --------------------------------------------------------------------------- administrators


def failed_jobs(now: datetime) -> list[JobRow]:
    """Return the scheduled jobs whose latest run ended in an error."""
    return [row for row in job_rows(now) if row.last is not None and row.last.result == "error"]


def dead_deliveries() -> Listing:
    """Return the messages given up after their last retry (发送失败), newest first."""
    # No title or body: they may name a cadre, and the system administrator sees no case content.
    stmt = sa.select(
        Notification.id,
        Notification.kind,
        Notification.stage,
        Notification.channel,
        Notification.last_error,
        Notification.created_at,
    ).where(Notification.status == NotificationStatus.DEAD)
    return _listing(stmt, Notification.id, (Notification.id.desc(),))


def locked_accounts(now: datetime) -> Listing:
    """Return the accounts locked by failed logins right now, soonest unlocked first."""
    stmt = sa.select(User.id, User.username, User.full_name, User.locked_until).where(
        User.locked_until > now
    )
    return _listing(stmt, User.id, (User.locked_until, User.id))


@dataclass(frozen=True)
class SecurityEvent:
    """One line of the auditor's recent security events."""

    at: datetime
    kind: str  # "lockout", "denied" or "role_change"
    username: str
    detail: str


def _role_changed(row: AuditLog) -> bool:
    before, after = row.before or {}, row.after or {}
    return "role_id" in after and after.get("role_id") != before.get("role_id")


def _role_events(rows: list[AuditLog]) -> list[SecurityEvent]:
    """Name whose role changed and to what (two queries for all the rows)."""
    if not rows:
        return []
    ids = [int(row.object_id) for row in rows if row.object_id.isdigit()]
    names = dict(
        db.session.execute(sa.select(User.id, User.username).where(User.id.in_(ids))).all()
    )
    roles = dict(db.session.execute(sa.select(Role.id, Role.name)).all())

    def detail(row: AuditLog) -> str:
        whom = names.get(int(row.object_id)) if row.object_id.isdigit() else None
        return f"{whom or row.object_id} → {roles.get(row.after['role_id'], '')}"

    return [SecurityEvent(row.at, "role_change", row.username, detail(row)) for row in rows]


def security_events(now: datetime, limit: int = SHOWN * 2) -> list[SecurityEvent]:
    """Return the last days' lockouts, denied accesses and role changes, newest first."""
    since = now - timedelta(days=SECURITY_DAYS)
    lockouts = db.session.execute(
        sa.select(LoginLog.at, LoginLog.username, LoginLog.ip)
        .where(LoginLog.reason == LOCKOUT, LoginLog.at >= since)
        .order_by(LoginLog.id.desc())
        .limit(limit)
    )
    denied = db.session.execute(
        sa.select(AccessLog.at, AccessLog.username, AccessLog.path)
        .where(AccessLog.denied.is_(True), AccessLog.at >= since)
        .order_by(AccessLog.id.desc())
        .limit(limit)
    )
    # Account rows change for other reasons too (a login, a password): keep the role changes.
    changes = [
        row
        for row in db.session.scalars(
            sa.select(AuditLog)
            .where(
                AuditLog.object_type == "User", AuditLog.action == "update", AuditLog.at >= since
            )
            .order_by(AuditLog.id.desc())
            .limit(limit * 10)
        )
        if _role_changed(row)
    ]
    events = [
        *(SecurityEvent(at, "lockout", name, ip) for at, name, ip in lockouts),
        *(SecurityEvent(at, "denied", name, path) for at, name, path in denied),
        *_role_events(changes),
    ]
    return sorted(events, key=lambda e: e.at, reverse=True)[:limit]
