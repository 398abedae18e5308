"""Fixtures of the login tests: a user, several browsers, parameters set per test, 2FA."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp
import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, make_unit, make_user
from webapp.auth.two_factor import replace_recovery_codes
from webapp.lookups import forget_cached
from webapp.models import Parameter
from webapp.models.auth import UserTotp


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


@pytest.fixture
def enforce_totp(app, monkeypatch):
    """Send required roles to enrolment, as every mode but the test suite does."""
    monkeypatch.setitem(app.config, "TOTP_ENFORCED", True)


@pytest.fixture
def enrol(db):
    """Turn two-factor login on for a user; return his secret and recovery codes."""

    def do_enrol(user) -> tuple[str, list[str]]:
        secret = pyotp.random_base32()
        db.session.add(UserTotp(user_id=user.id, secret=secret, confirmed_at=datetime.now(UTC)))
        codes = replace_recovery_codes(user.id, datetime.now(UTC))
        db.session.commit()
        return secret, codes

    return do_enrol
