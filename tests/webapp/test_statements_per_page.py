"""Lists, exports, the profile and the warning detail send as many statements for 30 rows as for 3.

Each case grows its page by rows that differ in everything a row shows (cadre, unit, proposer,
approval step, actor), so a query run once per row — or once per distinct related row — shows
up as a count that grows.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import (
    make_cadre,
    make_inquiry,
    make_report,
    make_talk,
    make_unit,
    make_user,
)
from tests.statements import grown, statements_of_get
from webapp.extensions import db
from webapp.models import CadreEvent, DataScope, Warning, WarningEvent
from webapp.models.meetings import AgendaItem, Meeting, MeetingDecision, MeetingSeries
from webapp.models.negative_info import NegativeInfoEvent
from webapp.models.talks import InquiryEvent
from webapp.models.warnings import Approval

_numbers = itertools.count(1)
ROLES = ("reviewer", "approver", "minister")


def fresh_cadre(world):
    """Make a cadre in a unit of its own under the supervisor's unit."""
    return make_cadre(make_unit(parent=world.mine))


def make_warning_row(world, cadre=None, state: str = "issued", **fields) -> Warning:
    """Make a warning with its own proposer, basis item and history row."""
    cadre = cadre or fresh_cadre(world)
    proposer = make_user("supervisor", world.mine)
    n = next(_numbers)
    warning = Warning(
        number=f"YJ-S-{n:05d}",
        cadre_id=cadre.id,
        tier=1 + n % 3,
        state=state,
        proposer_id=proposer.id,
        handler_id=proposer.id,
        reason=f"事由{n}",
        issued_on=date(2026, 3, 2) if state != "pending_approval" else None,
        **fields,
    )
    warning.basis.append(make_report(cadre, status="true"))
    db.session.add(warning)
    db.session.flush()
    add_history(warning, proposer, "create", to_state="draft")
    return warning


def add_history(warning: Warning, actor, event: str, **fields) -> None:
    """Add a history row by a person."""
    db.session.add(
        WarningEvent(
            warning_id=warning.id,
            actor_id=actor.id,
            actor_name=actor.full_name,
            actor_role=actor.role.code,
            event=event,
            to_tier=int(warning.tier),
            **fields,
        )
    )


def pending_warning(world):
    n = next(_numbers)
    step = n % 3
    return make_warning_row(
        world, state="pending_approval", approval_step=step, awaiting_role=ROLES[step]
    )


def grow_profile(world, cadre):
    """Add one item of every kind to the cadre's timeline."""
    make_report(cadre)
    make_talk(cadre, created_by=make_user("supervisor", world.mine))
    make_inquiry(cadre, created_by=make_user("supervisor", world.mine))
    make_warning_row(world, cadre)
    db.session.add(
        CadreEvent(
            cadre_id=cadre.id,
            kind="award",
            occurred_on=date(2026, 1, 1),
            created_by_id=make_user("supervisor", world.mine).id,
        )
    )


def grow_detail(world, warning):
    """Add a basis item, an approval and a history row by another person."""
    actor = make_user(ROLES[next(_numbers) % 3], world.root)
    warning.basis.append(make_report(warning.cadre, status="true"))
    add_history(
        warning,
        actor,
        "approve",
        from_state="pending_approval",
        to_state="pending_approval",
        at=datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=next(_numbers)),
    )
    db.session.add(
        Approval(
            warning_id=warning.id,
            recorded_by_id=actor.id,
            tier=int(warning.tier),
            step=0,
            role=actor.role.code,
            decision="approved",
            comment="同意",
        )
    )


def make_meeting(world) -> Meeting:
    """Make a 双周研判 of a unit of its own, with its own secretary, one line and one decision."""
    unit = make_unit(parent=world.root)
    secretary = make_user("reviewer", unit)
    series = MeetingSeries(kind="biweekly", unit=unit, secretary=secretary)
    n = next(_numbers)
    meeting = Meeting(
        number=f"YP-S-{n:05d}",
        series=series,
        kind="biweekly",
        unit_id=unit.id,
        scheduled_for=datetime(2026, 11, 16, 2, 0, tzinfo=UTC) + timedelta(days=n),
        held_on=date(2026, 11, 16) + timedelta(days=n),
        period_start=date(2026, 11, 1),
        next_on=date(2026, 12, 1),
        secretary_id=secretary.id,
    )
    db.session.add(meeting)
    db.session.flush()
    add_meeting_line(world, meeting)
    return meeting


def add_meeting_line(world, meeting: Meeting) -> None:
    """Add an agenda line about a cadre of its own, and a decision on it by another person."""
    cadre = fresh_cadre(world)
    n = next(_numbers)
    item = AgendaItem(
        meeting_id=meeting.id,
        position=n,
        section="new_info",
        cadre_id=cadre.id,
        cadre_name=cadre.name,
        unit_name=cadre.unit.name,
        subject_type="negative_info",
        subject_id=make_report(cadre).id,
        subject_ref=f"FM-S-{n:05d}",
    )
    db.session.add(item)
    db.session.flush()
    db.session.add(
        MeetingDecision(
            meeting_id=meeting.id,
            agenda_item_id=item.id,
            kind="continue_watch",
            note=f"说明{n}",
            recorded_by_id=make_user("reviewer", world.root).id,
        )
    )


