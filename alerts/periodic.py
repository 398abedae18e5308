"""The periodic rhythms' work: the daily to-do digest and the 节假日 schedule reminder."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select

from alerts.recipients import Recipients, address_for
from webapp.extensions import db
from webapp.holidays.services import reminder_year, work_calendar
from webapp.main.links import public_url, record_path, todo_path
from webapp.models import Role, User
from webapp.models.notifications import ChannelCode
from webapp.models.obligations import Obligation
from webapp.obligations.services import light, reminder_policy
from webapp.outbox import enqueue
from workflows.deadlines import Light

DIGEST_KIND = "daily_digest"
HOLIDAY_KIND = "holiday_schedule"
HOLIDAYS_LINK = "/admin/holidays/"


def digest_items(today: date, recipients: Recipients | None = None) -> dict[int, list[Obligation]]:
    """Return each user's open obligations that are due, yellow or overdue.

    A user's items are those they are responsible for and, for an item with no responsible
    person, those of the step role they hold with the cadre in their data scope. Left out: an item acknowledged with a planned date not yet passed (it stops repeating) and
    a lower-tier item about a cadre under an active tier-3 warning (suppressed).
    """
    cal, policy = work_calendar(), reminder_policy()
    recipients = recipients or Recipients()
    rows = db.session.scalars(
        select(Obligation)
        .outerjoin(User, User.id == Obligation.responsible_user_id)
        .where(
            Obligation.closed_at.is_(None),
            or_(
                User.active.is_(True),
                Obligation.responsible_user_id.is_(None) & Obligation.step_role.is_not(None),
            ),
        )
        .order_by(Obligation.due_on, Obligation.id)
    )
    items: dict[int, list[Obligation]] = defaultdict(list)
    for obligation in rows:
        plan = obligation.acknowledged_plan_on
        if plan is not None and plan >= today:
            continue
        due = obligation.due_on <= today or light(obligation, today, cal, policy) in (
            Light.YELLOW,
            Light.RED,
        )
        if due and recipients.suppressed_by(obligation) is None:
            for user_id in recipients.of(obligation):
                items[user_id].append(obligation)
    return items


def kinds_line(obligations: list[Obligation]) -> str:
    """Return the kinds and their counts ("函询回复到期 10、核实到期 2"), naming nobody."""
    counts = Counter(o.kind for o in obligations)
    return "、".join(f"{kind.label} {n}" for kind, n in counts.most_common())


def send_daily_digest(today: date, now: datetime | None = None) -> dict[str, int]:
    """Queue one digest per user per enabled channel listing all their due items; never commits.

    The in-app digest lists each item and leads to it (one item) or to 我的待办; a pushed one
    names only the kinds, counts and the absolute URL of 我的待办.
    """
    recipients = Recipients()
    items = digest_items(today, recipients)
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
        count = len(obligations)
        user = db.session.get(User, user_id)
        for channel in [ChannelCode.INAPP] + [
            c for c in recipients.channels_of(user_id) if c.pushed
        ]:
            if channel.pushed:
                label = _("每日待办：%(kinds)s", kinds=kinds_line(obligations))
                link = public_url(todo_path())
            else:
                label = _("每日待办汇总（%(count)s 项）", count=count)
                link = record_path(obligations[0]) if count == 1 else todo_path()
            queued += enqueue(
                kind=DIGEST_KIND,
                subject=f"user:{user_id}",
                stage="daily",
                due_date=today,
                user_id=user_id,
                channel=channel,
                label=label,
                count=count,
                detail="\n".join(lines),
                link=link,
                address=address_for(user, channel),
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
