"""PostgreSQL connections cap their parallel workers as configured."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.databases import database_config, drop_postgres_schema
from webapp import create_app
from webapp.extensions import db


@pytest.mark.parametrize(("setting", "expected"), [("0", "0"), ("1", "1")])
def test_each_connection_caps_parallel_workers(app, tmp_path, setting, expected):
    if app.config["DB_KIND"] != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    config = database_config("postgresql", tmp_path, "parallel")
    own = create_app("testing", {**config, "PG_PARALLEL_WORKERS": setting})
    try:
        with own.app_context():
            shown = db.session.scalar(text("SHOW max_parallel_workers_per_gather"))
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_postgres_schema(config["PG_SCHEMA"])
    assert shown == expected
