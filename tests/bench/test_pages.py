"""The page benchmark's figures and tables (no server: the parts that are plain functions)."""

from __future__ import annotations

import pytest

from bench.pages import (
    FLOORS,
    Case,
    Report,
    Timing,
    World,
    cases,
    floor_cases,
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


def floors(province_ms: list[float], district_ms: list[float]) -> list[Timing]:
    """Return timed floor pages; each user's logged-in floor has the p50 given by its times."""
    found = []
    for user, times in (("province", province_ms), ("district", district_ms)):
        for name, path in FLOORS:
            found.append(
                Timing(Case(user, name, path), 200, [1.0] if path == "/healthz" else times)
            )
    return found


def test_each_user_registers_are_ruled_out_against_their_own_logged_in_floor(capsys):
    report = Report("postgresql", "gunicorn ×2", Sizes())
    report.timings = [
        Timing(Case("province", "干部名册 第 1 页", "/cadres/", True), 200, [9.0], 7, 2.0),
        Timing(Case("province", "预警台账 第 1 页", "/warnings/", True), 200, [20.0], 10, 3.0),
        Timing(Case("district", "干部名册 第 1 页", "/cadres/", True), 200, [9.0], 7, 2.9),
        Timing(Case("district", "晴雨表", "/dashboard/"), 200, [30.0], 8),
    ]
    # p50s 5.0 and 6.0 ms: neither the first, the mean nor the max of the times.
    report.floors = floors([9.0, 5.0, 4.0, 5.5], [6.0, 1.0, 6.5, 7.2])
    print_report(report)
    out = capsys.readouterr().out
    assert (
        f"（同一服务器，p50，全省 / 区县）：{FLOORS[0][0]} 1.0 / 1.0 ms；{FLOORS[1][0]} 5.0 / 6.0 ms"
        in out
    )
    # 2 × 2.0 < 5.0 and 2 × 2.9 < 6.0 are ruled out; 2 × 3.0 = 6.0 ≥ 5.0 is not.
    assert (
        "3 个登记簿页面中，2 个的 2 × 纯 SQL 低于同一用户最简单的登录后页面（全省 5.0 ms、区县 6.0 ms）"
        in out
    )


@pytest.mark.parametrize(
    ("user", "bare_ms", "said"),
    [
        ("province", 2.5, "1 个登记簿页面中，0 个的"),  # exactly twice the floor: not ruled out
        ("district", 0.5, "1 个登记簿页面中，全部的"),
    ],
)
def test_the_boundary_and_all_ruled_out(capsys, user, bare_ms, said):
    report = Report("sqlite", "waitress", Sizes())
    report.timings = [Timing(Case(user, "干部名册", "/cadres/", True), 200, [9.0], 7, bare_ms)]
    report.floors = floors([5.0], [5.0])
    print_report(report)
    assert said in capsys.readouterr().out


def test_a_floor_that_was_redirected_is_marked_and_not_compared(capsys):
    report = Report("sqlite", "waitress", Sizes())
    report.timings = [Timing(Case("province", "干部名册", "/cadres/", True), 200, [9.0], 7, 0.5)]
    report.floors = floors([5.0], [5.0])
    for timing in report.floors:
        timing.status = 302  # a lost session: the login page was timed
    print_report(report)
    out = capsys.readouterr().out
    assert f"{FLOORS[1][0]} 5.0（HTTP 302，不计） / 5.0（HTTP 302，不计） ms" in out
    assert "登记簿页面中" not in out


def test_no_floor_line_without_floors(capsys):
    print_report(Report("sqlite", "waitress", Sizes()))
    assert "固定开销" not in capsys.readouterr().out


def test_the_floors_are_timed_for_both_users():
    found = floor_cases()
    assert {(c.user, c.path) for c in found} == {
        (user, path) for user in ("province", "district") for path in ("/healthz", "/auth/password")
    }
    assert not any(c.register for c in found)
