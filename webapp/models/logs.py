"""Append-only logs: operations, logins and record views (全程留痕), each a hash chain."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base, utcnow


class ChainedLog:
    """The two hashes that chain a log row to the one before it (webapp/audit/chain.py)."""

    __append_only__ = True

    # Both are set by the engine hook as the row goes in; a row written behind the
    # application's back has none, or ones that do not match.
    prev_hash: Mapped[str | None] = mapped_column(sa.String(64))
    row_hash: Mapped[str | None] = mapped_column(sa.String(64))


class AuditLog(ChainedLog, Base):
    """One create, update, delete or other sensitive operation."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(index=True)
    username: Mapped[str] = mapped_column(sa.String(64), default="")
    action: Mapped[str] = mapped_column(sa.String(32), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_id: Mapped[str] = mapped_column(sa.String(64), default="")
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    ip: Mapped[str] = mapped_column(sa.String(64), default="")


class LoginLog(ChainedLog, Base):
    """One login attempt, successful or not, or one logout."""

    __tablename__ = "login_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # "login" (an attempt, see success and reason) or "logout".
    event: Mapped[str] = mapped_column(sa.String(16), default="login", server_default="login")
    username: Mapped[str] = mapped_column(sa.String(64), index=True)
    user_id: Mapped[int | None]
    success: Mapped[bool]
    reason: Mapped[str] = mapped_column(sa.String(64), default="")
    ip: Mapped[str] = mapped_column(sa.String(64), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(255), default="")

    # The lockout of names with no account matches them case-blind (webapp/auth/lockout.py):
    # without this index each such attempt would read the whole log.
    __table_args__ = (sa.Index("ix_login_log_username_lower", sa.func.lower(username)),)


class AccessLog(ChainedLog, Base):
    """One read of sensitive data (a record, a list, an edit form), or one refused attempt."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(index=True)
    username: Mapped[str] = mapped_column(sa.String(64), default="")
    # "view" (one record), "list" (a list or search, see filters), "edit" (an edit form opened).
    action: Mapped[str] = mapped_column(sa.String(16), default="view", server_default="view")
    object_type: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_id: Mapped[str] = mapped_column(sa.String(64))
    path: Mapped[str] = mapped_column(sa.String(255), default="")
    # The filters of a list or search, as the query string gave them.
    filters: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    ip: Mapped[str] = mapped_column(sa.String(64), default="")
    # A refused attempt: a 404 outside data scope (object_type/object_id name the record) or a
    # 403 for a missing permission (object_type "endpoint", object_id the endpoint's name).
    denied: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


# The logs whose rows are chained, each in its own chain.
CHAINED_LOGS = (AuditLog, LoginLog, AccessLog)
