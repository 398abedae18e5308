"""Record accesses and special operations; query the logs for the auditor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app, has_request_context, request
from sqlalchemy import insert, select

from webapp.audit.recorder import actor
from webapp.clock import org_zone
from webapp.extensions import db
from webapp.models import AccessLog, AuditLog, LoginLog


def record_access(
    object_type: str, object_id: int | str = "", action: str = "view", filters: str = ""
) -> None:
    """Log that the current user read sensitive data, and commit the log row.

    A page view writes nothing else, so the row goes in its own short transaction and every
    viewer (profile, item, talk, warning…) needs no commit of its own. `action` says what was
    read: one record ("view"), a list or search ("list", with its `filters`), an edit form.
    """
    # A plain INSERT, not an ORM object: nothing reads the row back, and the unit of work's
    # flush cost a page more than the row itself (the chain hook hashes it all the same).
    user_id, username, ip = actor()
    db.session.execute(
        insert(AccessLog.__table__),
        {
            "user_id": user_id,
            "username": username,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id)[:64],
            "ip": ip,
            "path": request.path[:255] if has_request_context() else "",
            "filters": filters[:500],
        },
    )
    db.session.commit()


def record_denied(object_type: str, object_id: int | str) -> None:
    """Log a refused attempt by the current user (a 404 outside scope, a 403)."""
    user_id, username, ip = actor()
    db.session.add(
        AccessLog(
            user_id=user_id,
            username=username,
            object_type=object_type,
            object_id=str(object_id)[:64],
            ip=ip,
            path=request.path[:255] if has_request_context() else "",
            denied=True,
        )
    )


def record_operation(
    action: str, object_type: str, object_id: int | str = "", summary: str = ""
) -> None:
    """Log an operation that changes no row (an export, a download)."""
    user_id, username, ip = actor()
    db.session.add(
        AuditLog(
            user_id=user_id,
            username=username,
            ip=ip,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            summary=summary[:500],
        )
    )


@dataclass(frozen=True)
class LogFilters:
    """What the auditor filters a log by."""

    username: str = ""
    action: str = ""
    object_type: str = ""
    date_from: date | None = None
    date_to: date | None = None
    result: str = ""  # access log only: "allowed", "denied" or both


def day_start_utc(day: date) -> datetime:
    """Return the UTC instant at which a local day starts."""
    return datetime.combine(day, time.min, tzinfo=org_zone())


LOGS = {"operations": AuditLog, "logins": LoginLog, "accesses": AccessLog}


def search_log(kind: str, filters: LogFilters, page: int):
    """Return one page of a log, newest first."""
    model = LOGS[kind]
    stmt = select(model)
    if filters.username:
        stmt = stmt.where(model.username.contains(filters.username, autoescape=True))
    if filters.action and kind == "operations":
        stmt = stmt.where(AuditLog.action == filters.action)
    if filters.object_type and kind != "logins":
        stmt = stmt.where(model.object_type == filters.object_type)
    if filters.result and kind == "accesses":
        stmt = stmt.where(AccessLog.denied.is_(filters.result == "denied"))
    if filters.date_from:
        stmt = stmt.where(model.at >= day_start_utc(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(model.at < day_start_utc(filters.date_to + timedelta(days=1)))
    stmt = stmt.order_by(model.at.desc(), model.id.desc())
    return db.paginate(stmt, page=page, per_page=current_app.config["PAGE_SIZE"], error_out=False)
