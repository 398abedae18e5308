"""Append-only logs: operations, logins and record views (全程留痕)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base, utcnow


class AuditLog(Base):
    """One create, update, delete or other sensitive operation."""

    __tablename__ = "audit_log"
    __append_only__ = True

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


class LoginLog(Base):
    """One login attempt, successful or not."""

    __tablename__ = "login_log"
    __append_only__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    username: Mapped[str] = mapped_column(sa.String(64), index=True)
    user_id: Mapped[int | None]
    success: Mapped[bool]
    reason: Mapped[str] = mapped_column(sa.String(64), default="")
    ip: Mapped[str] = mapped_column(sa.String(64), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(255), default="")


class AccessLog(Base):
    """One view of a sensitive record, or one refused attempt (outside scope, no permission)."""

    __tablename__ = "access_log"
    __append_only__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(index=True)
    username: Mapped[str] = mapped_column(sa.String(64), default="")
    object_type: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_id: Mapped[str] = mapped_column(sa.String(64))
    path: Mapped[str] = mapped_column(sa.String(255), default="")
    ip: Mapped[str] = mapped_column(sa.String(64), default="")
    # A refused attempt: a 404 outside data scope (object_type/object_id name the record) or a
    # 403 for a missing permission (object_type "endpoint", object_id the endpoint's name).
    denied: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
