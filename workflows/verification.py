"""Verification of negative information (核实) as a declared table, plus its pure rules.

待核实 → 核实中 → 属实 / 部分属实 / 失实 / 无法核实. `apply()` decides; it stores nothing.
The web app's one state-writing service calls it, then writes the record and its history row
in one transaction.

Decisions where the design is silent:
- A concluded item may be reopened (重新核实 → 核实中) with a mandatory reason, because a
  conclusion sometimes turns out wrong (new evidence, an appeal); the history keeps both.
- An item cannot jump from 待核实 straight to a conclusion: even a sanction notice from the
  discipline body is recorded as started and concluded, so who checked it and when is kept.
- A conclusion needs a note, and its date lies between the start of verification and today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from workflows.text import N_


class Status(StrEnum):
    """Verification status; the values are the `verification_status` dictionary's values."""

    PENDING = "pending"
    VERIFYING = "verifying"
    TRUE = "true"
    PARTLY_TRUE = "partly_true"
    UNTRUE = "untrue"
    UNVERIFIABLE = "unverifiable"

    @property
    def label(self) -> str:
        """Return the Chinese status, e.g. "属实"."""
        return _STATUS_LABELS[self]

    @property
    def is_verified(self) -> bool:
        """Return whether the item was found true, fully or in part."""
        return self in VERIFIED

    @classmethod
    def parse(cls, value: Status | str) -> Status:
        """Return the status for a code or its Chinese label."""
        if isinstance(value, Status):
            return value
        for status, label in _STATUS_LABELS.items():
            if value == label:
                return status
        return cls(value)


_STATUS_LABELS = {
    Status.PENDING: N_("待核实"),
    Status.VERIFYING: N_("核实中"),
    Status.TRUE: N_("属实"),
    Status.PARTLY_TRUE: N_("部分属实"),
    Status.UNTRUE: N_("失实"),
    Status.UNVERIFIABLE: N_("无法核实"),
}

CONCLUSIONS = frozenset({Status.TRUE, Status.PARTLY_TRUE, Status.UNTRUE, Status.UNVERIFIABLE})
# Items that count as established facts for the suggestion rules (DESIGN §4).
VERIFIED = frozenset({Status.TRUE, Status.PARTLY_TRUE})


class Event(StrEnum):
    """What a supervisor does to an item's verification."""

    START = "start"
    CONCLUDE = "conclude"
    REOPEN = "reopen"


@dataclass(frozen=True)
class Transition:
    """One row: the event, the states it may start from, and where it leads."""

    event: Event
    sources: frozenset[Status]
    # None: the target is the conclusion chosen by the user.
    target: Status | None


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Event.START, frozenset({Status.PENDING}), Status.VERIFYING),
    Transition(Event.CONCLUDE, frozenset({Status.VERIFYING}), None),
    Transition(Event.REOPEN, CONCLUSIONS, Status.VERIFYING),
)


class VerificationError(ValueError):
    """An event that the table or a rule refuses; `code` names the reason.

    The web layer turns the code into a message in the UI's language (this package imports
    no Flask, hence no translations).
    """

    def __init__(self, code: str, event: Event | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.event = event


@dataclass(frozen=True)
class Request:
    """What the user asks for, with the facts the rules need; `today` is passed in."""

    event: Event
    today: date
    started_on: date | None = None
    conclusion: Status | None = None
    concluded_on: date | None = None
    note: str = ""
    handler_id: int | None = None
    has_cadre: bool = True


def allowed_events(status: Status) -> list[Event]:
    """Return the events the table allows from a status, in table order."""
    return [t.event for t in TRANSITIONS if status in t.sources]


def apply(status: Status, request: Request) -> Status:
    """Return the new status, or raise VerificationError naming the reason."""
    row = next((t for t in TRANSITIONS if t.event == request.event), None)
    if row is None or status not in row.sources:
        raise VerificationError("not_allowed", request.event)
    if request.event is Event.START:
        if request.handler_id is None:
            raise VerificationError("handler_required")
        if not request.has_cadre:
            raise VerificationError("cadre_required")
        return Status.VERIFYING
    if request.event is Event.REOPEN:
        if not request.note.strip():
            raise VerificationError("reason_required")
        return Status.VERIFYING
    if request.conclusion not in CONCLUSIONS:
        raise VerificationError("conclusion_required")
    if not request.note.strip():
        raise VerificationError("note_required")
    if request.concluded_on is None:
        raise VerificationError("date_required")
    if request.concluded_on > request.today:
        raise VerificationError("date_in_future")
    if request.started_on is not None and request.concluded_on < request.started_on:
        raise VerificationError("date_before_start")
    return request.conclusion


def dates_in_order(occurred_on: date | None, received_on: date | None, today: date) -> str | None:
    """Return a code saying why the dates break occurred ≤ received ≤ today, or None."""
    if occurred_on and occurred_on > today:
        return "occurred_in_future"
    if received_on and received_on > today:
        return "received_in_future"
    if occurred_on and received_on and occurred_on > received_on:
        return "occurred_after_received"
    return None


def duplicate_window(occurred_on: date, days: int) -> tuple[date, date]:
    """Return the occurred-on span in which an item of the same situation is a possible duplicate."""
    # The same incident reported through two channels keeps its occurred date, while the
    # received dates differ by the channels' delays; so the window is on the occurred date,
    # either side of it.
    span = timedelta(days=days)
    return occurred_on - span, occurred_on + span


def format_number(prefix: str, year: int, seq: int) -> str:
    """Return a record number such as FM-2026-0001 (more digits once past 9999)."""
    return f"{prefix}-{year}-{seq:04d}"
