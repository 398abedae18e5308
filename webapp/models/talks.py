"""Talk records (谈话记录) and written inquiries (函询)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.auth import User
from webapp.models.base import Base, HistoryLine, TimestampMixin
from webapp.models.cadres import Cadre, CountedUnderCadre
from webapp.models.negative_info import NegativeInfo

if TYPE_CHECKING:
    from webapp.models.warnings import Warning


class Talk(CountedUnderCadre, TimestampMixin, Base):
    """One talk with a cadre: who spoke, when, about what, and what the cadre undertook."""

    __tablename__ = "talk"
    __audited__ = True
    # The list's order (started_at, id), alone and behind the type and cadre filters; the scope
    # unit rides along so a scoped page is read from the index alone.
    __table_args__ = (
        sa.Index("ix_talk_started_id_scope", "started_at", "id", "scope_unit_id"),
        sa.Index("ix_talk_type_started_id", "talk_type", "started_at", "id"),
        sa.Index("ix_talk_cadre_started_id", "cadre_id", "started_at", "id"),
        sa.Index("ix_talk_scope_started_id", "scope_unit_id", "started_at", "id"),
        # Only the talks serving a warning: most have none, and a full index of mostly NULLs
        # looks unselective to SQLite's planner, which then scans the table for one warning.
        sa.Index(
            "ix_talk_warning_linked",
            "warning_id",
            sqlite_where=sa.text("warning_id IS NOT NULL"),
            postgresql_where=sa.text("warning_id IS NOT NULL"),
        ),
    )
    __audit_content__ = frozenset({"reason", "content", "statement", "rectification"})

    id: Mapped[int] = mapped_column(primary_key=True)
    cadre_id: Mapped[int] = mapped_column(sa.ForeignKey("cadre.id"), index=True)
    # Snapshot of the interviewee as at the talk: the record and its Word form must keep
    # the unit and position the cadre held then, not after a later transfer.
    cadre_name: Mapped[str] = mapped_column(sa.String(50))
    cadre_title: Mapped[str] = mapped_column(sa.String(200), default="")
    talk_type: Mapped[str] = mapped_column(sa.String(32), index=True)
    occasion: Mapped[str] = mapped_column(sa.String(32), default="")
    # [{"name": "李四", "position": "市委组织部副部长"}, ...]; replaced whole on every edit.
    interviewers: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    note_taker_name: Mapped[str] = mapped_column(sa.String(50))
    note_taker_position: Mapped[str] = mapped_column(sa.String(100), default="")
    started_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(sa.String(200))
    mode: Mapped[str] = mapped_column(sa.String(32))
    reason: Mapped[str] = mapped_column(sa.Text)
    content: Mapped[str] = mapped_column(sa.Text)
    statement: Mapped[str] = mapped_column(sa.Text, default="")
    rectification: Mapped[str] = mapped_column(sa.Text, default="")
    follow_up_on: Mapped[date | None] = mapped_column(index=True)
    acknowledged_on: Mapped[date | None]
    acknowledged_by: Mapped[str] = mapped_column(sa.String(50), default="")
    negative_info_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("negative_info.id"), index=True
    )
    # The warning this talk serves (a 提醒谈话 for a tier-1 warning, say); named as a string
    # because webapp.models.warnings imports this module.
    warning_id: Mapped[int | None] = mapped_column(sa.ForeignKey("warning.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"), index=True)

    cadre: Mapped[Cadre] = relationship()
    negative_info: Mapped[NegativeInfo | None] = relationship()
    warning: Mapped[Warning | None] = relationship("Warning", foreign_keys=[warning_id])
    created_by: Mapped[User | None] = relationship()

    @classmethod
    def scope_columns(cls):
        """Return the unit (the cadre's) and creator columns the data scope filters on."""
        return cls.scope_unit_id, cls.created_by_id

    def __str__(self) -> str:
        return f"谈话记录 {self.cadre_name}"


class Inquiry(CountedUnderCadre, TimestampMixin, Base):
    """One round of a written inquiry: the letter, the cadre's reply and the conclusion."""

    __tablename__ = "inquiry"
    __audited__ = True
    # The list's order (issued_on, id), alone and behind the cadre filter.
    __table_args__ = (
        sa.Index("ix_inquiry_issued_id", "issued_on", "id"),
        sa.Index("ix_inquiry_cadre_issued_id", "cadre_id", "issued_on", "id"),
        sa.Index("ix_inquiry_scope_issued_id", "scope_unit_id", "issued_on", "id"),
    )
    __audit_content__ = frozenset({"matters", "reply", "conclusion_note"})

    id: Mapped[int] = mapped_column(primary_key=True)
    cadre_id: Mapped[int] = mapped_column(sa.ForeignKey("cadre.id"), index=True)
    cadre_name: Mapped[str] = mapped_column(sa.String(50))
    cadre_title: Mapped[str] = mapped_column(sa.String(200), default="")
    round: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inquiry.id"), index=True)
    matters: Mapped[str] = mapped_column(sa.Text)
    issued_on: Mapped[date] = mapped_column(index=True)
    # The limit in force when the letter went out: a later change of the parameter must not
    # move the deadline of a letter already sent, but a recomputation after holiday data
    # arrives must count the same number of days.
    reply_workdays: Mapped[int]
    reply_due: Mapped[date] = mapped_column(index=True)
    reply_due_provisional: Mapped[bool] = mapped_column(default=False, index=True)
    reply: Mapped[str] = mapped_column(sa.Text, default="")
    replied_on: Mapped[date | None]
    pledge_received_on: Mapped[date | None]
    conclusion: Mapped[str] = mapped_column(sa.String(32), default="", index=True)
    conclusion_note: Mapped[str] = mapped_column(sa.Text, default="")
    concluded_on: Mapped[date | None]
    # The negative information the inquiry looks into; a 转初步核实 conclusion verifies it
    # (or opens an item for it when there is none).
    negative_info_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("negative_info.id"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"), index=True)

    cadre: Mapped[Cadre] = relationship()
    negative_info: Mapped[NegativeInfo | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    previous: Mapped[Inquiry | None] = relationship(remote_side=[id], back_populates="next_rounds")
    next_rounds: Mapped[list[Inquiry]] = relationship(
        back_populates="previous", order_by="Inquiry.round"
    )
    history: Mapped[list[InquiryEvent]] = relationship(
        back_populates="inquiry", order_by="InquiryEvent.id"
    )

    @classmethod
    def scope_columns(cls):
        """Return the unit (the cadre's) and creator columns the data scope filters on."""
        return cls.scope_unit_id, cls.created_by_id

    @property
    def pledge_received(self) -> bool:
        """Tell whether the signed truthfulness pledge has come back."""
        return self.pledge_received_on is not None

    @property
    def status(self) -> str:
        """Return pending (待回复), replied (已回复) or concluded (已办结)."""
        if self.conclusion:
            return "concluded"
        return "replied" if self.replied_on else "pending"

    def __str__(self) -> str:
        return f"函询 {self.cadre_name} 第{self.round}次"


class InquiryEvent(HistoryLine, Base):
    """One line of an inquiry's history (so far: a reply deadline moved by holiday data)."""

    __tablename__ = "inquiry_event"
    __append_only__ = True

    inquiry_id: Mapped[int] = mapped_column(sa.ForeignKey("inquiry.id"), index=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")

    inquiry: Mapped[Inquiry] = relationship(back_populates="history")
