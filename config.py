"""Settings: the only module that reads the environment."""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import secrets
import stat
import tempfile
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
SECRET_KEY_FILE = "secret_key"
DATA_KEY_FILE = "data_key"
TESTING_SECRET_KEY = "testing-secret-key-not-for-production"
# The suite's data key (32 zero-padded bytes, urlsafe base64): known, so refused elsewhere.
TESTING_DATA_KEY = base64.urlsafe_b64encode(b"testing-data-key-not-for-prod!!!").decode()
# Keys anyone can read in this repository or its history: signing with one forges sessions.
INSECURE_KEYS = {
    "",
    "dev",
    "change-me",
    "development-only-secret-key",
    "replace-with-a-random-key-of-at-least-32-characters",
    TESTING_SECRET_KEY,
}
MIN_KEY_LENGTH = 32


def env_str(name: str, default: str = "") -> str:
    """Read a string from the environment."""
    return os.environ.get(name, default)


def new_secret_key() -> str:
    """Return a fresh random signing key."""
    return secrets.token_urlsafe(48)


def new_data_key() -> str:
    """Return a fresh random data key: 32 bytes, urlsafe base64 (the form `Fernet` keys take)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def secret_key_problem(key: str) -> str:
    """Say what is wrong with a signing key, or return "" for a good one."""
    if key in INSECURE_KEYS or len(key) < MIN_KEY_LENGTH:
        return "内容无效"
    return ""


def data_key_problem(key: str) -> str:
    """Say what is wrong with a data key, or return "" for a good one."""
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        return "不是 base64 编码"
    if len(raw) != 32:
        return "应为 32 字节（base64 编码后 44 个字符）"
    if key == TESTING_DATA_KEY:
        return "是测试用的公开密钥"
    return ""


def instance_key(folder: Path, name: str, generate, problem) -> str:
    """Return the key kept in file `name` of an instance folder, creating it on first start."""
    path = folder / name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        # Written to a private temporary file, then linked in: the key appears whole or not at
        # all, and of two processes starting together the second link fails and reads the first.
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.")  # mode 0600
        try:
            os.write(fd, generate().encode())
            os.fsync(fd)
            os.close(fd)
            with contextlib.suppress(FileExistsError):
                os.link(temp, path)
        finally:
            os.unlink(temp)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise RuntimeError(f"密钥文件 {path} 的权限过宽，应仅所有者可读写（chmod 600）")
    key = path.read_text().strip()
    if problem(key):
        raise RuntimeError(f"密钥文件 {path} 内容无效，请删除后重启以重新生成")
    return key


def instance_secret_key(folder: Path) -> str:
    """Return the signing key kept in an instance folder, creating it on first start."""
    return instance_key(folder, SECRET_KEY_FILE, new_secret_key, secret_key_problem)


def instance_data_key(folder: Path) -> str:
    """Return the data key kept in an instance folder, creating it on first start.

    Losing this file loses every sealed value (ID numbers, reporters' identities): back it up
    apart from the database, which must never hold it.
    """
    return instance_key(folder, DATA_KEY_FILE, new_data_key, data_key_problem)


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
        # SECRET_KEY from the environment wins; each mode decides what happens without one.
        self.SECRET_KEY = env_str("SECRET_KEY")
        # Seals ID numbers and reporters' identities (webapp/security/crypto.py); kept outside
        # the database. From the environment; each mode decides what happens without one.
        self.DATA_KEY = env_str("DATA_KEY")
        self.SQLALCHEMY_DATABASE_URI = env_str(
            "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'ganbu.sqlite3'}"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.SQLITE_BUSY_TIMEOUT_MS = env_int("SQLITE_BUSY_TIMEOUT_MS", 15000)
        # PostgreSQL's max_parallel_workers_per_gather per connection; "" keeps the server's.
        self.PG_PARALLEL_WORKERS = env_str("PG_PARALLEL_WORKERS", "0")
        # PostgreSQL's plan_cache_mode per connection (webapp/database.py); "" keeps the server's.
        self.PG_PLAN_CACHE_MODE = env_str("PG_PLAN_CACHE_MODE", "force_custom_plan")
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
        # A sliding window: no burst of twice the limit around a minute's turn.
        self.RATELIMIT_STRATEGY = env_str("RATELIMIT_STRATEGY", "moving-window")
        self.RATELIMIT_KEY_PREFIX = env_str("RATELIMIT_KEY_PREFIX", "ganbu")
        self.RATELIMIT_ENABLED = True
        self.RATELIMIT_HEADERS_ENABLED = False
        self.PAGE_SIZE = env_int("PAGE_SIZE", 20)
        # A register counts its rows up to this many, then shows 「1万+」 (webapp/paging.py).
        self.PAGE_COUNT_CAP = env_int("PAGE_COUNT_CAP", 10000)
        # How long a worker keeps the parameters, dictionaries and role names it read
        # (webapp/lookups.py): an edit shows at once in its own worker, in the others within this.
        self.LOOKUP_CACHE_SECONDS = env_int("LOOKUP_CACHE_SECONDS", 5)
        # How many reverse proxies (nginx) stand in front: their X-Forwarded-For/-Proto are
        # trusted that many hops deep, so audit rows and the login limit see the real client.
        self.TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
        self.DEMO_PASSWORD = env_str("DEMO_PASSWORD")
        self.SCHEDULER_ENABLED = env_bool("SCHEDULER_ENABLED", False)
        self.PASSWORD_HASH_FAST = False
        self.UPLOAD_DIR = env_str("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
        self.IMPORT_DIR = env_str("IMPORT_DIR", str(INSTANCE_DIR / "imports"))
        # folder: UPLOAD_DIR and IMPORT_DIR on this machine; database: in the shared database.
        self.STORAGE_BACKEND = env_str("STORAGE_BACKEND", "folder")
        # The address users open the system at (with any path prefix): pushed reminders link
        # to it, e.g. https://ganbu.example.org/jiandu; empty, the request's own host is used.
        self.PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL").rstrip("/")
        # Large imports run in runner processes; at most this many at once over all machines.
        self.IMPORT_MAX_RUNNING = env_int("IMPORT_MAX_RUNNING", 2)
        # Where the logs' chain heads are appended (webapp/audit/heads.py): a file the database's
        # own users cannot write; empty, instance/audit-heads.jsonl.
        self.AUDIT_HEAD_FILE = env_str("AUDIT_HEAD_FILE")
        # The benchmark only (bench/pages.py): where marked requests' SQL is recorded.
        self.BENCH_SQL_LOG = env_str("BENCH_SQL_LOG")

    def validate(self) -> None:
        """Refuse a signing key that is published or guessable, and a bad data key."""
        if self.SECRET_KEY in INSECURE_KEYS:
            raise RuntimeError("SECRET_KEY 不能使用公开的默认值，请设置随机密钥")
        self.validate_data_key()
        self.validate_storage()

    def validate_storage(self) -> None:
        """Refuse a storage backend this version does not have."""
        if self.STORAGE_BACKEND not in ("folder", "database"):
            raise RuntimeError("STORAGE_BACKEND 只能是 folder（本机目录）或 database（数据库）")

    def validate_data_key(self) -> None:
        """Refuse a missing, malformed or published data key."""
        problem = data_key_problem(self.DATA_KEY) if self.DATA_KEY else "未设置"
        if problem:
            raise RuntimeError(
                f"DATA_KEY {problem}；请设置 32 字节随机密钥的 urlsafe base64 编码（44 个字符）"
            )


class DevelopmentConfig(Config):
    """Embedded single-machine mode used by `make run`."""

    ENV_NAME = "development"

    def __init__(self) -> None:
        super().__init__()
        if not self.SECRET_KEY:
            # Every worker of this machine reads the same file, so they sign alike.
            self.SECRET_KEY = instance_secret_key(INSTANCE_DIR)
        if not self.DATA_KEY:
            self.DATA_KEY = instance_data_key(INSTANCE_DIR)


class TestingConfig(Config):
    """Settings for the test suite."""

    ENV_NAME = "testing"

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = TESTING_SECRET_KEY
        self.DATA_KEY = TESTING_DATA_KEY
        self.SQLALCHEMY_DATABASE_URI = "sqlite://"
        self.WTF_CSRF_ENABLED = False
        self.RATELIMIT_ENABLED = False
        self.SCHEDULER_ENABLED = False
        # One app serves every test's rolled-back database: nothing may outlive a request.
        self.LOOKUP_CACHE_SECONDS = 0
        # Cheap hashing keeps the suite fast; other modes use argon2's defaults.
        self.PASSWORD_HASH_FAST = True

    def validate(self) -> None:
        """Accept the suite's own fixed key."""


class ProductionConfig(Config):
    """PostgreSQL, several workers, a real secret key."""

    ENV_NAME = "production"

    def __init__(self) -> None:
        super().__init__()
        self.SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)

    def validate(self) -> None:
        """Refuse to start without a real SECRET_KEY and DATA_KEY from the environment."""
        if secret_key_problem(self.SECRET_KEY):
            raise RuntimeError("生产模式必须设置至少 32 个字符的随机 SECRET_KEY 环境变量")
        self.validate_data_key()
        self.validate_storage()


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
