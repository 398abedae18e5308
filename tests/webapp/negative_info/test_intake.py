"""Registering and editing negative information: numbers, checks, duplicates, history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import make_cadre, make_report, make_user
from tests.helpers import report_form
from webapp.models import AuditLog, NegativeInfo, NegativeInfoEvent


def count(db) -> int:
    return db.session.scalar(select(func.count(NegativeInfo.id)))


def only_report(db) -> NegativeInfo:
    return db.session.scalars(select(NegativeInfo)).one()


def test_new_item_gets_a_number_snapshot_tier_and_history(client, db, world, as_supervisor):
    response = client.post(
        "/negative-info/new", data=report_form(world.cadre), follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    info = only_report(db)
    assert info.number == "FM-2026-0001"
    assert f"已登记负面信息 {info.number}" in page
    assert (info.cadre_id, info.cadre_name, info.unit_id) == (
        world.cadre.id,
        "王建国",
        world.cadre.unit_id,
    )
    assert info.status == "pending"
    assert info.default_tier == 1  # 一般性信访反映 carries tier 1
    assert [h.event for h in info.history] == ["created"]
    assert info.created_by_id == as_supervisor.id
    assert (
        db.session.scalar(
            select(func.count(AuditLog.id)).where(
                AuditLog.object_type == "NegativeInfo", AuditLog.action == "create"
            )
        )
        == 1
    )


def test_numbers_count_up_within_the_year(client, db, world, as_supervisor):
    for day in ("2026-01-05", "2025-06-01"):  # far apart: no duplicate prompt
        client.post("/negative-info/new", data=report_form(world.cadre, occurred_on=day))
    numbers = sorted(db.session.scalars(select(NegativeInfo.number)))
    assert numbers == ["FM-2026-0001", "FM-2026-0002"]


def test_form_page_offers_cascade_and_picker(client, world, as_supervisor):
    page = client.get(f"/negative-info/new?cadre_id={world.cadre.id}").get_data(as_text=True)
    assert 'data-category="discipline"' in page and "纪检监察机关立案审查" in page
    assert "王建国 · 市财政局" in page
    assert "js/negative_info.js" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"occurred_on": "2026-03-11"}, "occurred_on", "日期不能晚于今天"),
        ({"received_on": "2026-04-01"}, "received_on", "日期不能晚于今天"),
        (
            {"occurred_on": "2026-03-05", "received_on": "2026-03-01"},
            "received_on",
            "发生时间不能晚于收到时间",
        ),
        ({"occurred_on": "2026/13/01"}, "occurred_on", "日期格式应为"),
        ({"situation": "drunk_driving"}, "situation", "所选具体情形不属于该信息类别"),
        ({"situation": "no_such"}, "situation", "请从列表中选择"),
        ({"summary": ""}, "summary", "此项为必填项"),
        ({"summary": "字" * 1001}, "summary", "事实摘要不能超过 1000 字"),
        ({"source_document_number": "x" * 101}, "source_document_number", "101"),
        ({"reporting_unit": "<b>局</b>"}, "reporting_unit", "不能包含 HTML 标记"),
        ({"severity": ""}, "severity", "此项为必填项"),
        ({"cadre_id": ""}, "cadre_id", "请选择干部"),
    ],
)
def test_bad_input_is_refused_beside_its_field(
    client, db, world, as_supervisor, changes, field, message
):
    response = client.post("/negative-info/new", data=report_form(world.cadre, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = page.split(f'id="{field}-errors"', 1)[1].split("</ul>", 1)[0]
    assert message in errors or (message == "101" and "100" in errors)
    assert count(db) == 0
    # The rest of the form is intact.
    assert "群众来信反映其违规收受购物卡。" in page or field == "summary"


def test_cadre_outside_scope_is_404_and_nothing_saved(client, db, world, as_supervisor):
    response = client.post("/negative-info/new", data=report_form(world.far_cadre))
    assert response.status_code == 404
    assert "李四" not in response.get_data(as_text=True)
    assert count(db) == 0
    assert client.get(f"/negative-info/new?cadre_id={world.far_cadre.id}").status_code == 404


def test_html_is_stored_as_typed_and_shown_escaped(client, db, world, as_supervisor):
    script = '<script>alert("x")</script> & <b>粗体</b>'
    client.post("/negative-info/new", data=report_form(world.cadre, summary=script, details=script))
    info = only_report(db)
    assert info.summary == script
    page = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;粗体&lt;/b&gt;" in page


def test_possible_duplicate_is_shown_then_linked(client, db, world, as_supervisor):
    first = make_report(world.cadre, occurred_on=date(2026, 1, 10))
    response = client.post("/negative-info/new", data=report_form(world.cadre))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "发现疑似重复信息" in page and first.number in page
    assert count(db) == 1  # nothing saved yet
    response = client.post(
        "/negative-info/new",
        data=report_form(world.cadre, duplicate_decision="link", duplicate_of=str(first.id)),
    )
    assert response.status_code == 302
    new = db.session.scalars(select(NegativeInfo).where(NegativeInfo.id != first.id)).one()
    assert new.duplicate_of_id == first.id
    assert [h.event for h in new.history] == ["created", "linked_duplicate"]


def test_possible_duplicate_may_be_ignored(client, db, world, as_supervisor):
    make_report(world.cadre, occurred_on=date(2026, 1, 10))
    response = client.post(
        "/negative-info/new", data=report_form(world.cadre, duplicate_decision="continue")
    )
    assert response.status_code == 302
    assert count(db) == 2
    assert all(i.duplicate_of_id is None for i in db.session.scalars(select(NegativeInfo)))


def test_other_situation_or_old_item_is_no_duplicate(client, db, world, as_supervisor):
    make_report(world.cadre, occurred_on=date(2025, 11, 1))  # 111 days earlier
    make_report(world.cadre, situation="style_problem", occurred_on=date(2026, 2, 20))
    make_report(make_cadre(world.mine), occurred_on=date(2026, 2, 20))
    response = client.post("/negative-info/new", data=report_form(world.cadre))
    assert response.status_code == 302


def test_linking_to_an_item_that_is_no_duplicate_is_refused(client, db, world, as_supervisor):
    far = make_report(world.cadre, occurred_on=date(2025, 1, 1))
    near = make_report(world.cadre, occurred_on=date(2026, 2, 1))
    response = client.post(
        "/negative-info/new",
        data=report_form(world.cadre, duplicate_decision="link", duplicate_of=str(far.id)),
    )
    assert response.status_code == 400
    assert "只能关联到同一干部" in response.get_data(as_text=True)
    assert count(db) == 2
    assert near.id


def test_edit_records_each_change_in_the_history(client, db, world, as_supervisor):
    client.post("/negative-info/new", data=report_form(world.cadre))
    info = only_report(db)
    response = client.post(
        f"/negative-info/{info.id}/edit",
        data=report_form(
            world.cadre, severity="major", summary="更正后的摘要", version=str(info.version)
        ),
    )
    assert response.status_code == 302
    db.session.refresh(info)
    assert info.severity == "major" and info.summary == "更正后的摘要"
    edited = info.history[-1]
    assert edited.event == "edited"
    assert edited.changes["severity"] == ["一般", "较重"]
    assert set(edited.changes) == {"severity", "summary"}
    page = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
    assert "严重程度：一般 → 较重" in page


def test_stale_edit_is_a_conflict_and_changes_nothing(client, db, world, as_supervisor):
    client.post("/negative-info/new", data=report_form(world.cadre))
    info = only_report(db)
    stale = str(info.version)
    client.post(
        f"/negative-info/{info.id}/edit",
        data=report_form(world.cadre, severity="major", version=stale),
    )
    response = client.post(
        f"/negative-info/{info.id}/edit",
        data=report_form(world.cadre, severity="serious", version=stale),
    )
    assert response.status_code == 409
    assert "已被他人修改" in response.get_data(as_text=True)
    db.session.refresh(info)
    assert info.severity == "major"


def test_item_outside_scope_is_404_everywhere(client, db, world, as_supervisor):
    info = make_report(world.far_cadre)
    assert client.get(f"/negative-info/{info.id}").status_code == 404
    assert client.get(f"/negative-info/{info.id}/edit").status_code == 404
    assert (
        client.post(f"/negative-info/{info.id}/start", data={"handler_id": "1"}).status_code == 404
    )
    assert db.session.scalar(select(func.count(NegativeInfoEvent.id))) == 0


def test_viewer_may_read_but_not_write(client, db, world, login):
    viewer = make_user("viewer", world.mine)
    info = make_report(world.cadre)
    login(viewer.username)
    page = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
    assert info.number in page and "start-form" not in page and "修改</a>" not in page
    assert client.get("/negative-info/new").status_code == 403
    assert client.post(f"/negative-info/{info.id}/start", data={}).status_code == 403
