"""The scheduler's own records: one row per job run, and the lease of the active process."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base, UTCDateTime


class JobRun(Base):
    """One run of a scheduled job: when, by whom, how it ended (the catch-up reads it)."""

    __tablename__ = "job_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(sa.String(64))
    # "schedule", "catch_up" or "manual" (run-job, 立即执行).
    trigger: Mapped[str] = mapped_column(sa.String(16), default="schedule")
    # host:pid of the process, so a run can be traced to the scheduler that held the lease.
    runner: Mapped[str] = mapped_column(sa.String(128), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "running" until it ends, then "ok" or "error".
    result: Mapped[str] = mapped_column(sa.String(16), default="running")
    # What the job did, e.g. {"sent": 3}; shown on the 定时任务 page.
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (sa.Index("ix_job_run_job_started", "job_id", "started_at"),)

    def __str__(self) -> str:
        return f"{self.job_id}@{self.started_at:%Y-%m-%d %H:%M:%S} {self.result}"


class SchedulerLease(Base):
    """Who may run the jobs until when; the active scheduler renews it, a standby waits."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(sa.String(128), default="")
    acquired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __str__(self) -> str:
        return f"{self.name}: {self.holder} until {self.expires_at:%H:%M:%S}"
