"""Alembic migrations build the whole schema from empty, on both databases."""

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from tests.databases import DATABASES, database_config, drop_postgres_schema
from webapp import create_app
from webapp.database import migration_filter
from webapp.extensions import db
from webapp.models import Base


@pytest.mark.parametrize("kind", DATABASES)
def test_upgrade_from_empty_matches_the_models(kind, tmp_path):
    config = database_config(kind, tmp_path, "migrations")
    app = create_app("testing", config)
    try:
        with app.app_context():
            upgrade(directory="migrations")
            with db.engine.connect() as connection, warnings.catch_warnings():
                # SQLite's reflection skips expression indexes (login_log's lower(username)).
                warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression")
                warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expr")
                include = migration_filter(connection.dialect.name)
                context = MigrationContext.configure(
                    connection,
                    opts={"compare_type": True, "render_as_batch": True, "include_object": include},
                )
                differences = compare_metadata(context, Base.metadata)
            tables = set(db.inspect(db.engine).get_table_names())
            db.engine.dispose()
    finally:
        if "PG_SCHEMA" in config:
            drop_postgres_schema(config["PG_SCHEMA"])
    assert {"app_user", "cadre", "audit_log", "parameter", "alembic_version"} <= tables
    assert differences == [], "models changed without a migration: run `flask db migrate`"


@pytest.mark.parametrize("kind", DATABASES)
def test_upgrade_chains_old_log_rows_and_makes_the_logs_append_only(kind, tmp_path):
    import sqlalchemy as sa

    from webapp.audit.verify import verify_all

    config = database_config(kind, tmp_path, "migrations")
    app = create_app("testing", config)
    try:
        with app.app_context():
            upgrade(directory="migrations", revision="0004_recipients")
            with db.engine.begin() as connection:  # two logins from before the chain existed
                for name in ("张三", "李四"):
                    connection.execute(
                        sa.text(
                            "INSERT INTO login_log (at, username, success, reason, ip, user_agent)"
                            " VALUES (:at, :name, :ok, '', '127.0.0.1', '')"
                        ),
                        {"at": "2026-11-30 08:00:00", "name": name, "ok": True},
                    )
            upgrade(directory="migrations")
            with db.engine.connect() as connection:
                reports = {report.table: report for report in verify_all(connection)}
            refusals = []
            for statement in (
                "UPDATE login_log SET username = '王五'",
                "DELETE FROM login_log",
                "UPDATE login_log SET ip = '' WHERE username = '李四'",
            ):
                with db.engine.connect() as connection:
                    try:
                        connection.execute(sa.text(statement))
                    except sa.exc.DatabaseError as exc:
                        refusals.append(type(exc.orig).__name__)
                    connection.rollback()
            with db.engine.connect() as connection:
                names = connection.execute(sa.text("SELECT username FROM login_log")).scalars()
                kept = sorted(names)
            db.engine.dispose()
    finally:
        if "PG_SCHEMA" in config:
            drop_postgres_schema(config["PG_SCHEMA"])
    assert reports["login_log"].rows == 2 and reports["login_log"].intact
    assert all(report.intact for report in reports.values())
    assert len(refusals) == 3
    assert kept == ["张三", "李四"]
