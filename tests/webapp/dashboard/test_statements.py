"""The 晴雨表 sends as many statements with twice the units, cadres and records as without."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_cadre, make_report, make_unit, make_warning
from tests.statements import grown, statements_of_get
from webapp.extensions import db


def grow(board, world) -> None:
    """Add units below both districts, each with cadres, warnings and items."""
    for parent in (board.east, board.east_street, board.west, world.mine):
        for i in range(3):
            unit = make_unit(f"{parent.name}新增{i}", parent)
            for j in range(3):
                cadre = make_cadre(unit, status_colour="yellow")
                warning = make_warning(cadre, world.supervisor, f"YJ-G-{unit.id}-{j}", 1 + j % 3)
                warning.issued_on = date(2026, 1 + (i * 3 + j) % 12, 8)
                make_report(cadre, source_channel="daily", received_on=date(2026, 1 + j, 2))
    db.session.commit()


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/screen"])
@pytest.mark.parametrize("who", ["province", "district"])
def test_statements_do_not_grow_with_the_data(board, world, client, login, who, path):
    login(getattr(board, who).username)
    few = statements_of_get(client, path)
    grow(board, world)
    many = statements_of_get(client, path)
    assert len(many) == len(few), grown(few, many)
    assert len(few) <= 40
