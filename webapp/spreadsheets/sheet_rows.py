"""A worksheet's data rows as XML text, cell for cell what XlsxWriter's constant_memory writes.

XlsxWriter spends about 30 µs a cell (argument decorators, a cell tuple, dimension checks,
attribute lists, three regular expressions, one file write per tag): two thirds of a
10,000-row export. Here a row is one f-string per cell and one write, the same XML as
``Worksheet._write_cell`` in constant_memory mode (inline strings, ``<c r="B2" s="2">``),
checked against it by tests/webapp/spreadsheets/test_sheet_rows.py. One difference: a text
shaped like XlsxWriter's rich-string markup (``<r>…</r>``) is escaped like any other text,
where XlsxWriter would copy it into the file as raw XML.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from xlsxwriter.utility import xl_col_to_name

# What Excel (or a user editing the cell) would read as the start of a formula or a DDE call.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
MAX_ROWS = 1_048_576  # rows in an Excel sheet, the header included
MAX_TEXT = 32_767  # UTF-16 units in a cell, as XlsxWriter truncates them
# XlsxWriter's escapes for what XML cannot hold: "_x0041_" typed by a person becomes
# "_x005F_x0041_" (so Excel does not decode it), a control character "_x000D_".
ESCAPED_LOOKING = re.compile("(_x[0-9a-fA-F]{4}_)")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
EXCEL_EPOCH = datetime(1899, 12, 31)
EPOCH_ORDINAL = EXCEL_EPOCH.toordinal()


def looks_like_formula(text: str) -> bool:
    """Tell whether a text would be taken for a formula if typed into Excel."""
    return text.startswith(FORMULA_STARTS)


@dataclass(frozen=True, slots=True)
class Styles:
    """The workbook's format (xf) indices a data cell may carry."""

    date: int
    datetime: int
    quoted: int


class RowWriter:
    """Turn rows of Python values into the ``<row>`` elements of a sheet's ``sheetData``."""

    def __init__(self, styles: Styles, zone: tzinfo) -> None:
        self.zone = zone  # an aware datetime is written in this zone (Excel has none)
        self.date_attr = f' s="{styles.date}"'
        self.datetime_attr = f' s="{styles.datetime}"'
        self.quoted_attr = f' s="{styles.quoted}"'
        self.letters: list[str] = []
        # The last row and column holding a cell, for the sheet's dimension.
        self.last_row = self.last_col = -1

    def row(self, index: int, values: Iterable[Any]) -> str:
        """Return row `index` (0-based) as XML; an empty string when every value is None."""
        number = str(index + 1)
        letters = self.letters
        cells = []
        last = -1
        for col, value in enumerate(values):
            if value is None:
                continue
            if col >= len(letters):
                letters.extend(xl_col_to_name(c) for c in range(len(letters), col + 1))
            ref = letters[col] + number
            # Most cells are texts: skip the isinstance chain for them.
            cells.append(self.text(ref, value) if type(value) is str else self.cell(ref, value))
            last = col
        if not cells:
            return ""
        self.last_row, self.last_col = index, max(self.last_col, last)
        return f'<row r="{number}">{"".join(cells)}</row>'

    def cell(self, ref: str, value: Any) -> str:
        """Return one cell's XML, its value written by type (see webapp.spreadsheets.export)."""
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                value = value.astimezone(self.zone).replace(tzinfo=None)
            return number_cell(ref, excel_datetime(value), self.datetime_attr)
        if isinstance(value, date):
            return number_cell(ref, excel_date(value), self.date_attr)
        if isinstance(value, bool):
            return string_cell(ref, "是" if value else "否", "")
        if isinstance(value, str):
            return self.text(ref, value)
        if isinstance(value, int | float):
            if isinstance(value, float) and not math.isfinite(value):
                raise TypeError("NaN and infinity have no Excel number")
            return number_cell(ref, value, "")
        return string_cell(ref, str(value), "")

    def text(self, ref: str, text: str) -> str:
        """Return a text cell: control characters dropped, quote-prefixed if formula-like."""
        if not text.isprintable():  # every character XML cannot hold is unprintable
            text = ILLEGAL_CHARACTERS_RE.sub("", text)
        return string_cell(ref, text, self.quoted_attr if text.startswith(FORMULA_STARTS) else "")


def string_cell(ref: str, text: str, style: str) -> str:
    """Return an inline-string cell as XlsxWriter writes one (truncated, escaped)."""
    if len(text) > MAX_TEXT // 2:
        text = truncated(text)
    if "_x" in text:
        text = ESCAPED_LOOKING.sub(r"_x005F\1", text)
    if not text.isprintable():
        text = CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
        text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def number_cell(ref: str, number: float, style: str) -> str:
    """Return a number cell (a date is a number with a date format)."""
    return f'<c r="{ref}"{style}><v>{number:.16G}</v></c>'


def truncated(text: str) -> str:
    """Cut a text to the UTF-16 units a cell holds, never inside a character above U+FFFF."""
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > MAX_TEXT:
            return text[:index]
    return text


def excel_date(day: date) -> int:
    """Return a day's Excel serial number (Excel counts a 29 February 1900)."""
    serial = day.toordinal() - EPOCH_ORDINAL
    return serial + 1 if serial > 59 else serial


def excel_datetime(moment: datetime) -> float:
    """Return a naive date and time as an Excel serial number, as XlsxWriter computes it."""
    delta = moment - EXCEL_EPOCH
    serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / 86400
    if moment.isocalendar() == (1900, 1, 1):
        serial -= 1
    return serial + 1 if serial > 59 else serial
