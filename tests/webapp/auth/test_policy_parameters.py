"""The session and login policy are parameters on 参数管理, and take effect."""

from datetime import UTC, datetime, timedelta

import time_machine

from tests.factories import make_user
from tests.webapp.auth.conftest import signed_in

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
POLICY = {
    "auth.idle_timeout_minutes": "无操作自动退出时长（分钟）",
    "auth.session_lifetime_hours": "登录会话最长有效时长（小时）",
    "auth.max_sessions_per_user": "每个账号同时在线会话数上限（超出时结束最早的）",
    "auth.lockout_threshold": "连续登录失败多少次后锁定账号",
    "auth.lockout_minutes": "账号锁定时长（分钟）",
    "auth.password_max_age_days": "密码最长使用期限（天，0 表示不限）",
    "auth.password_history_count": "新密码不得与最近多少次密码相同",
}


def test_the_policy_is_listed_on_the_parameters_page(user, db, browser):
    make_user("sysadmin", user.unit, username="sysadm")
    page = browser("sysadm").get("/admin/parameters").get_data(as_text=True)
    for key, label in POLICY.items():
        assert key in page or label in page, key


def test_a_shorter_lifetime_takes_effect(user, db, browser, set_param):
    set_param("auth.session_lifetime_hours", 1)
    with time_machine.travel(START, tick=False) as clock:
        office = browser()
        clock.shift(timedelta(minutes=25))
        assert signed_in(office)
        clock.shift(timedelta(minutes=25))
        assert signed_in(office)
        clock.shift(timedelta(minutes=25))
        assert not signed_in(office)


def test_a_lower_lockout_threshold_takes_effect_for_unknown_names_too(login, db, set_param):
    set_param("auth.lockout_threshold", 2)
    login("nobody", "Wrong-Passw0rd!")
    page = login("nobody", "Wrong-Passw0rd!").get_data(as_text=True)
    assert "账号已锁定 15 分钟" in page
