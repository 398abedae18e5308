"""The sweep's advisory lock keeps two sweeps of one schema apart, never two schemas."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from alerts.jobs import SWEEP_LOCK, sweep_lock
from tests.databases import postgres_url


@pytest.mark.parametrize("same_schema", [True, False], ids=["same-schema", "other-schema"])
def test_a_held_sweep_lock_blocks_only_its_own_schema(app, db, same_schema):
    if app.config["DB_KIND"] != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite writers take turns by BEGIN IMMEDIATE")
    schema = app.config["PG_SCHEMA"] if same_schema else "public"
    engine = sa.create_engine(postgres_url())
    try:
        with engine.connect() as other, other.begin():
            other.exec_driver_sql(f'SET LOCAL search_path TO "{schema}"')
            assert other.execute(SWEEP_LOCK).scalar() is True
            assert sweep_lock() is (not same_schema)
    finally:
        engine.dispose()
