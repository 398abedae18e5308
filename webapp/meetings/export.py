"""Downloads of a meeting: the decisions as Excel, the 会议纪要 and the three lists as Word/Excel.

The documents are official papers, written in Chinese whatever the interface language (as the
documents area's are). Every download is logged with what it carried.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from docx import Document

from webapp.audit.services import record_operation
from webapp.documents.layout import add_body, add_form_table, add_title, cn_date, new_document
from webapp.extensions import db
from webapp.lookups import param_str
from webapp.meetings.agenda import SECTION_LABELS, Section
from webapp.meetings.kinds import decision_label, kind_label
from webapp.meetings.lists import WIDTHS, Produced
from webapp.meetings.queries import load_lines
from webapp.models.meetings import Meeting
from webapp.spreadsheets.export import write_workbook
from workflows.tiers import Tier

DECISION_HEADERS = ["序号", "议程分类", "干部", "单位", "事项", "决定", "预警等级", "说明", "更正"]
DECISION_WIDTHS = [6, 18, 10, 24, 16, 16, 14, 40, 8]


def decision_rows(meeting: Meeting) -> Iterator[list[Any]]:
    """Yield one row per decision, in the order recorded."""
    meeting = load_lines(meeting)
    for n, d in enumerate(meeting.decisions, start=1):
        item = d.agenda_item
        yield [
            n,
            SECTION_LABELS[Section(item.section)] if item else "",
            item.cadre_name if item else "",
            item.unit_name if item else "",
            item.subject_ref if item else "",
            decision_label(d.kind),
            str(Tier(d.tier).label) if d.tier else "",
            d.note,
            "是" if d.corrects_id else "",
        ]


def export_decisions(meeting: Meeting, target: IO[bytes]) -> int:
    """Write the meeting's decisions to `target` as .xlsx and log the export."""
    title = f"{meeting.number} 决定事项"
    count = write_workbook(
        target, "决定事项", DECISION_HEADERS, decision_rows(meeting), DECISION_WIDTHS
    )
    record_operation("export", "Meeting", meeting.id, f"导出{title} {count} 条")
    db.session.commit()
    return count


def export_list(produced: Produced, describe: str, target: IO[bytes]) -> int:
    """Write one of the three lists to `target` as .xlsx and log the export."""
    count = write_workbook(target, produced.label, produced.headers, iter(produced.rows), WIDTHS)
    record_operation(
        "export", "MeetingList", produced.kind, f"导出{produced.label} {count} 条（{describe}）"
    )
    db.session.commit()
    return count


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def add_rows_table(document: Document, headers: list[str], rows: list[list[Any]]) -> None:
    """Add a bordered table: a header row, then one row per item."""
    table = document.add_table(rows=1, cols=len(headers), style="Table Grid")
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _text(value)


def minutes_document(meeting: Meeting) -> Document:
    """Write the 会议纪要: who met, the agenda's size, opinions and each decision."""
    document = new_document()
    add_title(document, f"{kind_label(meeting.kind)}会议纪要")
    present = "、".join(a.name for a in meeting.attendees if a.present) or "无"
    absent = "、".join(a.name for a in meeting.attendees if not a.present) or "无"
    add_form_table(
        document,
        [
            ("会议编号", meeting.number, "召开日期", cn_date(meeting.held_on)),
            (
                "范围",
                meeting.unit.name,
                "记录人",
                meeting.secretary.full_name if meeting.secretary else "",
            ),
            ("出席人员", present),
            ("缺席人员", absent),
            ("研判期间", f"{cn_date(meeting.period_start)}至{cn_date(meeting.held_on)}"),
            ("议程事项", f"{len(meeting.agenda)}项"),
        ],
    )
    document.add_paragraph()
    add_body(document, "一、会议意见")
    add_body(document, meeting.opinions or "无")
    add_body(document, "二、决定事项")
    add_rows_table(document, DECISION_HEADERS, list(decision_rows(meeting)))
    document.add_paragraph()
    add_body(document, f"{param_str('document.issuer')}　{cn_date(meeting.held_on)}")
    return document


def list_document(produced: Produced, describe: str) -> Document:
    """Write one of the three lists as a Word table."""
    document = new_document()
    add_title(document, produced.label)
    add_body(document, describe)
    add_rows_table(document, produced.headers, produced.rows)
    return document


def log_download(object_type: str, object_id: Any, summary: str) -> None:
    """Log a Word download."""
    record_operation("download", object_type, object_id, summary)
    db.session.commit()
