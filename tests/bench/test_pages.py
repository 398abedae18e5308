"""The page benchmark's figures and tables (no server: the parts that are plain functions)."""

from __future__ import annotations

from bench.pages import (
    FLOORS,
    Case,
    Report,
    Timing,
    World,
    cases,
    machine_ticks,
    print_report,
    sizes_for,
    steal_share,
)
from bench.sizes import Sizes


def test_percentiles_are_nearest_rank():
    timing = Timing(Case("province", "p", "/"), 200, [float(n) for n in range(1, 101)])
    assert (timing.pct(50), timing.pct(95), timing.pct(100)) == (50.0, 95.0, 100.0)


def test_scale_one_is_the_province_and_a_small_scale_keeps_minimums():
    assert sizes_for(1.0) == Sizes()
    small = sizes_for(0.0001)
    assert (small.units, small.cadres, small.warnings) == (20, 200, 120)


def test_every_register_is_timed_five_ways_for_both_users():
    from datetime import date

    world = World(1, 2, "王芳", 3, 4, "cat", "heart")
    found = cases(world, date(2026, 12, 1))
    registers = [c for c in found if c.register]
    assert len(registers) == 2 * 4 * 5
    assert {c.user for c in found} == {"province", "district"}
    assert "/cadres/?unit_id=2" in {c.path for c in found if c.user == "district"}
    firsts = [c.user for c in found if c.path == "/"]  # the first screen, for each user
    assert sorted(firsts) == ["district", "province"]


def test_each_table_row_has_as_many_cells_as_the_header(capsys):
    report = Report("sqlite", "waitress", Sizes())
    report.timings = [
        Timing(Case("province", "干部名册 第 1 页", "/cadres/", True), 200, [60.0, 60.0], 12, 20.0),
        Timing(Case("district", "晴雨表", "/dashboard/"), 200, [30.0], 26),
    ]
    print_report(report)
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("|")]
    assert len({line.count("|") for line in rows}) == 1
    assert "| 全省 | 干部名册 第 1 页 | 200 | 2 |" in rows[2]
    assert rows[2].endswith("| no / no |")  # p95 60 ms; p50 60 ms is 3× its 20 ms of SQL


def test_steal_is_the_hosts_share_of_the_ticks_between_two_readings(capsys):
    before = machine_ticks("cpu  100 0 50 800 10 0 0 40 0 0\ncpu0 1 2 3\n")
    after = machine_ticks("cpu  160 0 80 900 10 0 0 100 0 0\ncpu0 1 2 3\n")
    assert before == (1000, 40) and after == (1250, 100)
    assert steal_share(before, after) == 60 / 250
    assert steal_share(after, after) == 0.0
    report = Report("postgresql", "gunicorn ×2", Sizes())
    report.steal = 0.24
    print_report(report)
    assert "steal）：24%" in capsys.readouterr().out


def test_the_yardstick_is_printed_under_the_table(capsys):
    report = Report("sqlite", "waitress", Sizes())
    report.yardstick_ms = 12.345
    print_report(report)
    assert "与本系统代码无关）：12.35 ms" in capsys.readouterr().out


def test_the_floors_are_printed_with_the_registers_they_rule_out(capsys):
    report = Report("postgresql", "gunicorn ×2", Sizes())
    report.timings = [
        Timing(Case("province", "干部名册 第 1 页", "/cadres/", True), 200, [9.0], 7, 2.0),
        Timing(Case("province", "预警台账 第 1 页", "/warnings/", True), 200, [20.0], 10, 3.0),
        Timing(Case("district", "晴雨表", "/dashboard/"), 200, [30.0], 8),
    ]
    report.floors = [
        Timing(FLOORS[0], 200, [1.5, 1.4, 1.6]),
        Timing(FLOORS[1], 200, [5.0, 4.8, 5.2]),
    ]
    print_report(report)
    out = capsys.readouterr().out
    assert f"{FLOORS[0].name} 1.5 ms；{FLOORS[1].name} 5.0 ms" in out
    # 2 × 2.0 ms < 5.0 ms rules the roster out; 2 × 3.0 ms does not rule the warnings out.
    assert "2 个登记簿页面中，1 个的 2 × 纯 SQL 少于登录后最小页面的 5.0 ms" in out


def test_a_floor_that_did_not_answer_200_says_so(capsys):
    report = Report("sqlite", "waitress", Sizes())
    report.floors = [Timing(FLOORS[1], 302, [1.0])]
    print_report(report)
    assert f"{FLOORS[1].name} 1.0 ms（HTTP 302）" in capsys.readouterr().out


def test_no_floor_line_without_floors(capsys):
    print_report(Report("sqlite", "waitress", Sizes()))
    assert "固定开销" not in capsys.readouterr().out
