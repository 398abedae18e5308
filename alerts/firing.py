"""Fire the stages of the obligations that have come due, and tell the responsible person.

The sweep's part for obligations: it reads only the rows whose next firing day has come
(`due_to_fire`), marks each stage fired and writes the in-app notifications in the same
transaction, so a stage is notified once however often the sweep runs. The recipients are the
responsible person or, without one, the active holders of the step's role whose data scope
covers the cadre.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import select

from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.models import Cadre, Role, User
from webapp.models.notifications import ChannelCode
from webapp.models.obligations import Obligation
from webapp.obligations.services import due_to_fire, mark_fired, reminder_policy, stages_to_fire
from webapp.outbox import enqueue
from webapp.security.scope import scoped


@dataclass
class FiringCounts:
    """What one firing pass did."""

    obligations: int = 0
    stages: int = 0
    queued: int = 0
    # Stages fired with nobody to tell: no responsible person and no holder of the step's role.
    unaddressed: int = 0

    def as_dict(self) -> dict[str, int]:
        """Return the counts by name (for the job's result)."""
        return asdict(self)


def cadre_link(obligation: Obligation) -> str:
    """Return the path of the page the reminder leads to (the cadre's)."""
    return f"/cadres/{obligation.cadre_id}"


class Recipients:
    """Who is told about an obligation: its responsible person, else its role's holders."""

    def __init__(self) -> None:
        self._holders: dict[str, list[User]] = {}
        self._covering: dict[tuple[str, int], list[int]] = {}

    def of(self, obligation: Obligation) -> list[int]:
        """Return the user ids to notify about the obligation."""
        if obligation.responsible_user_id is not None:
            return [obligation.responsible_user_id]
        if not obligation.step_role:
            return []
        key = (obligation.step_role, obligation.cadre_id)
        if key not in self._covering:
            self._covering[key] = [
                user.id
                for user in self._role_holders(obligation.step_role)
                if covers(user, obligation.cadre_id)
            ]
        return self._covering[key]

    def _role_holders(self, role: str) -> list[User]:
        if role not in self._holders:
            self._holders[role] = list(
                db.session.scalars(
                    select(User)
                    .join(Role, Role.id == User.role_id)
                    .where(Role.code == role, User.active.is_(True))
                    .order_by(User.id)
                )
            )
        return self._holders[role]


def covers(user: User, cadre_id: int) -> bool:
    """Tell whether the cadre is inside the user's data scope."""
    stmt = scoped(select(Cadre.id).where(Cadre.id == cadre_id), Cadre, user)
    return db.session.scalar(stmt) is not None


def fire_due_obligations(today: date, now: datetime | None = None) -> FiringCounts:
    """Mark every stage due by today fired and queue its in-app reminders; never commits."""
    cal, policy = work_calendar(), reminder_policy()
    counts, recipients = FiringCounts(), Recipients()
    for obligation in due_to_fire(today):
        stages = stages_to_fire(obligation, today, cal, policy)
        counts.obligations += 1
        for stage in stages:
            mark_fired(obligation, stage, today, cal, policy)
            counts.stages += 1
            users = recipients.of(obligation)
            if not users:
                counts.unaddressed += 1
            label = f"{obligation.kind.label}·{stage.label}"
            detail = f"{obligation.cadre.name}：{label}，期限 {obligation.due_on.isoformat()}"
            for user_id in users:
                counts.queued += enqueue(
                    kind=obligation.kind.value,
                    subject=f"{obligation.subject_type}:{obligation.subject_id}",
                    stage=stage.value,
                    due_date=obligation.due_on,
                    user_id=user_id,
                    channel=ChannelCode.INAPP,
                    label=label,
                    detail=detail,
                    link=cadre_link(obligation),
                    now=now,
                )
    return counts
