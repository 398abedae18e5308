"""Uploads are checked through and through: polyglots, appended scripts and programs refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf.actions import JavaScript

from tests.factories import make_cadre, make_report, make_unit, make_user
from tests.webapp.attachments.files import (
    EXE,
    PDF,
    docx_bytes,
    image_bytes,
    pdf_bytes,
    with_parts,
    xlsx_bytes,
)
from webapp.attachments.inspect import _native_file
from webapp.attachments.services import RejectedFile, attachment_files, check_file, store
from webapp.models import DataScope

SCRIPT = b"<script>alert(document.cookie)</script>"
MACRO_TYPES = b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(folder))
    return folder


def refusal(app, content: bytes, name: str) -> str:
    with app.test_request_context(), pytest.raises(RejectedFile) as refused:
        check_file(io.BytesIO(content), name)
    return str(refused.value)


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (PDF + EXE, "polyglot.pdf", "PDF 文件结尾之后附加了其他数据"),
        (PDF + b"PK\x03\x04" + b"\x00" * 40, "zip.pdf", "PDF 文件结尾之后附加了其他数据"),
        (b"%PDF-1.4\n%report\n%%EOF\n", "empty.pdf", "不是完整有效的 PDF 文件"),
        (
            pdf_bytes(lambda w: w.add_open_action(JavaScript("app.alert(1);"))),
            "js.pdf",
            "PDF 中含有脚本",
        ),
        (pdf_bytes(lambda w: w.add_attachment("setup.exe", EXE)), "exe.pdf", "嵌入了可执行程序"),
        (image_bytes("PNG")[:40], "cut.png", "不是完整有效的图片文件"),
        (
            with_parts(docx_bytes(), {"word/embeddings/setup.exe": EXE}),
            "exe.docx",
            "文档中含有可执行文件（setup.exe）",
        ),
        (
            with_parts(docx_bytes(), {"word/media/image9.png": EXE}),
            "disguised.docx",
            "文档中含有可执行文件（image9.png）",
        ),
        (
            with_parts(docx_bytes(), {"word/media/run.js": b"WScript.Shell"}),
            "js.docx",
            "文档中含有可执行文件（run.js）",
        ),
        (
            with_parts(xlsx_bytes(), {"xl/vbaProject.bin": b"\x00" * 64}),
            "macro.xlsx",
            "文档中含有宏",
        ),
        (
            with_parts(
                docx_bytes(),
                {},
                replace={
                    "[Content_Types].xml": b'<?xml version="1.0"?><Types>'
                    + MACRO_TYPES
                    + b"</Types>"
                },
            ),
            "docm.docx",
            "文档中含有宏",
        ),
        (
            with_parts(
                docx_bytes(),
                {"word/embeddings/inner.docx": with_parts(docx_bytes(), {"a.exe": EXE})},
            ),
            "nested.docx",
            "文档中含有可执行文件（a.exe）",
        ),
    ],
    ids=[
        "pdf+exe",
        "pdf+zip",
        "pdf-without-pages",
        "pdf-javascript",
        "pdf-embedded-exe",
        "truncated-png",
        "docx-exe-member",
        "docx-mz-member",
        "docx-script-member",
        "xlsx-vba",
        "docx-macro-content-type",
        "docx-in-docx-with-exe",
    ],
)
def test_files_that_are_not_safely_what_they_claim_are_refused(app, content, name, reason):
    message = refusal(app, content, name)
    assert message.startswith(f"文件“{name.rsplit('.', 1)[0]}”未上传：")
    assert reason in message


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF, "pdf"), (docx_bytes(), "docx"), (xlsx_bytes(), "xlsx"), (PDF + b"\r\n\x00", "pdf")],
    ids=["pdf", "docx", "xlsx", "pdf-with-trailing-blanks"],
)
def test_real_documents_pass(app, content, kind):
    with app.test_request_context():
        assert check_file(io.BytesIO(content), f"文件.{kind}").kind == kind


@pytest.mark.parametrize(("image_format", "kind"), [("PNG", "png"), ("JPEG", "jpg")])
def test_images_are_re_encoded_without_what_was_appended(db, app, upload_dir, image_format, kind):
    user = make_user("supervisor", make_unit())
    with app.test_request_context():
        attachment = store(
            io.BytesIO(image_bytes(image_format) + SCRIPT), f"照片.{kind}", "negative_info", user
        )
        with attachment_files().open(attachment.stored_name) as content:
            stored = content.read()
    assert SCRIPT not in stored
    assert attachment.size == len(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size) == (image_format, (8, 6))


def test_a_packaged_program_in_an_ole_object_is_seen():
    label, path = b"setup.exe\x00", b"C:\\tmp\\setup.exe\x00"
    temp = b"C:\\tmp\\setup.exe\x00"
    native = (
        b"\x00\x00\x00\x00\x02\x00"
        + label
        + path
        + b"\x00\x00\x03\x00"
        + len(temp).to_bytes(4, "little")
        + temp
        + len(EXE).to_bytes(4, "little")
        + EXE
    )
    name, data = _native_file(native)
    assert name == "setup.exe" and data.startswith(b"MZ")


def test_a_refused_file_is_named_beside_the_upload_field(db, client, login, upload_dir):
    unit = make_unit("市财政局")
    user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW)
    info = make_report(make_cadre(unit, "王建国"), created_by=user)
    login(user.username)
    response = client.post(
        f"/negative-info/{info.id}/attachments",
        data={"attachments": [(io.BytesIO(PDF + EXE), "来信.pdf")]},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "文件“来信”未上传：PDF 文件结尾之后附加了其他数据" in page
    assert not list(upload_dir.rglob("*")) or not any(p.is_file() for p in upload_dir.rglob("*"))
