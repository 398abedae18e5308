"""Reading requests take no write lock: a long read never makes another user's page wait.

Each test runs requests in threads against an app of its own on a fresh database (SQLite file
or PostgreSQL schema): the suite's per-test transaction would put every request on one
connection, where nothing can wait for anything.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from tests.databases import DATABASES, database_config, drop_postgres_schema
from tests.factories import PASSWORD, make_cadre, make_unit, make_user
from webapp import create_app
from webapp.audit.services import record_access
from webapp.extensions import db
from webapp.models import AccessLog, Cadre, DataScope

WAIT = 20  # seconds: far more than any request here needs, and than SQLite's busy timeout


@pytest.fixture(scope="module", params=DATABASES)
def served(request, tmp_path_factory):
    """Build an app with two users and a cadre committed, and test-only long-read pages."""
    config = database_config(request.param, tmp_path_factory.mktemp("tx"), "transactions")
    app = create_app("testing", {**config, "SQLITE_BUSY_TIMEOUT_MS": WAIT * 1000})
    app.config["held"] = {}

    @app.get("/_test/long-read/<name>")
    def long_read(name: str):
        """Read, then stay inside the read until the test lets go (an export in progress)."""
        started, release = app.config["held"][name]
        count = db.session.scalar(select(func.count(Cadre.id)))
        started.set()
        release.wait(WAIT * 6)  # let go by the test; the timeout only guards a broken one
        record_access("Cadre", "", "list", f"held {name}")
        return str(count)

    with app.app_context():
        from webapp.seed.reference import ensure_reference_data

        db.create_all()
        ensure_reference_data()
        unit = make_unit("某市")
        for username in ("reader", "other"):
            make_user("supervisor", unit, DataScope.ALL, username=username)
        make_cadre(unit, "王建国")
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()
    if "PG_SCHEMA" in config:
        drop_postgres_schema(config["PG_SCHEMA"])


def logged_in(app, username: str):
    """Return a test client logged in as the user."""
    client = app.test_client()
    response = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def in_thread(work: Callable[[], object]) -> tuple[threading.Thread, dict]:
    """Start `work` in a thread; return the thread and where its result (or error) lands."""
    out: dict = {}

    def run():
        try:
            out["result"] = work()
        except BaseException as exc:  # reported by the test that waits for it
            out["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def hold_read(app, client, name: str):
    """Start a long read in a thread and wait until it is inside its transaction."""
    started, release = threading.Event(), threading.Event()
    app.config["held"][name] = (started, release)
    thread, out = in_thread(lambda: client.get(f"/_test/long-read/{name}"))
    assert started.wait(WAIT), out.get("error")
    return thread, out, release


def finish(thread: threading.Thread, out: dict):
    """Wait for a thread's request and return its response."""
    thread.join(WAIT)
    assert not thread.is_alive(), "the request did not finish"
    if "error" in out:
        raise out["error"]
    return out["result"]


def test_other_users_pages_answer_while_a_long_read_is_open(served):
    reader, other = logged_in(served, "reader"), logged_in(served, "other")
    held, held_out, release = hold_read(served, reader, "pages")
    try:
        # A list page (it writes its access-log row) and a fresh login (a write) answer while
        # the long read is still open.
        for work in (
            lambda: other.get("/cadres/"),
            lambda: other.get("/"),
            lambda: logged_in(served, "other"),
        ):
            thread, out = in_thread(work)
            thread.join(WAIT)
            assert not thread.is_alive(), "another user's request waited for the long read"
            assert held.is_alive(), "the long read ended before the other request"
            if "error" in out:
                raise out["error"]
            response = out["result"]
            if hasattr(response, "status_code"):
                assert response.status_code == 200
    finally:
        release.set()
    response = finish(held, held_out)
    assert response.status_code == 200 and response.get_data(as_text=True) == "1"


def test_a_read_logs_its_access_after_another_user_wrote(served):
    # The read began before the other user's write was committed: its own log row still goes
    # in (SQLite would refuse a write from the older snapshot with "database is locked").
    reader, other = logged_in(served, "reader"), logged_in(served, "other")
    held, held_out, release = hold_read(served, reader, "snapshot")
    try:
        assert other.get("/cadres/").status_code == 200  # commits an access-log row
    finally:
        release.set()
    assert finish(held, held_out).status_code == 200
    with served.app_context():
        logged = db.session.scalar(
            select(func.count(AccessLog.id)).where(AccessLog.filters == "held snapshot")
        )
        db.session.remove()
    assert logged == 1


def test_a_reading_request_begins_without_the_write_lock(served):
    if served.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL takes no lock when a transaction begins")
    from sqlalchemy import event

    with served.app_context():
        engine = db.engine
    begun: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        if statement.startswith("BEGIN"):
            begun.append(statement)

    client = logged_in(served, "reader")
    event.listen(engine, "before_cursor_execute", seen)
    try:
        client.get("/cadres/")
        reads = list(begun)
        begun.clear()
        client.post("/auth/logout")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert reads and reads[0] == "BEGIN"
    assert begun and begun[0] == "BEGIN IMMEDIATE"
