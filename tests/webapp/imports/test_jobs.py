"""Import jobs: the progress page and its JSON, stale and expired jobs, the background thread."""

from __future__ import annotations

import io
import os
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.databases import DATABASES, database_config, drop_postgres_schema
from tests.factories import PASSWORD, make_unit, make_user
from tests.webapp.imports.xlsx import CADRE_HEADERS, cadre_row, token_of, upload, write_xlsx
from webapp import create_app
from webapp.clock import utc_now
from webapp.extensions import db as _db
from webapp.imports import jobs
from webapp.models import AuditLog, Cadre, DataScope, ImportJob
from webapp.seed.reference import ensure_reference_data


def make_job(user, **fields) -> ImportJob:
    now = utc_now()
    job = ImportJob(
        token=f"t{now.timestamp()}{user.id}",
        kind="cadres",
        user_id=user.id,
        original_name="干部.xlsx",
        stored_name=f"s{now.timestamp()}{user.id}",
        expires_at=now + timedelta(hours=2),
        heartbeat_at=now,
        **fields,
    )
    _db.session.add(job)
    _db.session.flush()
    return job


def test_running_job_shows_progress_and_polls(db, client, login):
    user = make_user("supervisor", make_unit())
    job = make_job(user, state="validating", total_rows=50000, processed_rows=12000)
    login(user.username)
    page = client.get(f"/excel/jobs/{job.token}").get_data(as_text=True)
    assert 'max="50000" value="12000"' in page
    assert "js/import-progress.js" in page
    assert f"/excel/jobs/{job.token}/status" in page
    status = client.get(f"/excel/jobs/{job.token}/status").get_json()
    assert status == {
        "state": "validating",
        "running": True,
        "processed": 12000,
        "total": 50000,
        "text": "正在检查：已读取 12000 行",
    }
    job.state = "importing"
    _db.session.flush()
    assert client.get(f"/excel/jobs/{job.token}/status").get_json()["text"] == (
        "正在写入：12000 / 50000 行"
    )


def test_a_job_whose_worker_died_is_failed(db, client, login):
    user = make_user("supervisor", make_unit())
    job = make_job(user, state="importing")
    job.heartbeat_at = utc_now() - timedelta(minutes=10)
    _db.session.flush()
    login(user.username)
    status = client.get(f"/excel/jobs/{job.token}/status").get_json()
    assert (status["state"], status["running"]) == ("failed", False)
    assert "处理中断" in client.get(f"/excel/jobs/{job.token}").get_data(as_text=True)


def test_expired_previews_lose_their_files(db, app, import_dir):
    user = make_user("supervisor", make_unit())
    old = make_job(user, state="valid", preview=[{"row": 2}])
    old.expires_at = utc_now() - timedelta(minutes=1)
    fresh = make_job(user, state="valid")
    with app.test_request_context():
        store = jobs.import_files()
        for job in (old, fresh):
            store.save(jobs.upload_name(job), io.BytesIO(b"x"))
            store.save(jobs.staged_name(job), io.BytesIO(b"{}"))
        assert jobs.purge_expired() == 1
        assert (old.state, old.preview) == ("expired", [])
        assert store.size(jobs.upload_name(old)) is None
        assert store.size(jobs.staged_name(old)) is None
        assert fresh.state == "valid" and store.size(jobs.upload_name(fresh)) == 1


# ------------------------------------------------------------------- the background thread


@pytest.fixture(scope="module", params=DATABASES)
def committed_app(request, tmp_path_factory):
    """An app on its own database, whose data is committed so a thread can see it."""
    folder = tmp_path_factory.mktemp("threaded")
    config = database_config(request.param, folder, "imports_thread")
    config.update(IMPORT_SYNC_MAX_BYTES=0, IMPORT_DIR=str(folder / "imports"))
    app = create_app("testing", config)
    with app.app_context():
        _db.create_all()
        ensure_reference_data()
        _db.session.remove()
    yield app
    with app.app_context():
        _db.engine.dispose()
    if "PG_SCHEMA" in config:
        drop_postgres_schema(config["PG_SCHEMA"])


def wait_until_finished(client, token: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(f"/excel/jobs/{token}/status").get_json()
        if not status["running"]:
            return status
        time.sleep(0.1)
    raise AssertionError("import job did not finish")


def test_large_files_run_in_a_thread_with_progress(committed_app, tmp_path):
    app = committed_app
    with app.app_context():
        unit = make_unit("线程测试单位")
        user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW)
        _db.session.commit()
        unit_name, username, user_id = unit.name, user.username, user.id
        _db.session.remove()

    class Unit:  # the rows only need the unit's name
        name = unit_name

    rows = [
        cadre_row(Unit, birth=date(1970, 1, 1) + timedelta(days=i), 姓名=f"线程{i}")
        for i in range(150)
    ]
    path = write_xlsx(tmp_path / "大.xlsx", CADRE_HEADERS, rows, write_only=True)
    client = app.test_client()
    client.post("/auth/login", data={"username": username, "password": PASSWORD})
    token = token_of(upload(client, path))

    status = wait_until_finished(client, token)
    assert status["state"] == "valid", client.get(f"/excel/jobs/{token}").get_data(as_text=True)
    assert status["processed"] == 150
    client.post(f"/excel/jobs/{token}/confirm")
    status = wait_until_finished(client, token)
    assert status["state"] == "done"

    with app.app_context():
        assert _db.session.scalar(select(func.count(Cadre.id))) == 150
        job = _db.session.scalars(select(ImportJob).where(ImportJob.token == token)).one()
        assert (job.created_count, job.processed_rows) == (150, 150)
        creators = set(
            _db.session.scalars(select(AuditLog.username).where(AuditLog.object_type == "Cadre"))
        )
        assert creators == {username}  # the thread acts as the uploader
        assert _db.session.scalars(
            select(AuditLog).where(AuditLog.action == "import", AuditLog.user_id == user_id)
        ).one()
        _db.session.remove()


