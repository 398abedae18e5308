"""Inquiries (函询): letters, reply deadlines in working days, replies, conclusions, rounds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp import signals
from webapp.cadre_picker import cadre_title
from webapp.cadres.name_search import cadre_matches
from webapp.cadres.services import TimelineEntry
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.inquiries import due
from webapp.inquiries.due import sync_reply_due
from webapp.lookups import dict_label, param_int
from webapp.models import Cadre, Inquiry, NegativeInfo, OrgUnit, User
from webapp.models.talks import InquiryEvent
from webapp.obligations import lights
from webapp.paging import Page, SortKey, paginate
from webapp.security.scope import in_subtree, scoped
from webapp.talks.services import may_read
from workflows.calendar import Deadline, WorkCalendar
from workflows.deadlines import Light, due_after_workdays

AGAIN = "again"  # the 再次函询 conclusion: it opens the next round


# Latest letter first; the id settles a day's letters (and the pager's cursor).
LIST_ORDER = SortKey((Inquiry.issued_on, Inquiry.id), descending=True)


@dataclass(frozen=True)
class InquiryFilters:
    """What the inquiry list is filtered by."""

    q: str = ""
    status: str = ""
    conclusion: str = ""
    date_from: date | None = None
    date_to: date | None = None
    unit_id: int = 0


def inquiry_query(user: User, filters: InquiryFilters):
    """Build the scoped, filtered inquiry select, newest first."""
    stmt = scoped(select(Inquiry), Inquiry, user)
    if filters.q:
        stmt = stmt.where(cadre_matches(filters.q, Inquiry.cadre_id))
    if filters.status == "pending":
        stmt = stmt.where(Inquiry.replied_on.is_(None), Inquiry.conclusion == "")
    elif filters.status == "replied":
        stmt = stmt.where(Inquiry.replied_on.is_not(None), Inquiry.conclusion == "")
    elif filters.status == "concluded":
        stmt = stmt.where(Inquiry.conclusion != "")
    if filters.conclusion:
        stmt = stmt.where(Inquiry.conclusion == filters.conclusion)
    if filters.unit_id and (unit := db.session.get(OrgUnit, filters.unit_id)) is not None:
        stmt = stmt.where(in_subtree(Inquiry, unit))
    if filters.date_from:
        stmt = stmt.where(Inquiry.issued_on >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Inquiry.issued_on <= filters.date_to)
    return LIST_ORDER.order(stmt)


def list_inquiries(user: User, filters: InquiryFilters, args: Mapping[str, str]) -> Page:
    """Return the page of inquiries the query string asks for."""
    return paginate(inquiry_query(user, filters), LIST_ORDER, args)


def reply_deadline(issued_on: date, workdays: int, cal: WorkCalendar | None = None) -> Deadline:
    """Return the reply due date: N working days after the letter went out."""
    return due_after_workdays(issued_on, workdays, cal or work_calendar())


def set_issue(inquiry: Inquiry, issued_on: date) -> None:
    """Date the letter and count its reply deadline with the current parameter."""
    if inquiry.issued_on == issued_on and inquiry.reply_due is not None:
        return  # an edit of the matters must not move a deadline already counted
    inquiry.issued_on = issued_on
    inquiry.reply_workdays = param_int("inquiry.reply_workdays")
    deadline = reply_deadline(issued_on, inquiry.reply_workdays)
    inquiry.reply_due = deadline.due
    inquiry.reply_due_provisional = deadline.provisional


def set_cadre(inquiry: Inquiry, cadre: Cadre) -> None:
    """Point an inquiry at a cadre, keeping a snapshot of name, unit and position."""
    if inquiry.cadre_id != cadre.id:
        inquiry.cadre_id = cadre.id
        inquiry.cadre = cadre
        inquiry.cadre_name = cadre.name
        inquiry.cadre_title = cadre_title(cadre)


def create_inquiry(
    user: User, cadre: Cadre, data: dict[str, Any], about: NegativeInfo | None = None
) -> Inquiry:
    """Record an inquiry letter (round 1), linked to the item it looks into if about this cadre."""
    inquiry = Inquiry(created_by_id=user.id, round=1, matters=data["matters"].strip())
    if about is not None and about.cadre_id == cadre.id:
        inquiry.negative_info_id = about.id
    set_cadre(inquiry, cadre)
    set_issue(inquiry, data["issued_on"])
    db.session.add(inquiry)
    db.session.flush()
    sync_reply_due(inquiry)
    db.session.commit()
    return inquiry


def update_inquiry(inquiry: Inquiry, cadre: Cadre, data: dict[str, Any]) -> Inquiry:
    """Save edits to an inquiry letter; a new issue date recounts the deadline."""
    set_cadre(inquiry, cadre)
    inquiry.matters = data["matters"].strip()
    set_issue(inquiry, data["issued_on"])
    sync_reply_due(inquiry)
    db.session.commit()
    return inquiry


def record_reply(inquiry: Inquiry, data: dict[str, Any]) -> Inquiry:
    """Record the cadre's reply and the truthfulness pledge."""
    inquiry.replied_on = data["replied_on"]
    inquiry.reply = data["reply"].strip()
    inquiry.pledge_received_on = data["pledge_received_on"]
    sync_reply_due(inquiry)
    db.session.commit()
    return inquiry


