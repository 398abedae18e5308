"""Talk records: form, bad input, scope, links, list, detail and timeline, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from tests.factories import make_cadre, make_report, make_talk, make_unit, make_user
from webapp.models import AuditLog, DataScope, Talk


def talk_form(cadre, **overrides) -> dict:
    """Return a valid talk form for a cadre (Friday 2026-11-20, 09:00–10:30)."""
    data = {
        "cadre_id": str(cadre.id),
        "talk_type": "reminder",
        "occasion": "",
        "mode": "in_person",
        "interviewers-0-name": "李谈话",
        "interviewers-0-position": "市委组织部副部长",
        "interviewers-1-name": "王谈话",
        "interviewers-1-position": "干部监督科科长",
        "interviewers-2-name": "",
        "interviewers-2-position": "",
        "note_taker_name": "赵记录",
        "note_taker_position": "干部监督科干部",
        "started_at": "2026-11-20T09:00",
        "ended_at": "2026-11-20T10:30",
        "place": "市委组织部第一会议室",
        "reason": "群众反映其工作作风简单粗暴",
        "content": "指出问题，听取说明，提出要求。",
        "statement": "诚恳接受组织提醒，认真整改。",
        "rectification": "一个月内提交书面整改报告。",
        "follow_up_on": "2027-02-22",
        "acknowledged_on": "2026-11-20",
        "acknowledged_by": "张三",
        "negative_info_id": "0",
    }
    data.update(overrides)
    return data


def talk_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Talk))


def errors_of(page: str, field_id: str) -> str:
    """Return the error list rendered beside a field ('' if none)."""
    marker = f'id="{field_id}-errors"'
    if marker not in page:
        return ""
    start = page.index(marker)
    return page[start : page.index("</ul>", start)]


def test_supervisor_records_a_talk(client, login, db, world):
    login(world.supervisor.username)
    response = client.post("/talks/new", data=talk_form(world.cadre))
    assert response.status_code == 302
    talk = db.session.scalars(select(Talk)).one()
    assert response.headers["Location"].endswith(f"/talks/{talk.id}")
    assert talk.cadre_id == world.cadre.id
    assert talk.cadre_name == "张三"
    assert talk.cadre_title == "市财政局副局长"
    assert talk.interviewers == [
        {"name": "李谈话", "position": "市委组织部副部长"},
        {"name": "王谈话", "position": "干部监督科科长"},
    ]
    # 09:00 in Beijing is 01:00 UTC; stored aware on both databases.
    assert talk.started_at == datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
    assert talk.ended_at == datetime(2026, 11, 20, 2, 30, tzinfo=UTC)
    assert talk.follow_up_on == date(2027, 2, 22)
    assert talk.acknowledged_on == date(2026, 11, 20)
    assert talk.created_by_id == world.supervisor.id
    audit = db.session.scalars(
        select(AuditLog).where(AuditLog.object_type == "Talk", AuditLog.action == "create")
    ).one()
    assert audit.after["cadre_name"] == "张三" and audit.after["place"] == "市委组织部第一会议室"

    page = client.get(f"/talks/{talk.id}").get_data(as_text=True)
    for text in (
        "张三",
        "提醒谈话",
        "李谈话",
        "王谈话",
        "赵记录",
        "2026-11-20 09:00",
        "2026-11-20 10:30",
        "市委组织部第一会议室",
        "诚恳接受组织提醒",
        "2027-02-22",
        "谈话记录表（Word）",
        "提醒函（Word）",
    ):
        assert text in page
    assert "诫勉书（Word）" not in page


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        (
            {"started_at": "2026-11-22T11:00", "ended_at": "2026-11-22T12:00"},
            "started_at",
            "谈话时间不能晚于当前时间",
        ),
        (
            {
                "started_at": "2026-11-25T09:00",
                "ended_at": "2026-11-25T10:00",
                "acknowledged_on": "",
                "follow_up_on": "",
            },
            "started_at",
            "谈话时间不能晚于当前时间",
        ),
        ({"ended_at": "2026-11-20T08:30"}, "ended_at", "结束时间应晚于开始时间"),
        ({"ended_at": "2026-11-20T09:00"}, "ended_at", "结束时间应晚于开始时间"),
        ({"follow_up_on": "2026-11-19"}, "follow_up_on", "回访日期应晚于谈话日期"),
        ({"follow_up_on": "2026-11-20"}, "follow_up_on", "回访日期应晚于谈话日期"),
        ({"acknowledged_on": "2026-11-19"}, "acknowledged_on", "签收日期不能早于谈话日期"),
        ({"acknowledged_on": "2026-11-23"}, "acknowledged_on", "日期不能晚于今天"),
        ({"acknowledged_by": ""}, "acknowledged_by", "请填写签收人"),
        ({"started_at": "2026/11/20 9点"}, "started_at", "时间格式应为"),
        (
            {
                "interviewers-0-name": "",
                "interviewers-1-name": "",
                "interviewers-0-position": "",
                "interviewers-1-position": "",
            },
            "interviewers",
            "请至少填写一名谈话人",
        ),
        ({"talk_type": "nonsense"}, "talk_type", "请从列表中选择"),
        ({"place": "<b>会议室</b>"}, "place", "不能包含 HTML 标记或脚本"),
        ({"content": ""}, "content", "此项为必填项"),
        ({"cadre_id": "0"}, "cadre_id", "请选择干部"),
    ],
)
def test_bad_input_is_refused_beside_the_field(
    client, login, db, world, overrides, field_id, message
):
    login(world.supervisor.username)
    response = client.post("/talks/new", data=talk_form(world.cadre, **overrides))
    assert response.status_code == 400
    assert message in errors_of(response.get_data(as_text=True), field_id)
    assert talk_count(db) == 0


@pytest.mark.parametrize(
    ("field", "limit"), [("content", 10000), ("reason", 1000), ("statement", 3000), ("place", 200)]
)
def test_over_long_text_is_refused_in_chinese(client, login, db, world, field, limit):
    login(world.supervisor.username)
    response = client.post("/talks/new", data=talk_form(world.cadre, **{field: "长" * (limit + 1)}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"不能超过 {limit} 个字" in errors_of(page, field)
    assert 'class="field wide has-error"' in page or 'class="field has-error"' in page
    assert talk_count(db) == 0
    # Exactly at the limit is accepted.
    ok = client.post("/talks/new", data=talk_form(world.cadre, **{field: "长" * limit}))
    assert ok.status_code == 302


def test_cadre_outside_scope_answers_404_and_saves_nothing(client, login, db, world):
    login(world.supervisor.username)
    response = client.post("/talks/new", data=talk_form(world.stranger))
    assert response.status_code == 404
    assert "李域外" not in response.get_data(as_text=True)
    assert talk_count(db) == 0
    # Also when the rest of the form is wrong, and when editing an in-scope talk.
    assert client.post("/talks/new", data={"cadre_id": world.stranger.id}).status_code == 404
    talk = make_talk(world.cadre)
    db.session.commit()  # the 404 handler rolls the request's session back
    edit = client.post(f"/talks/{talk.id}/edit", data=talk_form(world.stranger))
    assert edit.status_code == 404
    db.session.refresh(talk)
    assert talk.cadre_id == world.cadre.id
    assert client.get(f"/talks/new?cadre_id={world.stranger.id}").status_code == 404
    assert client.get(f"/talks/new?cadre_id={world.cadre.id}").status_code == 200


def test_nonexistent_cadre_answers_404(client, login, db, world):
    login(world.supervisor.username)
    assert (
        client.post("/talks/new", data=talk_form(world.cadre, cadre_id="999999")).status_code == 404
    )
    assert talk_count(db) == 0


def test_html_and_script_are_stored_as_text_and_shown_escaped(client, login, db, world):
    login(world.supervisor.username)
    script = "<script>alert('谈话')</script>"
    response = client.post(
        "/talks/new",
        data=talk_form(world.cadre, content=script, statement="<img src=x onerror=alert(1)>"),
    )
    assert response.status_code == 302
    talk = db.session.scalars(select(Talk)).one()
    assert talk.content == script
    page = client.get(f"/talks/{talk.id}").get_data(as_text=True)
    assert script not in page
    assert "&lt;script&gt;alert(&#39;谈话&#39;)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    listing = client.get("/talks/").get_data(as_text=True)
    assert "<script>alert" not in listing


def test_edit_keeps_everything_and_changes_what_was_edited(client, login, db, world):
    login(world.supervisor.username)
    client.post("/talks/new", data=talk_form(world.cadre))
    talk = db.session.scalars(select(Talk)).one()
    form = client.get(f"/talks/{talk.id}/edit").get_data(as_text=True)
    assert 'value="2026-11-20T09:00"' in form  # shown in Beijing time, not UTC
    assert 'value="李谈话"' in form and 'value="王谈话"' in form
    data = talk_form(world.cadre, **{"interviewers-2-name": "孙谈话", "place": "谈话室"})
    assert client.post(f"/talks/{talk.id}/edit", data=data).status_code == 302
    db.session.refresh(talk)
    assert [p["name"] for p in talk.interviewers] == ["李谈话", "王谈话", "孙谈话"]
    assert talk.place == "谈话室"
    update = db.session.scalars(
        select(AuditLog).where(AuditLog.object_type == "Talk", AuditLog.action == "update")
    ).one()
    assert update.after["place"] == "谈话室"


def test_follow_up_defaults_for_reminder_talks_only(client, login, db, world):
    login(world.supervisor.username)
    client.post("/talks/new", data=talk_form(world.cadre, follow_up_on=""))
    client.post("/talks/new", data=talk_form(world.cadre, follow_up_on="", talk_type="heart"))
    talks = {t.talk_type: t for t in db.session.scalars(select(Talk))}
    # Three months after Friday 2026-11-20 is Saturday 2027-02-20: rolled to a workday.
    assert talks["reminder"].follow_up_on is not None
    assert talks["reminder"].follow_up_on >= date(2027, 2, 22)
    assert talks["heart"].follow_up_on is None


def test_started_from_negative_information_links_it(client, login, db, world):
    info = make_report(world.cadre, number="FM-2026-0042")
    login(world.supervisor.username)
    form = client.get(f"/talks/new?negative_info_id={info.id}").get_data(as_text=True)
    assert f'<option selected value="{world.cadre.id}">' in form
    assert f'<option selected value="{info.id}">FM-2026-0042' in form
    response = client.post(
        f"/talks/new?negative_info_id={info.id}",
        data=talk_form(world.cadre, negative_info_id=str(info.id)),
    )
    assert response.status_code == 302
    talk = db.session.scalars(select(Talk)).one()
    assert talk.negative_info_id == info.id
    assert "FM-2026-0042" in client.get(f"/talks/{talk.id}").get_data(as_text=True)


def test_link_to_another_cadres_or_out_of_scope_information_is_refused(client, login, db, world):
    other_cadre = make_cadre(world.own, name="王五")
    theirs = make_report(other_cadre)
    outside = make_report(world.stranger)
    login(world.supervisor.username)
    for info in (theirs, outside):
        response = client.post(
            "/talks/new", data=talk_form(world.cadre, negative_info_id=str(info.id))
        )
        assert response.status_code == 400
        assert "只能关联该干部" in errors_of(response.get_data(as_text=True), "negative_info_id")
    assert client.get(f"/talks/new?negative_info_id={outside.id}").status_code == 404
    assert talk_count(db) == 0


def test_list_is_scoped_and_filtered(client, login, db, world):
    make_talk(world.cadre, talk_type="reminder", reason="甲事由")
    make_talk(
        world.cadre,
        talk_type="heart",
        reason="乙事由",
        started_at=datetime(2026, 10, 9, 1, 0, tzinfo=UTC),
        ended_at=datetime(2026, 10, 9, 2, 0, tzinfo=UTC),
    )
    make_talk(world.stranger, reason="域外事由")
    login(world.supervisor.username)

    page = client.get("/talks/").get_data(as_text=True)
    assert "甲事由" in page and "乙事由" in page
    assert "域外事由" not in page and "李域外" not in page
    by_type = client.get("/talks/?talk_type=heart").get_data(as_text=True)
    assert "乙事由" in by_type and "甲事由" not in by_type
    by_date = client.get("/talks/?date_from=2026-11-01&date_to=2026-11-30").get_data(as_text=True)
    assert "甲事由" in by_date and "乙事由" not in by_date
    by_name = client.get("/talks/?q=张").get_data(as_text=True)
    assert "甲事由" in by_name
    assert "甲事由" not in client.get("/talks/?q=王").get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "list_status", "create_status"),
    [
        ("supervisor", 200, 200),
        ("reviewer", 200, 200),
        ("viewer", 200, 403),
        ("approver", 200, 403),
        ("liaison", 403, 403),
        ("sysadmin", 403, 403),
    ],
)
def test_who_may_read_and_write(client, login, db, world, role, list_status, create_status):
    user = make_user(role, world.own, DataScope.UNIT_AND_BELOW)
    talk = make_talk(world.cadre)
    outside = make_talk(world.stranger)
    login(user.username)
    assert client.get("/talks/").status_code == list_status
    assert client.get("/talks/new").status_code == create_status
    assert client.get(f"/talks/{talk.id}/edit").status_code == create_status
    if list_status == 200:
        assert client.get(f"/talks/{talk.id}").status_code == 200
        assert client.get(f"/talks/{outside.id}").status_code == 404
    else:
        assert client.get(f"/talks/{talk.id}").status_code == 403


def test_self_scope_sees_only_own_talks(client, login, db, world):
    user = make_user("supervisor", world.own, DataScope.SELF)
    mine = make_talk(world.cadre, created_by=user, reason="我的事由")
    theirs = make_talk(world.cadre, created_by=world.supervisor, reason="别人的事由")
    login(user.username)
    page = client.get("/talks/").get_data(as_text=True)
    assert "我的事由" in page and "别人的事由" not in page
    assert client.get(f"/talks/{mine.id}").status_code == 200
    assert client.get(f"/talks/{theirs.id}").status_code == 404


def test_detail_view_is_logged(client, login, db, world):
    from webapp.models import AccessLog

    talk = make_talk(world.cadre)
    login(world.supervisor.username)
    client.get(f"/talks/{talk.id}")
    log = db.session.scalars(select(AccessLog).where(AccessLog.object_type == "Talk")).one()
    assert log.object_id == str(talk.id)


def test_talks_appear_on_the_cadre_timeline_with_links(client, login, db, world):
    talk = make_talk(world.cadre, talk_type="admonishment", reason="诫勉事由测试")
    login(world.supervisor.username)
    page = client.get(f"/cadres/{world.cadre.id}").get_data(as_text=True)
    assert f'href="/talks/{talk.id}"' in page
    assert "诫勉谈话" in page and "诫勉事由测试" in page
    assert "2026-11-20" in page


def test_timeline_leaves_out_talks_the_user_may_not_see(client, login, db, world):
    user = make_user("supervisor", world.own, DataScope.SELF)
    cadre = make_cadre(world.own, name="自建干部", created_by=user)
    hidden = make_talk(cadre, created_by=world.supervisor, reason="他人记录的谈话")
    login(user.username)
    page = client.get(f"/cadres/{cadre.id}").get_data(as_text=True)
    assert f'href="/talks/{hidden.id}"' not in page
    assert "他人记录的谈话" not in page


def test_cadre_search_returns_only_cadres_in_scope(client, login, db, world):
    make_cadre(world.own, name="张四")
    login(world.supervisor.username)
    names = [row["label"] for row in client.get("/talks/cadres.json?q=张").get_json()]
    assert any(n.startswith("张三") for n in names) and any(n.startswith("张四") for n in names)
    assert client.get("/talks/cadres.json?q=李域外").get_json() == []
    by_unit = client.get("/talks/cadres.json?q=财政").get_json()
    assert {row["id"] for row in by_unit} >= {world.cadre.id}
    assert client.get("/talks/cadres.json?q=教育").get_json() == []
    page = client.get("/talks/new").get_data(as_text=True)
    assert "张三" in page and "李域外" not in page


def test_navigation_shows_talks_and_inquiries(client, login, db, world):
    login(world.supervisor.username)
    page = client.get("/talks/").get_data(as_text=True)
    assert 'href="/talks/"' in page and 'href="/inquiries/"' in page
    liaison = make_user("liaison", make_unit())
    client.post("/auth/logout")
    login(liaison.username)
    assert 'href="/talks/"' not in client.get("/").get_data(as_text=True)
