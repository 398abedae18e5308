"""A small city for the 晴雨表: two districts with a unit below each, cadres in every colour,
warnings in every state and tier, items from several sources, obligations overdue and due."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import pytest

from tests.factories import make_cadre, make_report, make_unit, make_user, make_warning
from webapp.dashboard import aggregate
from webapp.extensions import db as _db
from webapp.models import (
    Cadre,
    Clarification,
    DataScope,
    NegativeInfo,
    Obligation,
    OrgUnit,
    User,
    Warning,
)
from webapp.obligations import services as obligations
from workflows.obligations import ObligationKind
from workflows.states import ACTIVE_STATES, State

# A Wednesday: the week runs to Sunday 2026-12-06; the trend window is 2026-01 … 2026-12.
TODAY = date(2026, 12, 2)
COLOURS = ("green", "yellow", "orange", "red")
STATES = tuple(State)
SOURCES = ("petition", "audit", "inspection", "hotline_12380")
# Due dates (working days): long overdue, due this Thursday, next year.
DUE = (date(2026, 11, 16), date(2026, 12, 3), date(2027, 1, 15))


@dataclass
class Board:
    """The rows the tests count on their own."""

    root: OrgUnit
    east: OrgUnit
    east_street: OrgUnit
    west: OrgUnit
    west_town: OrgUnit
    province: User
    district: User
    cadres: list[Cadre]
    warnings: list[Warning]
    reports: list[NegativeInfo]
    clarified: list[tuple[Warning, date]]
    obligations: list[Obligation]

    def in_tree(self, unit: OrgUnit, cadre: Cadre) -> bool:
        """Tell whether a cadre sits in the unit or below it."""
        return cadre.unit.path.startswith(unit.path)


@pytest.fixture
def board(db, world) -> Board:
    """Build the city and commit it."""
    east = make_unit("东城区", world.root)
    east_street = make_unit("东城区湖滨街道", east)
    west_town = make_unit("西山县青石镇", world.other)
    units = [world.mine, east, east_street, world.other, west_town]
    cadres = [world.cadre, world.far_cadre]
    for i, unit in enumerate(units):
        for j in range(3 + i):
            cadres.append(make_cadre(unit, status_colour=COLOURS[(i + j) % 4]))
    warnings, clarified, reports, owed = [], [], [], []
    for k, cadre in enumerate(cadres):
        state = STATES[k % len(STATES)]
        warning = make_warning(cadre, world.supervisor, f"YJ-T-{k:04d}", 1 + k % 3, state)
        if state not in (State.DRAFT, State.PENDING_APPROVAL):
            warning.issued_on = date(2026, 1 + k % 12, 10)
        if state in (State.LIFTED, State.REVOKED, State.REFERRED):
            warning.closed_on = date(2026, 1 + (k * 7) % 12, 20)
        if state is State.REVOKED:
            on = date(2026, 1 + (k * 5) % 12, 5)
            _db.session.add(Clarification(warning_id=warning.id, clarified_on=on, method="written"))
            clarified.append((warning, on))
        warnings.append(warning)
        for n in range(1 + k % 2):
            reports.append(
                make_report(
                    cadre,
                    source_channel=SOURCES[(k + n) % len(SOURCES)],
                    received_on=date(2026 - (k % 5 == 0), 1 + (k * 5 + n) % 12, 3),
                    status="true",
                )
            )
        owed.append(
            obligations.open_obligation(
                kind=ObligationKind.MANDATORY_TALK,
                subject_type="cadre_event",
                subject_id=cadre.id,
                cadre_id=cadre.id,
                start=date(2026, 10, 9),
                due=DUE[k % len(DUE)],
                total_workdays=20,
                today=TODAY,
                step_role="supervisor",
            )
        )
    district = make_user("viewer", east, DataScope.UNIT_AND_BELOW, username="east_viewer")
    province = make_user("viewer", world.root, DataScope.ALL, username="city_viewer")
    _db.session.commit()
    return Board(
        world.root,
        east,
        east_street,
        world.other,
        west_town,
        province,
        district,
        cadres,
        warnings,
        reports,
        clarified,
        owed,
    )


def expected(board, unit):
    """Count, from the test's own rows, what the dashboard should show for a unit's subtree."""
    cadres = [c for c in board.cadres if board.in_tree(unit, c)]
    ids = {c.id for c in cadres}
    warnings = [w for w in board.warnings if w.cadre_id in ids]
    reports = [r for r in board.reports if r.cadre_id in ids]
    months = aggregate.months_until(TODAY)
    window = (months[0].first, months[-1].last)

    def month_of(day):
        return (day.year, day.month) if day and window[0] <= day <= window[1] else None

    return {
        "colours": Counter(c.status_colour for c in cadres),
        "states": Counter(w.state for w in warnings),
        "tiers": Counter(int(w.tier) for w in warnings if w.state in ACTIVE_STATES),
        "sources": Counter(r.source_channel for r in reports),
        "reports_by_month": Counter(
            (*month_of(r.received_on), r.source_channel) for r in reports if month_of(r.received_on)
        ),
        "issued_by_month": Counter(
            (*month_of(w.issued_on), str(int(w.tier))) for w in warnings if month_of(w.issued_on)
        ),
        "lifted_by_month": Counter(
            month_of(w.closed_on)
            for w in warnings
            if w.state == State.LIFTED and month_of(w.closed_on)
        ),
        "clarified_by_month": Counter(
            month_of(on) for w, on in board.clarified if w.cadre_id in ids and month_of(on)
        ),
        "overdue": sum(1 for o in board.obligations if o.cadre_id in ids and o.due_on < TODAY),
        "due_week": sum(
            1
            for o in board.obligations
            if o.cadre_id in ids and TODAY <= o.due_on <= aggregate.week_end(TODAY)
        ),
        "active": len([w for w in warnings if w.state in ACTIVE_STATES]),
        "cadres": len(cadres),
    }
