"""Two people acting on one warning at once: one succeeds, the other is told, one event.

These tests need real, separate connections and commits, so they build their own app on a
fresh database instead of the rolled-back test transaction.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from tests.databases import DATABASES, database_config, drop_postgres_schema
from tests.factories import make_cadre, make_unit, make_user
from tests.helpers import command
from webapp import create_app
from webapp.extensions import db
from webapp.models import DataScope, User, Warning, WarningEvent
from webapp.seed.reference import ensure_reference_data
from webapp.warnings import services
from webapp.warnings.services import WarningConflict


@pytest.fixture(scope="module", params=DATABASES)
def fresh(request, tmp_path_factory):
    """An app on its own empty database, with a warning waiting for the reviewer."""
    config = database_config(request.param, tmp_path_factory.mktemp("conc"), "warnconc")
    app = create_app("testing", config)
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        unit = make_unit("市财政局")
        supervisor = make_user("supervisor", unit, DataScope.ALL, username="c_sup")
        make_user("reviewer", unit, DataScope.ALL, username="c_rev1")
        make_user("reviewer", unit, DataScope.ALL, username="c_rev2")
        cadre = make_cadre(unit, "赵并发")
        db.session.commit()
        app.config["CADRE_ID"] = cadre.id
        app.config["SUPERVISOR_ID"] = supervisor.id
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()
    if "PG_SCHEMA" in app.config:
        drop_postgres_schema(app.config["PG_SCHEMA"])


def pending_warning(app) -> tuple[int, int]:
    """Create a warning waiting at the reviewer's step; return (id, version)."""
    with app.app_context():
        supervisor = db.session.get(User, app.config["SUPERVISOR_ID"])
        warning = services.create_warning(supervisor, app.config["CADRE_ID"], 1, [], "并发测试")
        services.apply_event(warning.id, command("submit"), supervisor, warning.version)
        ident, version = warning.id, warning.version
        db.session.remove()
    return ident, version


def decisions(app, warning_id: int) -> list[str]:
    with app.app_context():
        events = db.session.scalars(
            select(WarningEvent.event).where(
                WarningEvent.warning_id == warning_id,
                WarningEvent.event.in_(["approve", "reject"]),
            )
        ).all()
        db.session.remove()
    return list(events)


def test_two_reviewers_at_once_one_wins(fresh):
    warning_id, version = pending_warning(fresh)
    barrier = threading.Barrier(2, timeout=30)
    results: dict[str, str] = {}

    def decide(username: str, event: str, data: dict) -> None:
        barrier.wait()
        with fresh.app_context():
            try:
                user = db.session.scalars(select(User).where(User.username == username)).one()
                services.apply_event(warning_id, command(event, **data), user, version)
                results[username] = "ok"
            except WarningConflict as exc:
                results[username] = exc.message
            except Exception as exc:  # reported below rather than lost in the thread
                results[username] = repr(exc)
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=decide, args=("c_rev1", "approve", {"comment": "同意"})),
        threading.Thread(target=decide, args=("c_rev2", "reject", {"reason": "依据不足"})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    outcomes = sorted(results.values())
    assert len(outcomes) == 2
    assert outcomes[0] == "ok", results
    assert "已被他人处理" in outcomes[1], results
    assert len(decisions(fresh, warning_id)) == 1


def test_a_stale_copy_is_caught_by_the_version_column(fresh):
    """The second writer read the row before the first committed (the optimistic lock)."""
    if fresh.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite serialises writers from their first statement; no stale reader")
    warning_id, version = pending_warning(fresh)
    with fresh.app_context():
        slow = db.session.scalars(select(User).where(User.username == "c_rev2")).one()
        seen = db.session.get(Warning, warning_id)
        assert seen.version == version
        with fresh.app_context():
            fast = db.session.scalars(select(User).where(User.username == "c_rev1")).one()
            services.apply_event(warning_id, command("approve"), fast, version)
            db.session.remove()
        with pytest.raises(WarningConflict):
            services.apply_event(warning_id, command("reject", reason="迟到"), slow, version)
        db.session.remove()
    assert decisions(fresh, warning_id) == ["approve"]
    with fresh.app_context():
        warning = db.session.get(Warning, warning_id)
        assert (warning.approval_step, warning.version) == (1, version + 1)
        db.session.remove()


def test_warnings_created_at_once_get_distinct_numbers(fresh):
    barrier = threading.Barrier(3, timeout=30)
    numbers: list[str] = []

    def create() -> None:
        barrier.wait()
        with fresh.app_context():
            try:
                supervisor = db.session.get(User, fresh.config["SUPERVISOR_ID"])
                warning = services.create_warning(supervisor, fresh.config["CADRE_ID"], 1, [], "x")
                numbers.append(warning.number)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=create) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(numbers) == 3 and len(set(numbers)) == 3
    assert all(n.startswith("YJ-") for n in numbers)
