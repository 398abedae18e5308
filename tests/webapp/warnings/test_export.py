"""The pending-warnings export: who must act, by role name; the proposer; real dates; text kept text."""

from __future__ import annotations

import io
from datetime import date, datetime

import time_machine
from openpyxl import load_workbook
from sqlalchemy import select

from tests.factories import make_report
from tests.helpers import SHANGHAI, act
from webapp.extensions import db
from webapp.models import Role
from webapp.warnings import services

PROPOSED = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def exported_rows(client, **filters) -> list[dict]:
    """Download the register's export; return its data rows keyed by header."""
    response = client.get("/warnings/export.xlsx", query_string=filters)
    assert response.status_code == 200
    content = response.data
    response.close()  # the download streams from a temporary file
    sheet = load_workbook(io.BytesIO(content)).active
    headers, *rows = list(sheet.iter_rows())
    return [{h.value: cell for h, cell in zip(headers, row, strict=True)} for row in rows]


def test_pending_export_names_the_role_that_must_act(client, login, world):
    with time_machine.travel(PROPOSED, tick=False):
        item = make_report(world.cadre, status="true")
        first = services.create_warning(world.supervisor, world.cadre.id, 1, [item.id], "=1+1")
        act(first, "submit", world.supervisor)
        second = services.create_warning(world.supervisor, world.cadre.id, 2, [], "再次出现")
        act(second, "submit", world.supervisor)
        act(second, "approve", world.reviewer, comment="同意")
        services.create_warning(world.supervisor, world.cadre.id, 1, [], "仍是草稿")
    db.session.commit()
    names = dict(db.session.execute(select(Role.code, Role.name)).all())
    login(world.reviewer.username)

    rows = exported_rows(client, state="pending_approval")

    by_number = {row["预警编号"].value: row for row in rows}
    assert set(by_number) == {first.number, second.number}  # the draft is not pending
    assert by_number[first.number]["待审批环节"].value == names["reviewer"]
    assert by_number[second.number]["待审批环节"].value == names["approver"]
    row = by_number[first.number]
    assert row["提出人"].value == world.supervisor.full_name
    assert row["干部"].value == world.cadre.name and row["单位"].value == world.mine.name
    assert row["依据"].value == item.number
    assert row["提出日期"].is_date and row["提出日期"].value.date() == date(2026, 3, 2)
    assert row["事由"].value == "=1+1" and row["事由"].data_type == "s"  # never a formula
