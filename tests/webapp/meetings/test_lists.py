"""The three lists: counts equal what the test computes, exports carry the same rows, scope holds."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import time_machine
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from tests.helpers import act
from tests.webapp.meetings.conftest import IN_WINDOW, NOW
from webapp.extensions import db as _db
from webapp.meetings import services
from webapp.meetings.lists import PROBLEMS, RECTIFICATIONS, RESULTS, ListQuery, produce
from webapp.meetings.services import DecisionInput
from webapp.models import CadreEvent, NegativeInfo, Obligation, Rectification, Warning
from webapp.models.meetings import ListSnapshot, Meeting

PERIOD = (date(2026, 11, 1), date(2026, 12, 1))


def in_unit(cadre, unit) -> bool:
    return cadre is not None and cadre.unit.path.startswith(unit.path)


def add_results(world, rhythm):
    """Put a rectification in progress, a meeting clarification and an award in the period."""
    with time_machine.travel(IN_WINDOW, tick=False):
        act(rhythm.old_warning, "record_action", world.supervisor, action_kind="reminder_talk",
            done_on="2026-11-20", content="已谈话提醒", plan="每月报告思想动态")  # fmt: skip
        _db.session.add(
            CadreEvent(cadre_id=world.cadre.id, kind="award", occurred_on=date(2026, 11, 25),
                       description="市级优秀公务员", document_number="市表〔2026〕3号")
        )  # fmt: skip
        _db.session.commit()


def counts(world, unit):
    """Count each list's rows from all rows, in Python."""
    start, end = PERIOD
    closed_basis = {
        i.id for w in _db.session.scalars(select(Warning)) if w.state.is_final for i in w.basis
    }
    items = [
        n
        for n in _db.session.scalars(select(NegativeInfo))
        if in_unit(n.cadre, unit)
        and n.status in ("true", "partly_true")
        and n.verified_on <= end
        and n.id not in closed_basis
    ]
    active = [
        w
        for w in _db.session.scalars(select(Warning))
        if in_unit(w.cadre, unit) and w.state in ("issued", "rectifying", "reviewing")
    ]
    overdue = [
        o
        for o in _db.session.scalars(select(Obligation))
        if in_unit(o.cadre, unit)
        and o.closed_at is None
        and o.due_on < end
        and o.kind != "influence_ending"
    ]
    warnings = list(_db.session.scalars(select(Warning)))
    clarified = [
        c
        for w in warnings
        if in_unit(w.cadre, unit)
        for c in w.clarifications
        if c.method and start <= c.clarified_on <= end
    ]
    awards = [
        e
        for e in _db.session.scalars(select(CadreEvent))
        if in_unit(e.cadre, unit) and e.kind == "award" and start <= e.occurred_on <= end
    ]
    open_rect = [
        r
        for r in _db.session.scalars(select(Rectification))
        if in_unit(_db.session.get(Warning, r.warning_id).cadre, unit)
        and _db.session.get(Warning, r.warning_id).state in ("rectifying", "reviewing")
        and r.review_result != "accepted"
    ]
    return {
        PROBLEMS: len(items) + len(active) + len(overdue),
        RESULTS: len(clarified) + len(awards),
        RECTIFICATIONS: len(open_rect),
    }


def test_the_lists_count_what_the_records_hold_province_and_district(meetings, rhythm, world):
    add_results(world, rhythm)
    meeting = meetings["province"]
    item = next(i for i in meeting.agenda if i.subject_id == rhythm.far_warning.id
                and i.subject_type == "warning")  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        services.record_decision(meeting.id, item.id, DecisionInput("clarify"), rhythm.secretary)
    for unit in (world.root, world.other):
        want = counts(world, unit)
        for kind in (PROBLEMS, RESULTS, RECTIFICATIONS):
            got = produce(kind, ListQuery(unit, *PERIOD), rhythm.secretary)
            assert len(got.rows) == want[kind], (unit.name, kind)
    province = produce(RESULTS, ListQuery(world.root, *PERIOD), rhythm.secretary)
    assert {row[2] for row in province.rows} == {"澄清正名", "表彰奖励"}
    district = produce(PROBLEMS, ListQuery(world.other, *PERIOD), rhythm.secretary)
    assert {row[0] for row in district.rows} <= {world.far_cadre.name, rhythm.young.name}
    rect = produce(RECTIFICATIONS, ListQuery(world.root, *PERIOD), rhythm.secretary)
    assert [row[2] for row in rect.rows] == [rhythm.old_warning.number]
    assert rect.rows[0][4] == "每月报告思想动态"


