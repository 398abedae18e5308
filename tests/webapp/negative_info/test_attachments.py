"""Attachments: checked by content, size-limited, stored safely, downloaded only in scope."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.factories import make_report, make_user
from tests.helpers import report_form
from tests.webapp.attachments.files import JPG, PDF, PNG
from webapp.attachments.services import clean_name, sniff, store
from webapp.models import Attachment, AuditLog, NegativeInfo, Parameter

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def docx_bytes() -> bytes:
    out = io.BytesIO()
    document = Document()
    document.add_paragraph("谈话记录")
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "姓名"
    workbook.save(out)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not an office file")
    return out.getvalue()


def upload(name: str, content: bytes):
    return (io.BytesIO(content), name)


def post_multipart(client, url: str, data: dict, **kwargs):
    """POST a multipart form built in memory.

    The test client spools a large body to a temporary file it never closes, which pytest
    reports as an unclosed file; a body built here stays a BytesIO.
    """
    values = MultiDict()
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, tuple):
                values.add(key, FileStorage(item[0], filename=item[1]))
            else:
                values.add(key, item)
    boundary, body = encode_multipart(values)
    return client.post(
        url, data=body, content_type=f'multipart/form-data; boundary="{boundary}"', **kwargs
    )


def fetch(client, url: str):
    """GET a download and close it (the file handle stays open until the body is closed)."""
    response = client.get(url)
    response.close()
    return response


def files_on_disk(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (b"\xef\xbb\xbf  %PDF-1.7\n", "pdf"),
        (PNG, "png"),
        (JPG, "jpg"),
        (docx_bytes(), "docx"),
        (xlsx_bytes(), "xlsx"),
        (EXE, None),
        (plain_zip(), None),
        (b"PK\x03\x04broken", None),
        (b"<html><script>x</script></html>", None),
    ],
)
def test_sniff_judges_by_content(content, kind):
    assert sniff(io.BytesIO(content)) == kind


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\a.pdf", "a.pdf"),
        ("扫描件.exe", "扫描件.pdf"),
        ("...", "附件.pdf"),
        ("a\x00b\r\n.pdf", "ab.pdf"),
        ("长" * 300 + ".pdf", "长" * 100 + ".pdf"),
    ],
)
def test_clean_name_drops_folders_and_takes_the_true_extension(app, raw, clean):
    with app.test_request_context():
        assert clean_name(raw, "pdf") == clean


def test_saved_item_keeps_its_file_and_download_is_audited(
    client, db, world, as_supervisor, upload_dir
):
    data = report_form(world.cadre, attachments=[upload("来信扫描件.pdf", PDF)])
    response = post_multipart(client, "/negative-info/new", data)
    assert response.status_code == 302
    info = db.session.scalars(select(NegativeInfo)).one()
    attachment = db.session.scalars(select(Attachment)).one()
    assert (attachment.owner_type, attachment.owner_id) == ("negative_info", info.id)
    assert attachment.original_name == "来信扫描件.pdf" and attachment.kind == "pdf"
    stored = files_on_disk(upload_dir)
    assert [p.name for p in stored] == [attachment.stored_name]
    assert len(attachment.stored_name) == 32 and "." not in attachment.stored_name
    assert "static" not in str(stored[0])
    assert [h.event for h in info.history] == ["created", "attachment_added"]

    response = client.get(f"/attachments/{attachment.id}/download")
    body = response.data
    response.close()
    assert response.status_code == 200
    assert body == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert (
        db.session.scalar(
            select(func.count(AuditLog.id)).where(
                AuditLog.action == "download", AuditLog.object_id == str(attachment.id)
            )
        )
        == 1
    )


def test_exe_renamed_pdf_is_refused_and_the_form_stays_intact(
    client, db, world, as_supervisor, upload_dir
):
    data = report_form(world.cadre, attachments=[upload("report.pdf", EXE)])
    response = post_multipart(client, "/negative-info/new", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = page.split('id="attachments-errors"', 1)[1].split("</ul>", 1)[0]
    assert "report" in errors and "不是允许的类型" in errors
    assert "群众来信反映其违规收受购物卡。" in page and "信访〔2026〕12号" in page
    assert db.session.scalar(select(func.count(NegativeInfo.id))) == 0
    assert db.session.scalar(select(func.count(Attachment.id))) == 0
    assert files_on_disk(upload_dir) == []


def test_thirty_megabyte_file_is_refused_with_the_form_intact(client, db, world, as_supervisor):
    big = b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024)
    data = report_form(world.cadre, attachments=[upload("大文件.pdf", big)])
    response = post_multipart(client, "/negative-info/new", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400  # not a bare 413: the form comes back
    assert "超过 20 MB 的上限" in page
    assert "群众来信反映其违规收受购物卡。" in page
    assert db.session.scalar(select(func.count(NegativeInfo.id))) == 0


def test_size_limit_follows_the_parameter(client, db, world, as_supervisor):
    db.session.execute(update(Parameter).where(Parameter.key == "upload.max_mb").values(value="1"))
    data = report_form(world.cadre, attachments=[upload("a.pdf", PDF + b"0" * 1024 * 1024)])
    response = post_multipart(client, "/negative-info/new", data)
    assert response.status_code == 400
    assert "超过 1 MB 的上限" in response.get_data(as_text=True)


def test_good_file_is_kept_while_another_field_is_fixed(client, db, world, as_supervisor):
    data = report_form(
        world.cadre,
        summary="",
        attachments=[upload("照片.png", PNG), upload("病毒.pdf", EXE)],
    )
    response = post_multipart(client, "/negative-info/new", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "已上传：照片.png" in page and "病毒" in page
    staged = db.session.scalars(select(Attachment)).one()
    assert staged.owner_id is None
    assert f'value="{staged.id}"' in page

    fixed = report_form(world.cadre, staged_ids=str(staged.id))
    response = post_multipart(client, "/negative-info/new", fixed)
    assert response.status_code == 302
    info = db.session.scalars(select(NegativeInfo)).one()
    db.session.refresh(staged)
    assert staged.owner_id == info.id


def test_someone_elses_staged_file_cannot_be_claimed(client, db, world, as_supervisor):
    other = make_user("supervisor", world.mine)
    foreign = Attachment(
        owner_type="negative_info",
        original_name="别人的.pdf",
        stored_name="f" * 32,
        kind="pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by_id=other.id,
    )
    db.session.add(foreign)
    db.session.flush()
    response = client.post(
        "/negative-info/new", data=report_form(world.cadre, staged_ids=str(foreign.id))
    )
    assert response.status_code == 302
    db.session.refresh(foreign)
    assert foreign.owner_id is None
    assert fetch(client, f"/attachments/{foreign.id}/download").status_code == 404


def test_upload_on_the_detail_page_accepts_office_files_and_names_refusals(
    client, db, world, as_supervisor
):
    info = make_report(world.cadre)
    files = [
        upload("谈话.docx", docx_bytes()),
        upload("名单.xlsx", xlsx_bytes()),
        upload("假文档.docx", plain_zip()),
    ]
    response = post_multipart(
        client,
        f"/negative-info/{info.id}/attachments",
        {"attachments": files},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "已上传 2 个附件" in page
    assert "假文档" in page and "不是允许的类型" in page
    kinds = sorted(db.session.scalars(select(Attachment.kind)))
    assert kinds == ["docx", "xlsx"]


def test_download_needs_the_record_in_scope(client, db, world, login, upload_dir):
    info = make_report(world.far_cadre)
    login(world.supervisor.username)
    # Stored by someone allowed (a supervisor over the other branch).
    boss = make_user("supervisor", world.root)
    attachment = store(io.BytesIO(PDF), "x.pdf", "negative_info", boss, owner_id=info.id)
    db.session.flush()
    assert fetch(client, f"/attachments/{attachment.id}/download").status_code == 404
    liaison = make_user("liaison", world.mine)
    client.post("/auth/logout")
    login(liaison.username)
    assert fetch(client, f"/attachments/{attachment.id}/download").status_code == 404
    client.post("/auth/logout")
    login(boss.username)
    assert fetch(client, f"/attachments/{attachment.id}/download").status_code == 200


def test_removed_file_is_kept_on_disk_but_no_longer_served(
    client, db, world, as_supervisor, upload_dir
):
    info = make_report(world.cadre)
    client.post(
        f"/negative-info/{info.id}/attachments",
        data={"attachments": [upload("a.jpg", JPG)]},
        content_type="multipart/form-data",
    )
    attachment = db.session.scalars(select(Attachment)).one()
    response = client.post(f"/attachments/{attachment.id}/remove", follow_redirects=True)
    assert "已移除附件：a.jpg" in response.get_data(as_text=True)
    db.session.refresh(attachment)
    assert attachment.removed_at is not None and attachment.removed_by_id == as_supervisor.id
    assert len(files_on_disk(upload_dir)) == 1
    assert fetch(client, f"/attachments/{attachment.id}/download").status_code == 404
    db.session.refresh(info)
    assert [h.event for h in info.history] == ["attachment_added", "attachment_removed"]


def test_viewer_may_download_but_not_remove(client, db, world, login):
    info = make_report(world.cadre)
    attachment = store(io.BytesIO(PNG), "p.png", "negative_info", world.supervisor, info.id)
    db.session.flush()
    viewer = make_user("viewer", world.mine)
    login(viewer.username)
    assert fetch(client, f"/attachments/{attachment.id}/download").status_code == 200
    assert client.post(f"/attachments/{attachment.id}/remove").status_code == 404


def test_large_file_is_refused_beside_the_field_with_csrf_protection_on(
    app, client, db, world, as_supervisor, monkeypatch
):
    # CSRF protection parses the form before the view runs; the upload limit must already
    # be raised then, or the request ends in a bare 413 and the typed form is lost.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/negative-info/new").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    big = b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024)
    data = report_form(world.cadre, csrf_token=token, attachments=[upload("大.pdf", big)])
    response = post_multipart(client, "/negative-info/new", data)
    assert response.status_code == 400
    assert "超过 20 MB 的上限" in response.get_data(as_text=True)
