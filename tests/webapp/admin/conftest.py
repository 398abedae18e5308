"""The three administrators (三员) and a client per person, for the separation tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.factories import PASSWORD, make_unit, make_user
from webapp.extensions import db as _db
from webapp.models import DataScope, OrgUnit, User


@dataclass
class Admins:
    """The organisation department with its three administrators and a supervisor."""

    unit: OrgUnit
    sysadmin: User
    secadmin: User
    auditor: User
    supervisor: User


@pytest.fixture
def admins(db) -> Admins:
    """Create the three administrators and a supervisor, committed."""
    unit = make_unit("组织部")
    built = Admins(
        unit=unit,
        sysadmin=make_user("sysadmin", unit, username="sys1"),
        secadmin=make_user("secadmin", unit, username="sec1"),
        auditor=make_user("auditor", unit, username="aud1"),
        supervisor=make_user("supervisor", unit, DataScope.UNIT, username="sup1"),
    )
    _db.session.commit()
    return built


@pytest.fixture
def client_of(app, db):
    """Return a logged-in test client for a user (one client per person)."""

    def open_as(user: User, password: str = PASSWORD):
        client = app.test_client()
        response = client.post(
            "/auth/login", data={"username": user.username, "password": password}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return open_as


@pytest.fixture
def admin(db, login) -> User:
    """Log a system administrator in (the sysadmin pages' user); return him."""
    user = make_user("sysadmin", make_unit("组织部"), username="sysadm")
    login("sysadm")
    return user
