"""Fixtures shared by the talk, inquiry and document tests."""

from tests.webapp.talks.fixtures import frozen, world  # noqa: F401
