"""The warning detail finds its talks by the warning, not by walking every talk, and reads the
files of its actions and rectification rounds at once, not once a record."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_talk
from tests.helpers import issue
from tests.statements import grown, statements_of_get
from webapp.extensions import db
from webapp.models import Attachment, Rectification, Talk, WarningAction
from webapp.talks.services import talks_for_warning
from webapp.warnings.owners import ACTION_OWNER, RECTIFICATION_OWNER

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
                f"INSERT INTO talk ({columns}) SELECT {columns} FROM talk WHERE warning_id IS NULL"
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
    ((statement, parameters),) = seen
    plan = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    details = [row[-1] for row in plan]
    assert any("ix_talk_warning_linked" in d for d in details), details
    assert not any(d.startswith("SCAN talk") for d in details), details


_files = itertools.count(1)


def attach(owner_type: str, owner_id: int, user) -> None:
    """Store a file's row (no content: the page lists names) owned by a record."""
    n = next(_files)
    db.session.add(
        Attachment(
            owner_type=owner_type,
            owner_id=owner_id,
            original_name=f"书面检查{n}.pdf",
            stored_name=f"{n:032d}",
            kind="pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by_id=user.id,
        )
    )


def add_documented_records(warning, user) -> None:
    """Add an action and a reported rectification round, each with a file."""
    action = WarningAction(
        warning_id=warning.id, tier=int(warning.tier), kind="talk", done_on=date(2026, 3, 3)
    )
    round_ = Rectification(
        warning_id=warning.id,
        round=len(warning.rectifications) + 1,
        started_on=date(2026, 3, 3),
        report="已整改",
        reported_on=date(2026, 3, 20),
    )
    db.session.add_all([action, round_])
    db.session.flush()
    attach(ACTION_OWNER, action.id, user)
    attach(RECTIFICATION_OWNER, round_.id, user)
    db.session.expire(warning)


def test_the_detail_reads_every_records_files_in_one_statement(client, login, world):
    warning = issue(world)
    add_documented_records(warning, world.supervisor)
    db.session.commit()
    login(world.supervisor.username)
    url = f"/warnings/{warning.id}"
    few = statements_of_get(client, url)
    for _ in range(4):
        add_documented_records(warning, world.supervisor)
    db.session.commit()
    many = statements_of_get(client, url)
    assert len(many) == len(few), grown(few, many)
    page = client.get(url).get_data(as_text=True)
    names = db.session.scalars(sa.select(Attachment.original_name)).all()
    assert len(names) == 10 and all(name in page for name in names)


def test_the_detail_reads_the_warning_once_and_logs_the_view(client, login, world):
    # The access log is written once the page is built: its commit would expire the warning,
    # its cadre and the user, and the page would read them again.
    warning = issue(world)
    db.session.commit()
    login(world.supervisor.username)
    statements = statements_of_get(client, f"/warnings/{warning.id}")
    reads = [s for s in statements if s.lstrip().startswith("SELECT warning.id")]
    assert len(reads) == 1, reads
    assert any(s.lstrip().startswith("INSERT INTO access_log") for s in statements)


def test_the_detail_reads_the_actions_once_for_its_guards_and_its_list(client, login, world):
    # The standing guards (书面检查 owed after an admonishment) and the 处置措施 list.
    warning = issue(world)
    add_documented_records(warning, world.supervisor)
    db.session.commit()
    login(world.supervisor.username)
    statements = statements_of_get(client, f"/warnings/{warning.id}")
    reads = [s for s in statements if "FROM warning_action" in s]
    assert len(reads) == 1, reads
