"""The register (台账): scope, filters, the cadre picker, access log and the cadre timeline."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import make_cadre, make_report, make_unit, make_user
from tests.statements import statements_of_get
from webapp.extensions import db as _db
from webapp.models import AccessLog, CadreEvent, Role
from webapp.negative_info.queries import ReportFilters, register_query


def test_register_shows_only_items_in_scope(client, world, as_supervisor):
    mine = make_report(world.cadre)
    below = make_report(make_cadre(make_unit("财政局下属中心", world.mine)))
    theirs = make_report(world.far_cadre)
    page = client.get("/negative-info/").get_data(as_text=True)
    assert mine.number in page and below.number in page
    assert theirs.number not in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("q=FM-T", ["a", "b"], []),
        ("q=王建", ["a"], ["b"]),
        ("status=verifying", ["b"], ["a"]),
        ("category=law", ["b"], ["a"]),
        ("source_channel=audit", ["b"], ["a"]),
        ("severity=serious", ["b"], ["a"]),
        ("received_from=2026-02-01", ["b"], ["a"]),
        ("received_to=2026-01-31", ["a"], ["b"]),
    ],
)
def test_register_filters(client, world, as_supervisor, query, shown, hidden):
    items = {
        "a": make_report(world.cadre, received_on=date(2026, 1, 10)),
        "b": make_report(
            make_cadre(world.mine, "赵六"),
            category="law",
            situation="drunk_driving",
            source_channel="audit",
            severity="serious",
            status="verifying",
            received_on=date(2026, 2, 15),
        ),
    }
    page = client.get(f"/negative-info/?{query}").get_data(as_text=True)
    for key in shown:
        assert items[key].number in page
    for key in hidden:
        assert items[key].number not in page


def test_reversed_date_range_is_explained_and_ignored(client, world, as_supervisor):
    item = make_report(world.cadre)
    page = client.get("/negative-info/?received_from=2026-03-01&received_to=2026-01-01").get_data(
        as_text=True
    )
    assert "结束日期不能早于开始日期" in page and item.number in page


def test_register_query_is_the_one_an_export_would_use(db, world):
    make_report(world.cadre, source_channel="audit")
    make_report(world.far_cadre, source_channel="audit")
    rows = db.session.scalars(
        register_query(world.supervisor, ReportFilters(source_channel="audit"))
    ).all()
    assert [r.cadre_name for r in rows] == ["王建国"]


def test_picker_finds_cadres_in_scope_by_name_or_unit(client, world, as_supervisor):
    make_cadre(world.mine, "王小明")
    names = {c["name"] for c in client.get("/negative-info/cadres.json?q=王").get_json()}
    assert names == {"王建国", "王小明"}
    by_unit = client.get("/negative-info/cadres.json?q=财政").get_json()
    assert {c["unit"] for c in by_unit} == {"市财政局"}
    assert client.get("/negative-info/cadres.json?q=李四").get_json() == []  # outside scope
    assert client.get("/negative-info/cadres.json?q=%25").get_json() == []  # LIKE is escaped


def test_viewing_an_item_is_logged(client, db, world, as_supervisor):
    info = make_report(world.cadre)
    client.get(f"/negative-info/{info.id}")
    log = db.session.scalars(select(AccessLog).where(AccessLog.object_type == "NegativeInfo")).one()
    assert (log.object_id, log.user_id) == (str(info.id), as_supervisor.id)


def test_timeline_puts_items_among_cadre_events_in_date_order(client, db, world, as_supervisor):
    info = make_report(world.cadre, occurred_on=date(2026, 2, 1), situation="style_problem")
    db.session.add_all(
        [
            CadreEvent(cadre_id=world.cadre.id, kind="appointment", occurred_on=date(2026, 3, 1)),
            CadreEvent(cadre_id=world.cadre.id, kind="award", occurred_on=date(2026, 1, 1)),
        ]
    )
    db.session.flush()
    _db.session.expire(world.cadre)
    page = client.get(f"/cadres/{world.cadre.id}").get_data(as_text=True)
    timeline = page.split('id="timeline"', 1)[1]
    entry = f"负面信息 {info.number}：作风问题苗头"
    assert f'href="/negative-info/{info.id}"' in timeline and entry in timeline
    assert timeline.index("任职") < timeline.index(entry) < timeline.index("受表彰")
    assert "待核实" in timeline


def test_timeline_hides_items_from_users_who_may_not_read_them(client, db, world, login):
    info = make_report(world.cadre)
    db.session.add(Role(code="roster_only", name="仅干部信息", permissions=["cadre.view"]))
    db.session.flush()
    user = make_user("roster_only", world.mine)
    login(user.username)
    page = client.get(f"/cadres/{world.cadre.id}").get_data(as_text=True)
    assert info.number not in page


def test_export_link_carries_the_current_filters(client, world, as_supervisor):
    page = client.get("/negative-info/?status=pending&category=law&page=2").get_data(as_text=True)
    assert 'href="/excel/negative-info/export?status=pending&amp;category=law"' in page
    assert 'href="/excel/negative-info/import"' in page


def test_the_register_decrypts_nothing_it_does_not_show(client, world, as_supervisor):
    # A row shows the number, the cadre's name and current unit…: never the sealed source
    # fields or the cadre's ID number, which would be decrypted row by row.
    item = make_report(world.cadre, reporter_name="张举报", details="详细情况")
    statements = statements_of_get(client, "/negative-info/")
    rows = [s for s in statements if s.lstrip().startswith("SELECT negative_info.id")]
    assert rows, statements
    for sealed in (
        "details",
        "reporter_name",
        "reporter_contact",
        "liaison_name",
        "reporting_unit",
    ):
        assert not any(re.search(rf"negative_info\.{sealed}\b", s) for s in rows), sealed
    assert all("id_number" not in s for s in rows)
    page = client.get("/negative-info/").get_data(as_text=True)
    assert item.number in page and world.cadre.unit.name in page
