"""A register filtered on its two dictionary filters counts and pages from one index (SQLite's plan).

干部 职级+干部类别, 负面信息 核实状态+类别, 预警 状态+层级 (migration 0010). Without the paired
index the capped count walks one filter's index and reads every row to check the other: at a
province's scale 18–48 ms of a page's SQL (`make bench`, 两项筛选). A scoped user's count seeks
each unit in scope in an index led by the scope unit (0011; the roster's pair holds its unit
third): walking the province's pair for a district's rows took 12–16 ms.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from webapp.cadres.services import ROSTER_ORDER, CadreFilters, roster_query
from webapp.extensions import db
from webapp.models import DataScope
from webapp.negative_info.queries import REGISTER_ORDER as ITEM_ORDER
from webapp.negative_info.queries import ReportFilters, register_query
from webapp.warnings.register import REGISTER_ORDER as WARNING_ORDER
from webapp.warnings.register import WarningFilters
from webapp.warnings.register import register_query as warning_query

CASES = {
    "roster": (
        lambda user: roster_query(user, CadreFilters(rank="zhengke", category="county")),
        ROSTER_ORDER,
        "ix_cadre_rank_category_order",
        "ix_cadre_rank_category_order",
    ),
    "negative_info": (
        lambda user: register_query(user, ReportFilters(status="true", category="supervision")),
        ITEM_ORDER,
        "ix_negative_info_status_category_order",
        "ix_negative_info_scope_status_category",
    ),
    "warnings": (
        lambda user: warning_query(user, WarningFilters(state="lifted", tier=1)),
        WARNING_ORDER,
        "ix_warning_state_tier_order",
        "ix_warning_scope_state_tier",
    ),
}


def plan_of(stmt: sa.Select) -> str:
    """Return SQLite's query plan of a select, as one text."""
    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    return " | ".join(
        str(row) for row in db.session.execute(sa.text(f"EXPLAIN QUERY PLAN {compiled}"))
    )


@pytest.fixture
def sqlite_only(app):
    if app.config["DB_KIND"] != "sqlite":
        pytest.skip(
            "PostgreSQL's planner scans a test's small tables whole; `make bench` shows its plan"
        )


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("scope", [DataScope.ALL, DataScope.UNIT_AND_BELOW])
def test_two_filter_count_reads_the_paired_index_alone(sqlite_only, world, case, scope):
    build, key, province_index, scoped_index = CASES[case]
    stmt = build(make_user("supervisor", world.mine, scope))
    counted = stmt.order_by(None).with_only_columns(key.columns[-1]).limit(10001)
    index = province_index if scope is DataScope.ALL else scoped_index
    assert f"USING COVERING INDEX {index}" in plan_of(counted)


@pytest.mark.parametrize("case", ["negative_info", "warnings"])
def test_a_scoped_two_filter_count_seeks_each_unit_on_both_filters(sqlite_only, world, case):
    build, key, _province_index, scoped_index = CASES[case]
    stmt = build(make_user("supervisor", world.mine, DataScope.UNIT_AND_BELOW))
    counted = stmt.order_by(None).with_only_columns(key.columns[-1]).limit(10001)
    plan = plan_of(counted)
    seek = plan[plan.index(scoped_index) :]
    assert seek.count("=?") == 3, plan  # the unit and both filters, none checked row by row


@pytest.mark.parametrize("case", CASES)
def test_two_filter_page_walks_the_paired_index_in_order(sqlite_only, world, case):
    build, key, index, _scoped_index = CASES[case]
    stmt = build(make_user("supervisor", world.mine, DataScope.ALL))
    ids = key.order(stmt.with_only_columns(key.columns[-1])).limit(21)
    plan = plan_of(ids)
    assert index in plan and "TEMP B-TREE" not in plan, plan
