"""Organisation units (单位/部门), a tree kept with a materialised path."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base, TimestampMixin


class OrgUnit(TimestampMixin, Base):
    """A unit; `path` is "/1/5/12/" so a subtree is one LIKE query on any database."""

    __tablename__ = "org_unit"
    __audited__ = True
    __table_args__ = (
        # A subtree is `path LIKE '/1/5/%'`: PostgreSQL serves a prefix LIKE from a btree only
        # with pattern ops (whatever the database's collation); SQLite's path index suffices.
        sa.Index(
            "ix_org_unit_path_prefix", "path", postgresql_ops={"path": "varchar_pattern_ops"}
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(255), default="", index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(
        back_populates="parent", order_by="OrgUnit.sort_order"
    )

    @property
    def depth(self) -> int:
        """Return how deep the unit sits (root = 0)."""
        return max(self.path.count("/") - 2, 0)

    def __str__(self) -> str:
        return self.name
