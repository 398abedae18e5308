"""The unit picker: a scoped JSON of the tree, and register pages that carry only its top."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_cadre, make_report, make_talk, make_unit, make_user
from tests.helpers import switch
from webapp.models import DataScope


@pytest.fixture
def province(db):
    """A province with two cities, each with districts and their bureaus."""
    root = make_unit("某省")
    east, west = make_unit("东城市", root), make_unit("西城市", root)
    units = {"root": root, "east": east, "west": west}
    for city, name in ((east, "东"), (west, "西")):
        district = make_unit(f"{name}湖区", city)
        units[f"{name}_district"] = district
        units[f"{name}_bureau"] = make_unit(f"{name}湖区财政局", district)
        units[f"{name}_office"] = make_unit(f"{name}湖区财政局办公室", units[f"{name}_bureau"])
    db.session.commit()
    return units


def picker(client, **query) -> dict:
    response = client.get("/units/picker", query_string=query)
    assert response.status_code == 200
    return response.get_json()


def ids(answer: dict) -> set[int]:
    return {u["id"] for u in answer["units"]}


def test_a_district_user_sees_only_the_district_s_tree(client, login, province):
    user = make_user("supervisor", province["东_district"], DataScope.UNIT_AND_BELOW)
    login(user.username)
    top = picker(client)
    assert top["units"] == [
        {
            "id": province["东_district"].id,
            "name": "东湖区",
            "label": "东湖区",
            "has_children": True,
        }
    ]
    assert ids(picker(client, parent=province["东_district"].id)) == {province["东_bureau"].id}
    assert ids(picker(client, parent=province["west"].id)) == set()
    assert ids(picker(client, parent=province["root"].id)) == set()
    found = picker(client, q="湖区")
    assert ids(found) == {province[k].id for k in ("东_district", "东_bureau", "东_office")}
    assert all("西" not in u["label"] and "某省" not in u["label"] for u in found["units"])
    office = next(u for u in found["units"] if u["id"] == province["东_office"].id)
    assert office["label"] == "东湖区 / 东湖区财政局 / 东湖区财政局办公室"


def test_a_province_wide_user_opens_the_tree_level_by_level(client, login, province):
    user = make_user("reviewer", province["root"], DataScope.ALL)
    login(user.username)
    top = picker(client)
    assert [u["name"] for u in top["units"]] == ["某省"] and top["units"][0]["has_children"]
    cities = picker(client, parent=province["root"].id)
    assert [u["name"] for u in cities["units"]] == ["东城市", "西城市"]
    assert ids(picker(client, q="西湖区财政局")) == {
        province["西_bureau"].id,
        province["西_office"].id,
    }


def test_a_unit_user_gets_the_unit_alone_and_custom_users_their_chosen_units(
    client, login, province
):
    user = make_user("supervisor", province["东_bureau"], DataScope.UNIT)
    login(user.username)
    assert picker(client)["units"] == [
        {
            "id": province["东_bureau"].id,
            "name": "东湖区财政局",
            "label": "东湖区财政局",
            "has_children": False,
        }
    ]
    assert ids(picker(client, parent=province["东_bureau"].id)) == set()
    chosen = [province["东_district"], province["东_bureau"], province["west"]]
    custom = make_user("supervisor", province["root"], DataScope.CUSTOM, scope_units=chosen)
    switch(client, login, custom)
    assert ids(picker(client)) == {province["东_district"].id, province["west"].id}
    assert ids(picker(client, parent=province["东_district"].id)) == {province["东_bureau"].id}
    assert ids(picker(client, parent=province["west"].id)) == set()


def test_the_picker_refuses_a_bad_parent_and_strangers(client, login, province):
    assert client.get("/units/picker").status_code in (302, 401)
    user = make_user("reviewer", province["root"], DataScope.ALL)
    login(user.username)
    assert client.get("/units/picker?parent=abc").status_code == 400
    assert client.get("/units/picker?parent=99999999999").status_code == 400
    assert picker(client, parent=987654)["units"] == []


def unit_select(page: str) -> str:
    found = re.search(r'<select[^>]*name="unit_id"[^>]*>(.*?)</select>', page, re.S)
    assert found
    return found.group(0)


@pytest.mark.parametrize(
    "url", ["/cadres/", "/negative-info/", "/warnings/", "/talks/", "/inquiries/"]
)
def test_register_pages_carry_the_top_of_the_tree_and_the_chosen_unit(client, login, province, url):
    user = make_user("reviewer", province["root"], DataScope.ALL)
    login(user.username)
    select = unit_select(client.get(url).get_data(as_text=True))
    assert 'data-unit-picker="/units/picker"' in select
    assert "某省" in select and "东城市" in select  # the top and the level below
    assert "东湖区" not in select  # deeper units come from the picker
    chosen = province["东_office"]
    select = unit_select(client.get(f"{url}?unit_id={chosen.id}").get_data(as_text=True))
    assert re.search(rf'<option selected value="{chosen.id}">[^<]*东湖区财政局办公室<', select) or (
        re.search(rf'<option value="{chosen.id}" selected>', select)
    )


@pytest.mark.parametrize(
    ("url", "text"),
    [("/cadres/", "钱科员"), ("/negative-info/", "钱科员"), ("/talks/", "科室的谈话")],
)
def test_the_unit_filter_takes_a_deep_unit_and_its_subtree(client, login, province, url, text):
    deep = make_cadre(province["东_office"], name="钱科员")
    make_report(deep, summary="科室的事")
    make_talk(deep, reason="科室的谈话")
    far = make_cadre(province["西_office"], name="孙域外")
    make_report(far, summary="域外的事")
    make_talk(far, reason="域外的谈话")
    user = make_user("reviewer", province["root"], DataScope.ALL)
    login(user.username)
    for unit in ("东_office", "东_bureau", "east"):
        page = client.get(f"{url}?unit_id={province[unit].id}").get_data(as_text=True)
        assert text in page and "孙域外" not in page
    page = client.get(f"{url}?unit_id={province['西_district'].id}").get_data(as_text=True)
    assert text not in page


def test_a_unit_outside_scope_is_refused_beside_the_field(client, login, province):
    make_cadre(province["西_office"], name="孙域外")
    make_cadre(province["东_office"], name="钱科员")
    user = make_user("supervisor", province["东_district"], DataScope.UNIT_AND_BELOW)
    login(user.username)
    page = client.get(f"/cadres/?unit_id={province['west'].id}").get_data(as_text=True)
    assert "请选择您有权限的单位" in page
    assert "孙域外" not in page and "钱科员" in page
    assert "西城市" not in unit_select(page)
