"""A meeting's life: start, refresh the agenda, minutes, decisions per line, close, corrections.

Every function loads the meeting in the actor's scope (404 outside) and refuses to change a
closed one. A decision that is a workflow event goes through the warnings' one writer with a
typed command whose reason cites the meeting (number and date), in the same transaction as
the decision row, so the warning's history names the meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from webapp import clock
from webapp.extensions import db
from webapp.inquiries.services import add_history
from webapp.meetings.agenda import freeze
from webapp.meetings.kinds import (
    DECISION_EVENTS,
    DECISION_RECORDS,
    DECISIONS,
    QUARTERLY,
    decision_label,
    kind_label,
)
from webapp.models import Inquiry, NegativeInfo, Talk, User, Warning
from webapp.models.meetings import AgendaItem, Meeting, MeetingDecision, MeetingStatus
from webapp.negative_info.records import ReportError
from webapp.negative_info.verification import start_verification
from webapp.security.scope import get_in_scope_or_404
from webapp.warnings.creation import create_warning
from webapp.warnings.errors import WorkflowError
from webapp.warnings.writer import apply_command
from workflows.commands import Accept, Clarify, Command, Escalate, Refer
from workflows.states import Event
from workflows.verification import Status

DECISION_CODES = frozenset(code for code, *_ in DECISIONS)
RECORD_MODELS = {"inquiry": Inquiry, "talk": Talk}


class MeetingError(Exception):
    """A refused meeting action; nothing was written. `message` is shown to the user."""

    def __init__(self, message: object, code: str = "") -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code


@dataclass(frozen=True)
class DecisionInput:
    """What the decision form says about one agenda line."""

    kind: str
    note: str = ""
    tier: int | None = None
    receiving_organ: str = ""
    document_number: str = ""


@dataclass(frozen=True)
class MinutesInput:
    """The minutes: opinions, and which attendees were present."""

    opinions: str = ""
    present_ids: frozenset[int] = frozenset()


def load(meeting_id: int, actor: User, *, open_only: bool = True) -> Meeting:
    """Load a meeting in the actor's scope; refuse a closed one when it is to be changed."""
    meeting = get_in_scope_or_404(Meeting, meeting_id, actor)
    if open_only and meeting.closed:
        raise MeetingError(
            _l("会议已结束，纪要已冻结，不能再修改；如需更正请添加更正记录"), "closed"
        )
    return meeting


def citation(meeting: Meeting) -> str:
    """Return how a record cites the meeting: 双周研判（HY-2026-0003，2026-12-01）."""
    return f"{kind_label(meeting.kind)}（{meeting.number}，{meeting.held_on.isoformat()}）"


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise MeetingError(
            _l("会议刚刚已被他人修改，本次操作未保存，请刷新后重试"), "conflict"
        ) from None


def start(meeting_id: int, actor: User) -> Meeting:
    """Open the meeting (待召开 → 进行中); the agenda is fixed from now on."""
    meeting = load(meeting_id, actor)
    if meeting.status is not MeetingStatus.PENDING:
        raise MeetingError(_l("会议已开始"), "started")
    meeting.status = MeetingStatus.IN_PROGRESS
    meeting.started_at = clock.utc_now()
    _commit()
    return meeting


def refresh_agenda(meeting_id: int, actor: User) -> int:
    """Rebuild the agenda from the records as they stand today (before the meeting starts)."""
    meeting = load(meeting_id, actor)
    if meeting.status is not MeetingStatus.PENDING:
        raise MeetingError(_l("会议已开始，议程不能再刷新"), "started")
    if meeting.decisions:
        raise MeetingError(_l("议程已有决定，不能刷新"), "decided")
    count = freeze(meeting, clock.org_today(), clock.utc_now())
    _commit()
    return count


