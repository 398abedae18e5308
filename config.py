"""Settings: the only module that reads the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
INSECURE_KEYS = {"", "dev", "change-me", "development-only-secret-key"}


def env_str(name: str, default: str = "") -> str:
    """Read a string from the environment."""
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    """Read an integer from the environment, failing loudly on a bad value."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise RuntimeError(f"环境变量 {name} 应为整数，实际为 {raw!r}") from exc


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no flag from the environment."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every mode, read from the environment when built."""

    ENV_NAME = "base"

    def __init__(self) -> None:
        self.SECRET_KEY = env_str("SECRET_KEY", "development-only-secret-key")
        self.SQLALCHEMY_DATABASE_URI = env_str(
            "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'ganbu.sqlite3'}"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.SQLITE_BUSY_TIMEOUT_MS = env_int("SQLITE_BUSY_TIMEOUT_MS", 15000)
        self.ORG_TIMEZONE = env_str("ORG_TIMEZONE", "Asia/Shanghai")
        self.BABEL_DEFAULT_LOCALE = "zh_CN"
        self.BABEL_DEFAULT_TIMEZONE = self.ORG_TIMEZONE
        self.LANGUAGES = ("zh_CN", "en")
        self.WTF_CSRF_ENABLED = True
        # The idle timeout ends sessions; a form token may outlive one page view.
        self.WTF_CSRF_TIME_LIMIT = None
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
        self.MAX_CONTENT_LENGTH = env_int("MAX_UPLOAD_MB", 25) * 1024 * 1024
        self.RATELIMIT_STORAGE_URI = env_str("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_LOGIN = env_str("RATELIMIT_LOGIN", "30 per minute")
        self.RATELIMIT_ENABLED = True
        self.RATELIMIT_HEADERS_ENABLED = False
        self.PAGE_SIZE = env_int("PAGE_SIZE", 20)
        # How many reverse proxies (nginx) stand in front: their X-Forwarded-For/-Proto are
        # trusted that many hops deep, so audit rows and the login limit see the real client.
        self.TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
        self.DEMO_PASSWORD = env_str("DEMO_PASSWORD")
        self.SCHEDULER_ENABLED = env_bool("SCHEDULER_ENABLED", False)
        self.PASSWORD_HASH_FAST = False
        self.UPLOAD_DIR = env_str("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))

    def validate(self) -> None:
        """Refuse settings that are unsafe for this mode."""


class DevelopmentConfig(Config):
    """Embedded single-machine mode used by `make run`."""

    ENV_NAME = "development"


class TestingConfig(Config):
    """Settings for the test suite."""

    ENV_NAME = "testing"

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "testing-secret-key-not-for-production"
        self.SQLALCHEMY_DATABASE_URI = "sqlite://"
        self.WTF_CSRF_ENABLED = False
        self.RATELIMIT_ENABLED = False
        self.SCHEDULER_ENABLED = False
        # Cheap hashing keeps the suite fast; other modes use argon2's defaults.
        self.PASSWORD_HASH_FAST = True


class ProductionConfig(Config):
    """PostgreSQL, several workers, a real secret key."""

    ENV_NAME = "production"

    def __init__(self) -> None:
        super().__init__()
        self.SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)

    def validate(self) -> None:
        """Refuse to start without a real SECRET_KEY."""
        if self.SECRET_KEY in INSECURE_KEYS or len(self.SECRET_KEY) < 32:
            raise RuntimeError("生产模式必须设置至少 32 个字符的随机 SECRET_KEY 环境变量")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> Config:
    """Build and check the settings named by the argument or APP_ENV."""
    name = name or env_str("APP_ENV", "development")
    try:
        config = CONFIGS[name]()
    except KeyError as exc:
        raise RuntimeError(f"未知的运行模式 APP_ENV={name!r}，可选：{', '.join(CONFIGS)}") from exc
    config.validate()
    return config
