"""Obligations (待办/时限): the one source of what is due and when to remind about it."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.auth import User
from webapp.models.base import Base, EnumText, TimestampMixin
from webapp.models.cadres import Cadre
from workflows.obligations import ObligationKind, Stage, Terms


class Obligation(TimestampMixin, Base):
    """One timed obligation about a record, kept in step by the area that owns the record."""

    __tablename__ = "obligation"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ObligationKind] = mapped_column(EnumText(ObligationKind))
    # The record the obligation is about, e.g. ("inquiry", 12): areas name their own types.
    subject_type: Mapped[str] = mapped_column(sa.String(32))
    subject_id: Mapped[int]
    cadre_id: Mapped[int] = mapped_column(sa.ForeignKey("cadre.id"), index=True)
    # A person when one is responsible; else the step's role (an approval step, the
    # supervisors of the cadre's unit for a 必谈), whose holders are found at sending time.
    responsible_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("app_user.id"), index=True
    )
    step_role: Mapped[str | None] = mapped_column(sa.String(32))
    start_on: Mapped[date]
    due_on: Mapped[date]
    # The working day it is met by (due_on, or the next working day after a holiday): the
    # day after it the light is red, so lists filter 超期 in SQL as the pages light it.
    due_workday: Mapped[date]
    total_workdays: Mapped[int]
    paused_workdays: Mapped[int] = mapped_column(default=0)
    provisional: Mapped[bool] = mapped_column(default=False)
    # The only column the sweep selects on; NULL once closed or every stage has fired, so
    # the index holds just what is still to come.
    next_fire_on: Mapped[date | None] = mapped_column(index=True)
    # {stage value: ISO date it fired}; replaced whole on every change (JSON is not tracked
    # in place).
    fired_stages: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    acknowledged_plan_on: Mapped[date | None]
    closed_at: Mapped[datetime | None]

    cadre: Mapped[Cadre] = relationship()
    responsible_user: Mapped[User | None] = relationship()

    __table_args__ = (
        # One open row per subject and kind; closed rows stay as the record of what was due,
        # so a subject can owe the same kind again (a second rectification report).
        sa.Index(
            "uq_obligation_open_subject",
            "kind",
            "subject_type",
            "subject_id",
            unique=True,
            sqlite_where=sa.text("closed_at IS NULL"),
            postgresql_where=sa.text("closed_at IS NULL"),
        ),
        sa.Index("ix_obligation_subject", "subject_type", "subject_id"),
        # What is open, by the day it is due (the 晴雨表's overdue and due-this-week lists).
        sa.Index(
            "ix_obligation_open_due",
            "due_workday",
            "id",
            sqlite_where=sa.text("closed_at IS NULL"),
            postgresql_where=sa.text("closed_at IS NULL"),
        ),
        # What a role owes with nobody named (我的待办's role part, webapp/main/todo.py).
        sa.Index(
            "ix_obligation_open_role",
            "step_role",
            sqlite_where=sa.text("closed_at IS NULL AND responsible_user_id IS NULL"),
            postgresql_where=sa.text("closed_at IS NULL AND responsible_user_id IS NULL"),
        ),
    )

    @property
    def fired(self) -> set[Stage]:
        """Return the stages that have fired."""
        return {Stage(value) for value in self.fired_stages or {}}

    def terms(self) -> Terms:
        """Return the dates the pure rules read."""
        return Terms(
            kind=self.kind,
            start=self.start_on,
            due=self.due_on,
            total_workdays=self.total_workdays,
            paused_workdays=self.paused_workdays,
            provisional=self.provisional,
            acknowledged_plan_on=self.acknowledged_plan_on,
            closed=self.closed_at is not None,
        )

    def __str__(self) -> str:
        return f"{self.kind.label} {self.subject_type}#{self.subject_id}"
