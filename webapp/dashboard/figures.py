"""The 晴雨表 as figures: each number with the link to the filtered register that lists it."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode

from flask import g, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from webapp.dashboard import aggregate, charts, counts, queries
from webapp.dashboard.focus import Focus
from webapp.holidays.services import work_calendar
from webapp.i18n import translate
from webapp.lookups import dict_labels
from webapp.main.links import record_endpoint
from webapp.models import Obligation, OrgUnit, User
from webapp.obligations import services as obligations
from webapp.obligations.services import reminder_policy
from webapp.units import unit_in_scope
from workflows.deadlines import Light
from workflows.states import State
from workflows.tiers import Tier

COLOURS = ("green", "yellow", "orange", "red")
TIER_COLOURS = {tier: tier.colour for tier in Tier}


@dataclass(frozen=True)
class Figure:
    """One number, what it counts, and where the records behind it are listed."""

    label: str
    value: int
    href: str
    colour: str = ""


@dataclass(frozen=True)
class Cell:
    """One unit of the heat map and the per-unit table (its whole subtree)."""

    unit: OrgUnit
    cadres: int
    colours: tuple[Figure, ...]
    active: Figure
    overdue: Figure
    rate: float | None
    level: int
    roster_href: str
    drill_href: str


@dataclass(frozen=True)
class Chart:
    """A chart and the table of its numbers (columns, then rows of linked figures)."""

    title: str
    svg: Markup
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Figure, ...]], ...]


@dataclass(frozen=True)
class DueLine:
    """One obligation of the overdue or due-this-week list."""

    obligation: Obligation
    light: Light | None
    href: str


@dataclass(frozen=True)
class DueList:
    """How many obligations are in a list, and the first of them."""

    title: str
    total: int
    lines: tuple[DueLine, ...]


@dataclass
class Dashboard:
    """Everything the 晴雨表 and the 驾驶舱 show."""

    focus: Focus
    today: date
    colours: list[Figure]
    tiers: list[Figure]
    states: list[Figure]
    overdue_warnings: Figure
    overdue_items: int
    due_this_week: int
    # When the counts were read (kept between requests until a counted table changes).
    computed_at: datetime
    whole: Cell | None = None
    cells: list[Cell] = field(default_factory=list)
    trends: list[Chart] = field(default_factory=list)
    sources: Chart | None = None
    overdue: DueList | None = None
    due_week: DueList | None = None

    @property
    def cadres(self) -> int:
        """Return the number of cadres in view."""
        return sum(f.value for f in self.colours)

    @property
    def active(self) -> int:
        """Return the number of warnings in force in view."""
        return sum(f.value for f in self.tiers)


# ---------------------------------------------------------------- links


def link(endpoint: str, **args) -> str:
    """Link a register with a query string (its path built once a request: 400 links a page)."""
    bases = g.setdefault("dashboard_links", {})
    if endpoint not in bases:
        bases[endpoint] = url_for(endpoint)
    if not args:
        return bases[endpoint]
    return f"{bases[endpoint]}?{'&'.join([_pair(k, v) for k, v in args.items()])}"


@functools.lru_cache(maxsize=4096, typed=True)
def _pair(key: str, value: object) -> str:
    # A page repeats a few hundred pairs (unit ids, months, colours): each is quoted once.
    return urlencode({key: value})


def roster(focus: Focus, **args) -> str:
    """Link the cadre roster, filtered."""
    return link("cadres.index", **focus.unit_args(), **args)


def warnings(focus: Focus, **args) -> str:
    """Link the warning register, filtered."""
    return link("warnings.index", **focus.unit_args(), **args)


def reports(focus: Focus, **args) -> str:
    """Link the negative-information register, filtered."""
    return link("negative_info.index", **focus.unit_args(), **args)


# ---------------------------------------------------------------- headline


def colour_figures(focus: Focus, counts: dict[str, int]) -> list[Figure]:
    """Return the cadres in view by status colour, each linking the roster."""
    labels = dict_labels("cadre_status")
    return [Figure(labels.get(c, c), counts.get(c, 0), roster(focus, status=c), c) for c in COLOURS]


def tier_figures(focus: Focus, counts: dict[int, int]) -> list[Figure]:
    """Return the warnings in force by tier, each linking the register."""
    return [
        Figure(
            translate(t.label),
            counts.get(int(t), 0),
            warnings(focus, tier=int(t), active=1),
            t.colour,
        )
        for t in Tier
    ]


def state_figures(focus: Focus, counts: dict[State, int]) -> list[Figure]:
    """Return the warnings in view by state, each linking the register."""
    return [
        Figure(translate(s.label), counts.get(s, 0), warnings(focus, state=s.value), f"state-{s}")
        for s in State
    ]


def headline(user: User, focus: Focus, today: date) -> Dashboard:
    """Return the counts by colour, tier and state, and the overdue warnings."""
    found = counts.headline(user, focus.unit, today)
    overdue = found.overdue_warnings
    return Dashboard(
        focus=focus,
        today=today,
        colours=colour_figures(focus, found.colours),
        tiers=tier_figures(focus, found.tiers),
        states=state_figures(focus, found.states),
        overdue_warnings=Figure(str(_l("超期预警")), overdue, warnings(focus, overdue=1), "red"),
        overdue_items=found.overdue_items,
        due_this_week=found.due_this_week,
        computed_at=found.computed_at,
    )


# ---------------------------------------------------------------- units


def cell_units(focus: Focus) -> list[OrgUnit]:
    """Return the unit in focus (if any) and the active units right below it."""
    return ([focus.unit] if focus.unit is not None else []) + queries.child_units(focus.unit)


def cells(
    user: User, focus: Focus, units: list[OrgUnit], found: counts.BoardCounts
) -> tuple[Cell | None, list[Cell]]:
    """Return the unit in focus as a whole and each unit right below it that the user sees."""
    children = units[1:] if focus.unit is not None else units
    colours, counted = found.cell_colours, found.cell_warnings
    parents = queries.with_children(children)
    built = []
    for unit in units:
        cadres = sum(colours.get((unit.id, c), 0) for c in COLOURS)
        if unit is not focus.unit and not (unit_in_scope(user, unit) or cadres):
            continue
        drill = unit is not focus.unit and unit.id in parents
        built.append(_cell(focus, unit, cadres, colours, counted.get(unit.id, (0, 0)), drill))
    whole = built[0] if focus.unit is not None and built else None
    return whole, built[1:] if whole is not None else built


def _cell(focus: Focus, unit: OrgUnit, cadres: int, colours, counted, drill: bool) -> Cell:
    active, overdue = counted
    # The unit's own link filters by it, whatever the focus: it is a unit the user sees.
    args = {"unit_id": unit.id} if unit is not focus.unit else focus.unit_args()
    rate = aggregate.per_hundred(active, cadres)
    labels = dict_labels("cadre_status")
    return Cell(
        unit=unit,
        cadres=cadres,
        colours=tuple(
            Figure(
                labels.get(c, c),
                colours.get((unit.id, c), 0),
                link("cadres.index", status=c, **args),
                c,
            )
            for c in COLOURS
        ),
        active=Figure(str(_l("生效预警")), active, link("warnings.index", active=1, **args), "red"),
        overdue=Figure(
            str(_l("超期预警")), overdue, link("warnings.index", overdue=1, **args), "red"
        ),
        rate=rate,
        level=aggregate.heat_level(rate),
        roster_href=link("cadres.index", **args),
        drill_href=link("dashboard.index", unit=unit.id) if drill else "",
    )


# ---------------------------------------------------------------- trends


def _monthly(title: str, months, counts, labels, link, colours=None) -> Chart:
    series = aggregate.series_of(counts, months, labels)
    hrefs = {s.key: tuple(link(s.key, m) for m in months) for s in series}
    stacks = [
        charts.Stack(s.label, s.values, hrefs[s.key], (colours or {}).get(s.key, ""))
        for s in series
    ]
    rows = tuple(
        (
            s.label,
            tuple(Figure(s.label, v, h) for v, h in zip(s.values, hrefs[s.key], strict=True)),
        )
        for s in series
    )
    return Chart(
        title,
        charts.column_chart(title, [m.label for m in months], stacks),
        tuple(m.label for m in months),
        rows,
    )


def trends(focus: Focus, today: date, found: counts.BoardCounts) -> list[Chart]:
    """Return the 12-month charts: items by source, issued by tier, lifted, clarified."""
    months = aggregate.months_until(today)
    sources = dict_labels("source_channel")
    seen_sources = found.reports_by_month
    tiers = {str(int(t)): translate(t.label) for t in Tier}
    issued = found.issued_by_month
    return [
        _monthly(
            str(_l("新增负面信息（按来源）")),
            months,
            seen_sources,
            {k: v for k, v in sources.items() if k in {key[2] for key in seen_sources}},
            lambda key, m: reports(
                focus, source_channel=key, received_from=m.first, received_to=m.last
            ),
        ),
        _monthly(
            str(_l("下达预警（按等级）")),
            months,
            issued,
            tiers,
            lambda key, m: warnings(focus, tier=key, issued_from=m.first, issued_to=m.last),
            {str(int(t)): t.colour for t in Tier},
        ),
        _monthly(
            str(_l("销号预警")),
            months,
            found.lifted_by_month,
            {"": str(_l("已销号"))},
            lambda _key, m: warnings(
                focus, state=State.LIFTED.value, closed_from=m.first, closed_to=m.last
            ),
            {"": "green"},
        ),
        _monthly(
            str(_l("澄清正名")),
            months,
            found.clarified_by_month,
            {"": str(_l("澄清正名"))},
            lambda _key, m: warnings(focus, clarified_from=m.first, clarified_to=m.last),
            {"": "blue"},
        ),
    ]


def source_chart(focus: Focus, counts: dict[str, int]) -> Chart:
    """Return the negative information in view by source channel."""
    labels = dict_labels("source_channel")
    keys = [k for k in labels if k in counts] + sorted(set(counts) - set(labels))
    figures = tuple(
        Figure(labels.get(k, k), counts[k], reports(focus, source_channel=k)) for k in keys
    )
    title = str(_l("负面信息来源构成"))
    bars = [charts.Bar(f.label, f.value, f.href) for f in figures]
    return Chart(
        title,
        charts.bar_chart(title, bars),
        (str(_l("数量")),),
        tuple((f.label, (f,)) for f in figures),
    )


# ---------------------------------------------------------------- what is due


def due_lists(board: Dashboard, found: counts.BoardCounts) -> tuple[DueList, DueList]:
    """Return the overdue obligations in view and those due by Sunday."""
    cal, policy, today = work_calendar(), reminder_policy(), board.today
    loaded = {o.id: o for o in queries.obligations_by_id(found.overdue_ids + found.week_ids)}

    def listed(title: str, total: int, ids: list[int]) -> DueList:
        rows = [loaded[i] for i in ids if i in loaded]
        lines = []
        for row in rows:
            endpoint, values = record_endpoint(row)
            lines.append(
                DueLine(
                    row, obligations.light(row, today, cal, policy), url_for(endpoint, **values)
                )
            )
        return DueList(title, total, tuple(lines))

    return (
        listed(str(_l("已超期事项")), board.overdue_items, found.overdue_ids),
        listed(str(_l("本周到期事项")), board.due_this_week, found.week_ids),
    )


def unit_board(user: User, focus: Focus, today: date) -> Dashboard:
    """Return the headline counts and the per-unit cells (what the Excel export holds)."""
    return _board(user, focus, today)[0]


def _board(user: User, focus: Focus, today: date) -> tuple[Dashboard, counts.BoardCounts]:
    board = headline(user, focus, today)
    units = cell_units(focus)
    found = counts.board(user, focus.unit, units, today)
    board.whole, board.cells = cells(user, focus, units, found)
    board.computed_at = min(board.computed_at, found.computed_at)
    return board, found


def dashboard(user: User, focus: Focus, today: date) -> Dashboard:
    """Return every figure of the 晴雨表 for the user's scope and focus."""
    board, found = _board(user, focus, today)
    board.trends = trends(focus, today, found)
    board.sources = source_chart(focus, found.sources)
    board.overdue, board.due_week = due_lists(board, found)
    return board
