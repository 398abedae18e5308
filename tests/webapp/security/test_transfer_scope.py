"""A transferred cadre's records follow the cadre: the new unit sees them, the old one does not."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from tests.factories import make_cadre, make_inquiry, make_report, make_talk, make_unit, make_user
from webapp.extensions import db as _db
from webapp.models import DataScope
from webapp.warnings import services as warnings

NAME = "调任测试干部"


@pytest.fixture(autouse=True)
def frozen_clock():
    """Fix today's date so the warning's numbering and deadlines are predictable."""
    with time_machine.travel(datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        yield


@pytest.fixture
def transferred(db):
    """A cadre with one record of each kind, transferred from 西山县 to 东湖区 afterwards."""
    root = make_unit("某市")
    old, new = make_unit("西山县", root), make_unit("东湖区", root)
    old_supervisor = make_user("supervisor", old, DataScope.UNIT_AND_BELOW)
    new_supervisor = make_user("supervisor", new, DataScope.UNIT_AND_BELOW)
    city = make_user("supervisor", root, DataScope.ALL)
    cadre = make_cadre(old, NAME)
    records = {
        "negative-info": make_report(cadre, created_by=city),
        "talks": make_talk(cadre, created_by=city),
        "inquiries": make_inquiry(cadre, created_by=city),
    }
    records["warnings"] = warnings.create_warning(city, cadre.id, 1, [], "测试调任")
    cadre.unit_id = new.id
    _db.session.commit()
    return old_supervisor, new_supervisor, records


AREAS = ("negative-info", "talks", "inquiries", "warnings")


@pytest.mark.parametrize("area", AREAS)
def test_new_unit_sees_the_records_of_a_transferred_cadre(client, login, transferred, area):
    _old, new_supervisor, records = transferred
    login(new_supervisor.username)
    detail = client.get(f"/{area}/{records[area].id}")
    listing = client.get(f"/{area}/")
    assert detail.status_code == 200
    assert NAME in detail.get_data(as_text=True)
    assert listing.status_code == 200
    assert NAME in listing.get_data(as_text=True)


@pytest.mark.parametrize("area", AREAS)
def test_old_unit_loses_the_records_of_a_transferred_cadre(client, login, transferred, area):
    old_supervisor, _new, records = transferred
    login(old_supervisor.username)
    detail = client.get(f"/{area}/{records[area].id}")
    listing = client.get(f"/{area}/")
    assert detail.status_code == 404
    assert listing.status_code == 200
    assert NAME not in listing.get_data(as_text=True)


def test_register_unit_filter_follows_the_transfer(client, login, transferred):
    """Filtering the register by the new district finds the item reported under the old one."""
    _old, new_supervisor, _records = transferred
    login(new_supervisor.username)
    new_unit_id = new_supervisor.unit_id
    page = client.get(f"/negative-info/?unit_id={new_unit_id}")
    assert NAME in page.get_data(as_text=True)


def test_register_and_page_show_the_cadre_s_current_unit(client, login, transferred):
    _old, new_supervisor, records = transferred
    login(new_supervisor.username)
    listing = client.get("/negative-info/").get_data(as_text=True)
    row = listing[listing.index(NAME) :]
    assert "东湖区" in row[: row.index("</tr>")]
    page = client.get(f"/negative-info/{records['negative-info'].id}").get_data(as_text=True)
    assert "东湖区" in page and "西山县" in page  # now, and as reported


def test_register_export_shows_the_cadre_s_current_unit(client, login, transferred):
    _old, new_supervisor, _records = transferred
    login(new_supervisor.username)
    response = client.get("/excel/negative-info/export")
    data = response.data
    response.close()
    rows = list(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True))
    assert [(r[1], r[2]) for r in rows[1:]] == [(NAME, "东湖区")]
