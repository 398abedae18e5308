"""The unit paths can be rebuilt from parent_id (the migration's and the bulk seed's backfill)."""

from __future__ import annotations

from sqlalchemy import select, update

from tests.factories import make_unit
from webapp.models import OrgUnit
from webapp.units import rebuild_paths


def test_rebuild_paths_restores_every_path_from_the_parents(db):
    root = make_unit("某省")
    city = make_unit("某市", root)
    district = make_unit("某区", city)
    bureau = make_unit("某区财政局", district)
    other = make_unit("另一市", root)
    expected = {
        root.id: f"/{root.id}/",
        city.id: f"/{root.id}/{city.id}/",
        district.id: f"/{root.id}/{city.id}/{district.id}/",
        bureau.id: f"/{root.id}/{city.id}/{district.id}/{bureau.id}/",
        other.id: f"/{root.id}/{other.id}/",
    }
    db.session.execute(update(OrgUnit).where(OrgUnit.id != other.id).values(path=""))
    connection = db.session.connection()
    assert rebuild_paths(connection) == 4
    db.session.expire_all()
    assert {
        u.id: u.path for u in db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(expected)))
    } == (expected)
    assert rebuild_paths(connection) == 0
