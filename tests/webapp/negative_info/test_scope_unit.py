"""An item's scope unit follows its cadre (else its own unit), however the change is written."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_cadre, make_report, make_unit, make_user
from webapp.extensions import db as _db
from webapp.models import AuditLog, Cadre, DataScope, NegativeInfo
from webapp.security.scope import scoped


def stored_scope_unit(info_id: int) -> int:
    """Read the column as the database holds it (not the session's copy)."""
    return _db.session.execute(
        sa.text("SELECT scope_unit_id FROM negative_info WHERE id = :id"), {"id": info_id}
    ).scalar_one()


def test_item_with_a_cadre_counts_under_the_cadre_s_unit(db):
    cadre = make_cadre(make_unit("东湖区"))
    info = make_report(cadre, unit_id=make_unit("别处").id)  # reported under another unit
    _db.session.commit()
    assert stored_scope_unit(info.id) == cadre.unit_id


def test_item_without_a_cadre_counts_under_its_own_unit_until_one_is_linked(db):
    own, cadre_unit = make_unit("联络员单位"), make_unit("东湖区")
    cadre = make_cadre(cadre_unit)
    info = make_report(cadre, cadre_id=None, unit_id=own.id)
    _db.session.commit()
    assert stored_scope_unit(info.id) == own.id
    info.cadre_id = cadre.id
    _db.session.commit()
    assert stored_scope_unit(info.id) == cadre_unit.id


def test_transfer_moves_the_items_without_a_version_or_log_row_of_their_own(db):
    old, new = make_unit("西山县"), make_unit("东湖区")
    cadre = make_cadre(old)
    first, second = make_report(cadre), make_report(cadre)
    _db.session.commit()
    versions = {first.id: first.version, second.id: second.version}
    _db.session.expire_all()
    loaded = _db.session.get(NegativeInfo, first.id)  # one copy in the session, one not
    _db.session.get(Cadre, cadre.id).unit_id = new.id
    _db.session.commit()
    assert [stored_scope_unit(i) for i in versions] == [new.id, new.id]
    assert loaded.scope_unit_id == new.id
    assert {i: _db.session.get(NegativeInfo, i).version for i in versions} == versions
    logged = _db.session.scalars(
        sa.select(AuditLog.object_type).where(AuditLog.action == "update")
    ).all()
    assert "NegativeInfo" not in logged and "Cadre" in logged


def test_scope_reads_the_kept_unit(db):
    old, new = make_unit("西山县"), make_unit("东湖区")
    cadre = make_cadre(old)
    info = make_report(cadre)
    cadre.unit_id = new.id
    _db.session.commit()
    seen_by = {
        unit.name: _db.session.scalars(
            scoped(
                sa.select(NegativeInfo.id),
                NegativeInfo,
                make_user("supervisor", unit, DataScope.UNIT),
            )
        ).all()
        for unit in (old, new)
    }
    assert seen_by == {"西山县": [], "东湖区": [info.id]}
