"""Fixtures of the reminder admin pages: a logged-in sysadmin."""

from __future__ import annotations

import pytest

from tests.factories import make_unit, make_user


@pytest.fixture
def sysadmin(db, login):
    user = make_user("sysadmin", make_unit())
    user.email = "admin@example.org"
    db.session.commit()
    login(user.username)
    return user
