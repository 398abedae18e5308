"""The 必谈 due source: a mandatory-talk obligation opened by a 必谈 career event."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from webapp.clock import org_today, to_org
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.lookups import dict_items, param_int
from webapp.models import CadreEvent, Obligation
from webapp.obligations import services as obligations
from workflows.obligations import ObligationKind, mandatory_talk

SUBJECT = "cadre_event"


def event_type(kind: str) -> dict:
    """Return the cadre_event dictionary's extra for a kind ({} when unknown)."""
    for item in dict_items("cadre_event", active_only=False):
        if item.value == kind:
            return item.extra or {}
    return {}


def is_mandatory(kind: str) -> bool:
    """Tell whether recording an event of this kind calls for a 必谈."""
    return bool(event_type(kind).get("mandatory_talk"))


def talk_occasion(kind: str) -> str:
    """Return the 必谈情形 that meets an event of this kind ('' for any occasion)."""
    return str(event_type(kind).get("talk_occasion") or "")


def open_mandatory_talk(event: CadreEvent) -> None:
    """Open the 必谈 obligation for a just-recorded event when its type is 必谈."""
    _open(event, org_today())


def _open(event: CadreEvent, recorded_on: date) -> None:
    cal = work_calendar()
    terms = mandatory_talk(
        recorded_on,  # counted from the day the event is recorded, not the day it occurred
        is_mandatory(event.kind),
        cal,
        param_int("talk.mandatory_due_workdays"),
    )
    if terms is not None:
        _declare(terms, event.id, event.cadre_id, event.created_by_id, cal)


def _declare(terms, event_id: int, cadre_id: int, recorder_id: int | None, cal) -> None:
    obligations.open_from_terms(
        terms,
        subject_type=SUBJECT,
        subject_id=event_id,
        cadre_id=cadre_id,
        today=org_today(),
        responsible_user_id=recorder_id,
        # Without a recorder, the supervisors of the cadre's unit are told.
        step_role=None if recorder_id else "supervisor",
        cal=cal,
    )


def recompute_provisional_talks(cal, **_kw: object) -> int:
    """Recount provisional 必谈 dues with new holiday data; return how many moved."""
    stmt = select(Obligation).where(
        Obligation.kind == ObligationKind.MANDATORY_TALK,
        Obligation.subject_type == SUBJECT,
        Obligation.closed_at.is_(None),
        Obligation.provisional,
    )
    moved = 0
    for row in db.session.scalars(stmt):
        # The count stored when the event was recorded, never today's parameter.
        terms = mandatory_talk(row.start_on, True, cal, row.total_workdays)
        if (terms.due, terms.provisional) == (row.due_on, row.provisional):
            continue
        _declare(terms, row.subject_id, row.cadre_id, row.responsible_user_id, cal)
        moved += 1
    return moved


def sync_all() -> int:
    """Declare the 必谈 of every 必谈 event that never had one (deploy); then run the talks'.

    An event whose obligation was ever declared is left alone, so a 必谈 already met is not
    owed again; the talks' `sync_all` closes what a talk recorded since has met.
    """
    declared = select(Obligation.subject_id).where(
        Obligation.kind == ObligationKind.MANDATORY_TALK, Obligation.subject_type == SUBJECT
    )
    stmt = select(CadreEvent).where(CadreEvent.id.not_in(declared)).order_by(CadreEvent.id)
    count = 0
    for event in db.session.scalars(stmt):
        if is_mandatory(event.kind):
            _open(event, to_org(event.created_at).date())
            count += 1
    return count
