"""The 晴雨表's numbers equal counts the test makes from its own rows, on both databases, for a
city-wide and a district-scoped user; following a figure's link lists that many records."""

from __future__ import annotations

import re
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.factories import make_user
from tests.helpers import switch
from tests.webapp.dashboard.conftest import COLOURS, TODAY, expected
from webapp.dashboard import aggregate
from webapp.dashboard.figures import dashboard
from webapp.dashboard.focus import focus_for
from webapp.models import AuditLog, DataScope
from workflows.states import State
from workflows.tiers import Tier


def board_of(app, user, unit_id=None):
    """Return the dashboard as the user sees it on TODAY."""
    with app.test_request_context():
        return dashboard(user, focus_for(user, unit_id), TODAY)


def check_board(shown, want, months):
    assert {f.colour: f.value for f in shown.colours} == {c: want["colours"][c] for c in COLOURS}
    assert [f.value for f in shown.states] == [want["states"][s] for s in State]
    assert [f.value for f in shown.tiers] == [want["tiers"][int(t)] for t in Tier]
    sources = {label: row[0].value for label, row in shown.sources.rows}
    assert sum(sources.values()) == sum(want["sources"].values())
    assert sorted(sources.values()) == sorted(want["sources"].values())
    by_source, issued, lifted, clarified = shown.trends

    def table(chart, key_of):
        return {
            (m.year, m.month, key_of(label)): f.value
            for label, row in chart.rows
            for m, f in zip(months, row, strict=True)
            if f.value
        }

    labels = {
        label: s
        for label, s in [
            ("信访举报", "petition"),
            ("审计", "audit"),
            ("巡视巡察", "inspection"),
            ("12380", "hotline_12380"),
        ]
    }
    assert table(by_source, lambda label: labels[label]) == dict(want["reports_by_month"])
    tier_of = {Tier(t).label: str(int(t)) for t in Tier}
    assert table(issued, lambda label: tier_of[label]) == dict(want["issued_by_month"])
    assert {k[:2]: v for k, v in table(lifted, str).items()} == dict(want["lifted_by_month"])
    assert {k[:2]: v for k, v in table(clarified, str).items()} == dict(want["clarified_by_month"])
    assert shown.overdue.total == want["overdue"]
    assert shown.due_week.total == want["due_week"]


def test_city_wide_numbers_match_the_rows(app, board):
    months = aggregate.months_until(TODAY)
    shown = board_of(app, board.province, board.root.id)
    check_board(shown, expected(board, board.root), months)
    cells = {c.unit.name: c for c in shown.cells}
    assert set(cells) == {"市财政局", "西山县", "东城区"}
    for unit in (board.east, board.west):
        want = expected(board, unit)
        cell = cells[unit.name]
        assert cell.cadres == want["cadres"]
        assert cell.active.value == want["active"]
        assert cell.rate == aggregate.per_hundred(want["active"], want["cadres"])
        assert cell.drill_href.endswith(f"unit={unit.id}")


def test_district_user_sees_only_the_district(app, board):
    months = aggregate.months_until(TODAY)
    shown = board_of(app, board.district)
    check_board(shown, expected(board, board.east), months)
    assert shown.whole.unit == board.east
    assert [c.unit for c in shown.cells] == [board.east_street]
    street = expected(board, board.east_street)
    assert shown.cells[0].cadres == street["cadres"]
    assert shown.cells[0].active.value == street["active"]


def test_district_user_cannot_drill_into_another_district(app, board, client, login):
    login(board.district.username)
    assert client.get(f"/dashboard/?unit={board.west.id}").status_code == 404
    assert client.get(f"/dashboard/screen?unit={board.root.id}").status_code == 404
    assert client.get(f"/dashboard/?unit={board.east_street.id}").status_code == 200


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/screen"])
def test_district_pages_name_and_link_no_other_unit(app, board, client, login, path):
    login(board.district.username)
    page = client.get(path).get_data(as_text=True)
    assert "东城区湖滨街道" in page
    for name in ("西山县", "市财政局", "某市"):
        assert name not in page
    allowed = {str(board.east.id), str(board.east_street.id)}
    for href in re.findall(r'href="([^"]+)"', page):
        query = parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        for key in ("unit_id", "unit"):
            assert set(query.get(key, [])) <= allowed, href


def register_total(client, href):
    page = client.get(href.replace("&amp;", "&"))
    assert page.status_code == 200, href
    found = re.search(r"共 (\d+) 条", page.get_data(as_text=True))
    assert found, href
    return int(found.group(1))


def linked_figures(shown):
    yield from shown.colours + shown.tiers + shown.states + [shown.overdue_warnings]
    for cell in [shown.whole, *shown.cells]:
        yield from (*cell.colours, cell.active, cell.overdue)
    for chart in [*shown.trends, shown.sources]:
        for _label, row in chart.rows:
            yield from (f for f in row if f.value)


@pytest.mark.parametrize("who", ["province", "district"])
def test_every_figure_links_a_register_listing_that_many(
    app, board, client, login, who, time_machine
):
    time_machine.move_to("2026-12-02 10:00 +0800", tick=False)
    user = getattr(board, who)
    login(user.username)
    shown = board_of(app, user, board.east.id if who == "province" else None)
    figures = list(linked_figures(shown))
    assert len(figures) > 40
    for figure in figures:
        assert register_total(client, figure.href) == figure.value, (figure.label, figure.href)


def test_pages_answer_only_dashboard_roles(app, db, board, client, login, world):
    login(board.district.username)
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/dashboard/screen").status_code == 200
    liaison = make_user("liaison", world.mine, username="liaison_dash")
    db.session.commit()
    switch(client, login, liaison)
    assert client.get("/dashboard/").status_code == 403


def test_district_export_holds_only_the_district(app, db, board, client, login, world):
    exporter = make_user("supervisor", board.east, DataScope.UNIT_AND_BELOW, username="east_sup")
    db.session.commit()
    login(exporter.username)
    response = client.get("/dashboard/units.xlsx")
    assert response.status_code == 200
    content = response.data
    response.close()  # the download streams from a temporary file
    sheet = load_workbook(BytesIO(content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["东城区（合计）", "东城区湖滨街道"]
    for row, unit in zip(rows, (board.east, board.east_street), strict=True):
        want = expected(board, unit)
        assert row[1] == want["cadres"]
        assert list(row[2:6]) == [want["colours"][c] for c in COLOURS]
        assert row[6] == want["active"]
    logged = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.object_type == "Dashboard")
    ).all()
    assert len(logged) == 1 and "东城区" in logged[0].summary


def test_viewer_without_export_right_gets_no_export(app, board, client, login):
    login(board.district.username)
    assert client.get("/dashboard/units.xlsx").status_code == 403
    assert "units.xlsx" not in client.get("/dashboard/").get_data(as_text=True)


def test_chosen_units_see_only_those_units(app, db, board, client, login):
    chooser = make_user(
        "viewer", board.root, DataScope.CUSTOM, username="chooser", scope_units=[board.west_town]
    )
    db.session.commit()
    shown = board_of(app, chooser)
    want = expected(board, board.west_town)
    assert shown.cadres == want["cadres"]
    assert shown.active == want["active"]
    assert [c.unit for c in shown.cells] == [board.west]  # the district holding the chosen unit
    login(chooser.username)
    page = client.get("/dashboard/").get_data(as_text=True)
    for name in ("东城区", "市财政局"):
        assert name not in page
