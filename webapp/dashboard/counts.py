"""The 晴雨表's counts in two parts, as plain JSON (kept by webapp/dashboard/cache.py).

The headline (what the home page shows too) and the board (units, trends, sources, the first
obligations due); each part is computed here and read back into the shapes the figures take.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from webapp.dashboard import aggregate, cache, queries
from webapp.models import OrgUnit, User
from workflows.states import State

DUE_LIST_LIMIT = 15


@dataclass(frozen=True)
class Headline:
    """The counts by colour, state and tier, the overdue warnings and the obligations due."""

    colours: dict[str, int]
    states: dict[State, int]
    tiers: dict[int, int]
    overdue_warnings: int
    overdue_items: int
    due_this_week: int
    computed_at: datetime


@dataclass(frozen=True)
class BoardCounts:
    """The per-unit counts, the monthly trends, the sources and the first obligations due."""

    cell_colours: dict[tuple[int, str], int]
    cell_warnings: dict[int, tuple[int, int]]
    reports_by_month: dict
    issued_by_month: dict
    lifted_by_month: dict
    clarified_by_month: dict
    sources: dict[str, int]
    overdue_ids: list[int]
    week_ids: list[int]
    computed_at: datetime


def _rows(counts: dict) -> list[list]:
    return [[*(key if isinstance(key, tuple) else (key,)), n] for key, n in counts.items()]


def _months(rows: list[list]) -> dict:
    return {(y, m, k): n for y, m, k, n in rows}


def headline(user: User, unit: OrgUnit | None, today: date) -> Headline:
    """Return the headline counts of the user's scope in a unit's subtree (kept or fresh)."""

    def compute() -> dict:
        overdue, _ = queries.overdue_obligations(user, unit, today, 0)
        week, _ = queries.due_between(user, unit, today, aggregate.week_end(today), 0)
        return {
            "colours": _rows(queries.cadres_by_colour(user, unit)),
            "states": [[str(s), n] for s, n in queries.warnings_by_state(user, unit).items()],
            "tiers": _rows(queries.active_by_tier(user, unit)),
            "overdue_warnings": queries.overdue_warnings(user, unit, today),
            "overdue_items": overdue,
            "due_this_week": week,
        }

    found, at = cache.kept(user, unit, today, "headline", compute)
    return Headline(
        colours=dict(found["colours"]),
        states={State(s): n for s, n in found["states"]},
        tiers={int(t): n for t, n in found["tiers"]},
        overdue_warnings=found["overdue_warnings"],
        overdue_items=found["overdue_items"],
        due_this_week=found["due_this_week"],
        computed_at=at,
    )


def board(user: User, unit: OrgUnit | None, cells: Sequence[OrgUnit], today: date) -> BoardCounts:
    """Return the board's counts for the unit in focus and its cells (kept or fresh)."""
    months = aggregate.months_until(today)
    first, last = months[0].first, months[-1].last

    def compute() -> dict:
        _n, overdue = queries.overdue_obligations(user, unit, today, DUE_LIST_LIMIT)
        _n, week = queries.due_between(user, unit, today, aggregate.week_end(today), DUE_LIST_LIMIT)
        return {
            "cells": [u.id for u in cells],
            "cell_colours": _rows(queries.cell_colours(user, cells, unit)),
            "cell_warnings": [
                [i, a, o] for i, (a, o) in queries.cell_warnings(user, cells, today, unit).items()
            ],
            "reports_by_month": _rows(queries.reports_by_month(user, unit, first, last)),
            "issued_by_month": _rows(queries.issued_by_month(user, unit, first, last)),
            "lifted_by_month": _rows(queries.lifted_by_month(user, unit, first, last)),
            "clarified_by_month": _rows(queries.clarified_by_month(user, unit, first, last)),
            "sources": _rows(queries.reports_by_source(user, unit)),
            "overdue_ids": overdue,
            "week_ids": week,
        }

    found, at = cache.kept(user, unit, today, "board", compute)
    if found["cells"] != [u.id for u in cells]:  # the units below changed since: count anew
        found, at = compute(), datetime.now(at.tzinfo)
    return BoardCounts(
        cell_colours={(i, c): n for i, c, n in found["cell_colours"]},
        cell_warnings={i: (a, o) for i, a, o in found["cell_warnings"]},
        reports_by_month=_months(found["reports_by_month"]),
        issued_by_month={(y, m, str(int(k))): n for y, m, k, n in found["issued_by_month"]},
        lifted_by_month=_months(found["lifted_by_month"]),
        clarified_by_month=_months(found["clarified_by_month"]),
        sources=dict(found["sources"]),
        overdue_ids=found["overdue_ids"],
        week_ids=found["week_ids"],
        computed_at=at,
    )
