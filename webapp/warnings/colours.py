"""The cadre's status colour (绿/黄/橙/红) from the warnings in force."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from webapp import clock
from webapp.extensions import db
from webapp.models import Cadre, Warning
from webapp.warnings.facts import snapshot_of
from webapp.warnings.history import colour_of, in_force_tier
from workflows.states import State


def recompute_status_colour(cadre_id: int, today: date | None = None) -> str:
    """Set the cadre's colour from the warnings in force today; return it."""
    today = today or clock.org_today()
    # Lock the cadre so two transactions on two of its warnings cannot both write a colour
    # computed without the other's change (PostgreSQL; SQLite writers are serialised anyway).
    db.session.execute(sa.select(Cadre.id).where(Cadre.id == cadre_id).with_for_update())
    warnings = db.session.scalars(
        sa.select(Warning).where(Warning.cadre_id == cadre_id, Warning.state != State.DRAFT)
    )
    colour = colour_of(in_force_tier(snapshot_of(w), today) for w in warnings)
    cadre = db.session.get(Cadre, cadre_id)
    if cadre is not None and cadre.status_colour != colour:
        cadre.status_colour = colour
    return colour


def refresh_status_colours(today: date | None = None) -> int:
    """Recompute every cadre's colour (influence periods end with time); return changes."""
    today = today or clock.org_today()
    candidates = set(db.session.scalars(sa.select(Warning.cadre_id).distinct()))
    candidates |= set(db.session.scalars(sa.select(Cadre.id).where(Cadre.status_colour != "green")))
    changed = 0
    for cadre_id in sorted(candidates):
        before = db.session.scalar(sa.select(Cadre.status_colour).where(Cadre.id == cadre_id))
        if recompute_status_colour(cadre_id, today) != before:
            changed += 1
    return changed
