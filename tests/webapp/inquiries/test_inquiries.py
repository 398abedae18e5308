"""Inquiries (函询): letter, reply deadline in working days, reply, conclusion, rounds, scope."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import make_inquiry, make_user
from webapp.extensions import db as _db
from webapp.holidays.services import recompute_provisional, work_calendar
from webapp.inquiries import services
from webapp.models import AuditLog, DataScope, HolidayDay, HolidayYear, Inquiry


def inquiry_form(cadre, **overrides) -> dict:
    data = {
        "cadre_id": str(cadre.id),
        "matters": "反映其配偶经商办企业。",
        "issued_on": "2026-11-02",
    }
    data.update(overrides)
    return data


def count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Inquiry))


def errors_of(page: str, field_id: str) -> str:
    marker = f'id="{field_id}-errors"'
    if marker not in page:
        return ""
    start = page.index(marker)
    return page[start : page.index("</ul>", start)]


def test_issue_an_inquiry_and_count_its_reply_deadline(client, login, db, world):
    login(world.supervisor.username)
    response = client.post("/inquiries/new", data=inquiry_form(world.cadre))
    assert response.status_code == 302
    inquiry = db.session.scalars(select(Inquiry)).one()
    assert response.headers["Location"].endswith(f"/inquiries/{inquiry.id}")
    assert (inquiry.round, inquiry.cadre_name, inquiry.cadre_title) == (1, "张三", "市财政局副局长")
    assert inquiry.issued_on == date(2026, 11, 2)
    assert inquiry.reply_workdays == 15
    assert inquiry.reply_due == date(2026, 11, 23)  # Monday 2 Nov + 15 working days
    assert inquiry.reply_due_provisional is False
    assert inquiry.status == "pending"
    assert db.session.scalars(
        select(AuditLog).where(AuditLog.object_type == "Inquiry", AuditLog.action == "create")
    ).one()


def test_reply_due_skips_the_national_day_holiday_2025(client, login, db, world):
    # 2025-09-26 is a Friday. The 2025 National Day and Mid-Autumn holiday runs 1–8 October;
    # Sunday 28 September and Saturday 11 October are adjusted working days (调休).
    calendar = work_calendar()
    expected = calendar.add_workdays(date(2025, 9, 26), 15)
    assert expected.due == date(2025, 10, 23)
    assert not expected.provisional
    assert calendar.is_workday(date(2025, 9, 28)) and calendar.is_workday(date(2025, 10, 11))
    assert not any(calendar.is_workday(date(2025, 10, d)) for d in range(1, 9))

    login(world.supervisor.username)
    client.post("/inquiries/new", data=inquiry_form(world.cadre, issued_on="2025-09-26"))
    inquiry = db.session.scalars(select(Inquiry)).one()
    assert inquiry.reply_due == date(2025, 10, 23)
    assert inquiry.reply_due_provisional is False
    # Counting weekends only would have given 2025-10-17.
    assert inquiry.reply_due != date(2025, 10, 17)


def test_reply_workdays_follow_the_parameter(client, login, db, world):
    from webapp.models import Parameter

    parameter = db.session.scalars(
        select(Parameter).where(Parameter.key == "inquiry.reply_workdays")
    ).first()
    if parameter is None:
        parameter = Parameter(key="inquiry.reply_workdays", value="10")
        db.session.add(parameter)
    parameter.value = "10"
    db.session.flush()
    login(world.supervisor.username)
    client.post("/inquiries/new", data=inquiry_form(world.cadre))
    inquiry = db.session.scalars(select(Inquiry)).one()
    assert (inquiry.reply_workdays, inquiry.reply_due) == (10, date(2026, 11, 16))


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"issued_on": "2026-11-23"}, "issued_on", "日期不能晚于今天"),
        ({"issued_on": "2026-13-01"}, "issued_on", "日期格式应为"),
        ({"issued_on": ""}, "issued_on", "此项为必填项"),
        ({"matters": ""}, "matters", "此项为必填项"),
        ({"matters": "事" * 3001}, "matters", "不能超过 3000 个字"),
        ({"cadre_id": ""}, "cadre_id", "请选择干部"),
    ],
)
def test_bad_letter_is_refused_beside_the_field(
    client, login, db, world, overrides, field_id, message
):
    login(world.supervisor.username)
    response = client.post("/inquiries/new", data=inquiry_form(world.cadre, **overrides))
    assert response.status_code == 400
    assert message in errors_of(response.get_data(as_text=True), field_id)
    assert count(db) == 0


def test_cadre_outside_scope_answers_404_and_saves_nothing(client, login, db, world):
    login(world.supervisor.username)
    assert client.post("/inquiries/new", data=inquiry_form(world.stranger)).status_code == 404
    assert count(db) == 0
    inquiry = make_inquiry(world.cadre)
    _db.session.commit()  # the 404 handler rolls the session back
    edit = client.post(f"/inquiries/{inquiry.id}/edit", data=inquiry_form(world.stranger))
    assert edit.status_code == 404
    db.session.refresh(inquiry)
    assert inquiry.cadre_id == world.cadre.id
    outside = make_inquiry(world.stranger)
    _db.session.commit()
    for url in (f"/inquiries/{outside.id}", f"/inquiries/{outside.id}/edit"):
        assert client.get(url).status_code == 404
    reply = client.post(
        f"/inquiries/{outside.id}/reply", data={"replied_on": "2026-11-10", "reply": "说明"}
    )
    assert reply.status_code == 404
    db.session.refresh(outside)
    assert outside.replied_on is None
    assert "李域外" not in client.get("/inquiries/").get_data(as_text=True)


def test_reply_and_pledge_are_recorded(client, login, db, world):
    inquiry = make_inquiry(world.cadre)
    login(world.supervisor.username)
    response = client.post(
        f"/inquiries/{inquiry.id}/reply",
        data={
            "replied_on": "2026-11-16",
            "reply": "本人如实说明如下。",
            "pledge_received_on": "2026-11-16",
        },
    )
    assert response.status_code == 302
    db.session.refresh(inquiry)
    assert inquiry.replied_on == date(2026, 11, 16)
    assert inquiry.pledge_received and inquiry.status == "replied"
    page = client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)
    assert "本人如实说明如下。" in page and "已收到（2026-11-16）" in page and "已回复" in page


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        ({"replied_on": "2026-11-01", "reply": "说明"}, "replied_on", "回复日期不能早于发函日期"),
        ({"replied_on": "2026-11-23", "reply": "说明"}, "replied_on", "日期不能晚于今天"),
        (
            {"replied_on": "2026-11-10", "reply": "说明", "pledge_received_on": "2026-10-30"},
            "pledge_received_on",
            "承诺书日期不能早于发函日期",
        ),
        ({"replied_on": "2026-11-10", "reply": ""}, "reply", "此项为必填项"),
        ({"replied_on": "2026-11-10", "reply": "说" * 10001}, "reply", "不能超过 10000 个字"),
    ],
)
def test_bad_reply_is_refused(client, login, db, world, data, field_id, message):
    inquiry = make_inquiry(world.cadre)
    login(world.supervisor.username)
    response = client.post(f"/inquiries/{inquiry.id}/reply", data=data)
    assert response.status_code == 400
    assert message in errors_of(response.get_data(as_text=True), field_id)
    db.session.refresh(inquiry)
    assert inquiry.replied_on is None and inquiry.reply == ""


def test_conclusion_before_reply_date_is_refused(client, login, db, world):
    inquiry = make_inquiry(world.cadre, replied_on=date(2026, 11, 16), reply="说明")
    login(world.supervisor.username)
    response = client.post(
        f"/inquiries/{inquiry.id}/conclusion",
        data={"conclusion": "cleared", "concluded_on": "2026-11-13"},
    )
    assert response.status_code == 400
    assert "办结日期不能早于回复日期" in errors_of(response.get_data(as_text=True), "concluded_on")
    db.session.refresh(inquiry)
    assert inquiry.conclusion == ""


def test_a_plain_conclusion_closes_the_inquiry(client, login, db, world):
    inquiry = make_inquiry(world.cadre, replied_on=date(2026, 11, 16), reply="说明")
    login(world.supervisor.username)
    response = client.post(
        f"/inquiries/{inquiry.id}/conclusion",
        data={"conclusion": "cleared", "concluded_on": "2026-11-20", "conclusion_note": "说明属实"},
    )
    assert response.status_code == 302
    db.session.refresh(inquiry)
    assert (inquiry.conclusion, inquiry.concluded_on) == ("cleared", date(2026, 11, 20))
    assert inquiry.status == "concluded" and count(db) == 1
    assert "了结澄清" in client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)


def test_again_conclusion_opens_round_two(client, login, db, world):
    inquiry = make_inquiry(world.cadre, replied_on=date(2026, 11, 16), reply="说明不清")
    login(world.supervisor.username)
    data = {"conclusion": "again", "concluded_on": "2026-11-20", "conclusion_note": "说明不清"}
    response = client.post(f"/inquiries/{inquiry.id}/conclusion", data=data)
    assert response.status_code == 302
    second = db.session.scalars(select(Inquiry).where(Inquiry.round == 2)).one()
    assert response.headers["Location"].endswith(f"/inquiries/{second.id}/edit")
    assert second.previous_id == inquiry.id and second.cadre_id == world.cadre.id
    assert second.matters == inquiry.matters
    assert second.issued_on == date(2026, 11, 20)
    assert second.reply_due == work_calendar().add_workdays(date(2026, 11, 20), 15).due
    assert second.status == "pending"

    # Saving the conclusion again (a correction) does not open a third round.
    assert client.post(f"/inquiries/{inquiry.id}/conclusion", data=data).status_code == 302
    assert count(db) == 2

    # The second round's letter cannot predate the decision that opened it.
    early = client.post(
        f"/inquiries/{second.id}/edit", data=inquiry_form(world.cadre, issued_on="2026-11-19")
    )
    assert early.status_code == 400
    assert "不能早于上一轮办结日期" in errors_of(early.get_data(as_text=True), "issued_on")
    ok = client.post(
        f"/inquiries/{second.id}/edit",
        data=inquiry_form(world.cadre, issued_on="2026-11-20", matters="请进一步说明。"),
    )
    assert ok.status_code == 302
    page = client.get(f"/inquiries/{second.id}").get_data(as_text=True)
    assert "第 2 次" in page and f'href="/inquiries/{inquiry.id}"' in page


def test_edit_with_a_new_issue_date_recounts_the_deadline(client, login, db, world):
    inquiry = make_inquiry(world.cadre)
    login(world.supervisor.username)
    client.post(
        f"/inquiries/{inquiry.id}/edit", data=inquiry_form(world.cadre, issued_on="2025-09-26")
    )
    db.session.refresh(inquiry)
    assert inquiry.reply_due == date(2025, 10, 23)


def test_provisional_deadline_is_flagged_and_recomputed_when_holidays_arrive(
    client, login, db, world
):
    year = 2027
    calendar = work_calendar()
    if calendar.is_known_year(year):
        pytest.skip("the calendar package already knows 2027")
    inquiry = make_inquiry(world.cadre, issued_on=date(2026, 12, 28), reply_due=date(2026, 12, 28))
    services.set_issue(inquiry, date(2026, 12, 29))
    _db.session.flush()
    weekends_only = inquiry.reply_due
    assert inquiry.reply_due_provisional is True
    login(world.supervisor.username)
    page = client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)
    assert "待节假日数据确认" in page

    # The sysadmin enters 2027: New Year's Day, and a week off around the Spring Festival.
    db.session.add(HolidayYear(year=year))
    for day in [date(2027, 1, 1), *(date(2027, 1, d) for d in range(4, 9))]:
        db.session.add(HolidayDay(day=day, is_workday=False, name="测试假日"))
    db.session.flush()
    assert recompute_provisional() >= 1
    db.session.refresh(inquiry)
    assert inquiry.reply_due_provisional is False
    assert inquiry.reply_due > weekends_only


def test_reply_light_badges(client, login, db, world):
    yellow = make_inquiry(world.cadre, matters="黄灯事项")  # due 23 Nov, 14 of 15 days used
    red = make_inquiry(
        world.cadre, matters="红灯事项", issued_on=date(2026, 10, 9), reply_due=date(2026, 10, 30)
    )
    green = make_inquiry(
        world.cadre, matters="正常事项", issued_on=date(2026, 11, 20), reply_due=date(2026, 12, 11)
    )
    answered = make_inquiry(
        world.cadre,
        matters="已回复事项",
        issued_on=date(2026, 10, 9),
        reply_due=date(2026, 10, 30),
        replied_on=date(2026, 10, 20),
        reply="x",
    )
    assert services.reply_light(yellow).value == "yellow"
    assert services.reply_light(red).value == "red"
    assert services.reply_light(green).value == "green"
    assert services.reply_light(answered) is None
    login(world.supervisor.username)
    assert "黄灯" in client.get(f"/inquiries/{yellow.id}").get_data(as_text=True)
    assert "红灯" in client.get(f"/inquiries/{red.id}").get_data(as_text=True)
    listing = client.get("/inquiries/").get_data(as_text=True)
    assert "黄灯" in listing and "红灯" in listing and "已回复" in listing


def test_list_filters(client, login, db, world):
    make_inquiry(world.cadre, matters="待回复事项")
    make_inquiry(
        world.cadre,
        matters="已办结事项",
        replied_on=date(2026, 11, 5),
        reply="x",
        conclusion="cleared",
        concluded_on=date(2026, 11, 6),
    )
    make_inquiry(
        world.cadre, matters="去年事项", issued_on=date(2025, 9, 26), reply_due=date(2025, 10, 23)
    )
    login(world.supervisor.username)
    pending = client.get("/inquiries/?status=pending").get_data(as_text=True)
    assert "待回复事项" in pending and "已办结事项" not in pending
    concluded = client.get("/inquiries/?conclusion=cleared").get_data(as_text=True)
    assert "已办结事项" in concluded and "待回复事项" not in concluded
    dated = client.get("/inquiries/?date_from=2025-01-01&date_to=2025-12-31").get_data(as_text=True)
    assert "去年事项" in dated and "待回复事项" not in dated
    assert "待回复事项" not in client.get("/inquiries/?q=王").get_data(as_text=True)


def test_html_in_matters_and_reply_is_shown_escaped(client, login, db, world):
    login(world.supervisor.username)
    script = "<script>alert(1)</script>"
    client.post("/inquiries/new", data=inquiry_form(world.cadre, matters=script))
    inquiry = db.session.scalars(select(Inquiry)).one()
    assert inquiry.matters == script
    client.post(
        f"/inquiries/{inquiry.id}/reply", data={"replied_on": "2026-11-10", "reply": script}
    )
    page = client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)
    assert script not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [("supervisor", 200, 200), ("viewer", 200, 403), ("approver", 200, 403), ("liaison", 403, 403)],
)
def test_who_may_read_and_write(client, login, db, world, role, read, write):
    user = make_user(role, world.own, DataScope.UNIT_AND_BELOW)
    inquiry = make_inquiry(world.cadre)
    login(user.username)
    assert client.get("/inquiries/").status_code == read
    assert client.get(f"/inquiries/{inquiry.id}").status_code == read
    assert client.get("/inquiries/new").status_code == write
    reply = client.post(
        f"/inquiries/{inquiry.id}/reply", data={"replied_on": "2026-11-10", "reply": "x"}
    )
    assert reply.status_code == (302 if write == 200 else 403)
    if read == 200 and write == 403:
        assert "保存回复" not in client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)


def test_inquiries_appear_on_the_cadre_timeline(client, login, db, world):
    inquiry = make_inquiry(
        world.cadre,
        matters="时间轴函询事项",
        conclusion="again",
        concluded_on=date(2026, 11, 20),
        replied_on=date(2026, 11, 10),
        reply="x",
    )
    login(world.supervisor.username)
    page = client.get(f"/cadres/{world.cadre.id}").get_data(as_text=True)
    assert f'href="/inquiries/{inquiry.id}"' in page
    assert "函询（第1次）" in page and "再次函询" in page and "时间轴函询事项" in page
