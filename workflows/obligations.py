"""Pure reminder rules: an obligation's light, its firing stages and the next day to look at it.

An obligation (待办/时限) is a due date counted in working days from a start. It fires at
黄灯 (the first day ``yellow_percent`` of its working days are used), on the due day and
when overdue (the first working day after due), each stage once; after an acknowledgement
with a planned date it also fires when that date has passed and, some working days later,
to the superior. A stage falling on a weekend or holiday fires on the next working day.

The rules match ``workflows.deadlines``: for a due date counted as ``start`` + total + paused
working days, ``light_of`` gives the same light as ``deadlines.light`` and the 黄灯 stage is
the first day that light is yellow. Nothing here reads the clock or a database: ``today``
and the ``WorkCalendar`` are passed in, so the rules run over a simulated year in tests.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from workflows.calendar import WorkCalendar
from workflows.deadlines import DEFAULT_YELLOW_PERCENT, Light
from workflows.text import N_

DEFAULT_MANDATORY_TALK_WORKDAYS = 20
DEFAULT_INFLUENCE_NOTICE_DAYS = 30
DEFAULT_ACK_ESCALATE_WORKDAYS = 3


class Stage(StrEnum):
    """A moment an obligation fires; each fires at most once per due date."""

    # The first three are `workflows.deadlines.Reminder` by value; the two after an
    # acknowledgement exist only here, so this is the reminders' own, larger vocabulary.
    YELLOW = "yellow"
    DUE = "due"
    OVERDUE = "overdue"
    ACK_LAPSED = "ack_lapsed"
    ACK_ESCALATED = "ack_escalated"

    @property
    def label(self) -> str:
        """Return the Chinese label."""
        return _STAGE_LABELS[self]


_STAGE_LABELS = {
    Stage.YELLOW: N_("黄灯提醒"),
    Stage.DUE: N_("到期提醒"),
    Stage.OVERDUE: N_("逾期提醒"),
    Stage.ACK_LAPSED: N_("计划完成日期已过"),
    Stage.ACK_ESCALATED: N_("计划逾期上报上级"),
}

_DEADLINE_STAGES = (Stage.YELLOW, Stage.DUE, Stage.OVERDUE)
_ACK_STAGES = (Stage.ACK_LAPSED, Stage.ACK_ESCALATED)


class ObligationKind(StrEnum):
    """What is due; each kind is a parameter-driven deadline declared by one area."""

    VERIFICATION_DUE = "verification_due"
    APPROVAL_WAITING = "approval_waiting"
    ACTION_DUE = "action_due"
    SELF_CRITICISM_DUE = "self_criticism_due"
    INQUIRY_REPLY_DUE = "inquiry_reply_due"
    RECTIFICATION_REPORT_DUE = "rectification_report_due"
    REVIEW_DUE = "review_due"
    FOLLOW_UP_DUE = "follow_up_due"
    INFLUENCE_ENDING = "influence_ending"
    MANDATORY_TALK = "mandatory_talk"

    @property
    def label(self) -> str:
        """Return the Chinese label."""
        return _KIND_LABELS[self]

    @property
    def stages(self) -> tuple[Stage, ...]:
        """Return the deadline stages this kind fires (before any acknowledgement)."""
        # An influence period is not something a person can be late with: it is announced
        # ahead and ends on the day (复绿 is the sweep's own work), so it has no overdue stage.
        if self is ObligationKind.INFLUENCE_ENDING:
            return (Stage.YELLOW, Stage.DUE)
        return _DEADLINE_STAGES


_KIND_LABELS = {
    ObligationKind.VERIFICATION_DUE: N_("核实到期"),
    ObligationKind.APPROVAL_WAITING: N_("审批等待"),
    ObligationKind.ACTION_DUE: N_("预警措施到期"),
    ObligationKind.SELF_CRITICISM_DUE: N_("书面检查到期"),
    ObligationKind.INQUIRY_REPLY_DUE: N_("函询回复到期"),
    ObligationKind.RECTIFICATION_REPORT_DUE: N_("整改报告到期"),
    ObligationKind.REVIEW_DUE: N_("复核到期"),
    ObligationKind.FOLLOW_UP_DUE: N_("回访到期"),
    ObligationKind.INFLUENCE_ENDING: N_("影响期届满"),
    ObligationKind.MANDATORY_TALK: N_("必谈"),
}


@dataclass(frozen=True, slots=True)
class Policy:
    """The reminder parameters the rules read (defaults as in `webapp.parameters`)."""

    yellow_percent: int = DEFAULT_YELLOW_PERCENT
    ack_escalate_workdays: int = DEFAULT_ACK_ESCALATE_WORKDAYS
    # Calendar days before an influence period ends that its notice goes out.
    influence_notice_days: int = DEFAULT_INFLUENCE_NOTICE_DAYS


@dataclass(frozen=True, slots=True)
class Terms:
    """The dates of one obligation, as the rules need them."""

    kind: ObligationKind
    start: date
    due: date
    # The time limit in working days, without pauses: due = start + total + paused workdays
    # for a limit counted in working days; for a month-based limit, the days it spans.
    total_workdays: int
    paused_workdays: int = 0
    # Counted over a year with no holiday data (待节假日数据确认): recounted when it arrives.
    provisional: bool = False
    acknowledged_plan_on: date | None = None
    closed: bool = False


def _on_workday(day: date, cal: WorkCalendar) -> date:
    return day if cal.is_workday(day) else cal.next_workday(day)


def due_workday(terms: Terms, cal: WorkCalendar) -> date:
    """Return the working day the obligation is met by: its due date, or the next working day."""
    return _on_workday(terms.due, cal)


def _yellow_threshold(total: int, yellow_percent: int) -> int:
    # Integer ceiling of total × percent, as `workflows.deadlines` counts it.
    return -(-total * yellow_percent // 100)


def stage_days(terms: Terms, cal: WorkCalendar, policy: Policy = Policy()) -> dict[Stage, date]:
    """Return the working day each of the obligation's stages fires, in firing order.

    The 黄灯 stage is left out when it would not come before the due day (the due reminder
    speaks then); the acknowledgement stages exist only while a planned date is set.
    """
    due_day = due_workday(terms, cal)
    days: dict[Stage, date] = {}
    if terms.kind is ObligationKind.INFLUENCE_ENDING:
        yellow = max(terms.start, terms.due - timedelta(days=policy.influence_notice_days))
        yellow_day = _on_workday(yellow, cal)
    else:
        used = _yellow_threshold(terms.total_workdays, policy.yellow_percent)
        yellow_day = cal.add_workdays(terms.start, max(used + terms.paused_workdays, 0)).due
    if yellow_day < due_day:
        days[Stage.YELLOW] = yellow_day
    days[Stage.DUE] = due_day
    if Stage.OVERDUE in terms.kind.stages:
        days[Stage.OVERDUE] = cal.next_workday(due_day)
    if terms.acknowledged_plan_on is not None:
        lapsed = cal.next_workday(terms.acknowledged_plan_on)
        days[Stage.ACK_LAPSED] = lapsed
        days[Stage.ACK_ESCALATED] = cal.add_workdays(lapsed, policy.ack_escalate_workdays).due
    # A planned date may lapse before the due day: order by day (stable for same-day stages).
    return dict(sorted(days.items(), key=lambda item: item[1]))


def light_of(
    terms: Terms, today: date, cal: WorkCalendar, policy: Policy = Policy()
) -> Light | None:
    """Return the obligation's light today: None once closed, else 正常, 黄灯 or 红灯."""
    if terms.closed:
        return None
    days = stage_days(terms, cal, policy)
    # A due date on a holiday is met by the next working day, as every official deadline is.
    if today > days[Stage.DUE]:
        return Light.RED
    if today >= days.get(Stage.YELLOW, days[Stage.DUE]):
        return Light.YELLOW
    return Light.GREEN


