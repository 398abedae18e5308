"""Warning pages: create, detail with only the allowed actions, queue, register, export, help."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import time_machine
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.factories import make_report
from tests.helpers import SHANGHAI, act, issue, offered, switch
from tests.statements import statements_of_get
from tests.webapp.attachments.files import PDF
from webapp.models import AccessLog, AuditLog, Warning, WarningEvent
from webapp.warnings import services
from workflows.states import Event, State


def events_of(db, warning) -> int:
    return db.session.scalar(
        select(func.count()).select_from(WarningEvent).where(WarningEvent.warning_id == warning.id)
    )


def test_the_whole_tier1_lifecycle_through_the_pages(client, login, db, world):
    item = make_report(world.cadre, status="true", verified_on=date(2026, 3, 2))
    db.session.commit()
    login(world.supervisor.username)
    page = client.get(f"/warnings/new?cadre_id={world.cadre.id}&item_id={item.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "规则1" in text and item.number in text
    assert re.search(r'<option selected value="1">', text)
    response = client.post(
        f"/warnings/new?cadre_id={world.cadre.id}",
        data={"items": [str(item.id)], "tier": "1", "reason": "", "save_submit": "保存并送审"},
    )
    assert response.status_code == 302
    warning = db.session.scalars(select(Warning)).one()
    assert warning.state == "pending_approval"

    def post(event, **data):
        data = {f"{event}-{k}": v for k, v in data.items()}
        data[f"{event}-version"] = str(db.session.get(Warning, warning.id).version)
        return client.post(f"/warnings/{warning.id}/events/{event}", data=data)

    switch(client, login, world.reviewer)
    assert post("approve", comment="同意").status_code == 302
    switch(client, login, world.approver)
    assert post("approve").status_code == 302
    switch(client, login, world.supervisor)
    assert post("record_action", action_kind="reminder_talk", done_on="2026-03-10",
                content="已进行提醒谈话").status_code == 302  # fmt: skip
    assert post("submit_report", report="已整改到位").status_code == 302
    switch(client, login, world.reviewer)
    response = post("accept", opinion="整改到位，同意销号")
    assert response.status_code == 302
    db.session.expire_all()
    warning = db.session.get(Warning, warning.id)
    assert warning.state == "lifted"
    assert warning.cadre.status_colour == "green"
    page = client.get(f"/warnings/{warning.id}").get_data(as_text=True)
    assert "已执行「复核通过」" in page
    assert page.count('data-event="') >= 7  # the history lists every step


def test_create_needs_a_reason_to_differ_from_the_suggestion(client, login, db, world):
    item = make_report(world.cadre, status="true")
    db.session.commit()
    login(world.supervisor.username)
    url = f"/warnings/new?cadre_id={world.cadre.id}"
    response = client.post(url, data={"items": [str(item.id)], "tier": "2", "save": "1"})
    assert response.status_code == 200
    assert "请写明理由" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Warning)) == 0
    recalc = client.post(url, data={"items": [], "tier": "2", "recalc": "1"})
    assert "没有规则给出建议等级" in recalc.get_data(as_text=True)
    assert client.get(f"/warnings/new?cadre_id={world.far_cadre.id}").status_code == 404
    switch(client, login, world.approver)
    assert client.get(url).status_code == 403


def test_detail_offers_only_what_this_user_may_do_now(client, login, db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "x")
    act(warning, "submit", world.supervisor)
    login(world.supervisor.username)
    # No deadline runs while it awaits approval (nothing to pause); the step is the reviewer's.
    assert offered(client, warning) == set()
    switch(client, login, world.reviewer)
    assert offered(client, warning) == {"approve", "reject", "clarify"}
    switch(client, login, world.approver)
    assert offered(client, warning) == {"tolerate"}
    switch(client, login, world.viewer)
    page = client.get(f"/warnings/{warning.id}").get_data(as_text=True)
    assert 'id="no-actions"' in page
    access = db.session.scalars(
        select(AccessLog).where(AccessLog.object_type == "Warning").order_by(AccessLog.id)
    ).all()
    assert [a.object_id for a in access] == [str(warning.id)] * 4


def test_posting_without_the_role_or_outside_scope_changes_nothing(client, login, db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "x")
    act(warning, "submit", world.supervisor)
    version, count = warning.version, events_of(db, warning)
    login(world.supervisor.username)
    form = {"approve-comment": "我批准", "approve-version": str(version)}
    assert client.post(f"/warnings/{warning.id}/events/approve", data=form).status_code == 403
    switch(client, login, world.viewer)
    assert client.post(f"/warnings/{warning.id}/events/approve", data=form).status_code == 403
    switch(client, login, world.outsider)
    assert client.get(f"/warnings/{warning.id}").status_code == 404
    assert client.post(f"/warnings/{warning.id}/events/approve", data=form).status_code == 404
    withdraw = {"withdraw-reason": "x", "withdraw-version": str(version)}
    assert client.post(f"/warnings/{warning.id}/events/withdraw", data=withdraw).status_code == 404
    assert client.post(f"/warnings/{warning.id}/events/nonsense", data={}).status_code == 404
    db.session.expire_all()
    warning = db.session.get(Warning, warning.id)
    assert (warning.state, warning.version, events_of(db, warning)) == (
        "pending_approval",
        version,
        count,
    )


def test_a_refused_or_stale_post_explains_itself(client, login, db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "x")
    stale = warning.version
    act(warning, "submit", world.supervisor)
    login(world.reviewer.username)
    url = f"/warnings/{warning.id}/events/reject"
    response = client.post(url, data={"reject-reason": "", "reject-version": str(warning.version)})
    assert response.status_code == 400
    assert "此项为必填项" in response.get_data(as_text=True)
    response = client.post(
        url, data={"reject-reason": "依据不足", "reject-version": str(stale)}, follow_redirects=True
    )
    assert "已被他人处理" in response.get_data(as_text=True)
    assert db.session.get(Warning, warning.id).state == "pending_approval"


def test_pending_queue_follows_the_step_role(client, login, db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 2, [], "x")
    act(warning, "submit", world.supervisor)
    login(world.reviewer.username)
    page = client.get("/warnings/pending").get_data(as_text=True)
    assert warning.number in page
    assert 'href="/warnings/pending"' in page.split("<main>")[0]
    switch(client, login, world.approver)
    assert warning.number not in client.get("/warnings/pending").get_data(as_text=True)
    act(warning, "approve", world.reviewer)
    assert warning.number in client.get("/warnings/pending").get_data(as_text=True)
    switch(client, login, world.supervisor)
    page = client.get("/warnings/pending").get_data(as_text=True)
    assert warning.number not in page
    # The menu offers 待审批 to reviewers and approvers only.
    assert 'href="/warnings/pending"' not in page.split("<main>")[0]


def test_register_filters_within_scope(client, login, db, world):
    yellow = issue(world, 1)
    draft = services.create_warning(world.supervisor, world.cadre.id, 2, [], "y")
    far = services.create_warning(world.reviewer, world.far_cadre.id, 3, [], "z")
    login(world.supervisor.username)

    def numbers(**query) -> set[str]:
        page = client.get("/warnings/", query_string=query).get_data(as_text=True)
        return set(re.findall(r'data-number="([^"]+)"', page))

    assert numbers() == {yellow.number, draft.number}
    assert numbers(tier="2") == {draft.number}
    assert numbers(state="issued") == {yellow.number}
    assert numbers(q="王建") == {yellow.number, draft.number}
    assert numbers(unit_id=str(world.other.id)) == set()
    assert numbers(issued_from="2026-03-10", issued_to="2026-03-10") == {yellow.number}
    assert numbers(created_from="2026-03-11") == set()
    assert numbers(overdue="y") == set()
    with time_machine.travel(datetime(2026, 3, 25, 9, tzinfo=SHANGHAI)):
        login(world.supervisor.username)  # days later the first session has lapsed
        assert numbers(overdue="y") == {yellow.number}
        page = client.get("/warnings/").get_data(as_text=True)
        assert 'data-light="red"' in page
    switch(client, login, world.reviewer)
    assert numbers() == {yellow.number, draft.number, far.number}
    assert numbers(unit_id=str(world.other.id)) == {far.number}


def test_export_is_scoped_filtered_and_audited(client, login, db, world):
    yellow = issue(world, 1)
    services.create_warning(world.supervisor, world.cadre.id, 2, [], "y")
    services.create_warning(world.reviewer, world.far_cadre.id, 3, [], "z")
    login(world.supervisor.username)
    response = client.get("/warnings/export.xlsx", query_string={"state": "issued"})
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    content = response.data
    response.close()  # the download streams from a temporary file
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("预警编号", "干部", "单位")
    assert [r[0] for r in rows[1:]] == [yellow.number]
    assert rows[1][4] == "一级预警（黄色）" and rows[1][5] == "已下达"
    log = db.session.scalars(select(AuditLog).where(AuditLog.action == "export")).one()
    assert log.object_type == "Warning" and "1 条" in log.summary and "issued" in log.summary
    switch(client, login, world.viewer)
    assert client.get("/warnings/export.xlsx").status_code == 403


def test_detail_shows_deadline_lights(client, login, db, world):
    warning = issue(world, 1)  # action due 2026-03-24, 10 working days
    login(world.supervisor.username)
    page = client.get(f"/warnings/{warning.id}").get_data(as_text=True)
    assert "2026-03-24" in page and "data-light" not in page
    # Days later a session would have lapsed (auth.session_lifetime_hours): log in again.
    with time_machine.travel(datetime(2026, 3, 17, 9, tzinfo=SHANGHAI)):
        login(world.supervisor.username)
        assert 'data-light="yellow"' in client.get(f"/warnings/{warning.id}").get_data(as_text=True)
    with time_machine.travel(datetime(2026, 3, 25, 9, tzinfo=SHANGHAI)):
        login(world.supervisor.username)
        assert 'data-light="red"' in client.get(f"/warnings/{warning.id}").get_data(as_text=True)


def test_as_of_pages_rebuild_the_past(client, login, db, world):
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)):
        warning = issue(world, 2)
    login(world.supervisor.username)
    page = client.get(f"/warnings/{warning.id}/as-of", query_string={"on": "2026-03-01"})
    assert "尚未发起" in page.get_data(as_text=True)
    page = client.get(f"/warnings/{warning.id}/as-of", query_string={"on": "2026-03-05"})
    assert 'data-state="issued"' in page.get_data(as_text=True)
    page = client.get(
        f"/warnings/cadre/{world.cadre.id}/as-of", query_string={"on": "2026-03-05"}
    ).get_data(as_text=True)
    assert "二级预警（橙色）" in page and warning.number in page
    future = client.get(f"/warnings/{warning.id}/as-of", query_string={"on": "2026-04-01"})
    assert "日期不能晚于今天" in future.get_data(as_text=True)
    assert client.get(f"/warnings/cadre/{world.far_cadre.id}/as-of").status_code == 404


def test_cadre_profile_shows_warnings_influence_and_timeline(client, login, db, world):
    warning = issue(world, 2)
    login(world.supervisor.username)
    page = client.get(f"/cadres/{world.cadre.id}").get_data(as_text=True)
    assert "发起预警" in page
    assert "影响期至 2026-09-10" in page
    assert f"预警 {warning.number}：审批通过" in page
    switch(client, login, world.viewer)
    page = client.get(f"/cadres/{world.cadre.id}").get_data(as_text=True)
    assert warning.number in page and "发起预警" not in page


def test_help_page_draws_the_table(client, login, db, world):
    login(world.viewer.username)
    page = client.get("/warnings/help").get_data(as_text=True)
    assert "<svg" in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    for state in State:
        assert f'data-state="{state.value}"' in page
    for event in Event:
        assert event.label in page
    assert "stateDiagram-v2" in page


def test_register_lists_open_escalation_proposals(client, login, db, world):
    warning = issue(world, 1)
    with time_machine.travel(datetime(2026, 4, 1, 9, tzinfo=SHANGHAI)):
        services.file_overdue_proposals()
        db.session.commit()
        login(world.supervisor.username)
        page = client.get("/warnings/").get_data(as_text=True)
    assert 'id="proposals"' in page and warning.number in page and "规则4" in page
    switch(client, login, world.viewer)
    assert 'id="proposals"' not in client.get("/warnings/").get_data(as_text=True)


def test_the_action_form_asks_what_the_tier_needs(client, login, db, world):
    yellow = issue(world, 1)
    red = issue(world, 3, cadre=world.cadre)
    login(world.supervisor.username)
    page = client.get(f"/warnings/{yellow.id}").get_data(as_text=True)
    assert 'name="record_action-talk_id"' in page
    assert 'value="reminder_talk"' in page and 'value="org_handling"' not in page
    assert 'name="record_action-rectification_due"' not in page
    page = client.get(f"/warnings/{red.id}").get_data(as_text=True)
    assert 'name="record_action-org_handling"' in page
    assert 'name="record_action-rectification_due"' in page
    assert 'value="reminder_talk"' not in page


def test_committee_decision_document_is_kept_and_downloadable(
    client, login, db, world, app, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    warning = services.create_warning(world.supervisor, world.cadre.id, 3, [], "立案审查")
    act(warning, "submit", world.supervisor)
    for user in (world.reviewer, world.approver, world.minister):
        act(warning, "approve", user)
    login(world.reviewer.username)
    url = f"/warnings/{warning.id}/events/approve"

    def post(content: bytes, name: str):
        return client.post(
            url,
            data={
                "approve-document_number": "市委〔2026〕8号",
                "approve-decided_on": "2026-03-09",
                "approve-summary": "同意调整职务",
                "approve-version": str(db.session.get(Warning, warning.id).version),
                "approve-documents": (io.BytesIO(content), name),
            },
            content_type="multipart/form-data",
            follow_redirects=True,
        )

    page = post(b"MZ\x90\x00 not a pdf", "决定.pdf").get_data(as_text=True)
    assert "不是允许的类型" in page
    assert db.session.get(Warning, warning.id).state == "pending_approval"
    page = post(PDF, "党委决定.pdf").get_data(as_text=True)
    assert db.session.get(Warning, warning.id).state == "issued"
    link = re.search(r'href="(/attachments/(\d+)/download)">党委决定.pdf<', page)
    assert link, page
    with client.get(link.group(1)) as download:  # closes the sent file
        assert download.data.startswith(b"%PDF-1.4")
    switch(client, login, world.outsider)
    assert client.get(link.group(1)).status_code == 404


def test_the_register_reads_the_cadres_name_and_unit_not_the_id_number(client, login, db, world):
    warning = issue(world, 1)
    login(world.supervisor.username)
    statements = statements_of_get(client, "/warnings/")
    rows = [s for s in statements if s.lstrip().startswith("SELECT warning.id")]
    assert rows and all("id_number" not in s for s in rows), rows
    page = client.get("/warnings/").get_data(as_text=True)
    assert warning.number in page and world.cadre.name in page and world.cadre.unit.name in page
