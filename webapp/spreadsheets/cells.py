"""Read the value of an Excel cell: blank or not, its visible text, a date written any usual way.

Neutral ground: the Excel import and the holiday schedule both parse dates typed by people,
and neither should import the other for it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _


class CellError(ValueError):
    """A cell's value is wrong; the message says why in the UI's language."""


def is_blank(value: Any) -> bool:
    """Tell whether a cell holds nothing (None or only whitespace)."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """Return a cell's value as the text a person sees in Excel."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?$"
)
DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date_value(value: Any) -> date:
    """Read a date from a date cell or from text such as 2026-01-31, 2026/1/31, 20260131."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    match = DATE_TEXT.match(text) or DATE_DIGITS.match(text)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(_("日期格式应为 年-月-日，例如 2026-01-31"))
