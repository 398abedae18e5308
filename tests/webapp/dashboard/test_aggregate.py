"""The 晴雨表's pure arithmetic and SVG drawing, without an app."""

from __future__ import annotations

from datetime import date

import pytest

from webapp.dashboard import aggregate, charts


def test_the_window_is_twelve_calendar_months_ending_with_today():
    months = aggregate.months_until(date(2026, 3, 15))
    assert [m.label for m in months][:3] == ["2025-04", "2025-05", "2025-06"]
    assert months[-1].label == "2026-03"
    assert len(months) == 12
    assert months[-2].first == date(2026, 2, 1) and months[-2].last == date(2026, 2, 28)


def test_series_fill_zeros_and_keep_the_labels_order():
    months = aggregate.months_until(date(2026, 2, 1), 2)
    counts = {(2026, 1, "b"): 3, (2026, 2, "a"): 1, (2026, 2, "zz"): 4}
    series = aggregate.series_of(counts, months, {"a": "甲", "b": "乙"})
    assert [(s.key, s.label, s.values) for s in series] == [
        ("a", "甲", (0, 1)),
        ("b", "乙", (3, 0)),
        ("zz", "zz", (0, 4)),
    ]
    assert series[2].total == 4


@pytest.mark.parametrize(
    ("warnings", "cadres", "rate", "level"),
    [
        (0, 10, 0.0, 0),
        (1, 100, 1.0, 1),
        (1, 40, 2.5, 2),
        (1, 12, 8.3, 3),
        (3, 20, 15.0, 4),
        (5, 10, 50.0, 5),
        (2, 0, None, 0),
    ],
)
def test_heat_level_follows_the_rate_per_hundred(warnings, cadres, rate, level):
    assert aggregate.per_hundred(warnings, cadres) == rate
    assert aggregate.heat_level(rate) == level


def test_the_week_ends_on_sunday():
    assert aggregate.week_end(date(2026, 12, 2)) == date(2026, 12, 6)
    assert aggregate.week_end(date(2026, 12, 6)) == date(2026, 12, 6)


def test_bar_chart_links_each_bar_and_escapes_labels():
    svg = charts.bar_chart("来源", [charts.Bar("<审计>", 3, "/r?a=1&b=2"), charts.Bar("巡视", 0)])
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "&lt;审计&gt;" in svg and "<审计>" not in svg
    assert 'href="/r?a=1&amp;b=2"' in svg
    assert svg.count("<a ") == 1
    assert "style=" not in svg  # the Content-Security-Policy forbids inline styles


def test_column_chart_stacks_months_and_prints_totals():
    stack = charts.Stack("一级", [1, 0, 2], ["/a", "/b", "/c"], "yellow")
    other = charts.Stack("二级", [1, 0, 0], ["/d", "/e", "/f"], "orange")
    svg = charts.column_chart("下达", ["2026-01", "2026-02", "2026-03"], [stack, other])
    assert svg.count("<a ") == 3  # zero parts draw nothing
    assert ">2</text>" in svg  # January's total on top of its column
    assert 'class="bar yellow"' in svg and 'class="bar orange"' in svg
