"""Fixtures of the own-settings tests: a logged-in user."""

from __future__ import annotations

import pytest

from tests.factories import make_unit, make_user


@pytest.fixture
def me(db, login):
    """Create a supervisor and log him in."""
    user = make_user("supervisor", make_unit(), username="lisi")
    login("lisi")
    return user
