"""Uploaded files (附件), kept outside the static folder under random names."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base, TimestampMixin


class Attachment(TimestampMixin, Base):
    """A file belonging to a record (`owner_type`, `owner_id`); unowned while staged.

    A file uploaded with a form that could not be saved yet (another field was wrong, or
    possible duplicates were shown) is kept staged, so the user need not pick it again.
    """

    __tablename__ = "attachment"
    __audited__ = True
    __table_args__ = (sa.Index("ix_attachment_owner", "owner_type", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_type: Mapped[str] = mapped_column(sa.String(32))
    owner_id: Mapped[int | None]
    original_name: Mapped[str] = mapped_column(sa.String(120))
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(8))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))

    def __str__(self) -> str:
        return self.original_name
