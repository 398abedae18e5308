"""Build real uploads in the tests: a PDF, images, Office files, each good or tampered with."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50
EXE += b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 100


def pdf_bytes(build=None) -> bytes:
    """Return a one-page PDF; `build(writer)` may add to it first."""
    writer = PdfWriter()
    writer.pdf_header = b"%PDF-1.4"
    writer.add_blank_page(width=72, height=72)
    if build:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = pdf_bytes()


def image_bytes(image_format: str) -> bytes:
    """Return a small real JPEG or PNG."""
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(out, image_format)
    return out.getvalue()


PNG = image_bytes("PNG")
JPG = image_bytes("JPEG")


def docx_bytes() -> bytes:
    """Return an empty Word document."""
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    """Return an empty workbook."""
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def with_parts(package: bytes, parts: dict[str, bytes], replace: dict[str, bytes] | None = None):
    """Return an Office package with parts added (or replaced)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, (replace or {}).get(item.filename, source.read(item.filename)))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()
