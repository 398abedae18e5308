"""PostgreSQL connections cap their parallel workers and plan each run as configured."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from tests.databases import database_config, drop_postgres_schema
from webapp import create_app
from webapp.database import configure_postgresql
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


@pytest.mark.parametrize(
    ("setting", "expected"), [(None, "force_custom_plan"), ("auto", "auto"), ("", "")]
)
def test_each_connection_plans_every_run_for_its_values(app, tmp_path, setting, expected):
    # The default: a statement psycopg has prepared keeps being planned for its own values
    # (a generic plan made a district's two-filter count four times slower).
    if app.config["DB_KIND"] != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    config = database_config("postgresql", tmp_path, "plan_cache")
    if setting is not None:
        config = {**config, "PG_PLAN_CACHE_MODE": setting}
    own = create_app("testing", config)
    try:
        with own.app_context():
            shown = db.session.scalar(text("SHOW plan_cache_mode"))
            # "" keeps what the server gives a new session, whatever its configuration says.
            server = db.session.scalar(
                text("SELECT reset_val FROM pg_settings WHERE name = 'plan_cache_mode'")
            )
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_postgres_schema(config["PG_SCHEMA"])
    assert shown == (expected or server)


def test_an_unknown_plan_cache_mode_is_refused():
    # Refused before any connection (creating an engine connects to nothing): the value is
    # written into a SET statement.
    engine = sa.create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(ValueError, match="PG_PLAN_CACHE_MODE"):
        configure_postgresql(engine, "", "always; DROP TABLE x")
