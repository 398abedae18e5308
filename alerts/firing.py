"""Fire the stages of the obligations that have come due, and tell the responsible person.

The sweep's part for obligations: it reads only the rows whose next firing day has come
(`due_to_fire`), marks each stage fired and writes the in-app notification in the same
transaction, so a stage is notified once however often the sweep runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from webapp.holidays.services import work_calendar
from webapp.models.notifications import ChannelCode
from webapp.models.obligations import Obligation
from webapp.obligations.services import due_to_fire, mark_fired, reminder_policy, stages_to_fire
from webapp.outbox import enqueue


@dataclass
class FiringCounts:
    """What one firing pass did."""

    obligations: int = 0
    stages: int = 0
    queued: int = 0
    # Stages fired with no responsible person: their role's holders are not resolved yet.
    unaddressed: int = 0

    def as_dict(self) -> dict[str, int]:
        """Return the counts by name (for the job's result)."""
        return asdict(self)


def cadre_link(obligation: Obligation) -> str:
    """Return the path of the page the reminder leads to (the cadre's)."""
    return f"/cadres/{obligation.cadre_id}"


def fire_due_obligations(today: date, now: datetime | None = None) -> FiringCounts:
    """Mark every stage due by today fired and queue its in-app reminder; never commits."""
    cal, policy = work_calendar(), reminder_policy()
    counts = FiringCounts()
    for obligation in due_to_fire(today):
        stages = stages_to_fire(obligation, today, cal, policy)
        counts.obligations += 1
        for stage in stages:
            mark_fired(obligation, stage, today, cal, policy)
            counts.stages += 1
            if obligation.responsible_user_id is None:
                counts.unaddressed += 1
                continue
            label = f"{obligation.kind.label}·{stage.label}"
            detail = f"{obligation.cadre.name}：{label}，期限 {obligation.due_on.isoformat()}"
            counts.queued += enqueue(
                kind=obligation.kind.value,
                subject=f"{obligation.subject_type}:{obligation.subject_id}",
                stage=stage.value,
                due_date=obligation.due_on,
                user_id=obligation.responsible_user_id,
                channel=ChannelCode.INAPP,
                label=label,
                detail=detail,
                link=cadre_link(obligation),
                now=now,
            )
    return counts
