"""Count the SQL statements a piece of work sends, to catch a query run once per row (N+1)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from webapp.extensions import db


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """Collect the text of every statement sent to the database inside the block."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_of_get(client, url: str) -> list[str]:
    """GET a page (after one warm-up GET that fills the caches); return its statements."""
    for _warm_up in (True, False):
        with counted_statements() as statements:
            response = client.get(url)
            response.close()  # an export streams a temporary file: closing it is the end
        assert response.status_code == 200, url
    return statements


def _shape(statement: str) -> str:
    # Savepoint names and the length of an IN list differ between runs, not the query.
    statement = re.sub(r"sa_savepoint_\d+", "sa_savepoint", statement)
    statement = re.sub(r"\((?:\?|%\(\w+\)s|\$\d+)(?:, (?:\?|%\(\w+\)s|\$\d+))*\)", "(…)", statement)
    return statement


def grown(few: list[str], many: list[str]) -> str:
    """Describe the statements sent more often the second time (what a row added)."""
    extra = Counter(map(_shape, many)) - Counter(map(_shape, few))
    return "\n\n".join(f"+{n}× {statement[:2000]}" for statement, n in extra.most_common(5))
