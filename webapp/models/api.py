"""API clients (接入系统) and the items they submitted, keyed by their own ids."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.auth import User
from webapp.models.base import Base, TimestampMixin, utcnow
from webapp.models.negative_info import NegativeInfo
from webapp.models.org import OrgUnit


class ApiClient(TimestampMixin, Base):
    """Another system calling /api/v1 with a token, acting through its own service account.

    The account carries the client's data scope (as a user's), so the scope filter and the
    services the pages use serve the API unchanged; the API permissions live here.
    """

    __tablename__ = "api_client"
    __audited__ = True
    __audit_hidden__ = frozenset({"token_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    owner_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), unique=True)
    # API permission codes (webapp/api_clients/permissions.py), granted by the security admin.
    permissions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # One address or network (CIDR) per line; empty means none is allowed.
    allowed_addresses: Mapped[str] = mapped_column(sa.String(2000), default="")
    expires_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    revoked_at: Mapped[datetime | None]
    # Keyed hash (HMAC with the data key) of the token: the table alone cannot be replayed.
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    token_hint: Mapped[str] = mapped_column(sa.String(16), default="")
    token_issued_at: Mapped[datetime | None]
    rate_limit: Mapped[str] = mapped_column(sa.String(32), default="60/minute")
    version: Mapped[int] = mapped_column(default=1)

    owner_unit: Mapped[OrgUnit] = relationship(lazy="joined")
    account: Mapped[User] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def __str__(self) -> str:
        return self.name


class ApiSubmission(Base):
    """One item a client submitted, under the client's own id for it (idempotency key)."""

    __tablename__ = "api_submission"
    __table_args__ = (sa.UniqueConstraint("client_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("api_client.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(sa.String(100))
    info_id: Mapped[int | None] = mapped_column(sa.ForeignKey("negative_info.id"), index=True)
    # SHA-256 of the submitted body: a repeat with other content is a conflict, not a repeat.
    fingerprint: Mapped[str] = mapped_column(sa.String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    client: Mapped[ApiClient] = relationship()
    info: Mapped[NegativeInfo | None] = relationship()
