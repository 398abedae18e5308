"""Holiday maintenance (节假日维护): entering a later year's schedule, validation, access, reminder."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from tests.factories import make_cadre, make_report, make_unit, make_user
from webapp.holidays import services
from webapp.holidays.services import load_calendar, parse_schedule
from webapp.models import HolidayDay, HolidayYear
from workflows.calendar import WorkCalendar, needs_next_year_schedule

SCHEDULE_2027 = """\
2027-01-01 休 元旦
2027-02-06 休 春节
2027-02-07 班 春节调休
"""


@pytest.fixture
def sysadmin(db, login):
    user = make_user("sysadmin", make_unit())
    login(user.username)
    return user


def test_entering_2027_makes_a_2027_deadline_final_and_moves_it(db, client, sysadmin):
    cadre = make_cadre(make_unit())
    # Ten working days from Christmas Eve 2026, counted over weekends only: 2027-01-07.
    start = date(2026, 12, 24)
    provisional = WorkCalendar().add_workdays(start, 10)
    assert provisional.provisional and provisional.due == date(2027, 1, 7)
    info = make_report(
        cadre,
        status="verifying",
        verification_started_on=start,
        verification_workdays=10,
        verification_due=provisional.due,
        verification_due_provisional=True,
    )

    response = client.post(
        "/admin/holidays/2027/bulk",
        data={"lines": SCHEDULE_2027, "mark_complete": "y"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "已新增 3 天，更新 0 天。" in page
    assert "已重新计算 1 个待确认的期限。" in page
    db.session.refresh(info)
    # 2027-01-01 is now a holiday, so the deadline moves a day and is no longer provisional.
    assert (info.verification_due, info.verification_due_provisional) == (date(2027, 1, 8), False)
    assert db.session.scalars(select(HolidayYear.year)).all() == [2027]
    assert load_calendar().is_known_year(2027)
    assert "已录入完整" in page and "春节调休" in page


def test_days_without_the_complete_mark_still_count_but_stay_provisional(db, client, sysadmin):
    client.post(
        "/admin/holidays/2027/days", data={"day": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )
    cal = load_calendar()
    assert not cal.is_workday(date(2027, 1, 1))
    assert not cal.is_known_year(2027)
    deadline = cal.add_workdays(date(2026, 12, 31), 1)
    assert (deadline.due, deadline.provisional) == (date(2027, 1, 4), True)
    page = client.post(
        "/admin/holidays/2027/complete", data={"complete": "1"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "已录入完整" in page
    assert load_calendar().is_known_year(2027)
    client.post("/admin/holidays/2027/complete", data={"complete": "0"})
    assert not load_calendar().is_known_year(2027)


def test_remove_a_day(db, client, sysadmin):
    client.post("/admin/holidays/2027/bulk", data={"lines": SCHEDULE_2027})
    day = db.session.scalars(select(HolidayDay).where(HolidayDay.day == date(2027, 2, 7))).one()
    response = client.post(f"/admin/holidays/days/{day.id}/delete")
    assert response.headers["Location"].endswith("/admin/holidays/2027")
    assert load_calendar().is_workday(date(2027, 2, 7)) is False  # a Sunday again


def test_bulk_lines_correct_existing_days(db, client, sysadmin):
    client.post("/admin/holidays/2027/bulk", data={"lines": "2027-01-01 休 元旦"})
    page = client.post(
        "/admin/holidays/2027/bulk", data={"lines": "2027-01-01 休 元旦节"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "已新增 0 天，更新 1 天。" in page
    assert db.session.scalars(select(HolidayDay.name)).all() == ["元旦节"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            "2027-13-01 休 元旦",
            "第 1 行（2027-13-01 休 元旦）：日期“2027-13-01”无法识别，应为 年-月-日，例如 2027-01-01",
        ),
        (
            "2027-01-01 放松 元旦",
            "第 1 行（2027-01-01 放松 元旦）：类型“放松”无法识别，应为“休”（放假）或“班”（调休上班）",
        ),
        ("2027-01-01", "第 1 行（2027-01-01）：格式应为“日期 休/班 名称”，例如 2027-01-01 休 元旦"),
        (
            "2027-01-04 班 调休",
            "第 1 行（2027-01-04 班 调休）：2027-01-04 是星期一，本来就是工作日，无需登记为调休上班",
        ),
        ("2030-01-01 休 元旦", "第 1 行（2030-01-01 休 元旦）：日期不属于 2027 年（或相邻年份）"),
        (
            "2027-01-01 休 元旦\n\n2027-01-01 休 元旦",
            "第 3 行（2027-01-01 休 元旦）：日期与第 1 行重复",
        ),
        (
            "2027-01-01 休 <b>元旦</b>",
            "第 1 行（2027-01-01 休 <b>元旦</b>）：名称不能包含 HTML 标记或脚本",
        ),
    ],
)
def test_bad_lines_are_refused_in_chinese_and_nothing_is_saved(
    db, client, sysadmin, lines, message
):
    response = client.post("/admin/holidays/2027/bulk", data={"lines": lines, "mark_complete": "y"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message.replace("<", "&lt;").replace(">", "&gt;") in page
    assert db.session.scalars(select(HolidayDay)).all() == []
    assert db.session.scalars(select(HolidayYear)).all() == []


def test_one_bad_line_keeps_the_good_ones_out_too(db, client, sysadmin):
    lines = "2027-01-01 休 元旦\n2027-01-05 班 错误"
    assert client.post("/admin/holidays/2027/bulk", data={"lines": lines}).status_code == 400
    assert db.session.scalars(select(HolidayDay)).all() == []


def test_marking_complete_needs_a_holiday_and_an_unknown_year(db, client, sysadmin):
    page = client.post(
        "/admin/holidays/2027/complete", data={"complete": "1"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "2027 年尚未录入任何放假日期，不能标记为完整。" in page
    page = client.post(
        "/admin/holidays/2026/complete", data={"complete": "1"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "2026 年的节假日安排已由内置数据提供" in page
    assert db.session.scalars(select(HolidayYear)).all() == []


def test_single_day_form_validates(db, client, sysadmin):
    response = client.post(
        "/admin/holidays/2027/days", data={"day": "2027-01-06", "kind": "workday", "name": "调休"}
    )
    assert response.status_code == 400
    assert "2027-01-06 是星期三，本来就是工作日，无需登记为调休上班" in response.get_data(
        as_text=True
    )
    response = client.post("/admin/holidays/2027/days", data={"day": "", "kind": "holiday"})
    assert response.status_code == 400
    assert "此项为必填项" in response.get_data(as_text=True)
    assert db.session.scalars(select(HolidayDay)).all() == []


def test_index_lists_years_with_their_status(db, client, login, sysadmin):
    with time_machine.travel(datetime(2026, 6, 1, 4, tzinfo=UTC), tick=False):
        login(sysadmin.username)  # a session signed in the future would not be honoured
        page = client.get("/admin/holidays/").get_data(as_text=True)
    assert "节假日维护" in page
    for year in ("2025", "2026", "2027", "2028"):
        assert f"/admin/holidays/{year}" in page
    assert "待节假日数据确认" in page  # 2027 and 2028 are not known yet


@pytest.mark.parametrize("role", ["supervisor", "auditor", "viewer"])
def test_only_the_sysadmin_may_maintain_holidays(db, client, login, role):
    user = make_user(role, make_unit())
    login(user.username)
    assert client.get("/admin/holidays/").status_code == 403
    assert client.get("/admin/holidays/2027").status_code == 403
    assert (
        client.post("/admin/holidays/2027/bulk", data={"lines": SCHEDULE_2027}).status_code == 403
    )
    assert db.session.scalars(select(HolidayDay)).all() == []
    assert "节假日维护" not in client.get("/").get_data(as_text=True)


def test_menu_offers_the_page_to_the_sysadmin(db, client, sysadmin):
    assert "/admin/holidays/" in client.get("/admin/parameters").get_data(as_text=True)


# ------------------------------------------------------------------------ November reminder


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 10, 31), False),
        (date(2026, 11, 1), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 2), False),
    ],
)
def test_reminder_runs_from_november_while_next_year_is_missing(today, due):
    assert needs_next_year_schedule(today, WorkCalendar()) is due


def test_reminder_stops_once_next_year_is_entered():
    cal = WorkCalendar(override_years={2027})
    assert needs_next_year_schedule(date(2026, 11, 15), cal) is False


def test_banner_shows_on_the_sysadmin_pages_in_november(db, client, login, sysadmin, app):
    with time_machine.travel(datetime(2026, 11, 15, 2, tzinfo=UTC), tick=False):
        login(sysadmin.username)  # a session signed in the future would not be honoured
        page = client.get("/admin/parameters").get_data(as_text=True)
        assert "尚未录入 2027 年的节假日安排" in page
        assert 'href="/admin/holidays/2027"' in page
        client.post(
            "/admin/holidays/2027/bulk", data={"lines": SCHEDULE_2027, "mark_complete": "y"}
        )
        assert "尚未录入 2027 年的节假日安排" not in client.get("/admin/parameters").get_data(
            as_text=True
        )
    with time_machine.travel(datetime(2026, 10, 15, 2, tzinfo=UTC), tick=False):
        assert services.reminder_year(date(2026, 10, 15)) is None


def test_banner_is_not_shown_in_october_nor_to_others(db, client, login):
    supervisor = make_user("supervisor", make_unit())
    login(supervisor.username)
    with time_machine.travel(datetime(2026, 11, 15, 2, tzinfo=UTC), tick=False):
        assert "尚未录入" not in client.get("/").get_data(as_text=True)
    client.post("/auth/logout")
    admin = make_user("sysadmin", make_unit())
    login(admin.username)
    with time_machine.travel(datetime(2026, 10, 31, 2, tzinfo=UTC), tick=False):
        assert "尚未录入" not in client.get("/admin/parameters").get_data(as_text=True)


def test_parse_schedule_accepts_common_spellings(app):
    with app.test_request_context():
        entries, errors = parse_schedule(
            "# 2027 年安排\n2027/1/1\t休\t元旦\n2027年2月7日，班，春节调休\n2027-02-08 放假\n", 2027
        )
    assert errors == []
    assert [(e.day, e.is_workday, e.name) for e in entries] == [
        (date(2027, 1, 1), False, "元旦"),
        (date(2027, 2, 7), True, "春节调休"),
        (date(2027, 2, 8), False, ""),
    ]