def grow_item(world, info):
    """Add a history line by another person and a warning resting on the item."""
    actor = make_user("supervisor", world.mine)
    db.session.add(
        NegativeInfoEvent(
            info_id=info.id, actor_id=actor.id, actor_name=actor.full_name, event="edit"
        )
    )
    warning = make_warning_row(world, info.cadre)
    warning.basis.append(info)


def grow_inquiry(world, inquiry):
    """Add a history line by another person."""
    actor = make_user("supervisor", world.mine)
    db.session.add(
        InquiryEvent(
            inquiry_id=inquiry.id, actor_id=actor.id, actor_name=actor.full_name, event="edit"
        )
    )


def grow_talk(world, talk):
    """Add a warning about the talk's cadre that the talk may answer."""
    make_warning_row(world, talk.cadre)


@dataclass(frozen=True)
class Case:
    """A page, and how to add one row to it."""

    url: Callable[[object, object], str]
    add_row: Callable[[object, object], object]
    subject: Callable[[object], object] = lambda world: None
    reader: Callable[[object, object], object] = lambda world, subject: world.reviewer


CASES = {
    "roster": Case(lambda w, s: "/cadres/", lambda w, s: fresh_cadre(w)),
    "negative_info_register": Case(
        lambda w, s: "/negative-info/",
        lambda w, s: make_report(fresh_cadre(w), created_by=make_user("supervisor", w.mine)),
    ),
    "warning_register": Case(lambda w, s: "/warnings/", lambda w, s: make_warning_row(w)),
    "warning_register_pending": Case(
        lambda w, s: "/warnings/?state=pending_approval", lambda w, s: pending_warning(w)
    ),
    "warnings_export": Case(lambda w, s: "/warnings/export.xlsx", lambda w, s: make_warning_row(w)),
    "pending_export": Case(
        lambda w, s: "/warnings/export.xlsx?state=pending_approval",
        lambda w, s: pending_warning(w),
    ),
    "pending_page": Case(lambda w, s: "/warnings/pending", lambda w, s: pending_warning(w)),
    "talk_list": Case(
        lambda w, s: "/talks/",
        lambda w, s: make_talk(fresh_cadre(w), created_by=make_user("supervisor", w.mine)),
    ),
    "inquiry_list": Case(
        lambda w, s: "/inquiries/",
        lambda w, s: make_inquiry(fresh_cadre(w), created_by=make_user("supervisor", w.mine)),
    ),
    "negative_info_export": Case(
        lambda w, s: "/excel/negative-info/export",
        lambda w, s: make_report(fresh_cadre(w)),
    ),
    "roster_export": Case(lambda w, s: "/excel/cadres/export", lambda w, s: fresh_cadre(w)),
    "meeting_list": Case(lambda w, s: "/meetings/", lambda w, s: make_meeting(w)),
    "meeting_detail": Case(
        lambda w, meeting: f"/meetings/{meeting.id}", add_meeting_line, make_meeting
    ),
    "meeting_decisions_export": Case(
        lambda w, meeting: f"/meetings/{meeting.id}/decisions.xlsx", add_meeting_line, make_meeting
    ),
    "negative_info_detail": Case(
        lambda w, info: f"/negative-info/{info.id}", grow_item, lambda w: make_report(w.cadre)
    ),
    "talk_detail": Case(
        lambda w, talk: f"/talks/{talk.id}", grow_talk, lambda w: make_talk(w.cadre)
    ),
    "inquiry_detail": Case(
        lambda w, inquiry: f"/inquiries/{inquiry.id}", grow_inquiry, lambda w: make_inquiry(w.cadre)
    ),
    "liaison_submissions": Case(
        lambda w, liaison: "/negative-info/mine",
        lambda w, liaison: make_report(fresh_cadre(w), created_by=liaison, via_liaison=True),
        lambda w: make_user("liaison", w.mine),
        reader=lambda w, liaison: liaison,
    ),
    "admin_users": Case(
        lambda w, s: "/admin/users",
        lambda w, s: make_user(
            "supervisor", make_unit(parent=w.root), DataScope.CUSTOM, scope_units=[w.mine]
        ),
        reader=lambda w, s: make_user("sysadmin", w.root),
    ),
    "cadre_profile": Case(lambda w, cadre: f"/cadres/{cadre.id}", grow_profile, lambda w: w.cadre),
    "warning_detail": Case(
        lambda w, warning: f"/warnings/{warning.id}",
        grow_detail,
        lambda w: make_warning_row(w, state="pending_approval", approval_step=1),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_statements_do_not_grow_with_the_rows(client, login, world, name):
    case = CASES[name]
    subject = case.subject(world)
    reader = case.reader(world, subject)
    for _ in range(3):
        case.add_row(world, subject)
    db.session.commit()
    login(reader.username)
    url = case.url(world, subject)
    few = statements_of_get(client, url)
    for _ in range(27):
        case.add_row(world, subject)
    db.session.commit()
    many = statements_of_get(client, url)
    assert len(many) == len(few), grown(few, many)
