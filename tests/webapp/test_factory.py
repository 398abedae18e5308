"""The factory wires the app and nothing more."""

import threading

from webapp import create_app


def test_testing_app_is_configured_for_tests():
    app = create_app("testing")
    assert app.testing
    assert app.config["BABEL_DEFAULT_LOCALE"] == "zh_CN"
    assert not app.config["SCHEDULER_ENABLED"]


def test_factory_starts_no_thread():
    before = threading.active_count()
    create_app("testing")
    assert threading.active_count() == before


def test_every_area_is_registered():
    app = create_app("testing")
    assert {"main", "auth", "cadres", "admin", "audit"} <= set(app.blueprints)


def test_overrides_win_over_the_mode():
    app = create_app("testing", {"PAGE_SIZE": 7})
    assert app.config["PAGE_SIZE"] == 7
