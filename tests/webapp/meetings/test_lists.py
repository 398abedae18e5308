"""The three lists: counts equal what the test computes, exports carry the same rows, scope holds."""

from __future__ import annotations

from datetime import date, datetime
from html.parser import HTMLParser
from io import BytesIO

import time_machine
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from tests.helpers import act
from tests.webapp.meetings.conftest import IN_WINDOW, NOW
from webapp.clock import org_zone
from webapp.extensions import db as _db
from webapp.meetings import services
from webapp.meetings.lists import PROBLEMS, RECTIFICATIONS, RESULTS, ListQuery, produce
from webapp.meetings.services import DecisionInput
from webapp.models import CadreEvent, NegativeInfo, Obligation, Warning
from webapp.models.meetings import ListSnapshot, Meeting

PERIOD = (date(2026, 11, 1), date(2026, 12, 1))


def in_unit(cadre, unit) -> bool:
    return cadre is not None and cadre.unit.path.startswith(unit.path)


TOLERANCE = {
    "facts": "先行先试中的失误",
    "distinctions": "无私利",
    "collective_decision": "部务会",
    "decided_on": date(2026, 11, 20),
}


def add_results(world, rhythm):
    """Put results and open work in the period: a rectification returned once (its second round
    open), a warning accepted and lifted, a tolerance decision in the other district, an award."""
    with time_machine.travel(IN_WINDOW, tick=False):
        act(rhythm.old_warning, "record_action", world.supervisor, action_kind="reminder_talk",
            done_on="2026-11-20", content="已谈话提醒", plan="每月报告思想动态")  # fmt: skip
        act(rhythm.old_warning, "submit_report", world.supervisor, report="初步整改")
        act(rhythm.old_warning, "return", world.reviewer, reason="整改不到位",
            new_deadline=date(2026, 12, 20), plan="第二轮：逐月报告整改进展")  # fmt: skip
        act(rhythm.warning, "record_action", world.supervisor, action_kind="reminder_talk",
            done_on="2026-11-20", content="已谈话提醒", plan="按期整改")  # fmt: skip
        act(rhythm.warning, "submit_report", world.supervisor, report="已整改到位")
        act(rhythm.warning, "accept", world.reviewer, opinion="整改到位，予以销号")
        act(rhythm.far_warning, "tolerate", world.approver, outcome="denied", **TOLERANCE)
        _db.session.add(
            CadreEvent(cadre_id=world.cadre.id, kind="award", occurred_on=date(2026, 11, 25),
                       description="市级优秀公务员", document_number="市表〔2026〕3号")
        )  # fmt: skip
        _db.session.commit()


def _local_day(at) -> date:
    return at.astimezone(org_zone()).date()


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
    warnings = [w for w in _db.session.scalars(select(Warning)) if in_unit(w.cadre, unit)]
    active = [w for w in warnings if w.state in ("issued", "rectifying", "reviewing")]
    overdue = [
        o
        for o in _db.session.scalars(select(Obligation))
        if in_unit(o.cadre, unit)
        and o.closed_at is None
        and o.due_on < end
        and o.kind != "influence_ending"
    ]
    lifted = [
        e
        for w in warnings
        for e in w.events
        if e.to_state == "lifted" and e.from_state != "lifted" and start <= _local_day(e.at) <= end
    ]
    accepted = [
        r
        for w in warnings
        for r in w.rectifications
        if r.review_result == "accepted" and start <= r.reviewed_on <= end
    ]
    clarified = [
        c for w in warnings for c in w.clarifications if c.method and start <= c.clarified_on <= end
    ]
    tolerated = [t for w in warnings for t in w.tolerance_decisions if start <= t.decided_on <= end]
    green = [
        w
        for w in warnings
        if w.state == "lifted"
        and w.influence_until
        and start <= w.influence_until <= end
        and w.cadre.status_colour == "green"
    ]
    awards = [
        e
        for e in _db.session.scalars(select(CadreEvent))
        if in_unit(e.cadre, unit) and e.kind == "award" and start <= e.occurred_on <= end
    ]
    # Only each warning's round still open: a returned round is closed by the new one.
    open_rect = [
        r
        for w in warnings
        if w.state in ("rectifying", "reviewing")
        for r in w.rectifications
        if r.review_result == "" and r.started_on <= end
    ]
    return {
        PROBLEMS: len(items) + len(active) + len(overdue),
        RESULTS: len(lifted)
        + len(accepted)
        + len(clarified)
        + len(tolerated)
        + len(green)
        + len(awards),
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
    assert {row[2] for row in province.rows} == {
        "预警销号", "整改验收通过", "澄清正名", "容错认定", "表彰奖励"
    }  # fmt: skip
    district_results = produce(RESULTS, ListQuery(world.other, *PERIOD), rhythm.secretary)
    assert {row[2] for row in district_results.rows} == {"澄清正名", "容错认定"}
    district = produce(PROBLEMS, ListQuery(world.other, *PERIOD), rhythm.secretary)
    assert {row[0] for row in district.rows} <= {world.far_cadre.name, rhythm.young.name}
    rect = produce(RECTIFICATIONS, ListQuery(world.root, *PERIOD), rhythm.secretary)
    # Returned once: one row, the open second round (not the closed first one as well).
    assert [row[2] for row in rect.rows] == [rhythm.old_warning.number]
    assert rect.rows[0][4] == "第二轮：逐月报告整改进展"
    assert rect.rows[0][5] == date(2026, 12, 20)


def test_a_user_sees_only_the_cadres_in_their_scope(meetings, rhythm, world):
    # The district secretary asks for the whole province: only the district's rows come back.
    got = produce(PROBLEMS, ListQuery(world.root, *PERIOD), rhythm.district_secretary)
    assert got.rows
    assert {row[1] for row in got.rows} == {world.other.name}


def login_as(client, login, user):
    response = login(user.username)
    assert response.status_code == 302


class _ListTable(HTMLParser):
    """Read the cells of the page's #list table body."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_list = self._in_body = self._in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("id", "list") in attrs:
            self._in_list = True
        elif self._in_list and tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._in_cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == "td":
            self._in_cell = False
        elif tag == "tbody":
            self._in_body = self._in_list = False

    def handle_data(self, data):
        if self._in_cell:
            self.rows[-1][-1] += data


def as_text(value) -> str:
    """Return a cell as the page shows it (dates as 2026-11-20, nothing as empty)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, date) else str(value)


