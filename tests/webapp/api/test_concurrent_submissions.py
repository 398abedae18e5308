"""Two concurrent submissions of one external id on PostgreSQL make one record."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from tests.helpers import WorldNames, build_world
from tests.webapp.api.conftest import bearer, make_client, own_app, submission
from webapp.extensions import db
from webapp.models import ApiSubmission, NegativeInfo


@pytest.fixture
def race_app(app, tmp_path):
    """An app on a PostgreSQL schema of its own: these requests commit for real."""
    if app.config["DB_KIND"] != "postgresql":
        pytest.skip("the race is PostgreSQL's (SQLite takes one writer at a time)")
    with own_app("postgresql", tmp_path, "api_race") as race:
        yield race


def test_two_concurrent_submissions_make_one_record(race_app):
    with race_app.app_context():
        world = build_world(WorldNames())
        db.session.commit()
        token = make_client(world)[1]
        body = submission(world)
    start = threading.Barrier(2)
    answers: list = []

    def send():
        client = race_app.test_client()
        start.wait()
        answers.append(client.post("/api/v1/negative-info", json=body, headers=bearer(token)))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a.status_code for a in answers) == [200, 201], [a.get_json() for a in answers]
    assert len({a.get_json()["id"] for a in answers}) == 1
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(NegativeInfo)) == 1
        assert db.session.scalar(select(func.count()).select_from(ApiSubmission)) == 1
