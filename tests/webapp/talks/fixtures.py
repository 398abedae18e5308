"""Shared fixtures for the talk, inquiry and document tests: a frozen clock, a scoped world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine

from tests.factories import make_cadre, make_unit, make_user
from webapp.models import Cadre, DataScope, OrgUnit, User

# Sunday 2026-11-22 10:00 in Beijing: the talks in these tests took place the Friday before.
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    """Freeze the clock at NOW."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


@dataclass
class World:
    """Two sibling units; a supervisor scoped to the first; a cadre in each."""

    own: OrgUnit
    other: OrgUnit
    supervisor: User
    cadre: Cadre
    stranger: Cadre


@pytest.fixture
def world(db, frozen) -> World:
    """Build two units, a supervisor who sees only the first, and a cadre in each."""
    root = make_unit("某市")
    own, other = make_unit("市财政局", root), make_unit("市教育局", root)
    supervisor = make_user("supervisor", own, DataScope.UNIT_AND_BELOW)
    cadre = make_cadre(own, name="张三", position="副局长")
    stranger = make_cadre(other, name="李域外", position="局长")
    return World(own, other, supervisor, cadre, stranger)


def make_warning(cadre: Cadre, proposer: User, number: str, tier: int = 1, state: str = "issued"):
    """Put a warning row in place directly (the workflow itself is the warnings area's test)."""
    from webapp.extensions import db
    from webapp.models import Warning

    warning = Warning(
        number=number, cadre_id=cadre.id, tier=tier, state=state, proposer_id=proposer.id
    )
    db.session.add(warning)
    db.session.flush()
    return warning
