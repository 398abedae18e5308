"""Fixtures for negative information: a frozen clock, an upload folder, units and people."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

# A Tuesday; every date typed in these tests is relative to it.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen_clock():
    """Fix today's date so dates, numbers and deadlines are predictable."""
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path, monkeypatch):
    """Store uploads in a fresh folder per test."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(folder))
    return folder


@pytest.fixture
def as_supervisor(world, login):
    """Log the world's supervisor in."""
    login(world.supervisor.username)
    return world.supervisor
