"""The columns of an import file and the parsers that turn each cell into a stored value."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from stdnum.cn import ric

from webapp.forms_common import TAG
from webapp.spreadsheets.cells import CellError, cell_text, parse_date_value

if TYPE_CHECKING:
    from webapp.imports.context import ImportContext


class Parser:
    """Turn one cell into a stored value, or raise CellError."""

    empty: Any = ""
    number_format: str | None = None
    # Whether any text is a value here (a formula's text is then kept as typed).
    takes_text = False

    def parse(self, raw: Any, ctx: ImportContext) -> Any:
        """Return the value to store for a non-blank cell."""
        raise NotImplementedError

    def choices(self, ctx: ImportContext) -> list[str] | None:
        """Return the texts a dropdown in the template offers, if any."""
        return None

    def to_json(self, value: Any) -> Any:
        """Return the value as JSON can hold it (for the staged rows)."""
        return value

    def from_json(self, value: Any) -> Any:
        """Undo `to_json`."""
        return value


class Text(Parser):
    """Free text up to a length; markup refused where the form refuses it."""

    takes_text = True

    def __init__(self, max_length: int | Callable[[], int], *, plain: bool = True) -> None:
        # A callable limit is read when parsing: some limits are parameters.
        self.max_length = max_length
        self.plain = plain

    def parse(self, raw, ctx):
        text = cell_text(raw)
        limit = self.max_length() if callable(self.max_length) else self.max_length
        if len(text) > limit:
            raise CellError(_("不能超过 %(n)s 个字", n=limit))
        if self.plain and TAG.search(text):
            raise CellError(_("不能包含 HTML 标记或脚本"))
        return text


class DateValue(Parser):
    """A date; by default not later than today."""

    empty = None
    number_format = "yyyy-mm-dd"

    def __init__(self, *, not_future: bool = True) -> None:
        self.not_future = not_future

    def parse(self, raw, ctx):
        value = parse_date_value(raw)
        if self.not_future and value > ctx.today:
            raise CellError(_("日期不能晚于今天"))
        return value

    def to_json(self, value):
        return value.isoformat() if value else None

    def from_json(self, value):
        return date.fromisoformat(value) if value else None


class DictLabel(Parser):
    """A dictionary item, written as its label (男) or its value (male); stored as the value."""

    def __init__(self, dict_code: str) -> None:
        self.dict_code = dict_code

    def parse(self, raw, ctx):
        item = ctx.dict_item(self.dict_code, cell_text(raw))
        if item is None:
            labels = ctx.dict_labels(self.dict_code)
            shown = _("、").join(labels[:12]) + (_("等") if len(labels) > 12 else "")
            raise CellError(
                _("“%(v)s”不是可选的值，应为：%(choices)s", v=cell_text(raw), choices=shown)
            )
        return item.value

    def choices(self, ctx):
        return ctx.dict_labels(self.dict_code)


class UnitRef(Parser):
    """A unit written by name or code; it must exist, be active and lie in the user's scope."""

    empty = None

    def parse(self, raw, ctx):
        return ctx.unit_id(cell_text(raw))

    def choices(self, ctx):
        return ctx.unit_labels()


@functools.lru_cache(maxsize=65536)
def id_number_valid(text: str) -> bool:
    """Tell whether an ID number passes GB 11643 (cached: a file repeats its cadres)."""
    return ric.is_valid(text)


class IdNumber(Parser):
    """An 18-character resident ID number with a valid GB 11643 checksum and birth date."""

    number_format = "@"

    def parse(self, raw, ctx):
        text = re.sub(r"\s+", "", cell_text(raw)).upper()
        if len(text) != 18:
            raise CellError(_("身份证号码应为 18 位"))
        if not id_number_valid(text):
            raise CellError(_("身份证号码无效（位数、出生日期或校验位不正确）"))
        return text


class YesNo(Parser):
    """是 or 否."""

    empty = False
    YES = frozenset({"是", "y", "yes", "true", "1", "√"})
    NO = frozenset({"否", "n", "no", "false", "0", "×"})

    def parse(self, raw, ctx):
        if isinstance(raw, bool):
            return raw
        text = cell_text(raw).lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise CellError(_("请填写“是”或“否”"))

    def choices(self, ctx):
        return ["是", "否"]


@dataclass(frozen=True)
class Column:
    """One column of an import file.

    Headers are a file format, not UI text: they stay in Chinese in every locale, so a
    template downloaded in English still matches what the reader expects.
    """

    key: str
    header: str
    parser: Parser
    required: bool = True
    example: Any = ""
    note: Any = ""
    masked: bool = False
    width: int = 14

    @property
    def empty(self) -> Any:
        """Return the value a blank optional cell stands for."""
        return self.parser.empty