def test_large_files_run_in_another_process_as_the_uploader(committed_app, tmp_path):
    app = committed_app
    with app.app_context():
        unit = make_unit("线程审计单位")
        user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW)
        _db.session.commit()
        unit_name, username, user_id = unit.name, user.username, user.id
        _db.session.remove()

    class Unit:
        name = unit_name

    rows = [
        cadre_row(Unit, birth=date(1960, 1, 1) + timedelta(days=i), 姓名=f"审计{i}")
        for i in range(3)
    ]
    path = write_xlsx(tmp_path / "审计.xlsx", CADRE_HEADERS, rows, write_only=True)
    client = app.test_client()
    client.post("/auth/login", data={"username": username, "password": PASSWORD})
    token = token_of(upload(client, path))
    assert wait_until_finished(client, token)["state"] == "valid"
    client.post(f"/excel/jobs/{token}/confirm")
    assert wait_until_finished(client, token)["state"] == "done"

    # Not a thread of this (the web) process: a process of its own, which names the
    # uploader to the audit trail explicitly.
    with app.app_context():
        job = _db.session.scalars(select(ImportJob).where(ImportJob.token == token)).one()
        assert job.runner and int(job.runner.rsplit(":", 1)[1]) != os.getpid()
        assert job.slot is None
        _db.session.remove()
    with app.app_context():
        logged = list(
            _db.session.execute(
                select(AuditLog.action, AuditLog.user_id, AuditLog.username, AuditLog.ip).where(
                    AuditLog.object_type == "Cadre", AuditLog.summary.like("%审计%")
                )
            )
        )
        assert sorted(action for action, *_who in logged) == ["create"] * 3 + ["import"]
        assert {tuple(who) for _action, *who in logged} == {(user_id, username, "127.0.0.1")}
        _db.session.remove()


def blocker(user_id: int, **fields) -> ImportJob:
    """A large job of someone else's holding slot 1, committed."""
    now = utc_now()
    values = {
        "token": f"blocker{now.timestamp()}",
        "kind": "cadres",
        "user_id": user_id,
        "original_name": "他人.xlsx",
        "stored_name": f"blocker{now.timestamp()}",
        "state": "validating",
        "slot": 1,
        "runner": "elsewhere:1",
        "expires_at": now + timedelta(hours=2),
        "heartbeat_at": now,
    }
    job = ImportJob(**{**values, **fields})
    _db.session.add(job)
    _db.session.commit()
    return job


def large_upload(app, tmp_path, name: str):
    """Log a new supervisor in and upload a file big enough to leave the request."""
    with app.app_context():
        unit = make_unit(name)
        user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW)
        _db.session.commit()
        username, user_id = user.username, user.id
        _db.session.remove()

    class Unit:
        pass

    Unit.name = name
    rows = [
        cadre_row(Unit, birth=date(1950, 1, 1) + timedelta(days=i), 姓名=f"{name}{i}")
        for i in range(5)
    ]
    path = write_xlsx(tmp_path / f"{name}.xlsx", CADRE_HEADERS, rows, write_only=True)
    client = app.test_client()
    client.post("/auth/login", data={"username": username, "password": PASSWORD})
    return client, user_id, path


def test_large_steps_wait_for_a_free_slot(committed_app, tmp_path, monkeypatch):
    app = committed_app
    monkeypatch.setitem(app.config, "IMPORT_MAX_RUNNING", 1)
    client, user_id, path = large_upload(app, tmp_path, "排队单位")
    with app.app_context():
        busy_id = blocker(user_id).id
        _db.session.remove()

    token = token_of(upload(client, path))
    time.sleep(0.3)
    status = client.get(f"/excel/jobs/{token}/status").get_json()
    assert (status["state"], status["running"]) == ("validating", True)
    assert status["text"] == "排队等待中：其他导入正在处理，稍后自动开始"
    assert "排队等待中" in client.get(f"/excel/jobs/{token}").get_data(as_text=True)
    with app.app_context():
        job = _db.session.scalars(select(ImportJob).where(ImportJob.token == token)).one()
        assert (job.slot, job.runner, job.processed_rows) == (None, "", 0)  # not started
        busy = _db.session.get(ImportJob, busy_id)
        busy.state, busy.slot = "valid", None  # the other import finished
        _db.session.commit()
        _db.session.remove()

    # The page's poller starts the queued step now that the slot is free.
    assert wait_until_finished(client, token)["state"] == "valid"


def test_a_slot_whose_runner_died_is_freed(committed_app, tmp_path, monkeypatch):
    app = committed_app
    monkeypatch.setitem(app.config, "IMPORT_MAX_RUNNING", 1)
    client, user_id, path = large_upload(app, tmp_path, "接替单位")
    with app.app_context():
        dead_id = blocker(user_id, heartbeat_at=utc_now() - timedelta(minutes=10)).id
        _db.session.remove()

    token = token_of(upload(client, path))
    assert wait_until_finished(client, token)["state"] == "valid"
    with app.app_context():
        dead = _db.session.get(ImportJob, dead_id)
        assert (dead.state, dead.slot) == ("failed", None)
        _db.session.remove()
