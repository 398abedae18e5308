"""Word documents: each reopened with python-docx and checked; scope, permissions, audit."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from urllib.parse import quote

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from sqlalchemy import select

from tests.factories import make_inquiry, make_report, make_talk, make_user
from webapp.documents.layout import BODY_FONT, TITLE_FONT, TITLE_STYLE
from webapp.documents.services import DOCX, file_name
from webapp.models import AuditLog, DataScope


def all_text(document) -> str:
    """Return every paragraph and table cell of a document as one text."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def fetch(client, url: str, expected_name: str):
    """Download a document, check the response headers, and reopen it with python-docx."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == DOCX
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=UTF-8''{quote(expected_name)}" in disposition
    assert "no-store" in response.headers["Cache-Control"]
    return Document(BytesIO(response.data))


def downloads(db) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == "download")))


def east_asian_font(style) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def assert_official_layout(document) -> None:
    """A4, GB/T 9704 margins, title and body fonts named for East Asian text."""
    section = document.sections[0]
    # Word keeps lengths in twentieths of a point: compare to a tenth of a millimetre.
    measured = [
        round(length.mm, 1)
        for length in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert measured == [210, 297, 37, 35, 28, 26]
    normal = document.styles["Normal"]
    assert east_asian_font(normal) == BODY_FONT == "仿宋_GB2312"
    assert normal.font.size == Pt(16)
    title = document.styles[TITLE_STYLE]
    assert east_asian_font(title) == TITLE_FONT == "方正小标宋简体"
    assert document.paragraphs[0].style.name == TITLE_STYLE


def test_talk_record_form_carries_the_talk(client, login, db, world):
    info = make_report(world.cadre, number="FM-2026-0007")
    talk = make_talk(
        world.cadre,
        interviewers=[
            {"name": "李谈话", "position": "市委组织部副部长"},
            {"name": "王谈话", "position": "干部监督科科长"},
        ],
        occasion="early_signs",
        reason="群众反映其作风简单粗暴",
        content="第一段内容。\n第二段内容。",
        statement="诚恳接受提醒",
        rectification="一个月内提交整改报告",
        follow_up_on=date(2027, 2, 22),
        acknowledged_on=date(2026, 11, 20),
        acknowledged_by="张三",
        negative_info_id=info.id,
    )
    login(world.supervisor.username)
    document = fetch(
        client, f"/documents/talk-record/{talk.id}.docx", "谈话记录表-张三-2026-11-20.docx"
    )
    assert_official_layout(document)
    assert document.paragraphs[0].text == "谈话记录表"
    text = all_text(document)
    for expected in (
        "被谈话人",
        "张三",
        "单位职务",
        "市财政局副局长",
        "李谈话（市委组织部副部长）、王谈话（干部监督科科长）",
        "赵记录（干部监督科干部）",
        "2026年11月20日 09:00—10:30",
        "市委组织部第一会议室",
        "提醒谈话（必谈情形：苗头性倾向性问题）",
        "当面个别谈话",
        "FM-2026-0007",
        "群众反映其作风简单粗暴",
        "第一段内容。\n第二段内容。",
        "诚恳接受提醒",
        "一个月内提交整改报告",
        "2027年2月22日",
        "张三 2026年11月20日",
        "被谈话人（签名）",
    ):
        assert expected in text, expected
    row = document.tables[0].rows[0].cells
    assert [c.text for c in row] == ["被谈话人", "张三", "单位职务", "市财政局副局长"]


def test_reminder_letter_from_a_reminder_talk(client, login, db, world):
    talk = make_talk(world.cadre, reason="多次迟到早退", rectification="严格遵守考勤纪律")
    login(world.supervisor.username)
    document = fetch(
        client, f"/documents/reminder-letter/{talk.id}.docx", "提醒函-张三-2026-11-20.docx"
    )
    assert_official_layout(document)
    text = all_text(document)
    assert document.paragraphs[0].text == "提醒函"
    assert document.paragraphs[1].text == "张三同志："
    for expected in (
        "多次迟到早退",
        "严格遵守考勤纪律",
        "书面提醒",
        "中共××市委组织部",
        "2026年11月20日",
    ):
        assert expected in text, expected


def test_admonishment_letter_from_an_admonishment_talk(client, login, db, world):
    talk = make_talk(
        world.cadre,
        talk_type="admonishment",
        reason="被提醒后问题仍未纠正",
        rectification="深刻检查",
    )
    login(world.supervisor.username)
    document = fetch(
        client, f"/documents/admonishment-letter/{talk.id}.docx", "诫勉书-张三-2026-11-20.docx"
    )
    assert_official_layout(document)
    text = all_text(document)
    assert document.paragraphs[0].text == "诫勉书"
    for expected in (
        "张三同志：",
        "被提醒后问题仍未纠正",
        "决定对你进行诫勉",
        "诫勉影响期为6个月",
        "5个工作日内",
        "深刻检查",
        "2026年11月20日",
        "抄送：市财政局党委（党组）主要负责人",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("code", "talk_type"), [("reminder-letter", "heart"), ("admonishment-letter", "reminder")]
)
def test_letter_for_the_wrong_kind_of_talk_is_404(client, login, db, world, code, talk_type):
    talk = make_talk(world.cadre, talk_type=talk_type)
    login(world.supervisor.username)
    assert client.get(f"/documents/{code}/{talk.id}.docx").status_code == 404
    assert downloads(db) == []


def test_inquiry_notice_and_pledge_carry_the_inquiry(client, login, db, world):
    inquiry = make_inquiry(world.cadre, matters="反映其配偶经商办企业。\n请说明有关情况。")
    login(world.supervisor.username)
    notice = fetch(
        client, f"/documents/inquiry-notice/{inquiry.id}.docx", "函询通知书-张三-2026-11-02.docx"
    )
    assert_official_layout(notice)
    text = all_text(notice)
    assert notice.paragraphs[0].text == "函询通知书"
    for expected in (
        "张三同志：",
        "反映其配偶经商办企业。",
        "请说明有关情况。",
        "15个工作日内",
        "2026年11月23日前",
        "说明真实性承诺书",
        "2026年11月2日",
    ):
        assert expected in text, expected
    assert "第1次" not in text

    pledge = fetch(
        client,
        f"/documents/truthfulness-pledge/{inquiry.id}.docx",
        "说明真实性承诺书-张三-2026-11-02.docx",
    )
    assert_official_layout(pledge)
    text = all_text(pledge)
    assert pledge.paragraphs[0].text == "说明真实性承诺书"
    for expected in (
        "本人张三（市财政局副局长）",
        "2026年11月2日",
        "反映其配偶经商办企业。",
        "郑重承诺",
        "承诺人（签名）",
    ):
        assert expected in text, expected


def test_round_two_notice_says_so(client, login, db, world):
    first = make_inquiry(world.cadre)
    second = make_inquiry(
        world.cadre,
        round=2,
        previous_id=first.id,
        issued_on=date(2026, 11, 20),
        reply_due=date(2026, 12, 11),
    )
    login(world.supervisor.username)
    text = all_text(
        fetch(
            client, f"/documents/inquiry-notice/{second.id}.docx", "函询通知书-张三-2026-11-20.docx"
        )
    )
    assert "第2次函询" in text and "2026年12月11日前" in text


def test_download_is_audited(client, login, db, world):
    talk = make_talk(world.cadre)
    login(world.supervisor.username)
    client.get(f"/documents/talk-record/{talk.id}.docx")
    (row,) = downloads(db)
    assert (row.object_type, row.object_id) == ("Talk", str(talk.id))
    assert row.summary == "谈话记录表-张三-2026-11-20.docx"
    assert row.user_id == world.supervisor.id


def test_download_outside_scope_is_404_and_not_audited(client, login, db, world):
    talk = make_talk(world.stranger)
    inquiry = make_inquiry(world.stranger)
    login(world.supervisor.username)
    for url in (
        f"/documents/talk-record/{talk.id}.docx",
        f"/documents/reminder-letter/{talk.id}.docx",
        f"/documents/inquiry-notice/{inquiry.id}.docx",
        f"/documents/truthfulness-pledge/{inquiry.id}.docx",
        "/documents/talk-record/999999.docx",
        f"/documents/no-such-document/{talk.id}.docx",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "李域外" not in response.get_data(as_text=True)
    assert downloads(db) == []


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 200), ("approver", 200), ("liaison", 403), ("sysadmin", 403)]
)
def test_who_may_download(client, login, db, world, role, status):
    user = make_user(role, world.own, DataScope.UNIT_AND_BELOW)
    talk = make_talk(world.cadre)
    login(user.username)
    assert client.get(f"/documents/talk-record/{talk.id}.docx").status_code == status


def test_detail_pages_offer_the_documents_that_apply(client, login, db, world):
    talk = make_talk(world.cadre, talk_type="admonishment")
    inquiry = make_inquiry(world.cadre)
    login(world.supervisor.username)
    page = client.get(f"/talks/{talk.id}").get_data(as_text=True)
    assert f"/documents/talk-record/{talk.id}.docx" in page
    assert f"/documents/admonishment-letter/{talk.id}.docx" in page
    assert "/documents/reminder-letter/" not in page
    page = client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)
    assert f"/documents/inquiry-notice/{inquiry.id}.docx" in page
    assert f"/documents/truthfulness-pledge/{inquiry.id}.docx" in page


def test_stand_alone_reminder_letter(client, login, db, world):
    login(world.supervisor.username)
    assert client.get(f"/documents/reminder-letter?cadre_id={world.cadre.id}").status_code == 200
    response = client.post(
        "/documents/reminder-letter",
        data={
            "cadre_id": world.cadre.id,
            "matters": "个人有关事项报告漏报房产",
            "requirements": "及时补报",
            "issued_on": "2026-11-21",
        },
    )
    assert response.status_code == 200
    assert quote("提醒函-张三-2026-11-21.docx") in response.headers["Content-Disposition"]
    document = Document(BytesIO(response.data))
    assert_official_layout(document)
    text = all_text(document)
    for expected in ("张三同志：", "个人有关事项报告漏报房产", "及时补报", "2026年11月21日"):
        assert expected in text, expected
    (row,) = downloads(db)
    assert (row.object_type, row.object_id) == ("Cadre", str(world.cadre.id))


def test_stand_alone_reminder_letter_refuses_bad_input_and_outside_scope(client, login, db, world):
    login(world.supervisor.username)
    outside = client.post(
        "/documents/reminder-letter",
        data={"cadre_id": world.stranger.id, "matters": "x", "issued_on": "2026-11-21"},
    )
    assert outside.status_code == 404
    assert client.get(f"/documents/reminder-letter?cadre_id={world.stranger.id}").status_code == 404
    future = client.post(
        "/documents/reminder-letter",
        data={"cadre_id": world.cadre.id, "matters": "x", "issued_on": "2026-11-23"},
    )
    assert future.status_code == 400 and "日期不能晚于今天" in future.get_data(as_text=True)
    long = client.post(
        "/documents/reminder-letter",
        data={"cadre_id": world.cadre.id, "matters": "长" * 3001, "issued_on": "2026-11-21"},
    )
    assert long.status_code == 400 and "不能超过 3000 个字" in long.get_data(as_text=True)
    assert downloads(db) == []
    viewer = make_user("viewer", world.own)
    client.post("/auth/logout")
    login(viewer.username)
    assert client.get("/documents/reminder-letter").status_code == 403


def test_text_that_word_cannot_hold_is_cleaned(client, login, db, world):
    talk = make_talk(world.cadre, content="控制\x0b字符\x01已去除 <script>x</script>")
    login(world.supervisor.username)
    text = all_text(
        fetch(client, f"/documents/talk-record/{talk.id}.docx", "谈话记录表-张三-2026-11-20.docx")
    )
    assert "控制字符已去除 <script>x</script>" in text


def test_file_names_say_what_and_whom_and_are_safe():
    assert file_name("谈话记录表", "张三", date(2026, 11, 20)) == "谈话记录表-张三-2026-11-20.docx"
    assert file_name("提醒函", "../张/三", date(2026, 1, 2)) == "提醒函-_张_三-2026-01-02.docx"
    assert "/" not in file_name("诫勉书", "a/b\\c", date(2026, 1, 2))


def ascii_file_name(disposition: str) -> str:
    """Return the plain `filename=` of a Content-Disposition (what old clients show)."""
    plain = [
        part.strip()
        for part in disposition.split(";")
        if part.strip().lower().startswith("filename=")
    ]
    assert len(plain) == 1, disposition
    return plain[0].split("=", 1)[1].strip('"')


@pytest.mark.parametrize(
    ("code", "talk_type", "day"),
    [
        ("talk-record", "reminder", "2026-11-20"),
        ("reminder-letter", "reminder", "2026-11-20"),
        ("admonishment-letter", "admonishment", "2026-11-20"),
        ("inquiry-notice", None, "2026-11-02"),
        ("truthfulness-pledge", None, "2026-11-02"),
    ],
)
def test_every_document_has_a_readable_ascii_file_name(
    client, login, db, world, code, talk_type, day
):
    if talk_type is None:
        record = make_inquiry(world.cadre)
    else:
        record = make_talk(world.cadre, talk_type=talk_type)
    login(world.supervisor.username)
    response = client.get(f"/documents/{code}/{record.id}.docx")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert ascii_file_name(disposition) == f"{code}-{day}.docx"
    assert "filename*=UTF-8''" in disposition  # the Chinese name for clients that read it


def test_stand_alone_reminder_letter_has_a_readable_ascii_file_name(client, login, db, world):
    login(world.supervisor.username)
    response = client.post(
        "/documents/reminder-letter",
        data={"cadre_id": world.cadre.id, "matters": "漏报房产", "issued_on": "2026-11-21"},
    )
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert ascii_file_name(disposition) == "reminder-letter-2026-11-21.docx"
    assert f"filename*=UTF-8''{quote('提醒函-张三-2026-11-21.docx')}" in disposition
