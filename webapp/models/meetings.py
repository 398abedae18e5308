"""Review meetings (研判会商): their series, frozen agendas, decisions and the three lists' snapshots.

A series is one meeting kind held for one unit (每周分析 of the province, 双周研判 of a
district): its secretary and attendees are people, its rhythm is the kind's cron parameter.
The scheduler creates each due meeting once (unique series + scheduled time) with its agenda
frozen as rows; decisions hang on agenda lines; a closed meeting takes no edits, only linked
corrections.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.auth import User
from webapp.models.base import Base, EnumText, TimestampMixin, utcnow
from webapp.models.org import OrgUnit
from workflows.text import N_

meeting_series_attendee = sa.Table(
    "meeting_series_attendee",
    Base.metadata,
    sa.Column(
        "series_id", sa.ForeignKey("meeting_series.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("user_id", sa.ForeignKey("app_user.id"), primary_key=True, index=True),
)


class MeetingStatus(enum.StrEnum):
    """Where a meeting stands."""

    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """Return the Chinese label (translated at display)."""
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    MeetingStatus.PENDING: N_("待召开"),
    MeetingStatus.IN_PROGRESS: N_("进行中"),
    MeetingStatus.CLOSED: N_("已结束"),
}


class MeetingSeries(TimestampMixin, Base):
    """One meeting kind held for one unit: who keeps the minutes and who attends."""

    __tablename__ = "meeting_series"
    __audited__ = True
    __table_args__ = (sa.UniqueConstraint("kind", "unit_id", name="uq_meeting_series_kind_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # A value of the `meeting_kind` dictionary.
    kind: Mapped[str] = mapped_column(sa.String(32))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    secretary_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    active: Mapped[bool] = mapped_column(default=True)

    unit: Mapped[OrgUnit] = relationship()
    secretary: Mapped[User | None] = relationship()
    attendees: Mapped[list[User]] = relationship(
        secondary=meeting_series_attendee, order_by="User.id"
    )


class Meeting(TimestampMixin, Base):
    """One review meeting: its period, status, minutes and frozen agenda."""

    __tablename__ = "meeting"
    __audited__ = True
    __audit_content__ = frozenset({"opinions"})
    __table_args__ = (
        sa.UniqueConstraint("series_id", "scheduled_for", name="uq_meeting_series_scheduled"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting_series.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    # The rhythm's fire time this meeting answers (UTC); the day it is held, in the org's zone.
    scheduled_for: Mapped[datetime]
    held_on: Mapped[date] = mapped_column(index=True)
    # What the agenda covers: records since the last meeting of the series, and what falls
    # due before the next one.
    period_start: Mapped[date]
    next_on: Mapped[date]
    status: Mapped[MeetingStatus] = mapped_column(
        EnumText(MeetingStatus, 16), default=MeetingStatus.PENDING, index=True
    )
    secretary_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    opinions: Mapped[str] = mapped_column(sa.Text, default="")
    agenda_built_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    version: Mapped[int] = mapped_column(default=1)

    series: Mapped[MeetingSeries] = relationship()
    unit: Mapped[OrgUnit] = relationship(lazy="joined")
    secretary: Mapped[User | None] = relationship(foreign_keys=[secretary_id])
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    attendees: Mapped[list[MeetingAttendee]] = relationship(
        order_by="MeetingAttendee.id", cascade="all, delete-orphan"
    )
    decisions: Mapped[list[MeetingDecision]] = relationship(
        back_populates="meeting", order_by="MeetingDecision.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @classmethod
    def scope_columns(cls):
        """Return the meeting's unit and secretary: what the data scope filters on."""
        return cls.unit_id, cls.secretary_id

    @property
    def closed(self) -> bool:
        """Tell whether the meeting is over (its minutes are frozen)."""
        return self.status is MeetingStatus.CLOSED

    def __str__(self) -> str:
        return self.number


class MeetingAttendee(Base):
    """One person at a meeting (列席/出席), with whether they were there."""

    __tablename__ = "meeting_attendee"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    name: Mapped[str] = mapped_column(sa.String(64))
    present: Mapped[bool] = mapped_column(default=True)


class AgendaItem(Base):
    """One frozen agenda line: a section, a cadre as they stood, and the record it is about."""

    __tablename__ = "meeting_agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    # A `webapp.meetings.agenda.Section` value.
    section: Mapped[str] = mapped_column(sa.String(32))
    cadre_id: Mapped[int] = mapped_column(sa.ForeignKey("cadre.id"), index=True)
    cadre_name: Mapped[str] = mapped_column(sa.String(50))
    unit_name: Mapped[str] = mapped_column(sa.String(100), default="")
    position_title: Mapped[str] = mapped_column(sa.String(100), default="")
    colour: Mapped[str] = mapped_column(sa.String(8), default="green")
    # Counts by kind over 12 months, as {"negative_info": 2, "warning": 1, ...}.
    portrait: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # The record the line is about, e.g. ("warning", 7), and its number for display.
    subject_type: Mapped[str] = mapped_column(sa.String(32))
    subject_id: Mapped[int]
    subject_ref: Mapped[str] = mapped_column(sa.String(40), default="")
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    tier: Mapped[int | None]
    due_on: Mapped[date | None]

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    decisions: Mapped[list[MeetingDecision]] = relationship(
        back_populates="agenda_item", order_by="MeetingDecision.id"
    )


class MeetingDecision(Base):
    """A decision recorded at a meeting on one agenda line, and what it did."""

    __tablename__ = "meeting_decision"
    __audited__ = True
    __audit_content__ = frozenset({"note"})

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting_agenda_item.id"), index=True
    )
    # A value of the `meeting_decision` dictionary.
    kind: Mapped[str] = mapped_column(sa.String(32))
    tier: Mapped[int | None]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # What the decision touched: a warning (with its history line) or a talk or inquiry
    # record, linked back once it is written.
    warning_id: Mapped[int | None] = mapped_column(sa.ForeignKey("warning.id"), index=True)
    warning_event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("warning_event.id"))
    record_type: Mapped[str] = mapped_column(sa.String(16), default="")
    record_id: Mapped[int | None]
    # A correction recorded after the meeting closed points at the decision it corrects.
    corrects_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting_decision.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
    agenda_item: Mapped[AgendaItem | None] = relationship(back_populates="decisions")
    recorded_by: Mapped[User | None] = relationship()


class ListSnapshot(Base):
    """One of the three lists (问题清单、实绩清单、整改清单) frozen when a quarterly review closes."""

    __tablename__ = "list_snapshot"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "list_kind", name="uq_list_snapshot_meeting_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id"), index=True)
    # problems | results | rectifications
    list_kind: Mapped[str] = mapped_column(sa.String(16))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"))
    period_start: Mapped[date]
    period_end: Mapped[date]
    headers: Mapped[list] = mapped_column(sa.JSON, default=list)
    rows: Mapped[list] = mapped_column(sa.JSON, default=list)
    at: Mapped[datetime] = mapped_column(default=utcnow)
