"""Settings per mode; no mode outside the suite signs sessions with a known key."""

import multiprocessing
import stat

import pytest

import config
from config import config_for, instance_data_key, instance_secret_key, new_data_key


@pytest.fixture(autouse=True)
def instance_dir(tmp_path, monkeypatch):
    """Point the instance folder at a temporary one and start without SECRET_KEY."""
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATA_KEY", raising=False)
    return tmp_path


def test_production_refuses_without_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config_for("production")


def test_production_refuses_the_development_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "development-only-secret-key")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config_for("production")


def test_production_accepts_a_long_random_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATA_KEY", new_data_key())
    config = config_for("production")
    assert config.SECRET_KEY == "x" * 40
    assert config.SESSION_COOKIE_SECURE is True


def test_production_ignores_the_instance_key_file(instance_dir):
    instance_secret_key(instance_dir)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config_for("production")


def test_development_generates_a_private_key_and_reuses_it(instance_dir):
    first = config_for("development").SECRET_KEY
    assert first not in config.INSECURE_KEYS
    assert len(first) >= 32
    key_file = instance_dir / "secret_key"
    assert key_file.read_text() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = config_for("development").SECRET_KEY
    assert again == first
    # No temporary file left behind (the data key has its own file beside it).
    assert sorted(p.name for p in instance_dir.iterdir()) == ["data_key", "secret_key"]


def test_each_instance_folder_gets_its_own_key(tmp_path):
    assert instance_secret_key(tmp_path / "a") != instance_secret_key(tmp_path / "b")


def test_the_environment_key_wins_in_development(monkeypatch, instance_dir):
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    assert config_for("development").SECRET_KEY == "k" * 40
    assert not (instance_dir / "secret_key").exists()


@pytest.mark.parametrize(
    "key",
    [
        "development-only-secret-key",
        "testing-secret-key-not-for-production",
        "replace-with-a-random-key-of-at-least-32-characters",
        "dev",
    ],
)
def test_development_refuses_a_known_key(monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config_for("development")


def test_only_the_suite_uses_its_fixed_key():
    assert config_for("testing").SECRET_KEY == config.TESTING_SECRET_KEY


def test_a_readable_key_file_is_refused(instance_dir):
    instance_secret_key(instance_dir)
    (instance_dir / "secret_key").chmod(0o644)
    with pytest.raises(RuntimeError, match="权限"):
        config_for("development")


def test_a_blank_key_file_is_refused(instance_dir):
    key_file = instance_dir / "secret_key"
    key_file.write_text("")
    key_file.chmod(0o600)
    with pytest.raises(RuntimeError, match="无效"):
        config_for("development")


def _read_key(folder, barrier, results):
    barrier.wait()
    results.put(instance_secret_key(folder))


def test_processes_starting_together_agree_on_one_key(tmp_path):
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(4), context.Queue()
    workers = [
        context.Process(target=_read_key, args=(tmp_path / "shared", barrier, results))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    keys = {results.get(timeout=10) for _ in workers}
    for worker in workers:
        worker.join(timeout=10)
    assert len(keys) == 1
    assert (tmp_path / "shared" / "secret_key").read_text() in keys


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


def test_production_refuses_without_a_data_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(RuntimeError, match="DATA_KEY 未设置"):
        config_for("production")


@pytest.mark.parametrize(
    "key",
    ["too-short", config.TESTING_DATA_KEY, "x" * 44, config.new_data_key()[:-4]],
    ids=["too-short", "public", "not-base64", "truncated"],
)
def test_production_refuses_a_bad_or_public_data_key(monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATA_KEY", key)
    with pytest.raises(RuntimeError, match="DATA_KEY"):
        config_for("production")


def test_production_ignores_the_instance_data_key_file(monkeypatch, instance_dir):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    instance_data_key(instance_dir)
    with pytest.raises(RuntimeError, match="DATA_KEY"):
        config_for("production")


def test_development_generates_a_private_data_key_and_reuses_it(instance_dir):
    first = config_for("development").DATA_KEY
    assert config.data_key_problem(first) == ""
    key_file = instance_dir / "data_key"
    assert key_file.read_text() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first == config_for("development").DATA_KEY
    assert sorted(p.name for p in instance_dir.iterdir()) == ["data_key", "secret_key"]


def test_the_environment_data_key_wins_in_development(monkeypatch, instance_dir):
    key = config.new_data_key()
    monkeypatch.setenv("DATA_KEY", key)
    assert key == config_for("development").DATA_KEY
    assert not (instance_dir / "data_key").exists()


def test_a_readable_data_key_file_is_refused(instance_dir):
    instance_data_key(instance_dir)
    (instance_dir / "data_key").chmod(0o644)
    with pytest.raises(RuntimeError, match="权限"):
        config_for("development")


def test_only_the_suite_uses_its_fixed_data_key():
    assert config_for("testing").DATA_KEY == config.TESTING_DATA_KEY
    assert config.TESTING_DATA_KEY != config_for("development").DATA_KEY
