"""The profile timeline's entries read an item's listed fields, never its sealed source."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_report
from webapp.extensions import db
from webapp.models import Cadre, NegativeInfo, User
from webapp.negative_info.services import report_entries

SEALED = {"reporting_unit", "liaison_name", "reporter_name", "reporter_contact", "details"}


def test_the_timeline_decrypts_no_sealed_field(app, world):
    info = make_report(
        world.cadre, world.supervisor, reporter_name="张举报", reporter_contact="13800000000"
    )
    db.session.commit()
    ids = (info.id, world.cadre.id, world.supervisor.id)
    db.session.expunge_all()
    loaded: list[NegativeInfo] = []  # held here: the identity map keeps only weak references

    def keep(item, _context):
        loaded.append(item)

    sa.event.listen(NegativeInfo, "load", keep)
    try:
        with app.test_request_context():
            cadre, user = db.session.get(Cadre, ids[1]), db.session.get(User, ids[2])
            entries = report_entries(cadre, user=user)
            assert [e.url for e in entries] == [f"/negative-info/{ids[0]}"]
            assert [item.id for item in loaded] == [ids[0]]
            assert sa.inspect(loaded[0]).unloaded >= SEALED
            assert loaded[0].reporter_name == "张举报"  # read on asking, as any deferred column
    finally:
        sa.event.remove(NegativeInfo, "load", keep)
