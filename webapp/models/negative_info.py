"""Negative information (负面信息), its history, and the yearly number sequences."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.auth import User
from webapp.models.base import Base, EnumText, HistoryLine, TimestampMixin
from webapp.models.cadres import Cadre, CountedUnderCadre
from webapp.models.org import OrgUnit
from webapp.security.crypto import SealedText
from workflows.verification import Status


class NumberSequence(Base):
    """The last number handed out for a prefix in a year (FM-2026-0001, ...)."""

    __tablename__ = "number_sequence"
    __table_args__ = (sa.UniqueConstraint("prefix", "year", name="uq_number_sequence_prefix_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    year: Mapped[int]
    last_value: Mapped[int] = mapped_column(default=0)


class NegativeInfo(CountedUnderCadre, TimestampMixin, Base):
    """One item of negative information about a cadre, and its verification."""

    __tablename__ = "negative_info"
    __audited__ = True
    # The register's order (received_on, id), alone and behind its common filters; the scope
    # unit rides along so a scoped page is read from the index alone.
    __table_args__ = (
        sa.Index("ix_negative_info_received_id_scope", "received_on", "id", "scope_unit_id"),
        sa.Index("ix_negative_info_status_received_id", "status", "received_on", "id"),
        sa.Index("ix_negative_info_category_received_id", "category", "received_on", "id"),
        # 核实状态 and 类别 side by side: the filtered page and a province-wide capped count,
        # index-only.
        sa.Index(
            "ix_negative_info_status_category_order",
            "status",
            "category",
            "received_on",
            "id",
            "scope_unit_id",
        ),
        sa.Index("ix_negative_info_channel_received_id", "source_channel", "received_on", "id"),
        sa.Index("ix_negative_info_cadre_received_id", "cadre_id", "received_on", "id"),
        # The data scope and the unit filter: the units' items in the register's order.
        sa.Index("ix_negative_info_scope_received_id", "scope_unit_id", "received_on", "id"),
        # A scoped user's count of the two filters side by side: a seek per unit in scope,
        # not a walk of the whole province's pair (its order index keeps the unit last).
        sa.Index("ix_negative_info_scope_status_category", "scope_unit_id", "status", "category"),
        # The 晴雨表's items by month and source (webapp/dashboard/queries.py): index-only.
        sa.Index("ix_negative_info_received_channel", "received_on", "source_channel"),
    )
    __audit_content__ = frozenset(
        {
            "summary",
            "details",
            "handling_result",
            "verification_note",
            "reporting_unit",
            "liaison_name",
            "reporter_name",
            "reporter_contact",
        }
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    # Empty while a liaison's submission names a cadre the system could not match; the
    # supervisor picks the cadre before verification starts.
    cadre_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cadre.id"), index=True)
    # Snapshot of the cadre as reported (b.1 "FK + snapshot"). The scope follows the cadre's
    # current unit (`scope_unit_id`, CountedUnderCadre); `unit_id` stands in while none is linked.
    cadre_name: Mapped[str] = mapped_column(sa.String(50))
    cadre_position: Mapped[str] = mapped_column(sa.String(100), default="")
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    category: Mapped[str] = mapped_column(sa.String(64))
    situation: Mapped[str] = mapped_column(sa.String(64), index=True)
    default_tier: Mapped[int] = mapped_column(default=1)
    source_channel: Mapped[str] = mapped_column(sa.String(64), index=True)
    # Who reported is sealed at rest (webapp/negative_info/sealing.py decides who may read it):
    # the reporter always; the reporting unit and liaison, and details marked as naming the
    # source, whenever the channel is 信访举报/12380. Sealed columns cannot be searched.
    reporting_unit: Mapped[str] = mapped_column(SealedText, default="")
    liaison_name: Mapped[str] = mapped_column(SealedText, default="")
    reporter_name: Mapped[str] = mapped_column(SealedText, default="")
    reporter_contact: Mapped[str] = mapped_column(SealedText, default="")
    details_has_identity: Mapped[bool] = mapped_column(default=False)
    # The fields once sealed, space-separated: they stay sealed whatever channel comes next.
    source_sealed_fields: Mapped[str] = mapped_column(sa.String(64), default="")
    source_document_number: Mapped[str] = mapped_column(sa.String(100), default="")
    occurred_on: Mapped[date] = mapped_column(index=True)
    received_on: Mapped[date] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(sa.Text)
    details: Mapped[str] = mapped_column(SealedText, default="")
    handling_unit: Mapped[str] = mapped_column(sa.String(100), default="")
    handling_result: Mapped[str] = mapped_column(sa.String(500), default="")
    severity: Mapped[str] = mapped_column(sa.String(16), default="")
    confidentiality: Mapped[str] = mapped_column(sa.String(16), default="internal")
    status: Mapped[Status] = mapped_column(EnumText(Status, 16), default=Status.PENDING)
    handler_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    verification_started_on: Mapped[date | None]
    verification_workdays: Mapped[int | None]
    verification_due: Mapped[date | None] = mapped_column(index=True)
    verification_due_provisional: Mapped[bool] = mapped_column(default=False)
    verification_note: Mapped[str] = mapped_column(sa.Text, default="")
    verified_on: Mapped[date | None]
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    duplicate_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("negative_info.id"))
    via_liaison: Mapped[bool] = mapped_column(default=False, index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    cadre: Mapped[Cadre | None] = relationship()
    unit: Mapped[OrgUnit] = relationship(foreign_keys=[unit_id])
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    duplicate_of: Mapped[NegativeInfo | None] = relationship(remote_side=[id])
    history: Mapped[list[NegativeInfoEvent]] = relationship(
        back_populates="info", order_by="NegativeInfoEvent.id"
    )

    # A second writer holding a stale copy gets a conflict instead of overwriting silently.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @classmethod
    def scope_columns(cls):
        """Return the unit (the cadre's current one) and creator columns the scope filters on."""
        # A transferred cadre's items go with the cadre, as its talks and warnings do.
        return cls.scope_unit_id, cls.created_by_id

    @property
    def current_unit(self) -> OrgUnit:
        """Return the linked cadre's unit now, else the unit as reported."""
        return self.cadre.unit if self.cadre is not None else self.unit

    def __str__(self) -> str:
        return f"{self.number} {self.cadre_name}"


class NegativeInfoEvent(HistoryLine, Base):
    """One line of an item's history: created, edited, verification steps, links, files."""

    __tablename__ = "negative_info_event"
    __append_only__ = True

    info_id: Mapped[int] = mapped_column(sa.ForeignKey("negative_info.id"), index=True)
    from_status: Mapped[str] = mapped_column(sa.String(16), default="")
    to_status: Mapped[str] = mapped_column(sa.String(16), default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    changes: Mapped[dict | None] = mapped_column(sa.JSON)

    info: Mapped[NegativeInfo] = relationship(back_populates="history")
