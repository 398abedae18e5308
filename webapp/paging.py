"""One way every register pages: seek links for 上一页/下一页, OFFSET for a page jump, a capped count.

Next and previous pages continue from the last (or first) row's sort key and id
(`after=`/`before=`), so page 200 reached by 下一页 costs what page 1 costs; `page=N` alone jumps
by OFFSET (and keeps the old links working). The count stops at `PAGE_COUNT_CAP` rows: a larger
set shows 「共 1万+ 条」 instead of costing a full COUNT(*) on every page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

from webapp.converters import out_of_range
from webapp.extensions import db

# Query arguments the pager owns; a link keeps every other argument (the filters) as it is.
PAGER_ARGS = ("page", "after", "before")


@dataclass(frozen=True)
class SortKey:
    """The order a register lists in: its columns, the last one unique (the id)."""

    columns: tuple[Any, ...]
    descending: bool = False

    def order(self, stmt: sa.Select, backwards: bool = False) -> sa.Select:
        """Order a select by the key (the other way round to walk backwards)."""
        desc = self.descending != backwards
        return stmt.order_by(None).order_by(*(c.desc() if desc else c.asc() for c in self.columns))

    def beyond(self, values: Sequence[Any], backwards: bool = False) -> sa.ColumnElement[bool]:
        """Return the condition for the rows that come after these key values in walking order."""
        row = sa.tuple_(*self.columns)
        mark = sa.tuple_(
            *(sa.literal(v, c.type) for c, v in zip(self.columns, values, strict=True))
        )
        first = self.columns[0]
        bound = sa.literal(values[0], first.type)
        # The bound on the first column alone lets every planner start an index range scan
        # there; the row-value comparison then settles ties exactly.
        if self.descending != backwards:
            return sa.and_(first <= bound, row < mark)
        return sa.and_(first >= bound, row > mark)

    def values_of(self, item: Any) -> list[Any]:
        """Return an item's key values."""
        return [getattr(item, c.key) for c in self.columns]


def encode_cursor(values: Sequence[Any]) -> str:
    """Write key values as a URL-safe token."""
    tagged = [_tag(v) for v in values]
    raw = json.dumps(tagged, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, length: int) -> list[Any] | None:
    """Read key values from a token, or None if it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        tagged = json.loads(raw)
        values = [_untag(v) for v in tagged]
    except (binascii.Error, ValueError, TypeError, KeyError, IndexError):
        return None
    return values if len(values) == length else None


def _tag(value: Any) -> Any:
    if isinstance(value, datetime):
        return ["t", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, int) and not isinstance(value, bool):
        return ["i", value]
    return ["s", str(value)]


def _untag(tagged: Any) -> Any:
    kind, value = tagged
    match kind:
        case "t":
            return datetime.fromisoformat(value)
        case "d":
            return date.fromisoformat(value)
        case "i" if isinstance(value, int) and not out_of_range(str(value)):
            return value
        case "s" if isinstance(value, str):
            return value
    raise ValueError(kind)


def capped_count(stmt: sa.Select, id_column: Any, cap: int) -> int | None:
    """Count a select's rows up to the cap; None when there are more."""
    limited = stmt.order_by(None).with_only_columns(id_column).limit(cap + 1).subquery()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(limited)) or 0
    return None if count > cap else count


