"""Send due outbox rows through their channels, record every attempt, retry with backoff.

A pass has three steps. Claim: in one short transaction, lock due pending rows (``FOR UPDATE
SKIP LOCKED`` on PostgreSQL, so concurrent dispatchers take disjoint rows; SQLite renders no
locking clause and runs a single dispatcher) and push their ``next_attempt_at`` a lease ahead,
so no other dispatcher takes them while they are being sent. Send: outside any transaction,
each channel setting's rows in their own thread, so a slow or dead channel holds only itself
up. Record: each group's attempts and new states are committed as soon as the group is done.
A process that dies between sending and recording leaves its rows to be retried after the
lease: delivery is at least once per dedupe key, never a second row.
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, insert, select, update

from alerts.channels import CHANNELS, Channel, Outgoing, Recipient, SendResult
from alerts.channels.base import describe
from webapp.extensions import db
from webapp.models import OrgUnit, User
from webapp.models.base import utcnow
from webapp.models.notifications import (
    ChannelCode,
    ChannelSetting,
    DeliveryAttempt,
    Notification,
    NotificationStatus,
)

log = logging.getLogger(__name__)

DEFAULT_BATCH = 200
# Longer than a group can take: one unreachable endpoint costs one timeout (see _send_group).
CLAIM_LEASE = timedelta(minutes=15)
# Enough for every channel and a few 钉钉 robots at once; more groups wait for a free thread.
MAX_THREADS = 16


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, and how many tries before a row is dead."""

    max_attempts: int = 8
    base_delay: timedelta = timedelta(minutes=1)
    max_delay: timedelta = timedelta(hours=6)

    def delay(self, attempts: int, rng: random.Random) -> timedelta:
        """Return the wait after the given number of failed tries (half fixed, half random)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** max(attempts - 1, 0)))
        return ceiling * rng.uniform(0.5, 1.0)


@dataclass
class DispatchCounts:
    """What one pass did."""

    claimed: int = 0
    sent: int = 0
    failed: int = 0  # will be retried
    dead: int = 0
    deferred: int = 0  # not tried: their channel was unreachable earlier in the pass

    def as_dict(self) -> dict[str, int]:
        """Return the counts by name (for logs and the job's result)."""
        return dict(self.__dict__)


@dataclass
class _Job:
    notification_id: int
    channel: ChannelCode
    attempts: int
    message: Outgoing
    problem: str = ""  # set when the row cannot be sent at all (no setting, no address)


@dataclass
class _Group:
    channel: Channel
    config: Mapping
    jobs: list[_Job] = field(default_factory=list)


def dispatch_once(
    now: datetime | None = None,
    *,
    batch_size: int = DEFAULT_BATCH,
    policy: RetryPolicy | None = None,
    channels: Mapping[ChannelCode, Channel] | None = None,
    rng: random.Random | None = None,
) -> DispatchCounts:
    """Send the pending notifications due at ``now``; return what happened to them."""
    now = now or utcnow()
    policy = policy or RetryPolicy()
    channels = CHANNELS if channels is None else channels
    rng = rng or random.Random()
    counts = DispatchCounts()
    groups = _claim(now, batch_size, channels, counts)
    if not groups:
        return counts
    with ThreadPoolExecutor(
        max_workers=min(len(groups), MAX_THREADS), thread_name_prefix="dispatch"
    ) as pool:
        futures = [pool.submit(_send_group, group) for group in groups]
        for future in as_completed(futures):
            _record(future.result(), now, policy, rng, counts)
    log.info("dispatch pass: %s", counts.as_dict())
    return counts


def requeue(notification_ids: list[int], now: datetime | None = None) -> int:
    """Give dead notifications a fresh set of tries (发送记录's retry); return how many.

    Never commits: the caller's transaction decides.
    """
    rows = db.session.scalars(
        select(Notification).where(
            Notification.id.in_(notification_ids), Notification.status == NotificationStatus.DEAD
        )
    ).all()
    for row in rows:
        row.status, row.attempts, row.next_attempt_at = (
            NotificationStatus.PENDING,
            0,
            now or utcnow(),
        )
    return len(rows)


def claim_statement(now: datetime, batch_size: int):
    """Return the query that locks due pending rows, skipping rows another dispatcher holds."""
    # with_for_update compiles to nothing on SQLite, where BEGIN IMMEDIATE already serialises.
    return (
        select(*_CLAIMED)
        .where(
            Notification.status == NotificationStatus.PENDING,
            Notification.next_attempt_at <= now,
        )
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    )


_CLAIMED = (
    Notification.id,
    Notification.user_id,
    Notification.channel,
    Notification.address,
    Notification.title,
    Notification.body,
    Notification.link,
    Notification.attempts,
)


def _claim(now, batch_size, channels, counts) -> list[_Group]:
    rows = db.session.execute(claim_statement(now, batch_size)).all()
    counts.claimed = len(rows)
    if not rows:
        db.session.commit()
        return []
    # Plain statements, not ORM objects: the in-app channel must keep thousands a second.
    db.session.execute(
        update(Notification.__table__)
        .where(Notification.__table__.c.id.in_([row.id for row in rows]))
        .values(next_attempt_at=now + CLAIM_LEASE)
    )
    recipients = _recipients({row.user_id for row in rows})
    settings = _settings()
    groups: dict[tuple, _Group] = {}
    for row in rows:
        channel = channels.get(row.channel)
        recipient = recipients[row.user_id]
        setting = _setting_for(channel, settings, recipient) if channel else None
        config = dict(setting.config) if setting else {}
        address = row.address or (channel.address(recipient) if channel else None)
        job = _Job(
            row.id,
            row.channel,
            row.attempts,
            Outgoing(row.id, row.title, row.body, row.link, address),
        )
        if channel is None:
            job.problem = f"未知通道 {row.channel}"
        elif channel.needs_config and setting is None:
            job.problem = "通道未配置或已停用"
        elif address is None:
            job.problem = "用户未设置该通道的地址"
        key = (row.channel, setting.id if setting else None)
        groups.setdefault(key, _Group(channel, config)).jobs.append(job)
    db.session.commit()
    return list(groups.values())


def _recipients(user_ids: set[int]) -> dict[int, Recipient]:
    stmt = (
        select(User.id, User.username, User.email, OrgUnit.path)
        .join(OrgUnit, OrgUnit.id == User.unit_id)
        .where(User.id.in_(user_ids))
    )
    return {
        uid: Recipient(uid, name, email, path)
        for uid, name, email, path in db.session.execute(stmt)
    }


def _settings() -> dict[ChannelCode, dict[int | None, ChannelSetting]]:
    found: dict[ChannelCode, dict[int | None, ChannelSetting]] = defaultdict(dict)
    for setting in db.session.scalars(select(ChannelSetting).where(ChannelSetting.enabled)):
        found[setting.channel][setting.unit_id] = setting
    return found


def _setting_for(channel: Channel, settings, recipient: Recipient) -> ChannelSetting | None:
    """Return the setting that applies: for per-unit channels the nearest unit up, else global."""
    mine = settings.get(channel.code, {})
    if channel.per_unit:
        for unit_id in reversed([int(part) for part in recipient.unit_path.split("/") if part]):
            if unit_id in mine:
                return mine[unit_id]
    return mine.get(None)


def _send_group(group: _Group) -> list[tuple[_Job, SendResult | None]]:
    """Send a group's jobs in order; after an unreachable answer, defer the rest (None)."""
    results: list[tuple[_Job, SendResult | None]] = []
    unreachable = False
    for job in group.jobs:
        if job.problem:
            results.append((job, SendResult(False, None, job.problem)))
            continue
        if unreachable:
            results.append((job, None))
            continue
        try:
            result = group.channel.send(job.message, group.config)
        except Exception as exc:  # a channel bug must cost only its own row
            log.exception("channel %s raised", group.channel.code)
            result = SendResult(False, None, describe(exc))
        unreachable = result.unreachable
        results.append((job, result))
    return results


def _record(results, now, policy: RetryPolicy, rng, counts: DispatchCounts) -> None:
    table = Notification.__table__
    still_pending = table.c.status == NotificationStatus.PENDING
    attempt_rows, sent_ids, changes, deferrals = [], [], [], []
    for job, result in results:
        if result is None:
            wait = policy.delay(job.attempts + 1, rng)
            deferrals.append({"nid": job.notification_id, "nxt": now + wait})
            counts.deferred += 1
            continue
        attempt_rows.append(
            {
                "notification_id": job.notification_id,
                "at": now,
                "channel": job.channel,
                "ok": result.ok,
                "response_code": result.code,
                "error": result.error,
            }
        )
        if result.ok:
            sent_ids.append(job.notification_id)
            counts.sent += 1
            continue
        tries = job.attempts + 1
        dead = tries >= policy.max_attempts
        counts.dead += dead
        counts.failed += not dead
        changes.append(
            {
                "nid": job.notification_id,
                "tries": tries,
                "state": NotificationStatus.DEAD if dead else NotificationStatus.PENDING,
                "nxt": now if dead else now + policy.delay(tries, rng),
                "err": result.error[:500],
            }
        )
    if attempt_rows:
        db.session.execute(insert(DeliveryAttempt), attempt_rows)
    if sent_ids:
        db.session.execute(
            update(table)
            .where(table.c.id.in_(sent_ids), still_pending)
            .values(
                status=NotificationStatus.SENT,
                sent_at=now,
                last_error="",
                attempts=table.c.attempts + 1,
            )
        )
    one_row = (table.c.id == bindparam("nid"), still_pending)
    if changes:
        db.session.execute(
            update(table)
            .where(*one_row)
            .values(
                attempts=bindparam("tries"),
                status=bindparam("state"),
                next_attempt_at=bindparam("nxt"),
                last_error=bindparam("err"),
            ),
            changes,
        )
    if deferrals:
        db.session.execute(
            update(table).where(*one_row).values(next_attempt_at=bindparam("nxt")), deferrals
        )
    db.session.commit()
