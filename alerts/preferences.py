"""Which channels reach a user, and when a reminder may be pushed off the system (pure rules).

No row in 通知设置 means the default: 站内消息 on, every pushed channel off. Pushing is for what
cannot wait: overdue stages (and the acknowledgement's lapse and escalation, which come only
after the due day) and approvals waiting; everything else reaches a pushed channel only through
the daily digest.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from webapp.models.notifications import ChannelCode
from workflows.obligations import ObligationKind, Stage

DEFAULT_ENABLED = frozenset({ChannelCode.INAPP})

# Stages late enough to go to the superior as well as to the responsible person.
ESCALATING_STAGES = frozenset({Stage.OVERDUE, Stage.ACK_ESCALATED})

_URGENT_STAGES = frozenset({Stage.OVERDUE, Stage.ACK_LAPSED, Stage.ACK_ESCALATED})


def enabled_channels(choices: Mapping[ChannelCode, bool]) -> list[ChannelCode]:
    """Return the channels a user's choices enable, in-app first (no choice: the default)."""
    return [channel for channel in ChannelCode if choices.get(channel, channel in DEFAULT_ENABLED)]


def pushes_now(kind: ObligationKind, stage: Stage) -> bool:
    """Tell whether a stage goes to pushed channels at once rather than in the digest."""
    return kind is ObligationKind.APPROVAL_WAITING or stage in _URGENT_STAGES


def escalates(stage: Stage) -> bool:
    """Tell whether a stage also goes to the responsible person's superior."""
    return stage in ESCALATING_STAGES


def quiet_for_plan(stage: Stage, planned_on: date | None, today: date) -> bool:
    """Tell whether an acknowledgement keeps a stage quiet: a normal stage, the plan not passed.

    Once the planned date has passed the item is late on its own word, so its normal stages
    speak again beside the acknowledgement's lapse and escalation.
    """
    if planned_on is None or stage in (Stage.ACK_LAPSED, Stage.ACK_ESCALATED):
        return False
    return today <= planned_on
