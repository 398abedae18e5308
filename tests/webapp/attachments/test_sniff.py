"""Sniffing uploads: a file another type's signature names is never taken for a PDF."""

from __future__ import annotations

import io

import pytest
from docx import Document

from webapp.attachments.services import sniff

PDF_HEADER = b"%PDF-1.4\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


def docx_bytes() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (EXE + PDF_HEADER, None),  # a program with a PDF header tucked inside stays a program
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 60 + PDF_HEADER, None),
        (PNG + PDF_HEADER, "png"),
        (JPG + PDF_HEADER, "jpg"),
        (b"Rar!\x1a\x07\x00" + b"\x00" * 20 + PDF_HEADER, None),
        (docx_bytes().replace(b"word/document.xml", b"word/documenx.xml"), None),
        (b"\x00" * 20 + PDF_HEADER, "pdf"),  # junk before the header: readers still open it
    ],
    ids=["exe", "elf", "png", "jpg", "rar", "zip-without-main-part", "junk-then-pdf"],
)
def test_signatures_decide_before_a_pdf_header_found_further_in(content, kind):
    assert sniff(io.BytesIO(content)) == kind
