"""Fixtures for negative information: a frozen clock, an upload folder, units and people."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import make_cadre, make_unit, make_user
from webapp.models import DataScope

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
def world(db):
    """Two branches of a unit tree, a supervisor over one, and a cadre in each."""

    class World:
        root = make_unit("某市")
        mine = make_unit("市财政局", root)
        other = make_unit("西山县", root)
        supervisor = make_user("supervisor", mine, DataScope.UNIT_AND_BELOW)
        cadre = make_cadre(mine, "王建国")
        outsider = make_cadre(other, "李四")

    return World


@pytest.fixture
def as_supervisor(world, login):
    """Log the world's supervisor in."""
    login(world.supervisor.username)
    return world.supervisor


def report_form(cadre, **changes) -> dict:
    """Return a valid supervisor form for a cadre, with changes."""
    data = {
        "cadre_id": str(cadre.id),
        "category": "supervision",
        "situation": "general_petition",
        "source_channel": "petition",
        "reporting_unit": "市信访局",
        "liaison_name": "张联络",
        "source_document_number": "信访〔2026〕12号",
        "occurred_on": "2026-02-20",
        "received_on": "2026-03-02",
        "summary": "群众来信反映其违规收受购物卡。",
        "details": "",
        "handling_unit": "",
        "handling_result": "",
        "severity": "minor",
        "confidentiality": "internal",
    }
    data.update(changes)
    return data
