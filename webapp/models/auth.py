"""Users, roles and the units a custom data scope covers."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base, TimestampMixin, utcnow
from webapp.models.org import OrgUnit
from webapp.security.crypto import SealedText


class DataScope(enum.StrEnum):
    """How far a user's view reaches (数据权限)."""

    ALL = "all"
    UNIT_AND_BELOW = "unit_and_below"
    UNIT = "unit"
    CUSTOM = "custom"
    SELF = "self"


user_scope_unit = sa.Table(
    "user_scope_unit",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("org_unit.id", ondelete="CASCADE"), primary_key=True),
)


class Role(TimestampMixin, Base):
    """A named set of permission codes; roles are data, seeded with defaults."""

    __tablename__ = "role"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    permissions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    sort_order: Mapped[int] = mapped_column(default=0)

    def __str__(self) -> str:
        return self.name


class User(UserMixin, TimestampMixin, Base):
    """A person who logs in."""

    __tablename__ = "app_user"
    __audited__ = True
    __audit_hidden__ = frozenset({"password_hash"})
    # Bookkeeping of each login attempt: the login log records those, no 修改 row each time.
    __audit_quiet__ = frozenset({"last_login_at", "last_login_ip", "failed_logins"})

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(64))
    email: Mapped[str | None] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("role.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    data_scope: Mapped[DataScope] = mapped_column(
        sa.Enum(DataScope, native_enum=False, length=20), default=DataScope.UNIT_AND_BELOW
    )
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    last_login_ip: Mapped[str | None] = mapped_column(sa.String(64))
    password_changed_at: Mapped[datetime | None]
    locale: Mapped[str | None] = mapped_column(sa.String(10))
    # 直接上级: who hears of this user's overdue reminders; none means the next role up.
    superior_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL"), index=True
    )
    # 企业微信 userid the 企业微信 channel sends to; empty means none.
    wecom_userid: Mapped[str] = mapped_column(sa.String(64), default="")

    role: Mapped[Role] = relationship(lazy="joined")
    unit: Mapped[OrgUnit] = relationship(lazy="joined")
    scope_units: Mapped[list[OrgUnit]] = relationship(secondary=user_scope_unit)
    superior: Mapped[User | None] = relationship(remote_side=[id], foreign_keys=[superior_id])

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    def can(self, permission: str) -> bool:
        """Tell whether the user's role grants a permission."""
        return self.active and permission in (self.role.permissions or [])

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）"


class UserSession(Base):
    """One login's server-side record: the cookie carries its token, this row says if it lives."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the cookie's random token: a copy of the table cannot be replayed as a cookie.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ip: Mapped[str] = mapped_column(sa.String(64), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(255), default="")
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str] = mapped_column(sa.String(32), default="")


class PasswordHistory(Base):
    """A hash of a password a user has had, so a change cannot bring an old one back."""

    __tablename__ = "password_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class UserTotp(Base):
    """A user's TOTP secret (两步验证): pending until a correct code confirms it."""

    __tablename__ = "user_totp"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), unique=True
    )
    # Base32, shown to the user only while enrolment is pending; never shown once confirmed.
    # Sealed at rest with the data key: a copy of the database alone cannot mint codes.
    secret: Mapped[str] = mapped_column(SealedText)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    # The last 30-second step a code was accepted for: a code is never accepted twice.
    last_step: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class RecoveryCode(Base):
    """A single-use recovery code of two-factor login, stored as a salted hash."""

    __tablename__ = "totp_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
