"""Typed commands: one frozen object per workflow event, as every caller hands it to the writer.

The pages build them from their forms, review meetings from their decisions, the scheduler
from its rules and the API from its JSON; `webapp.warnings.writer.apply_event` reads their
attributes and never a form field name. Uploaded files ride along as opaque objects (the web
layer's file storages); dates are `date` objects, never strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from workflows.guards import ToleranceOutcome
from workflows.states import Event


@dataclass(frozen=True)
class Command:
    """A request to apply one event; `reason` is what the history keeps as why."""

    event: ClassVar[Event]
    reason: str = ""


@dataclass(frozen=True)
class Submit(Command):
    """送审."""

    event: ClassVar[Event] = Event.SUBMIT


@dataclass(frozen=True)
class Approve(Command):
    """审批通过; at the committee step, the party committee's decision with its document."""

    event: ClassVar[Event] = Event.APPROVE
    comment: str = ""
    document_number: str = ""
    decided_on: date | None = None
    summary: str = ""
    documents: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Reject(Command):
    """退回 (a first submission goes back to draft; an escalation back to where it stood)."""

    event: ClassVar[Event] = Event.REJECT


@dataclass(frozen=True)
class RecordAction(Command):
    """记录处置: the measure taken and the record that proves it."""

    event: ClassVar[Event] = Event.RECORD_ACTION
    action_kind: str = ""
    done_on: date | None = None
    talk_id: int | None = None
    inquiry_id: int | None = None
    record_ref: str = ""
    content: str = ""
    plan: str = ""
    # Tier 3: the kind of 组织处理, the decision's rectification deadline, and an influence
    # period that differs from the kind's default (then `influence_reason` says why).
    org_handling: str = ""
    rectification_due: date | None = None
    influence_months: int | None = None
    influence_reason: str = ""

    @property
    def has_record(self) -> bool:
        """Return whether a talk, an inquiry, a document or a description proves the action."""
        return bool(self.talk_id or self.inquiry_id or self.record_ref or self.content)


@dataclass(frozen=True)
class SubmitReport(Command):
    """提交整改报告, with its attachments."""

    event: ClassVar[Event] = Event.SUBMIT_REPORT
    report: str = ""
    documents: tuple[Any, ...] = ()


@dataclass(frozen=True)
class RecordSelfCriticism(Command):
    """登记书面检查: the day the cadre handed in the written self-criticism a 诫勉 calls for."""

    event: ClassVar[Event] = Event.RECORD_SELF_CRITICISM
    handed_in_on: date | None = None
    note: str = ""
    documents: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Accept(Command):
    """复核通过 → 销号."""

    event: ClassVar[Event] = Event.ACCEPT
    opinion: str = ""


@dataclass(frozen=True)
class Return(Command):
    """退回整改 with a new deadline."""

    event: ClassVar[Event] = Event.RETURN
    new_deadline: date | None = None
    plan: str = ""


@dataclass(frozen=True)
class Escalate(Command):
    """升级 one tier (approval restarts at the higher tier)."""

    event: ClassVar[Event] = Event.ESCALATE


@dataclass(frozen=True)
class Clarify(Command):
    """澄清: revoke with a clarification record (automatic when the basis was found 失实)."""

    event: ClassVar[Event] = Event.CLARIFY
    method: str = ""
    clarified_on: date | None = None
    scope: str = ""
    document_number: str = ""
    negative_info_id: int | None = None
    automatic: bool = False


@dataclass(frozen=True)
class Tolerate(Command):
    """容错认定: 免责 revokes, 减责 lowers one tier, 不予容错 is recorded and changes nothing."""

    event: ClassVar[Event] = Event.TOLERATE
    outcome: ToleranceOutcome | None = None
    application: str = ""
    facts: str = ""
    distinctions: str = ""
    collective_decision: str = ""
    decided_on: date | None = None


@dataclass(frozen=True)
class Refer(Command):
    """移送纪检监察机关."""

    event: ClassVar[Event] = Event.REFER
    receiving_organ: str = ""
    document_number: str = ""
    referred_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class Withdraw(Command):
    """撤回 a draft."""

    event: ClassVar[Event] = Event.WITHDRAW


@dataclass(frozen=True)
class Pause(Command):
    """暂停计时."""

    event: ClassVar[Event] = Event.PAUSE


@dataclass(frozen=True)
class Resume(Command):
    """恢复计时."""

    event: ClassVar[Event] = Event.RESUME


_ALL = (Submit, Approve, Reject, RecordAction, SubmitReport, RecordSelfCriticism, Accept, Return)
COMMANDS: dict[Event, type[Command]] = {
    cls.event: cls for cls in (*_ALL, Escalate, Clarify, Tolerate, Refer, Withdraw, Pause, Resume)
}


def command_for(event: Event | str, **values: Any) -> Command:
    """Build the command of an event from keyword values (tests, meetings, the API)."""
    return COMMANDS[Event(event)](**values)
