"""Creating and editing cadres: each bad input gets a Chinese error beside the field."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import id_number, make_cadre, make_unit, make_user
from webapp.models import Cadre, CadreEvent


@pytest.fixture
def unit(db):
    return make_unit("市财政局")


@pytest.fixture
def supervisor(db, unit, login):
    user = make_user("supervisor", unit)
    login(user.username)
    return user


def valid_form(unit, **changes):
    birth = date(1982, 3, 9)
    data = {
        "name": "王建国",
        "gender": "male",
        "birth_date": birth.isoformat(),
        "ethnicity": "han",
        "political_status": "cpc",
        "education": "master",
        "unit_id": str(unit.id),
        "position": "副局长",
        "rank": "fuchu",
        "category": "city",
        "id_number": id_number(birth, 123),
        "appointed_on": "2023-04-01",
        "joined_work_on": "2004-07-01",
        "joined_party_on": "2003-06-01",
        "work_history": "2004年参加工作。",
    }
    data.update(changes)
    return data


def cadre_count(db):
    return db.session.scalar(select(func.count(Cadre.id)))


def test_valid_cadre_is_created_and_profile_shows_it(client, supervisor, unit, db):
    response = client.post("/cadres/new", data=valid_form(unit), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "已新增干部：王建国" in page
    assert "干部画像" in page and "三龄二历一身份" in page
    cadre = db.session.scalars(select(Cadre).where(Cadre.name == "王建国")).one()
    assert cadre.created_by_id == supervisor.id
    assert cadre.id_number not in page  # shown masked only
    assert cadre.id_number[:6] + "*" * 12 in page  # the region only: no birth or sequence digits


TODAY_PLUS = (date.today() + timedelta(days=3)).isoformat()
BAD_INPUTS = [
    ({"name": ""}, "此项为必填项"),
    ({"position": ""}, "此项为必填项"),
    ({"gender": ""}, "此项为必填项"),
    ({"id_number": "110105198203091234"}, "身份证号码无效"),
    ({"id_number": "1101051982"}, "身份证号码应为 18 位"),
    ({"birth_date": TODAY_PLUS}, "日期不能晚于今天"),
    ({"birth_date": "1982-13-40"}, "日期格式应为 年-月-日，例如 2026-01-31"),
    ({"birth_date": "1982-03-10"}, "出生日期与身份证号码中的出生日期不一致"),
    ({"appointed_on": TODAY_PLUS}, "日期不能晚于今天"),
    ({"joined_work_on": "1970-01-01"}, "参加工作时间应晚于出生日期"),
    ({"appointed_on": "1981-01-01"}, "任现职时间应晚于出生日期"),
    ({"joined_party_on": "1982-03-09"}, "入党时间应晚于出生日期"),
    ({"position": "长" * 101}, "不能超过 100 个字"),
    ({"work_history": "历" * 2001}, "不能超过 2000 个字"),
    ({"name": "<script>alert(1)</script>"}, "不能包含 HTML 标记或脚本"),
    ({"work_history": "<img src=x onerror=alert(1)>"}, "不能包含 HTML 标记或脚本"),
    ({"rank": "emperor"}, "请从列表中选择"),
    ({"unit_id": "0"}, "此项为必填项"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUTS)
def test_bad_input_is_refused_in_chinese_and_saves_nothing(
    client, supervisor, unit, db, changes, message
):
    before = cadre_count(db)
    response = client.post("/cadres/new", data=valid_form(unit, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page or message.replace("不是有效的日期值", "日期") in page
    assert cadre_count(db) == before
    # what the user typed is still in the form
    assert 'value="副局长"' in page or changes.get("position") is not None


def test_script_text_is_shown_escaped_not_executed(client, supervisor, unit):
    page = client.post(
        "/cadres/new", data=valid_form(unit, name="<script>alert(1)</script>")
    ).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_duplicate_id_number_is_refused(client, supervisor, unit, db):
    existing = make_cadre(unit)
    birth = existing.birth_date.isoformat()
    response = client.post(
        "/cadres/new", data=valid_form(unit, id_number=existing.id_number, birth_date=birth)
    )
    assert "该身份证号码已登记" in response.get_data(as_text=True)


def test_unit_outside_scope_is_refused(client, db, login):
    root = make_unit("根")
    own, other = make_unit("本部门", root), make_unit("其他部门", root)
    from webapp.models import DataScope

    user = make_user("supervisor", own, DataScope.UNIT)
    login(user.username)
    before = cadre_count(db)
    page = client.post("/cadres/new", data=valid_form(other)).get_data(as_text=True)
    assert "请从列表中选择" in page or "请选择您有权限的单位" in page
    assert cadre_count(db) == before


def test_edit_keeps_id_unique_check_for_itself(client, supervisor, unit, db):
    cadre = make_cadre(unit, name="李四")
    data = valid_form(
        unit, name="李四改", id_number=cadre.id_number, birth_date=cadre.birth_date.isoformat()
    )
    response = client.post(f"/cadres/{cadre.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(cadre)
    assert cadre.name == "李四改"


def test_rejected_edit_loses_nothing_saved(client, supervisor, unit, db):
    cadre = make_cadre(unit, name="赵六", position="科长")
    data = valid_form(
        unit,
        name="赵六",
        position="",
        id_number=cadre.id_number,
        birth_date=cadre.birth_date.isoformat(),
    )
    page = client.post(f"/cadres/{cadre.id}/edit", data=data).get_data(as_text=True)
    assert "此项为必填项" in page
    db.session.refresh(cadre)
    assert cadre.position == "科长"


def test_cadre_event_appears_on_timeline(client, supervisor, unit, db):
    cadre = make_cadre(unit)
    response = client.post(
        f"/cadres/{cadre.id}/events",
        data={
            "kind": "transfer",
            "occurred_on": "2026-03-01",
            "description": "交流到市教育局",
            "document_number": "组干〔2026〕12号",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "任职交流" in page and "交流到市教育局" in page
    assert (
        db.session.scalar(select(func.count(CadreEvent.id)).where(CadreEvent.cadre_id == cadre.id))
        == 1
    )


def test_cadre_event_with_future_date_is_refused(client, supervisor, unit, db):
    cadre = make_cadre(unit)
    response = client.post(
        f"/cadres/{cadre.id}/events", data={"kind": "award", "occurred_on": TODAY_PLUS}
    )
    assert response.status_code == 400
    assert "日期不能晚于今天" in response.get_data(as_text=True)
    assert not cadre.events