def conclude(inquiry: Inquiry, user: User, data: dict[str, Any]) -> Inquiry | None:
    """Record the conclusion; 再次函询 opens the next round, which is returned."""
    inquiry.conclusion = data["conclusion"]
    inquiry.concluded_on = data["concluded_on"]
    inquiry.conclusion_note = (data["conclusion_note"] or "").strip()
    next_round = None
    # Saving the conclusion again (a correction) must not open a second next round.
    if inquiry.conclusion == AGAIN and not inquiry.next_rounds:
        # Reading the parameter and calendar must not flush the half-built round.
        with db.session.no_autoflush:
            next_round = Inquiry(
                created_by_id=user.id,
                round=inquiry.round + 1,
                previous=inquiry,
                matters=inquiry.matters,
                negative_info_id=inquiry.negative_info_id,
            )
            set_cadre(next_round, inquiry.cadre)
            # The new letter usually goes out with the decision; the user corrects the date.
            set_issue(next_round, inquiry.concluded_on)
            db.session.add(next_round)
    # 转初步核实: the negative-information area starts the verification (of a new item when
    # none is linked) in this transaction and answers with the item, linked here.
    for _receiver, item in signals.inquiry_concluded.send(inquiry, actor=user):
        if item is not None and inquiry.negative_info_id is None:
            inquiry.negative_info_id = item.id
    sync_reply_due(inquiry)
    if next_round is not None:
        db.session.flush()
        sync_reply_due(next_round)
    db.session.commit()
    return next_round


def reply_light(inquiry: Inquiry, today: date | None = None) -> Light | None:
    """Return 黄灯/红灯 for an unanswered letter, or None once it is answered or closed."""
    return lights.light_of(due.SUBJECT, inquiry.id, [due.KIND], today)


def reply_lights(inquiries: list[Inquiry]) -> dict[int, Light]:
    """Return the light of each unanswered letter on a page (one query)."""
    return lights.lights_of(due.SUBJECT, [inquiry.id for inquiry in inquiries], [due.KIND])


def recompute_provisional_replies(cal: WorkCalendar) -> int:
    """Recount provisional reply deadlines with new holiday data; return how many moved."""
    changed = 0
    for inquiry in db.session.scalars(
        select(Inquiry).where(Inquiry.reply_due_provisional.is_(True))
    ):
        # The count stored when the letter went out, never today's parameter.
        deadline = reply_deadline(inquiry.issued_on, inquiry.reply_workdays, cal)
        if (deadline.due, deadline.provisional) != (
            inquiry.reply_due,
            inquiry.reply_due_provisional,
        ):
            note = f"{inquiry.reply_due.isoformat()} → {deadline.due.isoformat()}"
            inquiry.reply_due = deadline.due
            inquiry.reply_due_provisional = deadline.provisional
            add_history(inquiry, None, "deadline_recomputed", note)
            sync_reply_due(inquiry, cal)
            changed += 1
    return changed


EVENT_LABELS = {
    "deadline_recomputed": _l("回复期限按节假日数据重新计算"),
    "meeting_decision": _l("研判会商决定"),
}


def add_history(inquiry: Inquiry, user: User | None, event: str, note: str = "") -> None:
    """Add one line to an inquiry's history, in the caller's transaction."""
    db.session.add(
        InquiryEvent(
            inquiry=inquiry,
            actor_id=user.id if user else None,
            actor_name=user.full_name if user else "system",
            event=event,
            note=note,
        )
    )


def inquiry_entries(
    cadre: Cadre, *, user: User | None = None, **_kw: object
) -> list[TimelineEntry]:
    """Turn the inquiries about a cadre that the user may see into timeline entries."""
    if not may_read(user):
        return []
    stmt = scoped(select(Inquiry).where(Inquiry.cadre_id == cadre.id), Inquiry, user)
    entries = []
    for inquiry in db.session.scalars(stmt):
        detail = inquiry.matters[:60]
        if inquiry.conclusion:
            detail = f"{dict_label('inquiry_conclusion', inquiry.conclusion)}：{detail}"
        entries.append(
            TimelineEntry(
                inquiry.issued_on,
                "inquiry",
                _("函询（第%(n)s次）", n=inquiry.round),
                detail,
                url_for("inquiries.detail", inquiry_id=inquiry.id),
            )
        )
    return entries


def negative_info_section(info, *, user: User | None = None, **_kw: object):
    """Show the inquiries into an item on its page (answers `negative_info_sections`)."""
    if not may_read(user):
        return None
    stmt = scoped(select(Inquiry).where(Inquiry.negative_info_id == info.id), Inquiry, user)
    inquiries = list(db.session.scalars(stmt.order_by(Inquiry.round, Inquiry.id)))
    if not inquiries:
        return None
    return signals.Section("inquiries/_negative_info_section.html", {"inquiries": inquiries})
