"""Alembic migrations build the whole schema from empty, on both databases."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from tests.databases import DATABASES, database_config, drop_postgres_schema
from webapp import create_app
from webapp.extensions import db
from webapp.models import Base


@pytest.mark.parametrize("kind", DATABASES)
def test_upgrade_from_empty_matches_the_models(kind, tmp_path):
    config = database_config(kind, tmp_path, "migrations")
    app = create_app("testing", config)
    try:
        with app.app_context():
            upgrade(directory="migrations")
            with db.engine.connect() as connection:
                context = MigrationContext.configure(
                    connection, opts={"compare_type": True, "render_as_batch": True}
                )
                differences = compare_metadata(context, Base.metadata)
            tables = set(db.inspect(db.engine).get_table_names())
            db.engine.dispose()
    finally:
        if "PG_SCHEMA" in config:
            drop_postgres_schema(config["PG_SCHEMA"])
    assert {"app_user", "cadre", "audit_log", "parameter", "alembic_version"} <= tables
    assert differences == [], "models changed without a migration: run `flask db migrate`"
