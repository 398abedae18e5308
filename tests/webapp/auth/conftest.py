"""Fixtures of the login tests: a user, several browsers, parameters set per test."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, make_unit, make_user
from webapp.lookups import forget_cached
from webapp.models import Parameter


@pytest.fixture
def user(db):
    return make_user("supervisor", make_unit(), username="zhangsan")


@pytest.fixture
def browser(app, db):
    """Open another browser (its own cookie jar) and log a user in with it."""

    def open_browser(username: str = "zhangsan", password: str = PASSWORD, agent: str = ""):
        client = app.test_client()
        if agent:  # sent on every request, as a browser does
            client.environ_base["HTTP_USER_AGENT"] = agent
        with app.app_context():  # a request of its own: the login caches nobody in the test's g
            response = client.post("/auth/login", data={"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return open_browser


@pytest.fixture
def set_param(db):
    """Store a parameter's value for this test."""

    def store(key: str, value) -> None:
        row = db.session.scalars(select(Parameter).where(Parameter.key == key)).one()
        row.value = str(value)
        db.session.commit()
        forget_cached()

    return store


def signed_in(client) -> bool:
    """Tell whether a browser's cookie still opens the home page, in a request of its own."""
    # The suite holds one app context open, so g (and Flask-Login's cached user in it) would
    # outlive a request; a served request starts with a fresh one, as this does.
    with client.application.app_context():
        return client.get("/").status_code == 200
