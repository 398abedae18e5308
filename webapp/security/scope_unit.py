"""The unit each record about a cadre counts under (数据权限所属单位), kept in step at every flush.

A talk, inquiry, warning or negative-information item counts under its cadre's current unit
(an item with no cadre yet: under the unit it was reported for). The data scope reads the one
indexed column `scope_unit_id` (`CountedUnderCadre`); this hook is its only writer: a record
written with a new cadre, and a cadre moved to another unit (its records follow, in the same
transaction), however the change was made.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from webapp.models import Cadre, CountedUnderCadre


def counted_models() -> list[type[CountedUnderCadre]]:
    """Return the mapped models that count under their cadre's unit."""
    return [m for m in CountedUnderCadre.__subclasses__() if hasattr(m, "__table__")]


def scope_unit_of(session: Session, record: CountedUnderCadre) -> int:
    """Return the unit a record counts under: its cadre's current one, else its own."""
    if record.cadre_id is None:
        return record.unit_id  # only an unlinked negative-information item has no cadre
    cadre = (
        record.cadre if record.cadre is not None and record.cadre.id == record.cadre_id else None
    )
    if cadre is None:
        with session.no_autoflush:
            cadre = session.get(Cadre, record.cadre_id)
    return cadre.unit_id


def moved(cadre: Cadre) -> bool:
    """Tell whether a cadre's unit changes in this flush."""
    return cadre.id is not None and inspect(cadre).attrs.unit_id.history.has_changes()


def follow(session: Session, cadre: Cadre) -> None:
    """Move a moved cadre's records, in the database and in the session's loaded copies."""
    for model in counted_models():
        session.execute(
            sa.update(model)
            .where(model.cadre_id == cadre.id)
            .values(scope_unit_id=cadre.unit_id)
            .execution_options(synchronize_session=False)
        )
    # The loaded copies learn it too, without a write (and a version) of their own.
    for record in list(session.identity_map.values()):
        if isinstance(record, CountedUnderCadre) and record.cadre_id == cadre.id:
            set_committed_value(record, "scope_unit_id", cadre.unit_id)


def before_flush(session: Session, _context, _instances) -> None:
    """Set the scope unit of records being written; make moved cadres' records follow."""
    for obj in list(session.dirty):
        if isinstance(obj, Cadre) and moved(obj):
            follow(session, obj)
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, CountedUnderCadre):
            unit_id = scope_unit_of(session, obj)
            if obj.scope_unit_id != unit_id:
                obj.scope_unit_id = unit_id


def register(session_class: type[Session]) -> None:
    """Hook the keeper onto a session class, ahead of the audit's look at the flush."""
    if not event.contains(session_class, "before_flush", before_flush):
        event.listen(session_class, "before_flush", before_flush, insert=True)
