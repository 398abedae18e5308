"""Dictionaries (字典) and parameters (参数): every list and threshold is data."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base, TimestampMixin


class DictType(TimestampMixin, Base):
    """A named list, such as source channels or talk types."""

    __tablename__ = "dict_type"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    description: Mapped[str] = mapped_column(sa.String(500), default="")

    items: Mapped[list[DictItem]] = relationship(
        back_populates="dict_type", order_by="DictItem.sort_order"
    )


class DictItem(TimestampMixin, Base):
    """One entry of a list; `parent_id` links a situation to its category."""

    __tablename__ = "dict_item"
    __audited__ = True
    __table_args__ = (sa.UniqueConstraint("dict_type_id", "value", name="uq_dict_item_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dict_type_id: Mapped[int] = mapped_column(sa.ForeignKey("dict_type.id"), index=True)
    value: Mapped[str] = mapped_column(sa.String(64))
    label: Mapped[str] = mapped_column(sa.String(100))
    sort_order: Mapped[int] = mapped_column(default=0)
    colour: Mapped[str] = mapped_column(sa.String(16), default="")
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dict_item.id"))
    extra: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=True)

    dict_type: Mapped[DictType] = relationship(back_populates="items")


class Parameter(TimestampMixin, Base):
    """A typed setting (deadline, threshold, switch) a sysadmin may edit."""

    __tablename__ = "parameter"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    value: Mapped[str] = mapped_column(sa.String(500))
    value_type: Mapped[str] = mapped_column(sa.String(16), default="int")
    group: Mapped[str] = mapped_column(sa.String(32), default="")
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    min_value: Mapped[int | None]
    max_value: Mapped[int | None]