def next_fire_on(
    terms: Terms,
    fired_stages: Collection[Stage],
    cal: WorkCalendar,
    policy: Policy = Policy(),
) -> date | None:
    """Return the next day the sweep must look at the obligation (None: closed or all fired)."""
    if terms.closed:
        return None
    pending = [
        day for stage, day in stage_days(terms, cal, policy).items() if stage not in fired_stages
    ]
    return min(pending, default=None)


def stages_to_fire(
    terms: Terms,
    fired_stages: Collection[Stage],
    today: date,
    cal: WorkCalendar,
    policy: Policy = Policy(),
) -> list[Stage]:
    """Return the stages that have come by today and have not fired, in firing order."""
    # After a stopped scheduler more than one may have come; each is still owed once, and
    # the caller decides whether an earlier one is still worth sending.
    if terms.closed:
        return []
    return [
        stage
        for stage, day in stage_days(terms, cal, policy).items()
        if day <= today and stage not in fired_stages
    ]


def stages_still_fired(
    terms: Terms,
    fired_stages: Collection[Stage],
    today: date,
    cal: WorkCalendar,
    policy: Policy = Policy(),
) -> set[Stage]:
    """Return the fired stages that stay fired after the terms changed (e.g. a moved due date).

    A stage whose day moved past today has not been reached under the new terms, so it is
    owed again when it comes (the outbox's dedupe key carries the due date for that reason).
    """
    days = stage_days(terms, cal, policy)
    return {stage for stage in fired_stages if stage in days and days[stage] <= today}


def mandatory_talk(
    recorded_on: date,
    event_type_is_mandatory: bool,
    cal: WorkCalendar,
    due_workdays: int = DEFAULT_MANDATORY_TALK_WORKDAYS,
) -> Terms | None:
    """Return the talk obligation a career event creates, or None when its type is not 必谈.

    The talk is due ``due_workdays`` (parameter ``talk.mandatory_due_workdays``) working days
    after the day the event is recorded.
    """
    if not event_type_is_mandatory:
        return None
    deadline = cal.add_workdays(recorded_on, due_workdays)
    return Terms(
        ObligationKind.MANDATORY_TALK,
        recorded_on,
        deadline.due,
        due_workdays,
        provisional=deadline.provisional,
    )
