"""The 晴雨表's counts kept between requests, valid until a counted table changes."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base, utcnow


class DashboardFigures(Base):
    """One part of the 晴雨表's counts for a data scope, a unit in focus and a day."""

    __tablename__ = "dashboard_figures"

    key: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    # The counted data's generation when the counts were read: stale once it has moved on.
    generation: Mapped[int] = mapped_column(sa.BigInteger)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    figures: Mapped[dict] = mapped_column(sa.JSON)


class DashboardGeneration(Base):
    """One row counting the commits that changed what the 晴雨表 counts."""

    __tablename__ = "dashboard_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(sa.BigInteger, default=0)
