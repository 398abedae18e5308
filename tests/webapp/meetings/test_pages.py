"""研判会商 pages: the list, a meeting's agenda and decisions, closing, the downloads, the scope."""

from __future__ import annotations

from io import BytesIO

import time_machine
from docx import Document
from openpyxl import load_workbook

from tests.webapp.meetings.conftest import NOW
from webapp.extensions import db as _db
from webapp.models import Warning
from webapp.models.meetings import Meeting


def enter(client, login, user):
    assert login(user.username).status_code == 302


def test_the_list_and_the_detail_show_the_meeting_in_chinese(client, login, meetings, rhythm):
    enter(client, login, rhythm.secretary)
    meeting = meetings["province"]
    html = client.get("/meetings/").get_data(as_text=True)
    assert "研判会商" in html and meeting.number in html and "双周研判" in html and "待召开" in html
    assert (
        client.get("/meetings/", query_string={"status": "closed"})
        .get_data(as_text=True)
        .count('data-number="')
        == 0
    )
    page = client.get(f"/meetings/{meeting.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ("议程", "新收到的负面信息", "下达的预警", "记录决定", "会议纪要", "结束会议"):
        assert text in html
    assert rhythm.warning.number in html and "负面信息 " in html  # the portrait line
    # Sections keep the agenda's order, not the alphabet of their codes.
    assert html.index("新收到的负面信息") < html.index("核实办结") < html.index("下达的预警")


def test_the_secretary_decides_closes_and_downloads(client, login, meetings, rhythm, world):
    enter(client, login, rhythm.secretary)
    meeting = meetings["province"]
    item = next(i for i in meeting.agenda if i.subject_id == rhythm.warning.id
                and i.section == "warning_issued")  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        done = client.post(
            f"/meetings/{meeting.id}/items/{item.id}/decide",
            data={"kind": "escalate", "note": "提醒后仍未改正"},
        )
    assert done.status_code == 302
    assert _db.session.get(Warning, rhythm.warning.id).tier == 2
    inquiry_item = meeting.agenda[0]
    asked = client.post(
        f"/meetings/{meeting.id}/items/{inquiry_item.id}/decide", data={"kind": "inquiry"}
    )
    assert inquiry_item.subject_type == "negative_info"
    assert asked.status_code == 302
    assert asked.location.endswith(f"/inquiries/new?negative_info_id={inquiry_item.subject_id}")
    present = [a.id for a in meeting.attendees]
    saved = client.post(
        f"/meetings/{meeting.id}/minutes", data={"present": present[:1], "opinions": "同意"}
    )
    assert saved.status_code == 302
    assert client.post(f"/meetings/{meeting.id}/close").status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Meeting, meeting.id).status == "closed"
    html = client.get(f"/meetings/{meeting.id}", follow_redirects=True).get_data(as_text=True)
    assert "已结束" in html and "记录决定" not in html
    refused = client.post(
        f"/meetings/{meeting.id}/items/{item.id}/decide",
        data={"kind": "watch"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "会议已结束" in refused
    minutes = client.get(f"/meetings/{meeting.id}/minutes.docx")
    assert minutes.status_code == 200
    document = Document(BytesIO(minutes.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "双周研判会议纪要" in text and "同意" in text
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert meeting.number in cells and "建议升级" in cells and "函询" in cells
    xlsx = client.get(f"/meetings/{meeting.id}/decisions.xlsx")
    rows = list(load_workbook(BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    xlsx.close()
    assert [r[5] for r in rows[1:]] == ["建议升级", "函询"]


def test_a_district_user_gets_404_for_the_province_meeting(client, login, meetings, rhythm):
    enter(client, login, rhythm.district_secretary)
    province, district = meetings["province"], meetings["district"]
    assert client.get(f"/meetings/{province.id}").status_code == 404
    assert client.get(f"/meetings/{province.id}/minutes.docx").status_code == 404
    html = client.get("/meetings/").get_data(as_text=True)
    assert district.number in html and province.number not in html
    page = client.get(f"/meetings/{district.id}").get_data(as_text=True)
    assert rhythm.warning.number not in page  # no other district's cadre in any line


def test_the_district_papers_name_only_the_districts_cadres(client, login, meetings, rhythm, world):
    from sqlalchemy import select

    from webapp.models import Cadre
    from webapp.security.scope import subtree_ids

    enter(client, login, rhythm.district_secretary)
    district = meetings["district"]
    line = next(i for i in district.agenda if i.subject_id == rhythm.far_warning.id)
    with time_machine.travel(NOW, tick=False):
        done = client.post(
            f"/meetings/{district.id}/items/{line.id}/decide",
            data={"kind": "watch", "note": "继续关注"},
        )
    assert done.status_code == 302
    everyone = {c.name for c in _db.session.scalars(select(Cadre))}
    ours = {
        c.name
        for c in _db.session.scalars(
            select(Cadre).where(Cadre.unit_id.in_(subtree_ids(world.other)))
        )
    }
    assert world.cadre.name in everyone - ours

    def named(texts) -> set[str]:
        return {name for name in everyone for text in texts if name in text}

    minutes = client.get(f"/meetings/{district.id}/minutes.docx")
    assert minutes.status_code == 200
    document = Document(BytesIO(minutes.data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    paragraphs = [p.text for p in document.paragraphs]
    assert world.far_cadre.name in cells  # the decision's line is in the minutes
    assert named(cells + paragraphs) <= ours
    xlsx = client.get(f"/meetings/{district.id}/decisions.xlsx")
    assert xlsx.status_code == 200
    rows = list(load_workbook(BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    xlsx.close()
    assert [r[2] for r in rows[1:]] == [world.far_cadre.name]
    assert named(str(v) for r in rows for v in r if v is not None) <= ours
    for kind in ("problems", "results", "rectifications"):
        args = {"kind": kind, "unit_id": world.other.id, "start": "2026-11-01", "end": "2026-12-01"}
        sheet_file = client.get("/meetings/lists/export.xlsx", query_string=args)
        assert sheet_file.status_code == 200
        sheet = list(load_workbook(BytesIO(sheet_file.data)).active.iter_rows(values_only=True))
        sheet_file.close()
        assert named(str(v) for r in sheet for v in r if v is not None) <= ours, kind
        word = Document(BytesIO(client.get("/meetings/lists/export.docx", query_string=args).data))
        texts = [c.text for t in word.tables for r in t.rows for c in r.cells]
        assert named(texts + [p.text for p in word.paragraphs]) <= ours, kind
        if kind == "problems":
            assert world.far_cadre.name in texts


def test_a_viewer_reads_but_cannot_decide(client, login, meetings, rhythm, world):
    enter(client, login, world.reviewer)  # ALL scope, but check the viewer role below
    from tests.factories import make_user
    from webapp.models import DataScope

    viewer = make_user("viewer", world.root, DataScope.ALL)
    _db.session.commit()
    client.post("/auth/logout")
    enter(client, login, viewer)
    meeting = meetings["province"]
    html = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "记录决定" not in html
    item = meeting.agenda[0]
    assert (
        client.post(
            f"/meetings/{meeting.id}/items/{item.id}/decide", data={"kind": "watch"}
        ).status_code
        == 403
    )


def test_the_workbench_line_names_the_next_meeting_and_its_agenda_size(
    client, login, meetings, rhythm
):
    from flask import render_template_string

    enter(client, login, rhythm.district_secretary)
    with client:
        client.get("/meetings/")
        html = render_template_string('{% include "meetings/_next.html" %}')
    district = meetings["district"]
    assert district.number in html and f"议程 {len(district.agenda)} 项" in html
    assert meetings["province"].number not in html


def test_the_inquiry_written_after_a_decision_is_linked_from_the_page(
    client, login, meetings, rhythm, world
):
    from tests.factories import make_inquiry
    from webapp.models.meetings import MeetingDecision

    enter(client, login, rhythm.secretary)
    meeting = meetings["province"]
    item = next(i for i in meeting.agenda if i.cadre_id == world.cadre.id)
    client.post(f"/meetings/{meeting.id}/items/{item.id}/decide", data={"kind": "inquiry"})
    inquiry = make_inquiry(world.cadre)
    _db.session.commit()
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "填写记录" in page and f'value="{inquiry.id}"' in page
    done = client.post(
        f"/meetings/decisions/{meeting.decisions[0].id}/link", data={"record_id": str(inquiry.id)}
    )
    assert done.status_code == 302
    assert _db.session.get(MeetingDecision, meeting.decisions[0].id).record_id == inquiry.id
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "已关联记录" in page and f"/inquiries/{inquiry.id}" in page
    bad = client.post(
        f"/meetings/decisions/{meeting.decisions[0].id}/link", data={"record_id": "x"}
    )
    assert bad.status_code == 302  # refused with a message, never a server error


def test_reading_meetings_and_lists_is_logged(client, login, meetings, rhythm):
    from sqlalchemy import select

    from webapp.models import AccessLog

    enter(client, login, rhythm.secretary)
    client.get("/meetings/", query_string={"kind": "biweekly"})
    client.get(f"/meetings/{meetings['province'].id}")
    client.get("/meetings/lists")
    rows = _db.session.scalars(select(AccessLog).order_by(AccessLog.id)).all()
    seen = {(r.object_type, r.action) for r in rows}
    assert {("Meeting", "list"), ("Meeting", "view"), ("MeetingList", "list")} <= seen
    assert any(r.filters == "kind=biweekly" for r in rows if r.object_type == "Meeting")