def count_label(total: int | None, cap: int) -> str:
    """Write a count for the pager: the number, or the cap with a plus (1万+, 10,000+)."""
    if total is not None:
        return str(total)
    locale = get_locale()
    if cap % 10000 == 0 and (locale is None or locale.language == "zh"):
        # Chinese counts in 万; other languages read the whole number, grouped their way.
        return _("%(n)s万+", n=cap // 10000)
    return _("%(n)s+", n=format_decimal(cap) if locale is not None else str(cap))


@dataclass
class Page:
    """One page of a register and the links around it."""

    items: list[Any]
    number: int
    per_page: int
    total: int | None
    cap: int
    has_prev: bool = False
    has_next: bool = False
    prev_args: dict[str, Any] = field(default_factory=dict)
    next_args: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int | None:
        """Return how many pages there are, if the count is known."""
        if self.total is None:
            return None
        return max((self.total + self.per_page - 1) // self.per_page, 1)

    @property
    def total_label(self) -> str:
        """Return the count as the pager shows it."""
        return count_label(self.total, self.cap)


@dataclass(frozen=True)
class PageRequest:
    """What the query string asks of the pager: a page number and maybe a cursor."""

    number: int = 1
    after: list[Any] | None = None
    before: list[Any] | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str], key: SortKey) -> PageRequest:
        """Read page, after and before (a broken cursor falls back to the page number)."""
        raw = (args.get("page") or "1").strip()
        number = int(raw) if raw.isdigit() and not out_of_range(raw) else 1
        length = len(key.columns)
        after = decode_cursor(args["after"], length) if args.get("after") else None
        before = decode_cursor(args["before"], length) if args.get("before") else None
        if after is not None:
            before = None
        elif before is None:
            return cls(max(number, 1))
        return cls(max(number, 1), after, before)


def paginate(
    stmt: sa.Select,
    key: SortKey,
    args: Mapping[str, str],
    options: Sequence[Any] = (),
) -> Page:
    """Return the page the query string asks for, with its count and links."""
    per_page = current_app.config["PAGE_SIZE"]
    cap = current_app.config["PAGE_COUNT_CAP"]
    want = PageRequest.from_args(args, key)
    total = capped_count(stmt, key.columns[-1], cap)
    backwards = want.before is not None
    ids = stmt.with_only_columns(key.columns[-1])
    if want.after is not None:
        ids = ids.where(key.beyond(want.after))
    elif want.before is not None:
        ids = ids.where(key.beyond(want.before, backwards=True))
    elif want.number > 1:
        ids = ids.where(key.columns[-1].in_(_skipped_ids(stmt, key, want, per_page)))
    # A deferred join: the page's ids are chosen from the index (sort key and id) alone, and
    # only those rows are read whole. Sorting whole rows to keep 21 read all of a unit
    # filter's 30,000 items (SQLite, a city's subtree: 150 ms; the ids alone: 10 ms).
    ids = key.order(ids, backwards).limit(per_page + 1)
    rows_stmt = key.order(stmt.options(*options).where(key.columns[-1].in_(ids)), backwards)
    items = list(db.session.scalars(rows_stmt).unique())
    more = len(items) > per_page
    items = items[:per_page]
    if backwards:
        items.reverse()
        has_prev, has_next = more, True
    else:
        has_prev, has_next = want.after is not None or want.number > 1, more
    number = want.number if has_prev else 1
    page = Page(items, number, per_page, total, cap, has_prev, has_next)
    if has_prev and items:
        page.prev_args = _link(args, number - 1, "before", key.values_of(items[0]))
    elif has_prev:
        page.prev_args = _link(args, 1, "", [])
    if has_next and items:
        page.next_args = _link(args, number + 1, "after", key.values_of(items[-1]))
    return page


def _skipped_ids(stmt: sa.Select, key: SortKey, want: PageRequest, per_page: int) -> sa.Select:
    """Select the ids of a jumped-to page: OFFSET walks the index alone, not the rows."""
    # A deferred join: the skipped rows are index entries (the composite indexes hold the
    # sort key and the id), and only the page's rows are read in full.
    ids = key.order(stmt.with_only_columns(key.columns[-1]))
    return ids.offset((want.number - 1) * per_page).limit(per_page + 1)


def _link(args: Mapping[str, str], number: int, direction: str, values: list[Any]) -> dict:
    """Return the query arguments of a link: the filters, the page number and a cursor."""
    kept = {k: v for k, v in args.items() if k not in PAGER_ARGS}
    if number <= 1:
        return kept  # page 1 is always the top of the list, whatever was added since
    return {**kept, "page": number, direction: encode_cursor(values)}
