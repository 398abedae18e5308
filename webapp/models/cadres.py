"""Cadres (干部) and the events in their careers that call for talks."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from webapp.cadres.name_keys import search_key
from webapp.models.base import Base, TimestampMixin
from webapp.models.org import OrgUnit
from webapp.security.crypto import SealedText, id_number_hash


class Cadre(TimestampMixin, Base):
    """A cadre under supervision; coded fields hold dictionary item values."""

    __tablename__ = "cadre"
    __audited__ = True
    __audit_content__ = frozenset({"id_number", "id_number_hash", "work_history"})
    __audit_quiet__ = frozenset({"name_key"})  # follows the name, whose change is logged
    __table_args__ = (
        # Name search (webapp/cadres/name_search.py): trigrams on PostgreSQL; SQLite has its
        # full-text table instead (NAME_SEARCH_SQLITE below).
        sa.Index(
            "ix_cadre_name_key_trgm",
            "name_key",
            postgresql_using="gin",
            postgresql_ops={"name_key": "public.gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        # The roster's order (unit, name, id): its pages and the scope's unit set walk it.
        sa.Index("ix_cadre_unit_name_id", "unit_id", "name", "id"),
        # The 晴雨表's cadres per unit and colour (webapp/dashboard/queries.py): index-only.
        sa.Index("ix_cadre_unit_colour", "unit_id", "status_colour"),
        # The roster's two dictionary filters side by side (职级 and 干部类别), in its order: a
        # filtered page and its capped count read this index alone. It serves 职级 alone too.
        sa.Index("ix_cadre_rank_category_order", "rank", "category", "unit_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50), index=True)
    # The words the name is searched by (name_keys.search_key), kept in step with the name.
    name_key: Mapped[str] = mapped_column(sa.String(2000), default="")
    gender: Mapped[str] = mapped_column(sa.String(16))
    birth_date: Mapped[date]
    ethnicity: Mapped[str] = mapped_column(sa.String(16))
    political_status: Mapped[str] = mapped_column(sa.String(16))
    education: Mapped[str] = mapped_column(sa.String(16))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    position: Mapped[str] = mapped_column(sa.String(100))
    rank: Mapped[str] = mapped_column(sa.String(16))
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

    @validates("name")
    def keep_name_key(self, key: str, value: str) -> str:
        """Keep the name search key in step with the name."""
        self.name_key = search_key(value or "")
        return value

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


class CountedUnderCadre:
    """A record about a cadre, counted under the cadre's current unit: the data scope's column.

    `scope_unit_id` holds the cadre's unit now (a negative-information item with no cadre yet:
    its own unit), so the scope and the unit filter are one `IN` over an indexed column of the
    record itself. `webapp.security.scope_unit` is its only writer and keeps it in step at
    every flush, a cadre's transfer included: the records go with the cadre.
    """

    __audit_quiet__ = frozenset({"scope_unit_id"})  # follows the cadre, whose move is logged
    scope_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"))


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


# ---------------------------------------------------------------- name search indexes
# PostgreSQL: a trigram index on Cadre.name_key (declared above). The extension goes into the
# public schema, where the index names its operator class, whatever the search_path (the test
# suite gives each process a schema of its own). The advisory lock makes processes creating
# their schemas at once wait for each other instead of colliding on the extension.
PG_TRGM = (
    "SELECT pg_advisory_xact_lock(hashtext('pg_trgm'))",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public",
)
# SQLite: an FTS5 index of the key's words, kept in step by triggers, so that prefix queries
# ("wf"*, "王"*) read the index; a trigram tokenizer would need three characters to use it.
NAME_SEARCH_SQLITE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS cadre_name_fts USING fts5("
    "name_key, content='cadre', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS cadre_name_fts_insert AFTER INSERT ON cadre BEGIN "
    "INSERT INTO cadre_name_fts(rowid, name_key) VALUES (new.id, new.name_key); END",
    "CREATE TRIGGER IF NOT EXISTS cadre_name_fts_delete AFTER DELETE ON cadre BEGIN "
    "INSERT INTO cadre_name_fts(cadre_name_fts, rowid, name_key) "
    "VALUES ('delete', old.id, old.name_key); END",
    "CREATE TRIGGER IF NOT EXISTS cadre_name_fts_update AFTER UPDATE OF name_key ON cadre BEGIN "
    "INSERT INTO cadre_name_fts(cadre_name_fts, rowid, name_key) "
    "VALUES ('delete', old.id, old.name_key); "
    "INSERT INTO cadre_name_fts(rowid, name_key) VALUES (new.id, new.name_key); END",
)

for _statement in PG_TRGM:
    sa.event.listen(
        Base.metadata, "before_create", sa.DDL(_statement).execute_if(dialect="postgresql")
    )
for _statement in NAME_SEARCH_SQLITE:
    sa.event.listen(
        Cadre.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="sqlite")
    )
