"""Holiday schedule entered by the sysadmin (节假日维护) for years the package does not know."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base, TimestampMixin


class HolidayDay(TimestampMixin, Base):
    """One day of the State Council's schedule: a holiday, or a weekend made a workday (调休)."""

    __tablename__ = "holiday_day"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    is_workday: Mapped[bool]
    name: Mapped[str] = mapped_column(sa.String(50), default="")


class HolidayYear(TimestampMixin, Base):
    """A year whose full schedule has been entered; the package is then ignored for it."""

    __tablename__ = "holiday_year"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    note: Mapped[str] = mapped_column(sa.String(200), default="")
