"""Two gunicorn servers on one PostgreSQL: a user moves between them mid-workflow.

Sessions, CSRF tokens, attachments (STORAGE_BACKEND=database) and the login rate limit
(Redis) must hold across servers, as they would across hosts behind a load balancer.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from config import new_data_key, new_secret_key
from tests.databases import drop_postgres_schema, fresh_postgres_schema, skip_or_fail
from tests.factories import PASSWORD, make_cadre, make_unit, make_user
from tests.helpers import report_form
from tests.webapp.attachments.files import PDF
from webapp import create_app
from webapp.extensions import db
from webapp.models import Attachment, DataScope, NegativeInfo
from webapp.seed.reference import ensure_reference_data

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent
LOGIN_LIMIT = 4
CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """Seed a fresh schema, then start two production servers that share it."""
    if not redis_up():
        skip_or_fail("Redis is not running on 127.0.0.1:6379; the several-servers test skipped")
    config = fresh_postgres_schema("servers")
    data_key = new_data_key()
    app = create_app("testing", {**config, "DATA_KEY": data_key})
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        unit = make_unit("市委组织部")
        user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW, username="jiandu")
        cadre = make_cadre(unit, "王建国")
        db.session.commit()
        ids = {"user": user.id, "cadre": cadre.id}
    schema = config["PG_SCHEMA"]
    url = config["SQLALCHEMY_DATABASE_URI"]
    env = {
        **os.environ,
        "APP_ENV": "production",
        "DATABASE_URL": f"{url}?options=-csearch_path%3D{schema}",
        "SECRET_KEY": new_secret_key(),
        "DATA_KEY": data_key,
        "STORAGE_BACKEND": "database",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "RATELIMIT_KEY_PREFIX": f"servers-test-{secrets.token_hex(4)}",
        "RATELIMIT_LOGIN": f"{LOGIN_LIMIT} per minute",
        "SESSION_COOKIE_SECURE": "0",
        "SCHEDULER_ENABLED": "0",
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads-unused")),
    }
    servers, bases = [], []
    for _ in range(2):
        port = free_port()
        servers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-w",
                    "1",
                    "-b",
                    f"127.0.0.1:{port}",
                    "wsgi:app",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for server, base in zip(servers, bases, strict=True):
            wait_until_up(server, base)
        yield app, bases, ids, env["UPLOAD_DIR"]
    finally:
        for server in servers:
            server.terminate()
            server.communicate(timeout=30)
        with app.app_context():
            db.engine.dispose()
        drop_postgres_schema(schema)


def wait_until_up(server: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited: {server.stderr.read().decode()[-2000:]}")
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    pytest.fail(f"{base} did not answer /healthz within 60 s")


def csrf_of(response: requests.Response) -> str:
    match = CSRF.search(response.text)
    assert match, response.text[:1000]
    return match.group(1) or match.group(2)


def test_a_user_moves_between_servers_mid_workflow(deployment):
    app, (a, b), ids, upload_dir = deployment
    browser = requests.Session()

    token = csrf_of(browser.get(f"{a}/auth/login"))
    answer = browser.post(
        f"{b}/auth/login",
        data={"username": "jiandu", "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:500]
    assert browser.get(f"{a}/", allow_redirects=False).status_code == 200

    form = report_form(type("Cadre", (), {"id": ids["cadre"]}), csrf_token="")
    form["csrf_token"] = csrf_of(browser.get(f"{a}/negative-info/new"))
    created = browser.post(
        f"{b}/negative-info/new",
        data=form,
        files={"attachments": ("来信.pdf", PDF, "application/pdf")},
        allow_redirects=False,
    )
    assert created.status_code == 302, created.text[:2000]
    with app.app_context():
        info = db.session.scalars(select(NegativeInfo)).one()
        attachment = db.session.scalars(select(Attachment)).one()
        info_id, version = info.id, info.version

    page = browser.get(f"{a}/negative-info/{info_id}")
    assert page.status_code == 200 and "群众来信反映其违规收受购物卡" in page.text
    download = browser.get(f"{a}/attachments/{attachment.id}/download")
    assert (download.status_code, download.content) == (200, PDF)
    assert not any(p.is_file() for p in Path(upload_dir).rglob("*"))

    started = browser.post(
        f"{a}/negative-info/{info_id}/start",
        data={"handler_id": ids["user"], "version": version, "csrf_token": csrf_of(page)},
        allow_redirects=False,
    )
    assert started.status_code == 302, started.text[:2000]
    with app.app_context():
        assert db.session.get(NegativeInfo, info_id).version > version

    logout = browser.post(
        f"{b}/auth/logout", data={"csrf_token": csrf_of(page)}, allow_redirects=False
    )
    assert logout.status_code == 302
    assert browser.get(f"{a}/", allow_redirects=False).status_code == 302  # to the login page


def test_the_login_limit_counts_attempts_on_every_server(deployment):
    _app, (a, b), _ids, _upload_dir = deployment
    visitor = requests.Session()
    token = csrf_of(visitor.get(f"{a}/auth/login"))
    wrong = {"username": "nobody", "password": "wrong-password", "csrf_token": token}
    # Each server sees fewer attempts than the limit; only a shared count refuses one.
    codes = [
        visitor.post(f"{(a, b)[i % 2]}/auth/login", data=wrong).status_code
        for i in range(2 * (LOGIN_LIMIT - 1))
    ]
    assert codes[: LOGIN_LIMIT - 2] == [200] * (LOGIN_LIMIT - 2)  # the other test logged in once
    assert 429 in codes
