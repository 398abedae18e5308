"""Write notifications to the outbox in the caller's transaction; alerts' dispatcher sends them.

The webapp never imports ``alerts`` (DESIGN §8): a service or the sweep calls ``enqueue`` next to
the change that caused the reminder, and the row commits or rolls back with that change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from webapp.database import insert_all_ignoring, insert_ignoring
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


@dataclass(frozen=True)
class Message:
    """One notification to write: its dedupe key, what it says and where it leads.

    ``label`` names the kind of item (e.g. "核查到期"), never a person. ``detail`` may name the
    cadre and is kept only for 站内消息; pushed channels get the label, count and link alone.
    """

    kind: str
    subject: str
    stage: str
    due_date: date
    user_id: int
    channel: ChannelCode | str
    label: str
    count: int = 1
    link: str = ""
    detail: str = ""
    address: str | None = None

    def row(self, now: datetime) -> dict:
        """Return the outbox row's values."""
        channel = ChannelCode(self.channel)
        if channel.pushed:
            title = pushed_title(self.label)
            body = pushed_body(self.label, self.count, self.link)
        else:
            title, body = self.label, self.detail or self.label
        return {
            "kind": self.kind,
            "subject": self.subject,
            "stage": self.stage,
            "due_date": self.due_date,
            "user_id": self.user_id,
            "channel": channel,
            "address": self.address,
            "title": title[:200],
            "body": body,
            "link": self.link,
            "next_attempt_at": now,
            "created_at": now,
        }


def enqueue(*, now: datetime | None = None, **message) -> bool:
    """Add one notification unless its dedupe key exists; return whether a row was added.

    Never commits: the caller's transaction decides.
    """
    row = Message(**message).row(now or utcnow())
    return insert_ignoring(Notification, DEDUPE_KEY, **row) is not None


def enqueue_all(messages: Sequence[Message], now: datetime | None = None) -> int:
    """Add the notifications whose dedupe key does not exist, in one batch; return how many."""
    when = now or utcnow()
    return insert_all_ignoring(Notification, DEDUPE_KEY, [m.row(when) for m in messages])
