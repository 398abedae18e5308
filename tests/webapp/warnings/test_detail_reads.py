"""The warning detail finds its talks by the warning, not by walking every talk."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import make_talk
from tests.helpers import issue
from webapp.extensions import db
from webapp.models import Talk
from webapp.talks.services import talks_for_warning

COPIED = [c.name for c in Talk.__table__.columns if c.name not in ("id", "warning_id")]


def test_sqlite_uses_the_index_of_linked_talks_when_most_talks_have_no_warning(world):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan in question is SQLite's")
    warning = issue(world)
    make_talk(world.cadre, world.supervisor, warning_id=warning.id)
    make_talk(world.cadre, world.supervisor)
    columns = ", ".join(COPIED)
    for _ in range(9):  # 2 → 1,024 talks, all but one without a warning
        db.session.execute(
            sa.text(
                f"INSERT INTO talk ({columns}) SELECT {columns} FROM talk "
                "WHERE warning_id IS NULL"
            )
        )
    db.session.execute(sa.text("ANALYZE"))
    seen: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, *_args):
        if "FROM talk" in statement:
            seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", keep)
    try:
        found = talks_for_warning(warning.id, world.supervisor)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", keep)
    assert [t.warning_id for t in found] == [warning.id]
    (statement, parameters), = seen
    plan = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    details = [row[-1] for row in plan]
    assert any("ix_talk_warning_linked" in d for d in details), details
    assert not any(d.startswith("SCAN talk") for d in details), details
