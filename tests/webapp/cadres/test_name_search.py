"""Cadres are found by name, by 拼音首字母 and by pinyin, on the roster, the registers and pickers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import make_cadre, make_inquiry, make_report, make_talk, make_warning
from webapp.cadre_picker import search_in_scope
from webapp.cadres.name_keys import search_key
from webapp.cadres.name_search import backfill_name_keys, matching_cadre_ids
from webapp.extensions import db
from webapp.models import Cadre


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("王芳", {"王芳", "芳", "wf", "wangfang"}),
        ("单雄信", {"sxx", "shanxiongxin", "dxx"}),
        ("曾国藩", {"zgf", "zengguofan"}),
        ("解缙", {"xj", "xiejin"}),
        ("吕布", {"lb", "lvbu"}),
        ("欧阳修", {"oyx", "ouyangxiu", "阳修"}),
        ("阿依古丽·买买提", {"买买提", "ayglmmt"}),
    ],
)
def test_the_key_holds_tails_initials_and_pinyin(name, words):
    assert words <= set(search_key(name).split())


def found(text: str) -> set[str]:
    ids = matching_cadre_ids(text)
    return set(db.session.scalars(sa.select(Cadre.name).where(Cadre.id.in_(ids))))


@pytest.fixture
def people(world):
    return {
        name: make_cadre(world.mine, name)
        for name in ("王芳", "吴峰", "汪洋", "单雄信", "曾国藩", "欧阳修")
    }


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("wf", {"王芳", "吴峰"}),
        ("WF", {"王芳", "吴峰"}),
        ("王", {"王芳"}),
        ("芳", {"王芳"}),
        ("wangf", {"王芳"}),
        ("wangyang", {"汪洋"}),
        ("sxx", {"单雄信"}),
        ("dxx", {"单雄信"}),
        ("zgf", {"曾国藩"}),
        ("阳修", {"欧阳修"}),
        ("oy", {"欧阳修"}),
        ("fang", set()),  # a word's start, not any middle: fang is not typed for 王芳
        ("%", set()),
        ("w_", {"王芳", "吴峰", "汪洋"}),  # signs are ignored alike on both databases
    ],
)
def test_text_finds_the_cadres_a_word_of_whose_key_it_starts(people, text, names):
    assert found(text) & set(people) == names


def test_a_renamed_cadre_is_found_by_the_new_name(people):
    cadre = people["汪洋"]
    cadre.name = "李明"
    db.session.commit()
    assert found("lm") == {"李明"} and found("wy") == set()


def test_backfill_fills_keys_left_empty(people):
    connection = db.session.connection()
    connection.execute(sa.update(Cadre).values(name_key=""))
    assert found("wf") == set()
    assert backfill_name_keys(connection) >= len(people)
    assert found("wf") & set(people) == {"王芳", "吴峰"}


def roster_names(client, text: str) -> str:
    return client.get("/cadres/", query_string={"q": text}).get_data(as_text=True)


def test_roster_search_by_initials(client, login, world, people):
    login(world.supervisor.username)
    page = roster_names(client, "wf")
    assert "王芳" in page and "吴峰" in page and "汪洋" not in page


def test_picker_finds_by_initials_and_by_unit_within_scope(world, people):
    make_cadre(world.other, "王飞")  # wf too, outside the supervisor's scope
    assert {c.name for c in search_in_scope(world.supervisor, "wf")} == {"王芳", "吴峰"}
    by_unit = {c.name for c in search_in_scope(world.supervisor, "财政")}
    assert {"王芳", world.cadre.name} <= by_unit and "王飞" not in by_unit


def test_pickers_answer_pinyin(client, login, world, people):
    login(world.supervisor.username)
    talks = client.get("/talks/cadres.json?q=sxx").get_json()
    assert [c["label"].split("（")[0] for c in talks] == ["单雄信"]
    reports = client.get("/negative-info/cadres.json?q=zgf").get_json()
    assert [c["name"] for c in reports] == ["曾国藩"]


def test_registers_filter_by_pinyin_and_by_number(client, login, world, people):
    wang, wu = people["王芳"], people["吴峰"]
    report = make_report(wang)
    unlinked = make_report(wu, cadre_id=None, cadre_name="吴未匹配")
    make_talk(wang), make_talk(people["汪洋"])
    make_inquiry(wang), make_inquiry(people["汪洋"])
    make_warning(wang, world.supervisor, "YJ-T-0001")
    make_warning(people["汪洋"], world.supervisor, "YJ-T-0002")
    login(world.reviewer.username)

    page = client.get("/negative-info/?q=wangf").get_data(as_text=True)
    assert report.number in page and unlinked.number not in page
    assert unlinked.number in client.get("/negative-info/?q=吴未").get_data(as_text=True)
    page = client.get(f"/negative-info/?q={report.number[-5:]}").get_data(as_text=True)
    assert report.number in page and unlinked.number not in page

    page = client.get("/warnings/?q=wf").get_data(as_text=True)
    assert "YJ-T-0001" in page and "YJ-T-0002" not in page
    page = client.get("/warnings/?q=T-0002").get_data(as_text=True)
    assert "YJ-T-0002" in page and "YJ-T-0001" not in page

    for path in ("/talks/", "/inquiries/"):
        page = client.get(path, query_string={"q": "wf"}).get_data(as_text=True)
        assert "王芳" in page and "汪洋" not in page, path
