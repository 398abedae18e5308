"""Bulk inserts write the same audit rows the session hook writes for one object."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.factories import id_number, make_cadre, make_unit
from webapp.imports.bulk import insert_audited
from webapp.models import AuditLog, Cadre


def audit_of(db, cadre_id: int) -> AuditLog:
    return db.session.scalars(
        select(AuditLog).where(AuditLog.object_type == "Cadre", AuditLog.object_id == str(cadre_id))
    ).one()


def test_bulk_insert_logs_like_the_hook(db):
    unit = make_unit()
    by_hook = make_cadre(unit, name="钩子", birth_date=date(1981, 2, 3))
    values = {
        "name": "批量",
        "gender": "male",
        "birth_date": date(1981, 2, 3),
        "ethnicity": "han",
        "political_status": "cpc",
        "education": "bachelor",
        "unit_id": unit.id,
        "position": "科长",
        "rank": "zhengke",
        "category": "section",
        "id_number": id_number(date(1981, 2, 3)),
        "id_number_hash": "computed-by-the-caller",  # a bulk insert bypasses the model's hook
    }
    [bulk_id] = insert_audited(Cadre, [values])
    bulk = db.session.get(Cadre, bulk_id)
    assert (bulk.name, bulk.status_colour, bulk.is_young, bulk.created_at is not None) == (
        "批量",
        "green",
        False,
        True,
    )
    hook_row, bulk_row = audit_of(db, by_hook.id), audit_of(db, bulk_id)
    assert bulk_row.action == hook_row.action == "create"
    assert bulk_row.summary == "批量"
    assert set(bulk_row.after) == set(hook_row.after)
    assert bulk_row.after["id"] == str(bulk_id)
    assert bulk_row.after["birth_date"] == "1981-02-03"
    # The ID number is masked in both, the same way.
    assert bulk_row.after["id_number"] != values["id_number"]
    assert len(bulk_row.after["id_number"]) == len(hook_row.after["id_number"])
