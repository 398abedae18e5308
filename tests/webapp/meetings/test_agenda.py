"""The agenda equals what the test computes itself from the same rows, within the meeting's unit."""

from __future__ import annotations

from datetime import date

import time_machine
from sqlalchemy import select

from tests.factories import make_report
from tests.webapp.meetings.conftest import NOW
from webapp.extensions import db as _db
from webapp.meetings import services
from webapp.meetings.agenda import Section
from webapp.models import Cadre, NegativeInfo, Obligation, OrgUnit, WarningEvent, WarningProposal
from webapp.models.meetings import Meeting
from workflows.verification import CONCLUSIONS

SHANGHAI_OFFSET_HOURS = 8
CASE_KINDS_EXCLUDED = {"influence_ending", "mandatory_talk"}


def under(unit: OrgUnit) -> set[int]:
    """Return the ids of the cadres under a unit, computed in Python from every cadre."""
    return {c.id for c in _db.session.scalars(select(Cadre)) if c.unit.path.startswith(unit.path)}


def local_day(at) -> date:
    from datetime import timedelta

    return (at + timedelta(hours=SHANGHAI_OFFSET_HOURS)).date()


def expected(meeting: Meeting, today: date, young: bool = False) -> set[tuple]:
    """Compute the agenda's (section, cadre, subject) lines from all rows, independently."""
    cadres = under(meeting.unit)
    if young:
        cadres = {cid for cid in cadres if _db.session.get(Cadre, cid).is_young}
    start, end, nxt = meeting.period_start, max(meeting.held_on, today), meeting.next_on
    lines: set[tuple] = set()
    for info in _db.session.scalars(select(NegativeInfo)):
        if info.cadre_id not in cadres:
            continue
        if start <= info.received_on <= end:
            lines.add(("new_info", info.cadre_id, "negative_info", info.id))
        if info.verified_on and start <= info.verified_on <= end and info.status in CONCLUSIONS:
            lines.add(("verified", info.cadre_id, "negative_info", info.id))
    for event in _db.session.scalars(select(WarningEvent)):
        w = event.warning
        if w.cadre_id not in cadres or not start <= local_day(event.at) <= end:
            continue
        key = (w.cadre_id, "warning", w.id)
        if event.event == "create":
            lines.add(("warning_created", *key))
        if event.event == "escalate":
            lines.add(("warning_escalated", *key))
        if event.to_state == "issued" and event.from_state != "issued":
            lines.add(("warning_issued", *key))
        if event.to_state == "lifted":
            lines.add(("warning_lifted", *key))
        if event.to_state == "revoked" and event.from_state != "revoked":
            lines.add(("warning_revoked", *key))
    for p in _db.session.scalars(select(WarningProposal)):
        if p.status == "open" and p.warning.cadre_id in cadres:
            lines.add(("proposals", p.warning.cadre_id, "warning", p.warning_id))
    for o in _db.session.scalars(select(Obligation)):
        if o.closed_at is not None or o.cadre_id not in cadres:
            continue
        key = (o.cadre_id, o.subject_type, o.subject_id)
        if o.kind.value == "mandatory_talk":
            lines.add(("mandatory_talks", *key))
        elif o.kind.value == "influence_ending":
            if o.due_on <= nxt:
                lines.add(("influence_ending", *key))
        elif o.due_on < end:
            lines.add(("overdue", *key))
        elif o.due_on <= nxt:
            lines.add(("due_soon", *key))
    if young:
        lines |= {("young_cadres", cid, "cadre", cid) for _, cid, *_ in list(lines)}
    return lines


def agenda(meeting: Meeting) -> set[tuple]:
    return {(i.section, i.cadre_id, i.subject_type, i.subject_id) for i in meeting.agenda}


def test_the_province_agenda_equals_the_independent_lists(meetings, rhythm, world):
    meeting = meetings["province"]
    got = agenda(meeting)
    assert got == expected(meeting, NOW.date())
    assert len(got) == len(meeting.agenda)  # no line twice
    # The fortnight's records are there, the earlier ones are not.
    assert ("new_info", world.cadre.id, "negative_info", rhythm.new_item.id) in got
    assert ("new_info", world.cadre.id, "negative_info", rhythm.old_item.id) not in got
    assert ("verified", world.cadre.id, "negative_info", rhythm.verified.id) in got
    assert ("warning_issued", world.far_cadre.id, "warning", rhythm.far_warning.id) in got
    assert ("warning_created", world.cadre.id, "warning", rhythm.old_warning.id) not in got
    assert {s for s, *_ in got} >= {"new_info", "verified", "warning_created", "warning_issued"}
    assert meeting.period_start == date(2026, 11, 16)
    assert meeting.next_on == date(2026, 12, 16)


def test_the_district_agenda_holds_only_its_own_cadres(meetings, rhythm, world):
    meeting = meetings["district"]
    got = agenda(meeting)
    assert got == expected(meeting, NOW.date())
    district = under(world.other)
    assert got and {cadre for _, cadre, *_ in got} <= district
    assert world.cadre.id not in {i.cadre_id for i in meeting.agenda}
    assert ("new_info", world.far_cadre.id, "negative_info", rhythm.far_item.id) in got


def test_each_line_carries_colour_and_a_twelve_month_portrait(meetings, rhythm, world):
    line = next(i for i in meetings["province"].agenda if i.subject_id == rhythm.new_item.id)
    assert line.cadre_name == world.cadre.name
    assert line.colour == "yellow"  # two tier-1 warnings issued
    items = sum(
        1 for n in _db.session.scalars(select(NegativeInfo)) if n.cadre_id == world.cadre.id
    )
    assert line.portrait == {"negative_info": items, "warning": 2, "talk": 0, "inquiry": 0}


def test_the_agenda_is_frozen_and_refresh_rebuilds_it_before_the_start(meetings, rhythm, world):
    meeting = meetings["province"]
    before = agenda(meeting)
    with time_machine.travel(NOW, tick=False):
        late = make_report(world.cadre, received_on=date(2026, 12, 1))
        _db.session.commit()
    _db.session.expire_all()
    assert agenda(_db.session.get(Meeting, meeting.id)) == before  # records moved, agenda did not
    with time_machine.travel(NOW, tick=False):
        services.refresh_agenda(meeting.id, rhythm.secretary)
    meeting = _db.session.get(Meeting, meeting.id)
    assert ("new_info", world.cadre.id, "negative_info", late.id) in agenda(meeting)
    assert agenda(meeting) == expected(meeting, NOW.date())


def test_a_young_cadre_kind_reviews_the_young_cadres_only(rhythm, world):
    from tests.webapp.meetings.conftest import SERIES_START, series
    from webapp.meetings.scheduling import open_meeting

    with time_machine.travel(SERIES_START, tick=False):
        young_series = series("half_yearly", world.root, rhythm.secretary)
    with time_machine.travel(NOW, tick=False):
        meeting = open_meeting(young_series, NOW, NOW)
        _db.session.commit()
    got = agenda(meeting)
    assert got == expected(meeting, NOW.date(), young=True)
    assert {cadre for _, cadre, *_ in got} == {rhythm.young.id}
    assert ("young_cadres", rhythm.young.id, "cadre", rhythm.young.id) in got
    assert Section.YOUNG_CADRES.value in {i.section for i in meeting.agenda}