def test_a_user_sees_only_the_cadres_in_their_scope(meetings, rhythm, world):
    # The district secretary asks for the whole province: only the district's rows come back.
    got = produce(PROBLEMS, ListQuery(world.root, *PERIOD), rhythm.district_secretary)
    assert got.rows
    assert {row[1] for row in got.rows} == {world.other.name}


def login_as(client, login, user):
    response = login(user.username)
    assert response.status_code == 302


def test_the_exports_open_and_carry_the_page_rows(client, login, meetings, rhythm, world):
    add_results(world, rhythm)
    login_as(client, login, world.reviewer)
    args = {"kind": PROBLEMS, "unit_id": world.root.id, "start": "2026-11-01", "end": "2026-12-01"}
    page = client.get("/meetings/lists", query_string=args)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "问题清单" in html
    want = produce(PROBLEMS, ListQuery(world.root, *PERIOD), world.reviewer)
    xlsx = client.get("/meetings/lists/export.xlsx", query_string=args)
    assert xlsx.status_code == 200
    sheet = load_workbook(BytesIO(xlsx.data)).active
    xlsx.close()  # the download streams from a temporary file
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == want.headers
    assert [r[3] for r in rows[1:]] == [r[3] for r in want.rows]
    docx = client.get("/meetings/lists/export.docx", query_string=args)
    table = Document(BytesIO(docx.data)).tables[0]
    assert [c.text for c in table.rows[0].cells] == want.headers
    assert [r.cells[3].text for r in table.rows[1:]] == [r[3] for r in want.rows]
    for row in want.rows:
        assert row[0] in html


def test_a_district_user_cannot_list_the_province(client, login, meetings, rhythm, world):
    login_as(client, login, rhythm.district_secretary)
    args = {"kind": PROBLEMS, "unit_id": world.root.id, "start": "2026-11-01", "end": "2026-12-01"}
    refused = client.get("/meetings/lists/export.xlsx", query_string=args)
    assert refused.status_code == 404
    refused.close()
    assert world.cadre.name not in client.get("/meetings/lists").get_data(as_text=True)


def test_closing_a_quarterly_review_freezes_the_three_lists(rhythm, world):
    from tests.webapp.meetings.conftest import SERIES_START, series
    from webapp.meetings.scheduling import open_meeting

    with time_machine.travel(SERIES_START, tick=False):
        quarterly = series("quarterly", world.root, rhythm.secretary)
    with time_machine.travel(NOW, tick=False):
        meeting = open_meeting(quarterly, NOW, NOW)
        _db.session.commit()
        services.close(meeting.id, rhythm.secretary)
    snaps = {
        s.list_kind: s
        for s in _db.session.scalars(
            select(ListSnapshot).where(ListSnapshot.meeting_id == meeting.id)
        )
    }
    assert set(snaps) == {PROBLEMS, RESULTS, RECTIFICATIONS}
    q = ListQuery(world.root, meeting.period_start, meeting.held_on)
    live = produce(PROBLEMS, q, rhythm.secretary)
    assert len(snaps[PROBLEMS].rows) == len(live.rows) > 0
    assert _db.session.get(Meeting, meeting.id).closed


def test_the_frozen_lists_download_as_they_were(client, login, rhythm, world):
    from tests.webapp.meetings.conftest import SERIES_START, series
    from webapp.meetings.scheduling import open_meeting

    with time_machine.travel(SERIES_START, tick=False):
        quarterly = series("quarterly", world.root, rhythm.secretary)
    with time_machine.travel(NOW, tick=False):
        meeting = open_meeting(quarterly, NOW, NOW)
        _db.session.commit()
        services.close(meeting.id, rhythm.secretary)
    frozen = _db.session.scalars(
        select(ListSnapshot).where(
            ListSnapshot.meeting_id == meeting.id, ListSnapshot.list_kind == PROBLEMS
        )
    ).one()
    assert login(rhythm.secretary.username).status_code == 302
    html = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "问题清单" in html and "整改清单" in html
    response = client.get(f"/meetings/{meeting.id}/lists/problems.xlsx")
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    response.close()
    assert [r[3] for r in rows[1:]] == [r[3] for r in frozen.rows]
    assert client.get(f"/meetings/{meeting.id}/lists/nothing.xlsx").status_code == 404
