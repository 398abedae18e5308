"""Integers taken from a URL or form fit the database's integer columns, or never reach a query.

PostgreSQL refuses to bind a number past its integer range and SQLite past 64 bits: either
way a hand-typed `/warnings/99999999999999999999` or `?page=99999999999999999999` became a
500. Every `<int:...>` in a route is bounded here (a larger id is simply not found: 404), and
a `page` or `*_id` parameter outside the range is a bad request (400).
"""

from __future__ import annotations

import builtins
import re

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map

# The range of PostgreSQL's `integer`, the type of every id column (SQLAlchemy's Integer).
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
INTEGER = re.compile(r"\s*[+-]?\d+\s*")


class DatabaseIntConverter(IntegerConverter):
    """The `int` converter, bounded to the database's integer range."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        low = INT_MIN if min is None else builtins.max(min, INT_MIN)
        high = INT_MAX if max is None else builtins.min(max, INT_MAX)
        super().__init__(map, fixed_digits, low, high, signed)


def out_of_range(value: str) -> bool:
    """Tell whether a text is an integer the database cannot hold."""
    if not INTEGER.fullmatch(value):
        return False
    digits = value.strip().lstrip("+-").lstrip("0")
    # Compare by length first: int() of a huge digit string is slow, and refused past 4300.
    return len(digits) > len(str(INT_MAX)) or not INT_MIN <= int(value) <= INT_MAX


def checked(name: str) -> bool:
    """Tell whether a parameter names a page or a record id."""
    return name == "page" or name.endswith("_id")


def refuse_huge_integers() -> None:
    """Answer 400 for a page or id parameter past the database's integer range."""
    sources = [request.args]
    if request.method == "POST" and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        sources.append(request.form)
    for source in sources:
        for name, value in source.items(multi=True):
            if checked(name) and out_of_range(value):
                abort(400)


def init_app(app: Flask) -> None:
    """Make the bounded converter the default `int` (before any blueprint) and check parameters."""
    app.url_map.converters["int"] = DatabaseIntConverter
    app.before_request(refuse_huge_integers)
