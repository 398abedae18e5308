"""Fixtures for warnings: a frozen clock, a unit tree with one user per workflow role."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import make_cadre, make_unit, make_user
from webapp.extensions import db as _db
from webapp.models import DataScope

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Tuesday in a year the holiday package knows; dates in these tests are relative to it.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen_clock():
    """Fix today's date so numbers, deadlines and lights are predictable."""
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def world(db):
    """Two branches of a unit tree, the workflow's people over the first, a cadre in each."""

    class World:
        root = make_unit("某市")
        mine = make_unit("市财政局", root)
        other = make_unit("西山县", root)
        supervisor = make_user("supervisor", mine, DataScope.UNIT_AND_BELOW)
        reviewer = make_user("reviewer", root, DataScope.ALL)
        approver = make_user("approver", root, DataScope.ALL)
        minister = make_user("minister", root, DataScope.ALL)
        viewer = make_user("viewer", mine, DataScope.UNIT_AND_BELOW)
        outsider = make_user("supervisor", other, DataScope.UNIT)
        cadre = make_cadre(mine, "王建国")
        far_cadre = make_cadre(other, "李四")

    # Services commit and roll back on conflicts: keep the setup out of their reach.
    _db.session.commit()
    return World
