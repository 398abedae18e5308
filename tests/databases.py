"""Which databases the suite runs on, and how to get a clean one of each."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

DATABASES = ("sqlite", "postgresql")


def postgres_url() -> str | None:
    """Return TEST_DATABASE_URL if it points at PostgreSQL."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


def require_postgres() -> bool:
    """Tell whether a missing PostgreSQL must fail the run (CI)."""
    return os.environ.get("REQUIRE_POSTGRES") == "1"


def skip_or_fail(reason: str) -> None:
    """Fail when the part is required here, otherwise skip with the reason."""
    if require_postgres():
        pytest.fail(f"REQUIRE_POSTGRES=1 but {reason}")
    pytest.skip(reason)


def fresh_postgres_schema(name: str) -> dict:
    """Create an empty schema for this test process; return config pointing the app at it."""
    schema = f"{name}_{os.getpid()}"  # parallel runs on one server must not share a schema
    url = postgres_url()
    if url is None:
        skip_or_fail(
            "TEST_DATABASE_URL is not set to a PostgreSQL database; PostgreSQL tests skipped"
        )
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    except sa.exc.OperationalError as exc:
        skip_or_fail(f"PostgreSQL at TEST_DATABASE_URL is unreachable: {exc.orig}")
    finally:
        engine.dispose()
    return {
        "PG_SCHEMA": schema,
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={schema}"},
        },
    }


def drop_postgres_schema(schema: str) -> None:
    """Remove a schema made by fresh_postgres_schema."""
    engine = sa.create_engine(postgres_url())
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    engine.dispose()


def database_config(kind: str, tmp_dir, name: str) -> dict:
    """Return config for an empty database of a kind (SQLite file or PostgreSQL schema)."""
    if kind == "sqlite":
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_dir / (name + '.sqlite3')}"}
    return fresh_postgres_schema(name)
