"""Cron expressions as crontab means them, made into APScheduler triggers.

APScheduler 3 counts weekdays from Monday = 0, where crontab counts from Sunday = 0 (and 7):
its `CronTrigger.from_crontab("0 1 * * 1")` fires on Tuesdays. Every trigger is built here,
with the weekday field rewritten as names, so "1" is Monday everywhere.
"""

from __future__ import annotations

from datetime import UTC, tzinfo

from apscheduler.triggers.cron import CronTrigger

NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _day(text: str) -> int:
    """Return a crontab weekday as a number 0–7 (Sunday is 0 and 7), from a number or a name."""
    if text[:3].lower() in NAMES:
        return NAMES.index(text[:3].lower())
    number = int(text)
    if not 0 <= number <= 7:
        raise ValueError(f"weekday out of range: {text!r}")
    return number


def weekdays(field: str) -> list[int]:
    """Return the weekdays 0–6 (Sunday is 0) a crontab field ("1-5", "*/2", "mon-fri") names."""
    days: set[int] = set()
    for part in field.split(","):
        span, _, step = part.partition("/")
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            first, last = (_day(end) for end in span.split("-", 1))
        else:
            first = _day(span)
            last = 6 if step else first
        if first > last:
            raise ValueError(f"weekday range runs backwards: {part!r}")
        days.update(day % 7 for day in range(first, last + 1, int(step or 1)))
    return sorted(days)


def weekday_names(field: str) -> str:
    """Rewrite a crontab weekday field ("1-5", "*/2", "0,6", "mon-fri") as APScheduler names."""
    if field == "*":
        return field
    return ",".join(NAMES[day] for day in weekdays(field))


def crontab_trigger(expression: str, timezone: tzinfo = UTC) -> CronTrigger:
    """Return the trigger of a crontab expression (5 fields, or 6 with seconds first)."""
    fields = expression.split()
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6:
        raise ValueError(f"cron expression needs 5 or 6 fields: {expression!r}")
    second, minute, hour, day, month, day_of_week = fields
    return CronTrigger(
        second=second,
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=weekday_names(day_of_week),
        timezone=timezone,
    )
