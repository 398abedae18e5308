"""Excel import jobs (导入): the state and progress of one upload, shared by every worker."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base, TimestampMixin, utcnow


class ImportJob(TimestampMixin, Base):
    """One uploaded file on its way from preview to confirmed import.

    The upload itself and the validated rows live in files under ``instance/imports``
    (named by ``stored_name``); this row holds what any worker process needs to show the
    page: state, progress, the first errors and the first rows to be written.
    """

    __tablename__ = "import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random and unguessable: it names the job in URLs instead of the sequential id.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    locale: Mapped[str] = mapped_column(sa.String(10), default="zh_CN")
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    update_existing: Mapped[bool] = mapped_column(default=False)
    # The uploader's address, for the audit trail of a step run outside the request.
    ip: Mapped[str] = mapped_column(sa.String(45), default="")
    # validating → valid | invalid | failed;  valid → importing → done | invalid | failed;
    # valid | invalid → cancelled | expired.
    state: Mapped[str] = mapped_column(sa.String(16), default="validating", index=True)
    total_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list] = mapped_column(sa.JSON, default=list)
    preview: Mapped[list] = mapped_column(sa.JSON, default=list)
    headers: Mapped[list] = mapped_column(sa.JSON, default=list)
    to_create: Mapped[int] = mapped_column(default=0)
    to_update: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(sa.String(500), default="")
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A large file's step runs in a process of its own holding one of a few numbered slots;
    # the unique constraint is what bounds how many run at once across every process.
    slot: Mapped[int | None] = mapped_column(unique=True)
    # Set while a large file's step waits for a free slot.
    queued_at: Mapped[datetime | None]
    # host:pid of the process running the step, for the operator.
    runner: Mapped[str] = mapped_column(sa.String(80), default="")
    expires_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]

    RUNNING = frozenset({"validating", "importing"})

    @property
    def running(self) -> bool:
        """Tell whether a worker is still reading or writing this job."""
        return self.state in self.RUNNING

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"
