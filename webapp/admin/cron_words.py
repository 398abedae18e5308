"""Say in plain Chinese when a five-field cron expression (stored in UTC) runs, in local time.

cron-descriptor's zh_CN text still names weekdays and months in English (it reads them from the
process locale) and knows no time zone, so this covers the rhythms the app uses: every N
minutes, hourly, and fixed times on every day, chosen weekdays, days of the month or months. An
expression outside those returns None and the page shows the expression alone.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.cron import weekdays

# cron numbers 0–7: Sunday is both 0 and 7.
WEEKDAYS = (_l("周日"), _l("周一"), _l("周二"), _l("周三"), _l("周四"), _l("周五"), _l("周六"))


def numbers(field: str, low: int, high: int) -> list[int] | None:
    """Return the values a field of plain numbers, lists and ranges names (None if other)."""
    values: list[int] = []
    for part in field.split(","):
        first, dash, last = part.partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            return None
        start, end = int(first), int(last) if dash else int(first)
        if not low <= start <= end <= high:
            return None
        values.extend(range(start, end + 1))
    return sorted(set(values))


def every(field: str) -> int | None:
    """Return N of "*/N" (1 for "*"), else None."""
    if field == "*":
        return 1
    if field.startswith("*/") and field[2:].isdigit() and int(field[2:]) > 0:
        return int(field[2:])
    return None


def day_list(values: list[int]) -> str:
    """Return "1 日、16 日" from [1, 16]."""
    return _("、").join(_("%(n)s 日", n=v) for v in values)


def month_list(values: list[int]) -> str:
    """Return "1 月、7 月" from [1, 7]."""
    return _("、").join(_("%(n)s 月", n=v) for v in values)


def weekday_words(days: list[int]) -> str:
    """Return "周一至周五" for a run of weekdays, else "周一、周三"."""
    days = sorted({d % 7 for d in days})
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return _("%(first)s至%(last)s", first=WEEKDAYS[days[0]], last=WEEKDAYS[days[-1]])
    return _("、").join(str(WEEKDAYS[d]) for d in days)


def to_local(minute: int, hours: list[int], offset: timedelta) -> tuple[list[str], int] | None:
    """Return the local "HH:MM" of each UTC hour and the day shift they share (None if mixed)."""
    shifted = [divmod(h * 60 + minute + int(offset.total_seconds() // 60), 1440) for h in hours]
    if len({day for day, _ in shifted}) != 1:
        return None
    times = sorted(f"{m // 60:02d}:{m % 60:02d}" for _, m in shifted)
    return times, shifted[0][0]


def day_part(dom: str, month: str, dow: str, shift: int) -> str | None:
    """Return which days a fixed-time expression runs on, moved by a day shift (None if unsaid)."""
    if dom == "*" and month == "*" and dow == "*":
        return _("每天")
    if dom == "*" and month == "*":
        try:
            days = weekdays(dow)
        except ValueError:
            return None
        return _("每%(days)s", days=weekday_words([d + shift for d in days]))
    if dow != "*":
        return None
    days = numbers(dom, 1, 31)
    # A shifted day of the month may fall past the month's end: leave that unsaid.
    if days is None or (shift and max(days) + shift > 28) or min(days) + shift < 1:
        return None
    days = [d + shift for d in days]
    if month == "*":
        return _("每月 %(days)s", days=day_list(days))
    months = numbers(month, 1, 12)
    if months is None:
        return None
    if len(months) == 1 and len(days) == 1:
        return _("每年 %(month)s %(day)s", month=month_list(months), day=day_list(days))
    return _("每年 %(months)s的 %(days)s", months=month_list(months), days=day_list(days))


def describe_cron(expression: str, offset: timedelta) -> str | None:
    """Return when a UTC cron expression runs in local time (UTC + offset), e.g. "每天 09:00"."""
    fields = expression.split()
    if len(fields) != 5:
        return None
    minute, hour, dom, month, dow = fields
    rest_any = dom == month == dow == "*"
    step = every(minute)
    if step is not None and hour == "*" and rest_any:
        return _("每分钟") if step == 1 else _("每 %(n)s 分钟", n=step)
    minutes = numbers(minute, 0, 59)
    if minutes is None or len(minutes) != 1:
        return None
    hour_step = every(hour)
    if hour_step is not None and rest_any:
        # Whole-hour offsets keep the minute; the organisation's zone has one.
        lead = _("每小时") if hour_step == 1 else _("每 %(n)s 小时", n=hour_step)
        if minutes[0] == 0:
            return _("%(every)s（整点）", every=lead)
        return _("%(every)s第 %(m)s 分", every=lead, m=minutes[0])
    hours = numbers(hour, 0, 23)
    local = to_local(minutes[0], hours, offset) if hours else None
    if local is None:
        return None
    times, shift = local
    days = day_part(dom, month, dow, shift)
    return None if days is None else _("%(days)s %(times)s", days=days, times=_("、").join(times))
