"""Build the working-day calendar from the package plus the sysadmin's entries; maintain them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask import g, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp import signals
from webapp.database import reads_only
from webapp.extensions import db
from webapp.forms_common import TAG
from webapp.lookups import forget_cached, kept
from webapp.models.calendar import HolidayDay, HolidayYear
from webapp.signals import answers
from webapp.spreadsheets.cells import CellError, parse_date_value
from workflows.calendar import (
    DayOverride,
    WorkCalendar,
    needs_next_year_schedule,
    package_knows_year,
)


def load_calendar() -> WorkCalendar:
    """Read the sysadmin's holiday entries into a fresh calendar."""
    overrides = [
        DayOverride(d.day, d.is_workday, d.name) for d in db.session.scalars(select(HolidayDay))
    ]
    # Only a year marked complete (HolidayYear) stops being provisional: a half-entered year
    # still moves deadlines by the days entered, but they stay 待节假日数据确认.
    years = set(db.session.scalars(select(HolidayYear.year)))
    return WorkCalendar(overrides, override_years=years)


def work_calendar() -> WorkCalendar:
    """Return the calendar: built once per request, and kept a few seconds for page views.

    A page view may count with a calendar a few seconds old, as it does with the parameters
    (webapp/lookups.py); whatever writes (a POST, a job) reads its own afresh, so no stored
    deadline is counted on a schedule another worker has just changed.
    """
    if not has_app_context():
        return load_calendar()
    if reads_only():
        return kept("work_calendar", load_calendar)
    if "_work_calendar" not in g:
        g._work_calendar = load_calendar()
    return g._work_calendar


def recompute_provisional() -> int:
    """Recompute every provisional deadline with the current data; return how many changed."""
    g.pop("_work_calendar", None)
    forget_cached()  # a kept calendar too: the recount needs the schedule as it now stands
    calendar = work_calendar()
    # Each area that stores deadlines recounts its provisional ones (counted over a year with
    # no holiday data) and leaves the changes pending; flushing here sends all of them.
    changed = sum(answers(signals.holidays_changed, calendar))
    db.session.flush()
    return changed


# ------------------------------------------------------------ holiday maintenance (节假日维护)


class HolidayError(ValueError):
    """A change the maintenance page refuses; the message is shown to the sysadmin."""


@dataclass(frozen=True)
class DayEntry:
    """One day of a schedule as typed: a holiday (休) or an adjusted workday (班)."""

    day: date
    is_workday: bool
    name: str = ""


@dataclass(frozen=True)
class YearStatus:
    """What the calendar knows about one year."""

    year: int
    package_knows: bool
    complete: bool
    holidays: int
    workdays: int

    @property
    def provisional(self) -> bool:
        """Tell whether deadlines in this year are still counted over weekends only."""
        return not (self.package_knows or self.complete)


HOLIDAY_WORDS = frozenset({"休", "假", "休息", "放假", "节假日"})
WORKDAY_WORDS = frozenset({"班", "上班", "补班", "调休上班", "工作日"})
LINE_SPLIT = re.compile(r"[\s,，;；、]+")
WEEKDAYS = (
    _l("星期一"),
    _l("星期二"),
    _l("星期三"),
    _l("星期四"),
    _l("星期五"),
    _l("星期六"),
    _l("星期日"),
)
MAX_NAME = 50


def weekday_label(day: date) -> str:
    """Return 星期一 … 星期日 (in the UI's language)."""
    return str(WEEKDAYS[day.weekday()])


def entry_problem(entry: DayEntry, year: int) -> str | None:
    """Return why a day cannot be entered on the page of a year, or None."""
    if abs(entry.day.year - year) > 1:
        return _("日期不属于 %(y)s 年（或相邻年份）", y=year)
    if entry.is_workday and entry.day.weekday() < 5:
        return _(
            "%(d)s 是%(w)s，本来就是工作日，无需登记为调休上班",
            d=entry.day.isoformat(),
            w=weekday_label(entry.day),
        )
    if len(entry.name) > MAX_NAME:
        return _("名称不能超过 %(n)s 个字", n=MAX_NAME)
    if TAG.search(entry.name):
        return _("名称不能包含 HTML 标记或脚本")
    return None


