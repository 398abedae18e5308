"""Each item's scope unit (数据权限所属单位), kept in step with its cadre at every flush.

An item counts under its cadre's current unit, or under the unit as reported while no cadre is
linked. The data scope reads one indexed column, `NegativeInfo.scope_unit_id`; this hook is
its only writer: an item written with a new cadre or unit, and a cadre moved to another unit
(its items follow, as its talks and warnings do), however the change was made.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from webapp.models import Cadre, NegativeInfo


def scope_unit_of(session: Session, info: NegativeInfo) -> int:
    """Return the unit an item counts under: its cadre's current one, else its own."""
    if info.cadre_id is None:
        return info.unit_id
    cadre = info.cadre if info.cadre is not None and info.cadre.id == info.cadre_id else None
    if cadre is None:
        with session.no_autoflush:
            cadre = session.get(Cadre, info.cadre_id)
    return cadre.unit_id if cadre is not None else info.unit_id


def moved(cadre: Cadre) -> bool:
    """Tell whether a cadre's unit changes in this flush."""
    return inspect(cadre).attrs.unit_id.history.has_changes()


def before_flush(session: Session, _context, _instances) -> None:
    """Set the scope unit of items being written and move the items of moved cadres."""
    for obj in list(session.dirty):
        if isinstance(obj, Cadre) and moved(obj) and obj.id is not None:
            session.execute(
                sa.update(NegativeInfo)
                .where(NegativeInfo.cadre_id == obj.id)
                .values(scope_unit_id=obj.unit_id)
                .execution_options(synchronize_session=False)
            )
            # The loaded copies learn it too, without a write (and a version) of their own.
            for info in list(session.identity_map.values()):
                if isinstance(info, NegativeInfo) and info.cadre_id == obj.id:
                    set_committed_value(info, "scope_unit_id", obj.unit_id)
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, NegativeInfo):
            unit_id = scope_unit_of(session, obj)
            if obj.scope_unit_id != unit_id:
                obj.scope_unit_id = unit_id


def register(session_class: type[Session]) -> None:
    """Hook the keeper onto a session class, ahead of the audit's look at the flush."""
    if not event.contains(session_class, "before_flush", before_flush):
        event.listen(session_class, "before_flush", before_flush, insert=True)
