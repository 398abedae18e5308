"""The periodic rhythms' work: the daily to-do digest and the 节假日 schedule reminder."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from alerts.firing import cadre_link
from webapp.extensions import db
from webapp.holidays.services import reminder_year, work_calendar
from webapp.models import Role, User
from webapp.models.notifications import ChannelCode
from webapp.models.obligations import Obligation
from webapp.obligations.services import light, reminder_policy
from webapp.outbox import enqueue
from workflows.deadlines import Light

DIGEST_KIND = "daily_digest"
HOLIDAY_KIND = "holiday_schedule"
HOLIDAYS_LINK = "/admin/holidays/"


def digest_items(today: date) -> dict[int, list[Obligation]]:
    """Return each responsible user's open obligations that are due, yellow or overdue."""
    cal, policy = work_calendar(), reminder_policy()
    rows = db.session.scalars(
        select(Obligation)
        .join(User, User.id == Obligation.responsible_user_id)
        .where(Obligation.closed_at.is_(None), User.active.is_(True))
        .order_by(Obligation.due_on, Obligation.id)
    )
    items: dict[int, list[Obligation]] = defaultdict(list)
    for obligation in rows:
        if obligation.due_on <= today or light(obligation, today, cal, policy) in (
            Light.YELLOW,
            Light.RED,
        ):
            items[obligation.responsible_user_id].append(obligation)
    return items


def send_daily_digest(today: date, now: datetime | None = None) -> dict[str, int]:
    """Queue one in-app message per user listing all their due items; never commits."""
    items = digest_items(today)
    queued = 0
    for user_id, obligations in items.items():
        lines = [
            _(
                "%(due)s %(kind)s：%(cadre)s%(overdue)s",
                due=o.due_on.isoformat(),
                kind=o.kind.label,
                cadre=o.cadre.name,
                overdue=_("（已逾期）") if o.due_on < today else "",
            )
            for o in obligations
        ]
        queued += enqueue(
            kind=DIGEST_KIND,
            subject=f"user:{user_id}",
            stage="daily",
            due_date=today,
            user_id=user_id,
            channel=ChannelCode.INAPP,
            label=_("每日待办汇总（%(count)s 项）", count=len(obligations)),
            count=len(obligations),
            detail="\n".join(lines),
            link=cadre_link(obligations[0]) if len(obligations) == 1 else "/",
            now=now,
        )
    return {"users": len(items), "items": sum(map(len, items.values())), "queued": queued}


def remind_holiday_schedule(today: date, now: datetime | None = None) -> dict[str, int]:
    """From 1 November, ask each sysadmin daily to enter next year's 节假日 until complete."""
    year = reminder_year(today)
    if year is None:
        return {"year": 0, "queued": 0}
    admins = db.session.scalars(
        select(User.id).join(Role).where(Role.code == "sysadmin", User.active.is_(True))
    ).all()
    label = _("请录入 %(year)s 年节假日安排", year=year)
    queued = 0
    for user_id in admins:
        queued += enqueue(
            kind=HOLIDAY_KIND,
            subject=f"holiday_year:{year}",
            stage="daily",
            due_date=today,
            user_id=user_id,
            channel=ChannelCode.INAPP,
            label=label,
            detail=_(
                "%(year)s 年的节假日和调休安排尚未录入完整，请在节假日维护中录入。", year=year
            ),
            link=HOLIDAYS_LINK,
            now=now,
        )
    return {"year": year, "queued": queued}
