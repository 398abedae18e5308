"""A record's scope unit follows its cadre (an unlinked item: its own unit), however it is written."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import (
    make_cadre,
    make_inquiry,
    make_report,
    make_talk,
    make_unit,
    make_user,
    make_warning,
)
from webapp.extensions import db as _db
from webapp.models import AuditLog, Cadre, DataScope, Inquiry, NegativeInfo, Talk, Warning
from webapp.security.scope import scoped

MAKERS = {
    NegativeInfo: lambda cadre, user: make_report(cadre),
    Talk: lambda cadre, user: make_talk(cadre),
    Inquiry: lambda cadre, user: make_inquiry(cadre),
    Warning: lambda cadre, user: make_warning(cadre, user, f"YJ-S-{cadre.id}"),
}
MODELS = list(MAKERS)


def stored_scope_unit(model, record_id: int) -> int:
    """Read the column as the database holds it (not the session's copy)."""
    table = model.__table__.name
    return _db.session.execute(
        sa.text(f"SELECT scope_unit_id FROM {table} WHERE id = :id"), {"id": record_id}
    ).scalar_one()


@pytest.fixture
def proposer(db):
    return make_user("supervisor", make_unit("组织部"), DataScope.ALL)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_record_counts_under_the_cadre_s_unit(proposer, model):
    cadre = make_cadre(make_unit("东湖区"))
    record = MAKERS[model](cadre, proposer)
    _db.session.commit()
    assert stored_scope_unit(model, record.id) == cadre.unit_id


def test_item_reported_under_another_unit_counts_under_the_cadre_s(db):
    cadre = make_cadre(make_unit("东湖区"))
    info = make_report(cadre, unit_id=make_unit("别处").id)
    _db.session.commit()
    assert stored_scope_unit(NegativeInfo, info.id) == cadre.unit_id


def test_unlinked_item_counts_under_its_own_unit_until_a_cadre_is_linked(db):
    own, cadre_unit = make_unit("联络员单位"), make_unit("东湖区")
    cadre = make_cadre(cadre_unit)
    info = make_report(cadre, cadre_id=None, unit_id=own.id)
    _db.session.commit()
    assert stored_scope_unit(NegativeInfo, info.id) == own.id
    info.cadre_id = cadre.id
    _db.session.commit()
    assert stored_scope_unit(NegativeInfo, info.id) == cadre_unit.id


def test_transfer_moves_every_record_without_a_version_or_log_row_of_its_own(proposer):
    old, new = make_unit("西山县"), make_unit("东湖区")
    cadre = make_cadre(old)
    records = {model: MAKERS[model](cadre, proposer) for model in MODELS}
    _db.session.commit()
    ids = {model: record.id for model, record in records.items()}
    version = records[NegativeInfo].version
    _db.session.expire_all()
    loaded = _db.session.get(Talk, ids[Talk])  # one copy in the session, the others not
    _db.session.get(Cadre, cadre.id).unit_id = new.id
    _db.session.commit()
    assert {m: stored_scope_unit(m, i) for m, i in ids.items()} == dict.fromkeys(MODELS, new.id)
    assert loaded.scope_unit_id == new.id
    assert _db.session.get(NegativeInfo, ids[NegativeInfo]).version == version
    logged = _db.session.scalars(
        sa.select(AuditLog.object_type).where(AuditLog.action == "update")
    ).all()
    assert "Cadre" in logged and not set(logged) & {m.__name__ for m in MODELS}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_scope_reads_the_kept_unit(proposer, model):
    old, new = make_unit("西山县"), make_unit("东湖区")
    cadre = make_cadre(old)
    record = MAKERS[model](cadre, proposer)
    cadre.unit_id = new.id
    _db.session.commit()
    seen_by = {
        unit.name: _db.session.scalars(
            scoped(sa.select(model.id), model, make_user("supervisor", unit, DataScope.UNIT))
        ).all()
        for unit in (old, new)
    }
    assert seen_by == {"西山县": [], "东湖区": [record.id]}
