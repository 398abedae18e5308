"""Pure arithmetic of the 晴雨表: the month window, series from grouped counts, the heat scale."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

# Warnings in force per 100 cadres at which each heat level starts (level 0 below the first).
HEAT_STEPS: tuple[float, ...] = (0.01, 2, 5, 10, 20)


@dataclass(frozen=True)
class Month:
    """A calendar month of the trend window."""

    year: int
    month: int

    @property
    def first(self) -> date:
        """Return the month's first day."""
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        """Return the month's last day."""
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def label(self) -> str:
        """Return the axis label, e.g. 2026-11."""
        return f"{self.year}-{self.month:02d}"


def months_until(today: date, count: int = 12) -> list[Month]:
    """Return the `count` calendar months ending with today's, oldest first."""
    index = today.year * 12 + today.month - 1
    return [Month(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]


@dataclass(frozen=True)
class Series:
    """One line or bar group of a chart: a key, its label and a value per month."""

    key: str
    label: str
    values: tuple[int, ...]

    @property
    def total(self) -> int:
        """Return the sum over the months."""
        return sum(self.values)


def series_of(
    counts: Mapping[tuple[int, int, object], int],
    months: list[Month],
    labels: Mapping[object, str],
) -> list[Series]:
    """Fold (year, month, key) counts into one series per key, in the labels' order.

    Keys with counts but no label come last, labelled by themselves; keys without counts in the
    window are left out unless the labels list them (then they show as zeros).
    """
    keys = list(labels) + sorted({k for _y, _m, k in counts} - set(labels), key=str)
    return [
        Series(
            str(key),
            labels.get(key, str(key)),
            tuple(counts.get((m.year, m.month, key), 0) for m in months),
        )
        for key in keys
    ]


def per_hundred(warnings: int, cadres: int) -> float | None:
    """Return warnings per 100 cadres, rounded to one decimal (None without cadres)."""
    if cadres <= 0:
        return None
    return round(warnings * 100 / cadres, 1)


def heat_level(rate: float | None) -> int:
    """Return the heat level (0–5) of a rate of warnings per 100 cadres."""
    if rate is None:
        return 0
    return sum(1 for step in HEAT_STEPS if rate >= step)


def week_end(today: date) -> date:
    """Return the Sunday that ends today's week (today if it is a Sunday)."""
    return today + timedelta(days=6 - today.weekday())


def ordered_counts(
    counts: Mapping[object, int], keys: Iterable[object]
) -> list[tuple[object, int]]:
    """Return (key, count) for each key in order, zero where nothing was counted."""
    return [(key, counts.get(key, 0)) for key in keys]
