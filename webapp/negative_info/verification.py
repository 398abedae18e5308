"""Verification of negative information (核实): start, conclude, reopen, deadlines, inquiries."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp import signals
from webapp.clock import org_today
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.models import Cadre, Inquiry, NegativeInfo, User
from webapp.negative_info import due as due_source
from webapp.negative_info.numbering import next_number
from webapp.negative_info.queries import handler_choices
from webapp.negative_info.records import (
    NUMBER_PREFIX,
    ReportError,
    add_history,
    cadre_snapshot,
    check_version,
    commit,
    item_row,
    set_cadre,
    situations,
    verify_workdays,
)
from workflows.calendar import WorkCalendar
from workflows.verification import (
    CONCLUSIONS,
    Event,
    Request,
    Status,
    VerificationError,
    allowed_events,
    apply,
)

VERIFICATION_MESSAGES = {
    "not_allowed": _l("当前核实状态下不能执行此操作，请刷新页面后再试"),
    "handler_required": _l("请指定承办人"),
    "cadre_required": _l("请先确定所涉干部，再开始核实"),
    "reason_required": _l("重新核实须填写原因"),
    "conclusion_required": _l("请选择核实结论"),
    "note_required": _l("请填写核实情况说明"),
    "date_required": _l("请填写核实办结日期"),
    "date_in_future": _l("核实办结日期不能晚于今天"),
    "date_before_start": _l("核实办结日期不能早于开始核实日期"),
}
START_MESSAGES = {
    "start_in_future": _l("开始核实日期不能晚于今天"),
    "start_before_received": _l("开始核实日期不能早于收到时间"),
}
# What a 转初步核实 inquiry conclusion is filed as when no item was linked to the inquiry;
# the supervisor corrects category and situation on the item if the matters call for it.
INQUIRY_CONCLUSION = "preliminary"
FROM_INQUIRY = {
    "category": "supervision",
    "situation": "general_petition",
    "source_channel": "daily",
    "severity": "minor",
}


def verification_message(exc: VerificationError) -> str:
    """Return the UI message for a refused verification step."""
    return str(VERIFICATION_MESSAGES.get(exc.code, exc.code))


def start_problem(received_on: date | None, started_on: date, today: date) -> str | None:
    """Return a code saying why a start date cannot be, or None."""
    if started_on > today:
        return "start_in_future"
    if received_on and started_on < received_on:
        return "start_before_received"
    return None


def _open_clock(info: NegativeInfo, started_on: date) -> dict[str, Any]:
    workdays = verify_workdays(info.source_channel)
    deadline = work_calendar().add_workdays(started_on, workdays)
    info.verification_started_on = started_on
    info.verification_workdays = workdays
    info.verification_due = deadline.due
    info.verification_due_provisional = deadline.provisional
    return {
        "started_on": started_on.isoformat(),
        "due": deadline.due.isoformat(),
        "workdays": workdays,
        "provisional": deadline.provisional,
    }


def _start(
    info: NegativeInfo,
    user: User | None,
    handler_id: int | None,
    started_on: date,
    *,
    event: str = "start",
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> None:
    """Apply START and write the item and its history line (no commit)."""
    today = org_today()
    try:
        new = apply(
            info.status,
            Request(
                Event.START,
                today,
                handler_id=handler_id or None,
                has_cadre=info.cadre_id is not None,
            ),
        )
    except VerificationError as exc:
        raise ReportError(verification_message(exc)) from exc
    if problem := start_problem(info.received_on, started_on, today):
        raise ReportError(str(START_MESSAGES[problem]))
    old = info.status
    info.status = new
    info.handler_id = handler_id
    clock = _open_clock(info, started_on)
    if info.id is None:
        db.session.flush()  # a new item (from an inquiry) needs its id for the obligation
    due_source.open_verification_due(info)
    add_history(
        info,
        user,
        event,
        from_status=old,
        to_status=new,
        note=note,
        changes={
            "handler": db.session.get(User, handler_id).full_name,
            **clock,
            **(changes or {}),
        },
    )


def start_verification(
    info: NegativeInfo,
    user: User,
    handler_id: int | None,
    version: int | None,
    cadre: Cadre | None = None,
    note: str = "",
    started_on: date | None = None,
) -> NegativeInfo:
    """Move an item to 核实中 with a handler and a deadline counted from its start date."""
    check_version(info, version)
    picked = None
    if cadre is not None and info.cadre_id is None:
        # Keep the name as the liaison reported it in the history.
        picked = [info.cadre_name, cadre.name]
        set_cadre(info, cadre)
    if handler_id and handler_id not in {uid for uid, _label in handler_choices(info.cadre_id)}:
        raise ReportError(_("承办人须为有权办理负面信息、且数据权限覆盖该干部的在职用户"))
    _start(
        info,
        user,
        handler_id,
        started_on or org_today(),
        note=note,
        changes={"cadre_id": picked} if picked else {},
    )
    commit()
    return info


def conclude_verification(
    info: NegativeInfo,
    user: User,
    conclusion: str,
    concluded_on: date | None,
    note: str,
    version: int | None,
) -> NegativeInfo:
    """Record the verification's conclusion (属实/部分属实/失实/无法核实) and its note."""
    check_version(info, version)
    try:
        chosen = Status(conclusion) if conclusion in CONCLUSIONS else None
        new = apply(
            info.status,
            Request(
                Event.CONCLUDE,
                org_today(),
                started_on=info.verification_started_on,
                conclusion=chosen,
                concluded_on=concluded_on,
                note=note,
            ),
        )
    except VerificationError as exc:
        raise ReportError(verification_message(exc)) from exc
    old = info.status
    info.status = new
    info.verification_note = note
    info.verified_on = concluded_on
    info.verified_by_id = user.id
    add_history(info, user, "conclude", from_status=old, to_status=new, note=note)
    due_source.close_verification_due(info)
    signals.verification_concluded.send(info, previous=old, actor=user)
    commit()
    return info


