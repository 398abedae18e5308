"""The 晴雨表 in brief for the home page: colours, tiers, what is overdue and due this week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import url_for

from webapp.dashboard import figures
from webapp.dashboard.focus import focus_for
from webapp.models import User
from webapp.security.permissions import Permission


@dataclass(frozen=True)
class Barometer:
    """The home page's figures, each linking the register behind it."""

    colours: tuple[figures.Figure, ...]
    tiers: tuple[figures.Figure, ...]
    overdue_warnings: figures.Figure
    overdue_items: int
    due_this_week: int
    computed_at: datetime
    href: str

    @property
    def cadres(self) -> int:
        """Return the number of cadres in the user's scope."""
        return sum(f.value for f in self.colours)


def barometer(user: User, today: date) -> Barometer | None:
    """Return the user's barometer in brief, or None for a role without the 晴雨表."""
    if not user.can(Permission.DASHBOARD_VIEW):
        return None
    focus = focus_for(user, None)
    board = figures.headline(user, focus, today)
    return Barometer(
        colours=tuple(board.colours),
        tiers=tuple(board.tiers),
        overdue_warnings=board.overdue_warnings,
        overdue_items=board.overdue_items,
        due_this_week=board.due_this_week,
        computed_at=board.computed_at,
        href=url_for("dashboard.index"),
    )
