"""The API's warnings page sends as many statements for 30 warnings as for 3 (no N+1)."""

from __future__ import annotations

import itertools
from datetime import date

from tests.factories import make_warning
from tests.statements import counted_statements, grown
from webapp.extensions import db
from webapp.obligations import services as obligations
from workflows.obligations import ObligationKind

TODAY = date(2026, 11, 20)
_numbers = itertools.count(1)


def owing_warning(world) -> None:
    """Add an issued warning whose action runs and that owes its 书面检查."""
    warning = make_warning(world.cadre, world.supervisor, f"YJ-API-{next(_numbers)}", tier=2)
    warning.action_due = date(2026, 12, 4)
    for kind, due in (
        (ObligationKind.ACTION_DUE, warning.action_due),
        (ObligationKind.SELF_CRITICISM_DUE, date(2026, 11, 27)),
    ):
        obligations.open_obligation(
            kind=kind,
            subject_type="warning",
            subject_id=warning.id,
            cadre_id=warning.cadre_id,
            start=TODAY,
            due=due,
            total_workdays=5,
            today=TODAY,
        )


def page_statements(call) -> tuple[list[str], dict]:
    """GET the warnings page (after a warm-up GET); return its statements and its body."""
    for _warm_up in (True, False):
        with counted_statements() as statements:
            response = call("GET", "/api/v1/warnings", query_string={"limit": 100})
        assert response.status_code == 200
    return statements, response.get_json()


def test_the_warnings_page_reads_deadlines_for_all_its_warnings_at_once(world, call):
    for _ in range(3):
        owing_warning(world)
    db.session.commit()
    few, _body = page_statements(call)
    for _ in range(27):
        owing_warning(world)
    db.session.commit()
    many, body = page_statements(call)
    assert len(many) == len(few), grown(few, many)
    assert len(body["items"]) == 30
    for item in body["items"]:
        assert [(d["kind"], d["running"]) for d in item["deadlines"]] == [
            ("action", True),
            ("self_criticism", True),
        ]
        assert item["deadlines"][1]["due"] == "2026-11-27" and item["light"] is not None
