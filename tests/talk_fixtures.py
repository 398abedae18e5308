"""Fixtures the talk, inquiry and document tests share: a clock frozen in November, the names."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from tests.helpers import WorldNames

# Sunday 2026-11-22 10:00 in Beijing: the talks in these tests took place the Friday before.
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


@pytest.fixture
def world_names() -> WorldNames:
    """Name the talks' world: a deputy director in the supervisor's unit, a director outside."""
    return WorldNames(other="市教育局", cadre=("张三", "副局长"), far_cadre=("李域外", "局长"))


@pytest.fixture(autouse=True)
def frozen():
    """Freeze the clock at NOW (the Sunday after the talks in these tests)."""
    with time_machine.travel(NOW, tick=False):
        yield NOW
