"""The streamed export writer shared by every register export."""

from __future__ import annotations

import io
import tracemalloc
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from webapp.spreadsheets.export import send_export, write_workbook


def read_back(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def test_dates_are_dates_and_times_are_local(app):
    target = io.BytesIO()
    with app.app_context():
        count = write_workbook(
            target,
            "台账",
            ["日期", "时间", "空"],
            [[date(1982, 3, 10), datetime(2026, 11, 20, 1, 30, tzinfo=UTC), None]],
        )
    assert count == 1
    sheet = read_back(target.getvalue())
    day, moment, empty = sheet[2]
    assert day.is_date and day.number_format == "yyyy-mm-dd"
    assert day.value == datetime(1982, 3, 10)
    # Excel has no time zones: an aware timestamp is written in the organisation's zone.
    assert moment.is_date and moment.number_format == "yyyy-mm-dd hh:mm"
    assert moment.value == datetime(2026, 11, 20, 9, 30)
    assert empty.value is None


def test_text_starting_with_equals_stays_text(app):
    target = io.BytesIO()
    with app.app_context():
        write_workbook(
            target, "台账", ["姓名", "年轻干部"], [['=HYPERLINK("http://x","点")', True]]
        )
    sheet = read_back(target.getvalue())
    name, young = sheet[2]
    assert name.data_type == "s"
    assert name.value == '=HYPERLINK("http://x","点")'
    assert young.value == "是"


def test_control_characters_do_not_break_the_export(app):
    target = io.BytesIO()
    with app.app_context():
        write_workbook(target, "台账", ["事由"], [["第一行\x0b第二行\x08。"]])
    assert read_back(target.getvalue())["A2"].value == "第一行第二行。"


def test_header_row_is_bold_and_frozen(app):
    target = io.BytesIO()
    with app.app_context():
        write_workbook(target, "台账", ["甲", "乙"], iter([]), widths=[10, 20])
    sheet = read_back(target.getvalue())
    assert [c.value for c in sheet[1]] == ["甲", "乙"]
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    # 20 characters as Excel shows them; the file stores the width with Excel's padding.
    assert 20 <= sheet.column_dimensions["B"].width < 21


def test_memory_stays_flat_for_many_rows(app):
    def rows(n):
        for i in range(n):
            yield (f"干部{i}", date(1980, 1, 1), "单位" * 5, i)

    def peak(n):
        target = io.BytesIO()  # the file's own bytes are not what is measured here
        with app.app_context():
            tracemalloc.start()
            write_workbook(target, "台账", ["姓名", "出生日期", "单位", "序号"], rows(n))
            _size, top = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        return top - len(target.getvalue())

    small, large = peak(1_000), peak(12_000)
    assert large < small * 3  # twelve times the rows, nowhere near twelve times the memory


def test_send_export_sends_a_dated_attachment_from_disk(app):
    with app.test_request_context("/"):
        seen = []

        def write(target):
            seen.append(target)
            return write_workbook(target, "台账", ["甲"], [["一"]])

        response = send_export(write, "干部信息")
        response.direct_passthrough = False
        data = response.get_data()
        response.close()
    assert not isinstance(seen[0], io.BytesIO)  # a temporary file, not memory
    assert seen[0].closed
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert (
        "filename*=UTF-8''%E5%B9%B2%E9%83%A8%E4%BF%A1%E6%81%AF-"
        in (response.headers["Content-Disposition"])
    )
    assert read_back(data)["A2"].value == "一"


def test_send_export_names_the_file_in_ascii_too(app):
    with app.test_request_context("/"):
        response = send_export(
            lambda t: write_workbook(t, "台账", ["甲"], []), "干部信息", "cadres"
        )
        response.close()
        unnamed = send_export(lambda t: write_workbook(t, "台账", ["甲"], []), "预警台账")
        unnamed.close()
    disposition = response.headers["Content-Disposition"]
    plain = [p.strip() for p in disposition.split(";") if p.strip().startswith("filename=")]
    assert plain and plain[0].startswith('filename="cadres-20') and plain[0].endswith('.xlsx"')
    assert 'filename="export-20' in unnamed.headers["Content-Disposition"]
