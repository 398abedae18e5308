"""`flask sync-due` declares what existing records owe, and running it twice changes nothing."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from tests.helpers import issue
from webapp.models import Obligation


def open_count(db) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Obligation).where(Obligation.closed_at.is_(None))
    )


def test_sync_due_declares_the_obligations_of_records_made_before(app, db, world):
    issue(world, 2)
    declared = open_count(db)
    assert declared >= 1
    db.session.execute(delete(Obligation))
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["sync-due"])
    assert result.exit_code == 0, result.output
    assert "已核对待办时限" in result.output
    assert open_count(db) == declared
    runner.invoke(args=["sync-due"])
    assert open_count(db) == declared