def parse_schedule(text: str, year: int) -> tuple[list[DayEntry], list[str]]:
    """Read pasted lines such as "2027-01-01 休 元旦"; return the entries and the errors."""
    entries: list[DayEntry] = []
    errors: list[str] = []
    seen: dict[date, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = LINE_SPLIT.split(line, maxsplit=2)
        problem = None
        entry = None
        if len(parts) < 2:
            problem = _("格式应为“日期 休/班 名称”，例如 2027-01-01 休 元旦")
        else:
            try:
                day = parse_date_value(parts[0])
            except CellError:
                day = None
                problem = _("日期“%(v)s”无法识别，应为 年-月-日，例如 2027-01-01", v=parts[0])
            kind = parts[1]
            if day is not None and kind not in HOLIDAY_WORDS | WORKDAY_WORDS:
                problem = _("类型“%(v)s”无法识别，应为“休”（放假）或“班”（调休上班）", v=kind)
            if problem is None and day is not None:
                entry = DayEntry(
                    day, kind in WORKDAY_WORDS, parts[2].strip() if len(parts) > 2 else ""
                )
                problem = entry_problem(entry, year)
                if problem is None and day in seen:
                    problem = _("日期与第 %(n)s 行重复", n=seen[day])
        if problem:
            errors.append(_("第 %(n)s 行（%(line)s）：%(p)s", n=number, line=line[:40], p=problem))
        elif entry is not None:
            seen[entry.day] = number
            entries.append(entry)
    if not entries and not errors:
        errors.append(_("没有可录入的内容：每行一天，例如 2027-01-01 休 元旦"))
    return entries, errors


def save_entries(entries: list[DayEntry]) -> tuple[int, int]:
    """Add or correct days of the schedule (flushed, not committed); return (added, updated)."""
    existing = {
        d.day: d
        for d in db.session.scalars(
            select(HolidayDay).where(HolidayDay.day.in_([e.day for e in entries]))
        )
    }
    added = updated = 0
    for entry in entries:
        row = existing.get(entry.day)
        if row is None:
            db.session.add(HolidayDay(day=entry.day, is_workday=entry.is_workday, name=entry.name))
            added += 1
        elif (row.is_workday, row.name) != (entry.is_workday, entry.name):
            row.is_workday, row.name = entry.is_workday, entry.name
            updated += 1
    db.session.flush()
    return added, updated


def delete_day(day: HolidayDay) -> None:
    """Remove one day of the schedule (flushed, not committed)."""
    db.session.delete(day)
    db.session.flush()


def set_complete(year: int, complete: bool, note: str = "") -> None:
    """Mark a year's schedule as fully entered, or take the mark back (flushed)."""
    row = db.session.scalars(select(HolidayYear).where(HolidayYear.year == year)).first()
    if not complete:
        if row is not None:
            db.session.delete(row)
            db.session.flush()
        return
    if package_knows_year(year):
        raise HolidayError(
            _("%(y)s 年的节假日安排已由内置数据提供，只需登记与之不同的个别日期。", y=year)
        )
    has_holiday = db.session.scalar(
        select(HolidayDay.id).where(
            HolidayDay.is_workday.is_(False),
            HolidayDay.day >= date(year, 1, 1),
            HolidayDay.day <= date(year, 12, 31),
        )
    )
    if has_holiday is None:
        raise HolidayError(_("%(y)s 年尚未录入任何放假日期，不能标记为完整。", y=year))
    if row is None:
        db.session.add(HolidayYear(year=year, note=note[:200]))
        db.session.flush()


def apply_changes() -> int:
    """Recompute provisional deadlines with the new schedule and commit; return how many."""
    changed = recompute_provisional()
    db.session.commit()
    forget_cached()  # the calendar this worker's page views keep
    return changed


def days_of_year(year: int) -> list[HolidayDay]:
    """Return the entered days of a year in date order."""
    return list(
        db.session.scalars(
            select(HolidayDay)
            .where(HolidayDay.day >= date(year, 1, 1), HolidayDay.day <= date(year, 12, 31))
            .order_by(HolidayDay.day)
        )
    )


def year_statuses(today: date) -> list[YearStatus]:
    """Describe last year to three years ahead, plus any other year with entries."""
    counts: dict[tuple[int, bool], int] = {}
    for day, is_workday in db.session.execute(select(HolidayDay.day, HolidayDay.is_workday)):
        counts[day.year, is_workday] = counts.get((day.year, is_workday), 0) + 1
    complete = set(db.session.scalars(select(HolidayYear.year)))
    years = set(range(today.year - 1, today.year + 3)) | complete | {y for y, _w in counts}
    return [
        YearStatus(
            year,
            package_knows_year(year),
            year in complete,
            counts.get((year, False), 0),
            counts.get((year, True), 0),
        )
        for year in sorted(years)
    ]


def reminder_year(today: date) -> int | None:
    """Return next year when its schedule should now be entered (from November), else None."""
    if today.month < 11:  # skip the database for ten months of the year
        return None
    return today.year + 1 if needs_next_year_schedule(today, work_calendar()) else None
