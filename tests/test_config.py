"""Settings per mode; production refuses an unsafe secret key."""

import pytest

from config import config_for


def test_production_refuses_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config_for("production")


def test_production_refuses_the_development_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "development-only-secret-key")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config_for("production")


def test_production_accepts_a_long_random_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    config = config_for("production")
    assert config.SECRET_KEY == "x" * 40
    assert config.SESSION_COOKIE_SECURE is True


def test_database_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://db.example/ganbu")
    assert config_for("development").SQLALCHEMY_DATABASE_URI.endswith("/ganbu")


def test_unknown_mode_is_refused():
    with pytest.raises(RuntimeError, match="APP_ENV"):
        config_for("staging")


def test_bad_integer_setting_is_reported(monkeypatch):
    monkeypatch.setenv("PAGE_SIZE", "many")
    with pytest.raises(RuntimeError, match="PAGE_SIZE"):
        config_for("development")