def reopen_verification(
    info: NegativeInfo, user: User, reason: str, version: int | None
) -> NegativeInfo:
    """Send a concluded item back to 核实中 with a fresh deadline; the reason is kept."""
    check_version(info, version)
    _reopen(info, user, reason, org_today())
    commit()
    return info


def _reopen(
    info: NegativeInfo, user: User | None, reason: str, started_on: date, event: str = "reopen"
) -> None:
    """Apply REOPEN with a fresh deadline and write the history line (no commit)."""
    try:
        new = apply(info.status, Request(Event.REOPEN, org_today(), note=reason))
    except VerificationError as exc:
        raise ReportError(verification_message(exc)) from exc
    old = info.status
    info.status = new
    clock = _open_clock(info, started_on)
    info.verified_on = None
    info.verified_by_id = None
    due_source.open_verification_due(info)
    add_history(
        info,
        user,
        event,
        from_status=old,
        to_status=new,
        note=reason,
        changes={"due": clock["due"], "provisional": clock["provisional"]},
    )


def available_events(info: NegativeInfo) -> list[str]:
    """Return the verification events the table allows now (the forms offer only these)."""
    return [e.value for e in allowed_events(info.status)]


# ---------------------------------------------------------------- 函询转初步核实


def verify_from_inquiry(inquiry: Inquiry, *, actor: User, **_kw: object) -> NegativeInfo | None:
    """Put the inquiry's item into 核实中, or open one for it (answers `inquiry_concluded`).

    Writes in the caller's transaction and does not commit; returns the item so the
    inquiries area can link it, or None when the conclusion asks for no verification.
    """
    if inquiry.conclusion != INQUIRY_CONCLUSION:
        return None
    decided_on = inquiry.concluded_on or org_today()
    note = _("函询（第%(n)s次）转初步核实", n=inquiry.round)
    info = inquiry.negative_info or _previous_rounds_item(inquiry)
    if info is None:
        info = _item_for(inquiry, actor)
    elif info.cadre_id is None:
        set_cadre(info, inquiry.cadre)  # the inquiry names the cadre the liaison could not
    # Verification starts on the decision, never before the item was received.
    started_on = max(decided_on, info.received_on)
    if info.status == Status.PENDING:
        _start(info, actor, actor.id, started_on, event="from_inquiry", note=note)
    elif info.status in CONCLUSIONS:
        _reopen(info, actor, note, started_on, event="from_inquiry")
    # Already 核实中 (a corrected conclusion, or verification running): nothing to move.
    db.session.flush()
    return info


def _previous_rounds_item(inquiry: Inquiry) -> NegativeInfo | None:
    previous = inquiry.previous
    while previous is not None:
        if previous.negative_info is not None:
            return previous.negative_info
        previous = previous.previous
    return None


def _item_for(inquiry: Inquiry, actor: User) -> NegativeInfo:
    """Build the 待核实 item an inquiry opens, with its history line."""
    tiers = {value: s.tier for value, s in situations(active_only=False).items()}
    with db.session.no_autoflush:
        info = NegativeInfo(
            **item_row(
                {
                    **FROM_INQUIRY,
                    "occurred_on": inquiry.issued_on,
                    "received_on": inquiry.concluded_on or org_today(),
                    "summary": inquiry.matters,
                    "details": inquiry.conclusion_note,
                },
                number=next_number(NUMBER_PREFIX, org_today().year),
                created_by=actor,
                tiers=tiers,
                **cadre_snapshot(inquiry.cadre),
            )
        )
    db.session.add(info)
    db.session.flush()
    add_history(info, actor, "created", to_status=info.status, note=_("由函询转初步核实登记"))
    return info


# ---------------------------------------------------------------- holidays


def recompute_provisional_deadlines(cal: WorkCalendar) -> int:
    """Recount provisional verification deadlines with the working days they were set with."""
    stmt = select(NegativeInfo).where(
        NegativeInfo.status == Status.VERIFYING,
        NegativeInfo.verification_due_provisional.is_(True),
    )
    changed = 0
    for info in db.session.scalars(stmt):
        if info.verification_started_on is None or info.verification_workdays is None:
            continue
        # The count stored at the start, never today's parameter: a later change of the
        # limit must not move a verification already running.
        deadline = cal.add_workdays(info.verification_started_on, info.verification_workdays)
        if (deadline.due, deadline.provisional) == (
            info.verification_due,
            info.verification_due_provisional,
        ):
            continue
        note = f"{info.verification_due.isoformat()} → {deadline.due.isoformat()}"
        info.verification_due = deadline.due
        info.verification_due_provisional = deadline.provisional
        add_history(info, None, "deadline_recomputed", note=note)
        due_source.open_verification_due(info, cal)
        changed += 1
    db.session.flush()  # the holiday page commits once, after every area has recomputed
    return changed
