"""Cadres (干部) and the events in their careers that call for talks."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from webapp.models.base import Base, TimestampMixin
from webapp.models.org import OrgUnit
from webapp.security.crypto import SealedText, id_number_hash


class Cadre(TimestampMixin, Base):
    """A cadre under supervision; coded fields hold dictionary item values."""

    __tablename__ = "cadre"
    __audited__ = True
    __audit_content__ = frozenset({"id_number", "id_number_hash", "work_history"})

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50), index=True)
    gender: Mapped[str] = mapped_column(sa.String(16))
    birth_date: Mapped[date]
    ethnicity: Mapped[str] = mapped_column(sa.String(16))
    political_status: Mapped[str] = mapped_column(sa.String(16))
    education: Mapped[str] = mapped_column(sa.String(16))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    position: Mapped[str] = mapped_column(sa.String(100))
    rank: Mapped[str] = mapped_column(sa.String(16), index=True)
    category: Mapped[str] = mapped_column(sa.String(16), index=True)
    is_young: Mapped[bool] = mapped_column(default=False)
    # Sealed at rest (the attribute holds clear text); found and matched by its keyed hash.
    # Not unique: a scoped user may register a number held outside his scope without learning
    # so, and the duplicate shows on the 重复登记 page to those who see both (cadres/duplicates).
    id_number: Mapped[str] = mapped_column(SealedText)
    id_number_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    appointed_on: Mapped[date | None]
    joined_work_on: Mapped[date | None]
    joined_party_on: Mapped[date | None]
    work_history: Mapped[str] = mapped_column(sa.Text, default="")
    status_colour: Mapped[str] = mapped_column(sa.String(8), default="green", index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"), index=True)

    unit: Mapped[OrgUnit] = relationship(lazy="joined")
    events: Mapped[list[CadreEvent]] = relationship(
        back_populates="cadre", order_by="CadreEvent.occurred_on.desc()"
    )

    @validates("id_number")
    def keep_hash(self, key: str, value: str) -> str:
        """Keep the search hash in step with the ID number."""
        self.id_number_hash = id_number_hash(value or "")
        return value

    @classmethod
    def scope_columns(cls):
        """Return the unit and creator columns the data scope filters on."""
        return cls.unit_id, cls.created_by_id

    def __str__(self) -> str:
        return self.name


def unit_of_cadre(cadre_id_column) -> sa.ScalarSelect:
    """Select a cadre's current unit, for the data scope of records about that cadre."""
    # Never correlate Cadre itself: a query that also joins Cadre (to filter by name or unit)
    # would otherwise leave this subquery without a FROM.
    return (
        sa.select(Cadre.unit_id)
        .where(Cadre.id == cadre_id_column)
        .correlate_except(Cadre)
        .scalar_subquery()
    )


class CadreEvent(TimestampMixin, Base):
    """A career event: appointment, transfer, youth class, award, sanction or leave."""

    __tablename__ = "cadre_event"
    __audited__ = True
    __audit_content__ = frozenset({"description"})

    id: Mapped[int] = mapped_column(primary_key=True)
    cadre_id: Mapped[int] = mapped_column(sa.ForeignKey("cadre.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    occurred_on: Mapped[date]
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    document_number: Mapped[str] = mapped_column(sa.String(100), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))

    cadre: Mapped[Cadre] = relationship(back_populates="events")
