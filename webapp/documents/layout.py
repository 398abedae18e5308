"""Page and type of an official document (GB/T 9704): A4, margins, title and body fonts.

Fonts are named in the styles, East Asian name included (w:rFonts w:eastAsia), because Word
picks Chinese glyphs from that attribute only. Word has no fallback list in a document: a
machine without the named font substitutes its own. The usual substitutes are
方正小标宋简体 → 宋体 (SimSun) / 华文中宋, and 仿宋_GB2312 → 仿宋 (FangSong).
"""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(14)  # 四号: a form's cells hold more text than a letter's lines
BODY_LINE = Pt(28)  # GB/T 9704: 22 lines to an A4 type area
TITLE_STYLE = "文书标题"
TABLE_STYLE = "表格文字"

# XML 1.0 refuses most control characters; a pasted reply may carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str | None) -> str:
    """Return text that Word can hold: control characters dropped, line ends unified."""
    return _NOT_XML.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def cn_date(day: date | None) -> str:
    """Write a date the way documents do: 2026年11月20日."""
    return f"{day.year}年{day.month}月{day.day}日" if day else "　　年　　月　　日"


def set_font(owner, name: str, size: Pt | None = None) -> None:
    """Name a font for Latin and East Asian text of a style or a run."""
    owner.font.name = name
    if size is not None:
        owner.font.size = size
    element = owner.element if hasattr(owner, "style_id") else owner._r
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def new_document() -> Document:
    """Start an A4 document with GB/T 9704 margins and the title, body and table styles."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    normal = document.styles["Normal"]
    set_font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = BODY_LINE
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)

    title = document.styles.add_style(TITLE_STYLE, 1)  # 1: paragraph style
    title.base_style = normal
    set_font(title, TITLE_FONT, TITLE_SIZE)
    title.font.bold = False
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(16)

    cell = document.styles.add_style(TABLE_STYLE, 1)
    cell.base_style = normal
    set_font(cell, BODY_FONT, TABLE_SIZE)
    cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    return document


def add_title(document: Document, text: str) -> None:
    """Add the document's title line."""
    document.add_paragraph(text, style=TITLE_STYLE)


def add_salutation(document: Document, text: str) -> None:
    """Add the addressee line (主送), flush left."""
    document.add_paragraph(clean(text))


def add_body(document: Document, text: str) -> None:
    """Add body paragraphs, one per line of text, each indented two characters."""
    for line in clean(text).split("\n"):
        if line.strip():
            paragraph = document.add_paragraph(line.strip())
            paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2


def add_signature(document: Document, issuer: str, day: date | None) -> None:
    """Add the issuing organ and date, right-aligned, after a blank line."""
    document.add_paragraph()
    for text in (issuer, cn_date(day)):
        paragraph = document.add_paragraph(clean(text))
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = BODY_SIZE * 2


def add_form_table(document: Document, rows: list[tuple[str, ...]]) -> Table:
    """Add a bordered form: each row is (label, value) or (label, value, label, value)."""
    table = document.add_table(rows=len(rows), cols=4, style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, row in enumerate(rows):
        cells = table.rows[index].cells
        if len(row) == 2:
            cells[1].merge(cells[3])
            values = [(cells[0], row[0], True), (cells[1], row[1], False)]
        else:
            values = [(cells[i], row[i], i % 2 == 0) for i in range(4)]
        for cell, text, is_label in values:
            cell.text = ""
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles[TABLE_STYLE]
            run = paragraph.add_run(clean(text))
            if is_label:
                run.bold = True
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in table.rows:
        row.cells[0].width = Mm(28)
    return table


def to_bytes(document: Document) -> bytes:
    """Serialise a document to .docx bytes."""
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