def save_minutes(meeting_id: int, minutes: MinutesInput, actor: User) -> Meeting:
    """Record the opinions and who was present."""
    meeting = load(meeting_id, actor)
    meeting.opinions = minutes.opinions.strip()
    for attendee in meeting.attendees:
        attendee.present = attendee.id in minutes.present_ids
    meeting.updated_at = clock.utc_now()
    _commit()
    return meeting


def _warning_command(code: str, meeting: Meeting, reason: str, given: DecisionInput) -> Command:
    event = DECISION_EVENTS[code]
    if event is Event.ESCALATE:
        return Escalate(reason=reason)
    if event is Event.CLARIFY:
        return Clarify(
            reason=reason,
            method="meeting",
            clarified_on=meeting.held_on,
            scope=meeting.unit.name,
            document_number=meeting.number,
        )
    if event is Event.ACCEPT:
        return Accept(reason=reason, opinion=reason)
    return Refer(
        reason=reason,
        receiving_organ=given.receiving_organ.strip(),
        document_number=given.document_number.strip(),
        referred_on=meeting.held_on,
        note=reason,
    )


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise MeetingError(_l("该议程事项不属于本次会议"), "item")
    return item


def record_decision(
    meeting_id: int, item_id: int, given: DecisionInput, actor: User
) -> MeetingDecision:
    """Record a decision on one agenda line and fire what it calls for, in one transaction."""
    meeting = load(meeting_id, actor)
    item = _item(meeting, item_id)
    code = given.kind
    if code not in DECISION_CODES:
        raise MeetingError(_l("请选择决定类型"), "kind")
    if code == "other" and not given.note.strip():
        raise MeetingError(_l("选择“其他”时请写明决定内容"), "note")
    reason = f"{citation(meeting)}决定：{decision_label(code)}"
    if given.note.strip():
        reason += f"。{given.note.strip()}"
    decision = MeetingDecision(
        meeting=meeting,
        agenda_item=item,
        kind=code,
        tier=given.tier,
        note=given.note.strip(),
        record_type=DECISION_RECORDS.get(code, ""),
        recorded_by_id=actor.id,
        at=clock.utc_now(),
    )
    if meeting.status is MeetingStatus.PENDING:
        meeting.status = MeetingStatus.IN_PROGRESS
        meeting.started_at = decision.at
    db.session.add(decision)
    try:
        if code in DECISION_EVENTS:
            if item.subject_type != "warning":
                raise MeetingError(_l("该决定只能针对预警事项"), "subject")
            warning = get_in_scope_or_404(Warning, item.subject_id, actor)
            row = apply_command(warning, _warning_command(code, meeting, reason, given), actor)
            db.session.flush()
            decision.warning_id, decision.warning_event_id = warning.id, row.id
        elif code == "propose":
            return _propose(meeting, item, decision, given, reason, actor)
        elif code == "verify":
            return _verify(item, decision, reason, actor)
        _commit()
    except (WorkflowError, MeetingError, ReportError):
        db.session.rollback()
        raise
    return decision


def _propose(meeting, item, decision, given, reason, actor) -> MeetingDecision:
    """提出预警: open a draft warning whose reason cites the meeting, with the decision."""
    if not given.tier:
        db.session.rollback()
        raise MeetingError(_l("提出预警时请选择预警等级"), "tier")
    items: list[int] = []
    if item.subject_type == "negative_info":
        info = db.session.get(NegativeInfo, item.subject_id)
        if info is not None and Status(info.status).is_verified:
            items = [info.id]
    db.session.flush()
    decision_id = decision.id
    # create_warning commits the decision with the warning, or rolls both back when refused.
    warning = create_warning(actor, item.cadre_id, given.tier, items, reason)
    decision = db.session.get(MeetingDecision, decision_id)
    decision.warning_id = warning.id
    decision.warning_event_id = warning.events[0].id if warning.events else None
    _commit()
    return decision


