"""Every register pages the same way: seek links with no gap or repeat on ties, a capped count."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from flask_babel import force_locale

from tests.factories import make_cadre, make_inquiry, make_report, make_talk, make_warning
from webapp.paging import count_label, decode_cursor, encode_cursor

ROWS = 7  # with a page of 2: four pages, the last one short


def _cadres(world):
    # Namesakes in one unit: the roster's sort key (unit, name) ties on every row.
    return [make_cadre(world.mine, name="同名").id for _ in range(ROWS)]


def _reports(world):
    return [make_report(world.cadre, received_on=date(2026, 3, 1)).id for _ in range(ROWS)]


def _warnings(world):
    return [make_warning(world.cadre, world.supervisor, f"YJ-P-{n}").id for n in range(ROWS)]


def _talks(world):
    at = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    return [make_talk(world.cadre, started_at=at).id for _ in range(ROWS)]


def _inquiries(world):
    return [make_inquiry(world.cadre, issued_on=date(2026, 3, 3)).id for _ in range(ROWS)]


# (register URL, how a row's link starts, the rows, whether the order is newest first)
REGISTERS = {
    "roster": ("/cadres/", "/cadres/", _cadres, False),
    "negative_info": ("/negative-info/", "/negative-info/", _reports, True),
    "warnings": ("/warnings/", "/warnings/", _warnings, True),
    "talks": ("/talks/", "/talks/", _talks, True),
    "inquiries": ("/inquiries/", "/inquiries/", _inquiries, True),
}


def row_ids(page: str, prefix: str) -> list[int]:
    """Return the ids of the rows the register's table links to, in order."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    found = re.findall(rf'<tr[^>]*>\s*<td[^>]*><a href="{re.escape(prefix)}(\d+)"', body)
    return [int(i) for i in found]


def link(page: str, rel: str) -> str | None:
    """Return the pager's previous or next link, if there is one."""
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


@pytest.fixture
def small_pages(app, monkeypatch):
    """Page by two rows."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)


@pytest.mark.parametrize("register", sorted(REGISTERS))
def test_next_and_previous_walk_every_row_once_when_the_sort_key_ties(
    client, login, world, small_pages, register
):
    url, prefix, make_rows, newest_first = REGISTERS[register]
    made = make_rows(world)
    if register == "roster":
        made += [world.cadre.id]  # the supervisor's unit holds the world's cadre too
    login(world.supervisor.username)
    pages, page, target = [], client.get(url).get_data(as_text=True), url
    while True:
        pages.append(row_ids(page, prefix))
        target = link(page, "next")
        if target is None:
            break
        assert "after=" in target
        page = client.get(target).get_data(as_text=True)
    walked = [i for rows in pages for i in rows]
    assert sorted(walked) == sorted(made)  # no gap, no repeat
    assert all(len(rows) == 2 for rows in pages[:-1])
    if register != "roster":
        assert walked == sorted(made, reverse=newest_first)
    backwards = []
    while (target := link(page, "prev")) is not None:
        page = client.get(target).get_data(as_text=True)
        backwards.insert(0, row_ids(page, prefix))
    assert backwards == pages[:-1]


def test_a_page_number_jumps_to_the_same_rows_the_links_reach(client, login, world, small_pages):
    _reports(world)
    login(world.supervisor.username)
    first = client.get("/negative-info/").get_data(as_text=True)
    second = client.get(link(first, "next")).get_data(as_text=True)
    jumped = client.get("/negative-info/?page=2").get_data(as_text=True)
    assert row_ids(jumped, "/negative-info/") == row_ids(second, "/negative-info/")
    assert "第 2 / 4 页" in jumped and "第 2 / 4 页" in second
    assert 'name="page"' in jumped  # the 跳至第 … 页 box


def test_links_keep_the_filters(client, login, world, small_pages):
    _reports(world)
    login(world.supervisor.username)
    page = client.get("/negative-info/?status=pending&category=supervision").get_data(as_text=True)
    args = parse_qs(urlsplit(link(page, "next")).query)
    assert args["status"] == ["pending"] and args["category"] == ["supervision"]
    assert args["page"] == ["2"] and args["after"]
    export = re.search(r'href="(/excel/negative-info/export[^"]*)"', page).group(1)
    assert "after=" not in export and "page=" not in export


def test_the_count_stops_at_the_cap(app, client, login, world, small_pages, monkeypatch):
    _talks(world)
    login(world.supervisor.username)
    page = client.get("/talks/").get_data(as_text=True)
    assert f"共 {ROWS} 条，第 1 / 4 页" in page
    monkeypatch.setitem(app.config, "PAGE_COUNT_CAP", 5)
    page = client.get("/talks/").get_data(as_text=True)
    assert "共 5+ 条，第 1 页" in page and "/ 4 页" not in page
    assert link(page, "next") is not None  # the rows beyond the cap are still reachable


def test_a_broken_cursor_falls_back_to_the_page_number(client, login, world, small_pages):
    made = _reports(world)
    login(world.supervisor.username)
    third = row_ids(client.get("/negative-info/?page=3").get_data(as_text=True), "/negative-info/")
    for token in ("nonsense", encode_cursor(["x"]), encode_cursor([2**40, 1])):
        response = client.get(f"/negative-info/?after={token}")
        assert row_ids(response.get_data(as_text=True), "/negative-info/")[0] == max(made)
        response = client.get(f"/negative-info/?before={token}&page=3")
        assert row_ids(response.get_data(as_text=True), "/negative-info/") == third


def test_the_capped_count_reads_in_wan(app):
    with app.test_request_context():
        assert count_label(None, 10000) == "1万+"
        assert count_label(None, 50000) == "5万+"
        assert count_label(None, 500) == "500+"
        assert count_label(1234, 10000) == "1234"


def test_the_capped_count_reads_as_a_whole_number_in_english(app):
    with app.test_request_context(), force_locale("en"):
        assert count_label(None, 10000) == "10,000+"
        assert count_label(None, 500) == "500+"


def test_cursors_keep_their_types():
    values = [date(2026, 3, 1), datetime(2026, 3, 2, 1, tzinfo=UTC), 5, "王芳"]
    assert decode_cursor(encode_cursor(values), 4) == values
    assert decode_cursor(encode_cursor(values), 3) is None
    assert decode_cursor("!!", 1) is None
