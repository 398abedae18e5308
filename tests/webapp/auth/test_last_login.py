"""After a login the user is told of his previous login and the failed attempts since."""

from datetime import UTC, datetime, timedelta

import time_machine

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def test_first_login_says_so(client, login, user):
    page = login("zhangsan", follow=True).get_data(as_text=True)
    assert "这是您的首次登录" in page


def test_next_login_shows_time_ip_and_failures_since(client, login, user):
    with time_machine.travel(START, tick=False) as clock:
        login("zhangsan")
        client.post("/auth/logout")
        clock.shift(timedelta(hours=2))
        login("zhangsan", "Wrong-Passw0rd!")
        login("zhangsan", "Wrong-Passw0rd!")
        clock.shift(timedelta(hours=1))
        page = login("zhangsan", follow=True).get_data(as_text=True)
    assert "上次登录：2026-11-20 09:00，IP 127.0.0.1" in page  # Asia/Shanghai
    assert "此后有 2 次登录失败" in page


def test_no_failures_means_no_warning(client, login, user):
    login("zhangsan")
    client.post("/auth/logout")
    page = login("zhangsan", follow=True).get_data(as_text=True)
    assert "上次登录：" in page
    assert "次登录失败" not in page