def test_the_exports_carry_the_page_rows_whole_for_all_three_lists(
    client, login, meetings, rhythm, world
):
    add_results(world, rhythm)
    login_as(client, login, world.reviewer)
    for kind in (PROBLEMS, RESULTS, RECTIFICATIONS):
        args = {"kind": kind, "unit_id": world.root.id, "start": "2026-11-01", "end": "2026-12-01"}
        want = produce(kind, ListQuery(world.root, *PERIOD), world.reviewer)
        assert want.rows, kind
        expected = [[as_text(v) for v in row] for row in want.rows]
        page = client.get("/meetings/lists", query_string=args)
        assert page.status_code == 200
        table = _ListTable()
        table.feed(page.get_data(as_text=True))
        assert [[c.strip() for c in row] for row in table.rows] == expected, kind
        xlsx = client.get("/meetings/lists/export.xlsx", query_string=args)
        assert xlsx.status_code == 200
        sheet = load_workbook(BytesIO(xlsx.data)).active
        xlsx.close()  # the download streams from a temporary file
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == want.headers
        assert [[as_text(v) for v in r] for r in rows[1:]] == expected, kind
        docx = client.get("/meetings/lists/export.docx", query_string=args)
        word = Document(BytesIO(docx.data)).tables[0]
        assert [c.text for c in word.rows[0].cells] == want.headers
        assert [[c.text for c in r.cells] for r in word.rows[1:]] == expected, kind


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


def test_the_frozen_lists_do_not_depend_on_who_closes_the_review(rhythm, world):
    from tests.factories import make_user
    from tests.webapp.meetings.conftest import SERIES_START, series
    from webapp.meetings.scheduling import open_meeting
    from webapp.models import DataScope

    add_results(world, rhythm)
    # 本部门 at the city: sees the meeting, but none of the cadres in the units below.
    narrow = make_user("reviewer", world.root, DataScope.UNIT)
    with time_machine.travel(SERIES_START, tick=False):
        quarterly = series("quarterly", world.root, narrow)
    with time_machine.travel(NOW, tick=False):
        meeting = open_meeting(quarterly, NOW, NOW)
        _db.session.commit()
        services.close(meeting.id, narrow)
    q = ListQuery(world.root, meeting.period_start, meeting.held_on)
    for kind in (PROBLEMS, RESULTS, RECTIFICATIONS):
        frozen = _db.session.scalars(
            select(ListSnapshot).where(
                ListSnapshot.meeting_id == meeting.id, ListSnapshot.list_kind == kind
            )
        ).one()
        whole = produce(kind, q, rhythm.secretary)  # 全部: the whole city
        assert whole.rows, kind
        assert frozen.rows == [[as_text(v) or v for v in row] for row in whole.rows], kind
