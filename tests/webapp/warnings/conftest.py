"""Fixtures for warnings: a frozen clock (the world is the suite's, in tests/conftest.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Tuesday in a year the holiday package knows; dates in these tests are relative to it.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen_clock():
    """Fix today's date so numbers, deadlines and lights are predictable."""
    with time_machine.travel(NOW, tick=True):
        yield
