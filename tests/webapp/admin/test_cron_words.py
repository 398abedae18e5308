"""A cron rhythm reads as plain Chinese in local time (the stored expression is UTC)."""

from datetime import timedelta

import pytest

from webapp.admin.cron_words import describe_cron

BEIJING = timedelta(hours=8)


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("* * * * *", "每分钟"),
        ("*/5 * * * *", "每 5 分钟"),
        ("0 * * * *", "每小时（整点）"),
        ("15 */2 * * *", "每 2 小时第 15 分"),
        ("0 1 * * *", "每天 09:00"),
        ("30 0 * * 1-5", "每周一至周五 08:30"),
        ("0 1 * * 1", "每周一 09:00"),
        ("0 1 * * 1,3", "每周一、周三 09:00"),
        ("0 2 1,16 * *", "每月 1 日、16 日 10:00"),
        ("0 3 5 1,4,7,10 *", "每年 1 月、4 月、7 月、10 月的 5 日 11:00"),
        ("0 3 15 1 *", "每年 1 月 15 日 11:00"),
        ("0 0,6 * * *", "每天 08:00、14:00"),
    ],
)
def test_rhythms_in_local_time(expression, words):
    assert describe_cron(expression, BEIJING) == words


def test_a_utc_evening_is_the_next_local_day():
    assert describe_cron("0 20 * * 0", BEIJING) == "每周一 04:00"
    assert describe_cron("0 20 * * 6", BEIJING) == "每周日 04:00"
    assert describe_cron("0 20 10 * *", BEIJING) == "每月 11 日 04:00"


@pytest.mark.parametrize(
    "expression",
    ["0 20 31 * *", "0 10,20 * * *", "0 1 1 * 1", "0 1 L * *", "*/5 1 * * *", "bad", ""],
)
def test_what_it_cannot_say_plainly_it_leaves_unsaid(expression):
    assert describe_cron(expression, BEIJING) is None


def test_utc_itself_needs_no_shift():
    assert describe_cron("0 1 * * *", timedelta(0)) == "每天 01:00"