def _verify(item, decision, reason, actor) -> MeetingDecision:
    """开展核实: start the verification of a line's item still 待核实, the meeting cited."""
    if item.subject_type != "negative_info":
        _commit()
        return decision
    info = get_in_scope_or_404(NegativeInfo, item.subject_id, actor)
    if Status(info.status) is not Status.PENDING:
        _commit()  # already under way or concluded: the decision is recorded only
        return decision
    decision.record_type, decision.record_id = "negative_info", info.id
    db.session.flush()
    decision_id = decision.id
    # start_verification commits the decision with the item's new state and history line.
    start_verification(info, actor, actor.id, info.version, note=reason)
    return db.session.get(MeetingDecision, decision_id)


def linked_record_id(decision: MeetingDecision) -> int | None:
    """Return the record linked to a decision, directly or by a correction after the close."""
    if decision.record_id is not None:
        return decision.record_id
    fixes = [d for d in decision.meeting.decisions if d.corrects_id == decision.id]
    return next((d.record_id for d in fixes if d.record_id is not None), None)


def link_record(decision_id: int, record_id: int, actor: User) -> MeetingDecision:
    """Link the talk or inquiry a decision asked for (the record is written after the meeting).

    On an open meeting the decision itself is linked. A closed meeting's decisions are frozen:
    the link is then a recorded correction (a new entry pointing at the decision), never an
    edit. An inquiry gets a history line citing the meeting; a talk has no history table, so
    the citation stays on the decision.
    """
    decision = db.session.get(MeetingDecision, decision_id)
    if decision is None:
        raise MeetingError(_l("决定不存在"), "missing")
    meeting = load(decision.meeting_id, actor, open_only=False)
    model = RECORD_MODELS.get(decision.record_type)
    if model is None or decision.corrects_id or linked_record_id(decision) is not None:
        raise MeetingError(_l("该决定无需关联记录或已关联"), "record")
    record = get_in_scope_or_404(model, record_id, actor)
    if decision.agenda_item is None or record.cadre_id != decision.agenda_item.cadre_id:
        raise MeetingError(_l("所选记录不属于该议程事项的干部"), "record")
    label = decision_label(decision.kind)
    now = clock.utc_now()
    if meeting.closed:
        decision = MeetingDecision(
            meeting=meeting,
            agenda_item_id=decision.agenda_item_id,
            kind="other",
            note=f"会后关联{label}记录（#{record.id}）",
            record_type=decision.record_type,
            record_id=record.id,
            corrects_id=decision.id,
            recorded_by_id=actor.id,
            at=now,
        )
        db.session.add(decision)
    else:
        decision.record_id = record.id
    if isinstance(record, Inquiry):
        add_history(record, actor, "meeting_decision", f"{citation(meeting)}决定：{label}")
    meeting.updated_at = now
    _commit()
    return decision


def correct(meeting_id: int, decision_id: int, note: str, actor: User) -> MeetingDecision:
    """Add a correction to a closed meeting's decision: a new entry linked to the old one."""
    meeting = load(meeting_id, actor, open_only=False)
    if not meeting.closed:
        raise MeetingError(_l("会议未结束，可直接修改"), "open")
    old = db.session.get(MeetingDecision, decision_id)
    if old is None or old.meeting_id != meeting.id or not note.strip():
        raise MeetingError(_l("请写明更正内容"), "note")
    fix = MeetingDecision(
        meeting=meeting,
        agenda_item_id=old.agenda_item_id,
        kind="other",
        note=note.strip(),
        corrects_id=old.id,
        recorded_by_id=actor.id,
        at=clock.utc_now(),
    )
    db.session.add(fix)
    _commit()
    return fix


def close(meeting_id: int, actor: User, today: date | None = None) -> Meeting:
    """End the meeting: its minutes freeze; a quarterly review freezes the three lists too."""
    from webapp.meetings.lists import snapshot_lists

    meeting = load(meeting_id, actor)
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = clock.utc_now()
    meeting.closed_by_id = actor.id
    if meeting.kind == QUARTERLY:
        snapshot_lists(meeting, today or clock.org_today())
    _commit()
    return meeting
