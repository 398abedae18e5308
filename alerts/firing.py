"""Fire the stages of the obligations that have come due, and tell whoever must hear.

The sweep's part for obligations: it reads only the rows whose next firing day has come
(`due_to_fire`), marks each stage fired and writes the notifications in the same transaction,
so a stage is notified once however often the sweep runs.

Who and how (`alerts.recipients`, `alerts.preferences`): the responsible person or, without
one, the step role's holders covering the cadre, always in-app; overdue and the
acknowledgement's escalation also reach their superiors; pushed channels the user enabled get
the stage at once only when it cannot wait (overdue, a lapsed plan, an approval waiting).
Every message leads to the record's page; a pushed one by the absolute URL
(`webapp.main.links.public_url`), naming the kind alone, never the cadre.
A stage is fired without a message, and the reason kept next to its date in
``fired_stages`` ("<date> suppressed warning:<id>", "<date> acknowledged"), when the item is
acknowledged with a planned date not yet passed (its normal stages stop repeating) or when
the cadre has an active tier-3 warning and the item is of a lower tier (the one rule in
`webapp.main.suppression`, which 我的待办 shows too).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from alerts.preferences import escalates, pushes_now, quiet_for_plan
from alerts.recipients import Recipients, address_for
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.main.links import public_url, record_path
from webapp.models import User
from webapp.models.notifications import ChannelCode
from webapp.models.obligations import Obligation
from webapp.obligations.services import due_to_fire, mark_fired, reminder_policy, stages_to_fire
from webapp.outbox import Message, enqueue_all
from workflows.obligations import Stage

SUPPRESSED = "suppressed"
ACKNOWLEDGED = "acknowledged"


@dataclass
class FiringCounts:
    """What one firing pass did."""

    obligations: int = 0
    stages: int = 0
    queued: int = 0
    # Stages fired with nobody to tell: no responsible person and no holder of the step's role.
    unaddressed: int = 0
    # Stages fired silently: under an active tier-3 warning, or after an acknowledgement.
    suppressed: int = 0
    acknowledged: int = 0

    def as_dict(self) -> dict[str, int]:
        """Return the counts by name (for the job's result); silent stages only when any."""
        counts = asdict(self)
        return {k: v for k, v in counts.items() if v or k not in ("suppressed", "acknowledged")}


def fired_note(obligation: Obligation, stage: Stage) -> str:
    """Return why a fired stage sent nothing ("suppressed warning:12", "acknowledged"), or ""."""
    value = (obligation.fired_stages or {}).get(stage.value, "")
    return value.partition(" ")[2]


def _note(obligation: Obligation, stage: Stage, note: str) -> None:
    fired = dict(obligation.fired_stages or {})
    fired[stage.value] = f"{fired[stage.value]} {note}"
    obligation.fired_stages = fired


def _silenced(obligation: Obligation, stage: Stage, today: date, recipients: Recipients) -> str:
    if quiet_for_plan(stage, obligation.acknowledged_plan_on, today):
        return ACKNOWLEDGED
    red = recipients.suppressed_by(obligation)
    if red is not None:
        return f"{SUPPRESSED} warning:{red}"
    return ""


def fire_due_obligations(today: date, now: datetime | None = None) -> FiringCounts:
    """Mark every stage due by today fired and queue its reminders; never commits."""
    cal, policy = work_calendar(), reminder_policy()
    counts, recipients = FiringCounts(), Recipients()
    messages: list[Message] = []
    for obligation in due_to_fire(today):
        stages = stages_to_fire(obligation, today, cal, policy)
        counts.obligations += 1
        for stage in stages:
            mark_fired(obligation, stage, today, cal, policy)
            counts.stages += 1
            note = _silenced(obligation, stage, today, recipients)
            if note:
                _note(obligation, stage, note)
                if note == ACKNOWLEDGED:
                    counts.acknowledged += 1
                else:
                    counts.suppressed += 1
                continue
            users = recipients.of(obligation)
            if not users:
                counts.unaddressed += 1
            if escalates(stage):
                users = users + recipients.superiors(users)
            messages += _messages(obligation, stage, users, recipients)
    # Written in one batch: a round trip per message was most of a PostgreSQL sweep's time.
    counts.queued = enqueue_all(messages, now)
    return counts


def _messages(
    obligation: Obligation, stage: Stage, users: list[int], recipients: Recipients
) -> list[Message]:
    """Return the stage's in-app message to each user, and its push where one is due now."""
    label = f"{obligation.kind.label}·{stage.label}"
    detail = f"{obligation.cadre.name}：{label}，期限 {obligation.due_on.isoformat()}"
    push = pushes_now(obligation.kind, stage)
    path = record_path(obligation)
    messages = []
    for user_id in users:
        channels = [ChannelCode.INAPP]
        if push:
            channels += [c for c in recipients.channels_of(user_id) if c.pushed]
        for channel in channels:
            address, link = None, path
            if channel.pushed:
                address = address_for(db.session.get(User, user_id), channel)
                link = public_url(path)
            messages.append(
                Message(
                    kind=obligation.kind.value,
                    subject=f"{obligation.subject_type}:{obligation.subject_id}",
                    stage=stage.value,
                    due_date=obligation.due_on,
                    user_id=user_id,
                    channel=channel,
                    label=label,
                    detail=detail,
                    link=link,
                    address=address,
                )
            )
    return messages
