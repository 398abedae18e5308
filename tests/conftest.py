"""Shared fixtures: an app per database, per-test rollback, users and logins."""

from __future__ import annotations

import pytest
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from tests.databases import DATABASES, database_config, drop_postgres_schema
from tests.factories import PASSWORD
from tests.helpers import World, WorldNames, build_world
from webapp import create_app
from webapp.extensions import db as _db
from webapp.seed.reference import ensure_reference_data


@pytest.fixture(scope="session", params=DATABASES)
def app(request, tmp_path_factory):
    """Build one app per database with the schema created and reference data seeded."""
    config = database_config(request.param, tmp_path_factory.mktemp("db"), "suite")
    app = create_app("testing", config)
    app.config["DB_KIND"] = request.param
    with app.app_context():
        _db.create_all()
        ensure_reference_data()
        _db.session.remove()
    yield app
    with app.app_context():
        _db.engine.dispose()
    if "PG_SCHEMA" in app.config:
        drop_postgres_schema(app.config["PG_SCHEMA"])


@pytest.fixture
def db(app):
    """Run each test inside a transaction that is rolled back afterwards."""
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
        original = _db.session
        factory = sessionmaker(
            bind=connection, class_=Session, join_transaction_mode="create_savepoint"
        )
        _db.session = scoped_session(factory, scopefunc=_app_ctx_id)
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def world_names() -> WorldNames:
    """Name the world's units and cadres; an area's conftest may override this."""
    return WorldNames()


@pytest.fixture
def world(db, world_names) -> World:
    """Build the one test world (units, the workflow's people, two cadres) and commit it.

    Committed so that a service that commits or rolls back (a conflict, a refused request)
    cannot take the setup with it; the test's outer transaction still undoes everything.
    """
    built = build_world(world_names)
    _db.session.commit()
    return built


@pytest.fixture
def client(app, db):
    """A test client whose requests share the test's transaction."""
    return app.test_client()


@pytest.fixture
def login(client):
    """Log a user in through the login form; return the response."""

    def do_login(username: str, password: str = PASSWORD, follow: bool = False):
        return client.post(
            "/auth/login",
            data={"username": username, "password": password},
            follow_redirects=follow,
        )

    return do_login
