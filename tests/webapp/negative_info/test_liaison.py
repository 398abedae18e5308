"""Liaison submissions (报送): a short form, own submissions only, into the 待核实 queue."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import make_cadre, make_user
from webapp.models import DataScope, NegativeInfo


@pytest.fixture
def liaison(db, world, login):
    """A liaison of the public security bureau, logged in."""
    user = make_user("liaison", world.other, DataScope.SELF)
    user.full_name = "孙联络"
    login(user.username)
    return user


def liaison_form(world, **changes) -> dict:
    data = {
        "cadre_name": "王建国",
        "cadre_unit_id": str(world.mine.id),
        "cadre_position": "",
        "category": "law",
        "situation": "drunk_driving",
        "source_channel": "judicial",
        "source_document_number": "公交〔2026〕3号",
        "occurred_on": "2026-03-01",
        "summary": "3月1日晚酒后驾驶机动车被查获。",
        "details": "",
    }
    data.update(changes)
    return data


def test_liaison_form_is_short_and_lands_in_the_queue(client, db, world, liaison, login):
    page = client.get("/negative-info/submit").get_data(as_text=True)
    assert "报送负面信息" in page and "严重程度" not in page and "收到时间" not in page
    assert "负面信息台账" not in page  # not in the liaison's menu
    response = client.post("/negative-info/submit", data=liaison_form(world))
    assert response.status_code == 302
    info = db.session.scalars(select(NegativeInfo)).one()
    assert response.headers["Location"].endswith(f"/negative-info/mine/{info.id}")
    assert info.status == "pending" and info.via_liaison
    assert info.created_by_id == liaison.id
    assert (info.reporting_unit, info.liaison_name) == ("西山县", "孙联络")
    assert info.received_on == date(2026, 3, 10)
    assert info.cadre_id == world.cadre.id  # one 王建国 in 市财政局: matched
    assert info.cadre_position == "科长"
    assert info.default_tier == 2
    assert [h.event for h in info.history] == ["submitted"]

    client.post("/auth/logout")
    login(world.supervisor.username)
    queue = client.get("/negative-info/queue", follow_redirects=True).get_data(as_text=True)
    assert info.number in queue and "联络员报送" in queue


def test_unmatched_cadre_is_picked_by_the_supervisor_before_verification(
    client, db, world, liaison, login
):
    make_cadre(world.mine, "王建国")  # two namesakes: no automatic match
    client.post("/negative-info/submit", data=liaison_form(world, cadre_position="副局长"))
    info = db.session.scalars(select(NegativeInfo)).one()
    assert info.cadre_id is None and info.unit_id == world.mine.id
    client.post("/auth/logout")
    login(world.supervisor.username)
    assert "待确定干部" in client.get("/negative-info/").get_data(as_text=True)
    data = {"handler_id": str(world.supervisor.id), "version": str(info.version)}
    response = client.post(f"/negative-info/{info.id}/start", data=data)
    assert response.status_code == 400
    assert "请选择所涉干部" in response.get_data(as_text=True)
    response = client.post(
        f"/negative-info/{info.id}/start", data={**data, "cadre_id": str(world.far_cadre.id)}
    )
    assert response.status_code == 404
    response = client.post(
        f"/negative-info/{info.id}/start", data={**data, "cadre_id": str(world.cadre.id)}
    )
    assert response.status_code == 302
    db.session.refresh(info)
    assert (info.cadre_id, info.status) == (world.cadre.id, "verifying")
    assert info.history[-1].changes["cadre_id"] == ["王建国", "王建国"]
    assert "所涉干部：王建国 → 王建国" in client.get(f"/negative-info/{info.id}").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "url",
    [
        "/negative-info/",
        "/negative-info/new",
        "/negative-info/queue",
        "/negative-info/cadres.json?q=王",
        "/cadres/",
    ],
)
def test_liaison_never_sees_the_register_or_roster(client, world, liaison, url):
    assert client.get(url).status_code == 403


def test_liaison_sees_only_own_submissions(client, db, world, liaison, login):
    client.post("/negative-info/submit", data=liaison_form(world, summary="我报送的信息"))
    mine = db.session.scalars(select(NegativeInfo)).one()
    assert client.get(f"/negative-info/{mine.id}").status_code == 403  # the register's detail page

    other = make_user("liaison", world.mine, DataScope.ALL)  # even with a wide scope
    client.post("/auth/logout")
    login(other.username)
    client.post("/negative-info/submit", data=liaison_form(world, summary="别人报送的信息"))
    theirs = db.session.scalars(select(NegativeInfo).where(NegativeInfo.id != mine.id)).one()
    page = client.get("/negative-info/mine").get_data(as_text=True)
    assert theirs.number in page and mine.number not in page
    assert client.get(f"/negative-info/mine/{mine.id}").status_code == 404
    assert db.session.scalar(select(func.count(NegativeInfo.id))) == 2


def test_liaison_sees_taken_up_but_not_the_verification(client, db, world, liaison, login):
    client.post("/negative-info/submit", data=liaison_form(world))
    info = db.session.scalars(select(NegativeInfo)).one()
    assert "已报送" in client.get(f"/negative-info/mine/{info.id}").get_data(as_text=True)
    info.status = "true"
    info.verification_note = "核实组结论：属实"
    db.session.flush()
    page = client.get(f"/negative-info/mine/{info.id}").get_data(as_text=True)
    assert "已受理" in page and "核实组结论" not in page and "属实" not in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"occurred_on": "2026-03-11"}, "日期不能晚于今天"),
        ({"cadre_name": ""}, "此项为必填项"),
        ({"cadre_unit_id": "0"}, "此项为必填项"),
        ({"cadre_unit_id": "999999"}, "不是有效的选择"),
        ({"situation": "general_petition"}, "所选具体情形不属于该信息类别"),
        ({"summary": "字" * 1001}, "事实摘要不能超过 1000 字"),
    ],
)
def test_liaison_bad_input_is_refused(client, db, world, liaison, changes, message):
    response = client.post("/negative-info/submit", data=liaison_form(world, **changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(NegativeInfo.id))) == 0


def test_liaison_text_is_shown_escaped(client, db, world, liaison):
    client.post(
        "/negative-info/submit", data=liaison_form(world, summary="<img src=x onerror=alert(1)>")
    )
    info = db.session.scalars(select(NegativeInfo)).one()
    page = client.get(f"/negative-info/mine/{info.id}").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
