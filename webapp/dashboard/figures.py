"""The 晴雨表 as figures: each number with the link to the filtered register that lists it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from webapp.dashboard import aggregate, charts, queries
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
DUE_LIST_LIMIT = 15


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


def roster(focus: Focus, **args) -> str:
    """Link the cadre roster, filtered."""
    return url_for("cadres.index", **focus.unit_args(), **args)


def warnings(focus: Focus, **args) -> str:
    """Link the warning register, filtered."""
    return url_for("warnings.index", **focus.unit_args(), **args)


def reports(focus: Focus, **args) -> str:
    """Link the negative-information register, filtered."""
    return url_for("negative_info.index", **focus.unit_args(), **args)


# ---------------------------------------------------------------- headline


def colour_figures(user: User, focus: Focus) -> list[Figure]:
    """Count the cadres in view by status colour, each linking the roster."""
    counts = queries.cadres_by_colour(user, focus.unit)
    labels = dict_labels("cadre_status")
    return [Figure(labels.get(c, c), counts.get(c, 0), roster(focus, status=c), c) for c in COLOURS]


def tier_figures(user: User, focus: Focus) -> list[Figure]:
    """Count the warnings in force by tier, each linking the register."""
    counts = queries.active_by_tier(user, focus.unit)
    return [
        Figure(
            translate(t.label),
            counts.get(int(t), 0),
            warnings(focus, tier=int(t), active=1),
            t.colour,
        )
        for t in Tier
    ]


def state_figures(user: User, focus: Focus) -> list[Figure]:
    """Count the warnings in view by state, each linking the register."""
    counts = queries.warnings_by_state(user, focus.unit)
    return [
        Figure(translate(s.label), counts.get(s, 0), warnings(focus, state=s.value), f"state-{s}")
        for s in State
    ]


def headline(user: User, focus: Focus, today: date) -> Dashboard:
    """Return the counts by colour, tier and state, and the overdue warnings."""
    overdue = queries.overdue_warnings(user, focus.unit, today)
    return Dashboard(
        focus=focus,
        today=today,
        colours=colour_figures(user, focus),
        tiers=tier_figures(user, focus),
        states=state_figures(user, focus),
        overdue_warnings=Figure(str(_l("超期预警")), overdue, warnings(focus, overdue=1), "red"),
    )


# ---------------------------------------------------------------- units


def cells(user: User, focus: Focus, today: date) -> tuple[Cell | None, list[Cell]]:
    """Return the unit in focus as a whole and each unit right below it that the user sees."""
    children = queries.child_units(focus.unit)
    units = ([focus.unit] if focus.unit is not None else []) + children
    colours = queries.cell_colours(user, units)
    counted = queries.cell_warnings(user, units, today)
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
                url_for("cadres.index", status=c, **args),
                c,
            )
            for c in COLOURS
        ),
        active=Figure(
            str(_l("生效预警")), active, url_for("warnings.index", active=1, **args), "red"
        ),
        overdue=Figure(
            str(_l("超期预警")), overdue, url_for("warnings.index", overdue=1, **args), "red"
        ),
        rate=rate,
        level=aggregate.heat_level(rate),
        roster_href=url_for("cadres.index", **args),
        drill_href=url_for("dashboard.index", unit=unit.id) if drill else "",
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


def trends(user: User, focus: Focus, today: date) -> list[Chart]:
    """Return the 12-month charts: items by source, issued by tier, lifted, clarified."""
    months = aggregate.months_until(today)
    first, last = months[0].first, months[-1].last
    sources = dict_labels("source_channel")
    seen_sources = queries.reports_by_month(user, focus.unit, first, last)
    tiers = {str(int(t)): translate(t.label) for t in Tier}
    issued = {
        (y, m, str(int(k))): n
        for (y, m, k), n in queries.issued_by_month(user, focus.unit, first, last).items()
    }
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
            queries.lifted_by_month(user, focus.unit, first, last),
            {"": str(_l("已销号"))},
            lambda _key, m: warnings(
                focus, state=State.LIFTED.value, closed_from=m.first, closed_to=m.last
            ),
            {"": "green"},
        ),
        _monthly(
            str(_l("澄清正名")),
            months,
            queries.clarified_by_month(user, focus.unit, first, last),
            {"": str(_l("澄清正名"))},
            lambda _key, m: warnings(focus, clarified_from=m.first, clarified_to=m.last),
            {"": "blue"},
        ),
    ]


def source_chart(user: User, focus: Focus) -> Chart:
    """Return the negative information in view by source channel."""
    counts = queries.reports_by_source(user, focus.unit)
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


def due_lists(user: User, focus: Focus, today: date) -> tuple[DueList, DueList]:
    """Return the overdue obligations in view and those due by Sunday."""
    cal, policy = work_calendar(), reminder_policy()

    def listed(title: str, found: tuple[int, list[Obligation]]) -> DueList:
        total, rows = found
        lines = []
        for row in rows:
            endpoint, values = record_endpoint(row)
            lines.append(
                DueLine(
                    row, obligations.light(row, today, cal, policy), url_for(endpoint, **values)
                )
            )
        return DueList(title, total, tuple(lines))

    overdue = queries.overdue_obligations(user, focus.unit, today, DUE_LIST_LIMIT)
    week = queries.due_between(user, focus.unit, today, aggregate.week_end(today), DUE_LIST_LIMIT)
    return listed(str(_l("已超期事项")), overdue), listed(str(_l("本周到期事项")), week)


def unit_board(user: User, focus: Focus, today: date) -> Dashboard:
    """Return the headline counts and the per-unit cells (what the Excel export holds)."""
    board = headline(user, focus, today)
    board.whole, board.cells = cells(user, focus, today)
    return board


def dashboard(user: User, focus: Focus, today: date) -> Dashboard:
    """Return every figure of the 晴雨表 for the user's scope and focus."""
    board = unit_board(user, focus, today)
    board.trends = trends(user, focus, today)
    board.sources = source_chart(user, focus)
    board.overdue, board.due_week = due_lists(user, focus, today)
    return board
