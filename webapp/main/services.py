"""Numbers for the workbench."""

from __future__ import annotations

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Cadre, User
from webapp.security.permissions import Permission
from webapp.security.scope import scoped


def dashboard_counts(user: User) -> dict[str, int]:
    """Count the cadres in scope by status colour (empty for roles without cadre access)."""
    if not user.can(Permission.CADRE_VIEW):
        return {}
    stmt = scoped(
        select(Cadre.status_colour, func.count()).group_by(Cadre.status_colour), Cadre, user
    )
    counts = {"green": 0, "yellow": 0, "orange": 0, "red": 0}
    counts.update(dict(db.session.execute(stmt).all()))
    counts["total"] = sum(counts.values())
    return counts
