"""Write notifications to the outbox in the caller's transaction; alerts' dispatcher sends them.

The webapp never imports ``alerts`` (DESIGN §8): a service or the sweep calls ``enqueue`` next to
the change that caused the reminder, and the row commits or rolls back with that change.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _

from webapp.database import insert_ignoring
from webapp.models.base import utcnow
from webapp.models.notifications import ChannelCode, Notification

DEDUPE_KEY = ["kind", "subject", "stage", "due_date", "user_id", "channel"]


def pushed_title(label: str) -> str:
    """Return the subject line of a message that leaves the system."""
    return _("干部监督预警：%(label)s", label=label)


def pushed_body(label: str, count: int, link: str) -> str:
    """Return the body of a message that leaves the system: kind, count and link only (保密)."""
    return _(
        "您有 %(count)s 项「%(label)s」待处理，请登录系统查看：%(link)s",
        count=count,
        label=label,
        link=link,
    )


def enqueue(
    *,
    kind: str,
    subject: str,
    stage: str,
    due_date: date,
    user_id: int,
    channel: ChannelCode | str,
    label: str,
    count: int = 1,
    link: str = "",
    detail: str = "",
    address: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Add one notification unless its dedupe key exists; return whether a row was added.

    ``label`` names the kind of item (e.g. "核查到期"), never a person. ``detail`` may name the
    cadre and is kept only for 站内消息; pushed channels get the label, count and link alone.
    Never commits: the caller's transaction decides.
    """
    channel = ChannelCode(channel)
    if channel.pushed:
        title, body = pushed_title(label), pushed_body(label, count, link)
    else:
        title, body = label, detail or label
    new_id = insert_ignoring(
        Notification,
        DEDUPE_KEY,
        kind=kind,
        subject=subject,
        stage=stage,
        due_date=due_date,
        user_id=user_id,
        channel=channel,
        address=address,
        title=title[:200],
        body=body,
        link=link,
        next_attempt_at=now or utcnow(),
        created_at=now or utcnow(),
    )
    return new_id is not None
