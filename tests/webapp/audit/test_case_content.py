"""The operation log keeps who changed which field of a case, never the case content itself."""

import pytest
import sqlalchemy as sa
from sqlalchemy import inspect, select

from tests.factories import make_talk, make_unit, make_user
from tests.helpers import audited_models, report_form
from tests.talk_fixtures import frozen  # noqa: F401  (talk dates are relative to its clock)
from tests.webapp.talks.test_talks import talk_form
from webapp.audit.recorder import CONTENT_CHANGED
from webapp.models import AuditLog, NegativeInfo, Talk

REPORT = {
    "summary": "群众来信反映其在工程招标中收受红包三万元。",
    "details": "举报人称二〇二六年春节前后在其办公室收受。",
    "liaison_name": "周举报联络",
    "reporting_unit": "市某某信访接待中心",
}
EDITED_REPORT = {"summary": "更正：收受购物卡两千元。", "details": "经初步了解，时间为元旦前。"}
TALK = {
    "reason": "反映其违规干预下属单位采购",
    "content": "指出其干预采购的具体问题并听取说明。",
    "statement": "本人承认打过招呼，保证不再干预。",
    "rectification": "十日内书面说明干预经过。",
}
EDITED_TALK = {"content": "补充：其承认打过两次电话。", "statement": "愿接受组织处理。"}


def every_log_page(client) -> str:
    """Return every operation-log and access-log page as the auditor reads them, toggles too."""
    pages = []
    for kind in ("operations", "accesses"):
        number = 1
        while True:
            response = client.get(f"/audit/{kind}?page={number}")
            assert response.status_code == 200
            html = response.get_data(as_text=True)
            pages.append(html)
            if f"page={number + 1}" not in html:
                break
            number += 1
    return "\n".join(pages)


@pytest.fixture
def auditor_reads(client, login, db):
    """Return a reader that logs the supervisor out, an auditor in, and reads the log pages."""
    make_user("auditor", make_unit(), username="content_auditor")
    db.session.commit()

    def read() -> str:
        client.post("/auth/logout")
        login("content_auditor")
        return every_log_page(client)

    return read


def test_editing_a_report_keeps_its_content_out_of_every_log_row(
    client, login, db, world, auditor_reads
):
    login(world.supervisor.username)
    assert client.post("/negative-info/new", data=report_form(world.cadre, **REPORT)).status_code
    info = db.session.scalars(select(NegativeInfo).order_by(NegativeInfo.id.desc())).first()
    assert info.summary == REPORT["summary"]
    data = report_form(world.cadre, **{**REPORT, **EDITED_REPORT}, version=str(info.version))
    assert client.post(f"/negative-info/{info.id}/edit", data=data).status_code == 302
    db.session.refresh(info)
    assert info.summary == EDITED_REPORT["summary"]

    shown = auditor_reads()
    for text in (*REPORT.values(), *EDITED_REPORT.values()):
        assert text not in shown
    update = db.session.scalars(
        select(AuditLog).where(AuditLog.object_type == "NegativeInfo", AuditLog.action == "update")
    ).one()
    assert update.after["summary"] == update.after["details"] == CONTENT_CHANGED
    assert update.username == world.supervisor.username
    assert "摘要：已修改（内容不记入日志）" in shown  # which field changed, and who, stays


def test_editing_a_talk_keeps_its_content_out_of_every_log_row(
    client, login, db, world, auditor_reads
):
    login(world.supervisor.username)
    assert client.post("/talks/new", data=talk_form(world.cadre, **TALK)).status_code == 302
    talk = db.session.scalars(select(Talk)).one()
    data = talk_form(world.cadre, **{**TALK, **EDITED_TALK})
    assert client.post(f"/talks/{talk.id}/edit", data=data).status_code == 302
    db.session.refresh(talk)
    assert talk.statement == EDITED_TALK["statement"]

    shown = auditor_reads()
    for text in (*TALK.values(), *EDITED_TALK.values()):
        assert text not in shown
    update = db.session.scalars(
        select(AuditLog).where(AuditLog.object_type == "Talk", AuditLog.action == "update")
    ).one()
    assert set(update.after) == {"content", "statement"}
    assert "内容：已修改（内容不记入日志）" in shown


def test_deleting_a_record_keeps_its_content_out_of_the_log(db, world):
    talk = make_talk(world.cadre, content="删除前的谈话内容")
    db.session.delete(talk)
    db.session.flush()
    rows = db.session.scalars(select(AuditLog).where(AuditLog.object_type == "Talk")).all()
    assert rows and all("删除前的谈话内容" not in str((r.before, r.after)) for r in rows)


@pytest.mark.parametrize("model", audited_models(), ids=lambda m: m.__name__)
def test_every_free_text_column_of_an_audited_model_is_declared_case_content(model):
    declared = getattr(model, "__audit_content__", frozenset())
    free_text = {
        attr.key
        for attr in inspect(model).column_attrs
        if isinstance(attr.columns[0].type, sa.Text)
    }
    assert free_text <= declared, f"{model.__name__}: 未声明为案件内容的长文本列"
    assert declared <= {attr.key for attr in inspect(model).column_attrs}  # no stale names
