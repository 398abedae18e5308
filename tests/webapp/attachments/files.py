"""Build real uploads in the tests: a PDF, images, Office files, each good or tampered with."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

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


def pdf_with(build) -> bytes:
    """Return a one-page PDF after `build(writer, page)` hung raw objects on it."""
    return pdf_bytes(lambda writer: build(writer, writer.pages[0]))


def pdf_dict(**entries) -> DictionaryObject:
    """Return a PDF dictionary: names for values starting with '/', strings for others."""

    def value(v):
        if isinstance(v, str):
            return NameObject(v) if v.startswith("/") else TextStringObject(v)
        return v

    return DictionaryObject({NameObject(f"/{k}"): value(v) for k, v in entries.items()})


def open_action(writer: PdfWriter, action: DictionaryObject) -> None:
    """Make `action` run when the document opens."""
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def annotate(writer: PdfWriter, page, annotation: DictionaryObject) -> None:
    """Hang an annotation on the page."""
    rect = ArrayObject([NumberObject(0), NumberObject(0), NumberObject(10), NumberObject(10)])
    annotation[NameObject("/Rect")] = rect
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def file_annotation(writer: PdfWriter, page, name: str, data: bytes, typed=True) -> None:
    """Attach a file to the page through a /FileAttachment annotation, not the name tree."""
    embedded = DecodedStreamObject()
    embedded.set_data(data)
    if typed:
        embedded[NameObject("/Type")] = NameObject("/EmbeddedFile")
    spec = pdf_dict(Type="/Filespec", F=name, EF=pdf_dict(F=writer._add_object(embedded)))
    annotate(writer, page, pdf_dict(Type="/Annot", Subtype="/FileAttachment", FS=spec))
