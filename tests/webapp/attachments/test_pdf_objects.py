"""Every object of a PDF is looked at: code or programs hung anywhere in it are refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, NameObject, NumberObject

from tests.webapp.attachments.files import (
    EXE,
    annotate,
    file_annotation,
    open_action,
    pdf_dict,
    pdf_with,
)
from webapp.attachments import inspect
from webapp.attachments.services import RejectedFile, check_file

ACTION = "PDF 中含有脚本或启动程序的动作"
PROGRAM = "PDF 中嵌入了可执行程序"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 60


def next_list_with_script(writer, page):
    script = writer._add_object(pdf_dict(S="/JavaScript", JS="app.alert(1)"))
    target = ArrayObject([page.indirect_reference, NameObject("/Fit")])
    open_action(writer, pdf_dict(S="/GoTo", D=target, Next=ArrayObject([script])))


def rendition(writer, page):
    open_action(writer, pdf_dict(S="/Rendition", JS="app.alert(2)"))


def script_under_a_harmless_name(writer, page):
    annotate(writer, page, pdf_dict(Subtype="/Link", A=pdf_dict(S="/Named", JS="app.alert(3)")))


def embedded_document(writer, page):
    target = pdf_dict(R="/C", N="inner.pdf")
    annotate(writer, page, pdf_dict(Subtype="/Link", A=pdf_dict(S="/GoToE", T=target)))


def script_named_by_reference(writer, page):
    action = pdf_dict(S=writer._add_object(NameObject("/Launch")), F="calc")
    annotate(writer, page, pdf_dict(Subtype="/Link", A=action))


def script_nobody_points_at(writer, page):
    writer._add_object(pdf_dict(S="/JavaScript", JS="app.alert(4)"))


def annotation_exe(writer, page):
    file_annotation(writer, page, "evil.exe", EXE)


def annotation_mz_under_a_document_name(writer, page):
    file_annotation(writer, page, "报告.pdf", EXE, typed=False)


def annotation_elf(writer, page):
    file_annotation(writer, page, "readme", ELF)


def annotation_script_name(writer, page):
    file_annotation(writer, page, "run.bat", b"echo hello")


REFUSED = [
    (next_list_with_script, ACTION),
    (rendition, ACTION),
    (script_under_a_harmless_name, ACTION),
    (embedded_document, ACTION),
    (script_named_by_reference, ACTION),
    (script_nobody_points_at, ACTION),
    (annotation_exe, PROGRAM),
    (annotation_mz_under_a_document_name, PROGRAM),
    (annotation_elf, PROGRAM),
    (annotation_script_name, PROGRAM),
]


@pytest.mark.parametrize(("build", "reason"), REFUSED, ids=[b.__name__ for b, _ in REFUSED])
def test_code_or_a_program_anywhere_in_a_pdf_is_refused(app, build, reason):
    with app.test_request_context(), pytest.raises(RejectedFile) as refused:
        check_file(io.BytesIO(pdf_with(build)), "来信.pdf")
    assert reason in str(refused.value)


def test_a_pdf_of_more_objects_than_can_be_walked_is_refused(app, monkeypatch):
    monkeypatch.setattr(inspect, "MAX_PDF_OBJECTS", 3)
    with app.test_request_context(), pytest.raises(RejectedFile) as refused:
        check_file(io.BytesIO(pdf_with(lambda writer, page: None)), "来信.pdf")
    assert "PDF 文件的对象过多" in str(refused.value)


def links_and_a_plain_form(writer, page):
    writer.add_annotation(0, Link(rect=(0, 0, 10, 10), url="https://example.org/"))
    writer.add_annotation(0, Link(rect=(10, 10, 20, 20), target_page_index=0))
    field = pdf_dict(Type="/Annot", Subtype="/Widget", FT="/Tx", T="name", V="张三")
    field[NameObject("/Rect")] = ArrayObject([NumberObject(0)] * 4)
    reference = writer._add_object(field)
    page[NameObject("/Annots")].append(reference)
    writer._root_object[NameObject("/AcroForm")] = pdf_dict(Fields=ArrayObject([reference]))


def a_text_attachment(writer, page):
    file_annotation(writer, page, "说明.txt", "内容".encode())
    writer.add_attachment("附件.txt", b"plain text")


def image_pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 120, 200)).save(out, "PDF")
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [pdf_with(links_and_a_plain_form), pdf_with(a_text_attachment), image_pdf()],
    ids=["links-and-form", "text-attachments", "image"],
)
def test_ordinary_pdfs_with_links_forms_images_and_text_files_pass(app, content):
    with app.test_request_context():
        assert check_file(io.BytesIO(content), "来信.pdf").kind == "pdf"
