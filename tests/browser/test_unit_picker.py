"""A district supervisor filters the roster with the unit picker: a tree and a search, in scope."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_district_supervisor_picks_a_unit_from_the_tree_and_by_search(page, shot):
    log_in(page, "district")
    page.goto("/cadres/")
    box = page.get_by_label("单位（含下级）")
    expect(box).to_have_attribute("role", "combobox")  # the script replaced the <select>
    box.click()
    tree = page.locator(".unit-picker-panel")
    expect(tree.get_by_role("button", name="东城区", exact=True)).to_be_visible()
    expect(tree).not_to_contain_text("南湖区")
    tree.locator(".unit-toggle").first.click()
    tree.get_by_role("button", name="东城区财政局").click()
    expect(box).to_have_value("东城区财政局")
    expect(tree).to_be_hidden()
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"unit_id=\d+"))
    units = page.locator("table.list tbody tr td:nth-child(4)").all_inner_texts()
    assert units and set(units) == {"东城区财政局"}
    expect(page.get_by_label("单位（含下级）")).to_have_value("东城区财政局")
    shot(page, "30-unit-picker-filtered")

    box = page.get_by_label("单位（含下级）")
    box.fill("街道")
    expect(tree.get_by_role("button", name="东城区 / 东城区新华街道")).to_be_visible()
    expect(tree).not_to_contain_text("南湖区")
    shot(page, "31-unit-picker-search")
    box.fill("")
    page.get_by_role("heading", name="干部信息台账").click()  # a click outside closes it
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"unit_id=0"))
