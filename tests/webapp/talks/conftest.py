"""Fixtures for these tests: the talks' clock and names (tests/talk_fixtures.py)."""

from tests.talk_fixtures import frozen, world_names  # noqa: F401
