"""The inquiry register's unit filter offers only units in scope and filters by them."""

from __future__ import annotations

import re

from tests.factories import make_inquiry, make_unit


def options(page: str, name: str) -> set[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return set(re.findall(r'<option[^>]*value="([^"]*)"', select.group(1)))


def test_unit_filter_offers_units_in_scope_and_filters(client, login, db, world):
    sub = make_unit("市财政局办公室", world.own)
    other_cadre_unit = world.cadre.unit
    make_inquiry(world.cadre, matters="本级函询")
    login(world.supervisor.username)
    page = client.get("/inquiries/").get_data(as_text=True)
    offered = options(page, "unit_id")
    assert {str(world.own.id), str(sub.id)} <= offered
    assert str(world.other.id) not in offered
    assert world.cadre.name in client.get(f"/inquiries/?unit_id={other_cadre_unit.id}").get_data(
        as_text=True
    )
    assert world.cadre.name not in client.get(f"/inquiries/?unit_id={sub.id}").get_data(
        as_text=True
    )
