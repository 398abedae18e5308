"""The production servers freeze what start-up built, so full collections skip it."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

import pytest

from webapp.serving import freeze_startup_objects


@pytest.fixture
def unfrozen():
    """Leave the collector as the test found it."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_freezing_moves_the_live_objects_out_of_the_collectors_sight(unfrozen):
    assert gc.get_freeze_count() == 0
    freeze_startup_objects()
    assert gc.get_freeze_count() > 10_000  # the interpreter, Flask, SQLAlchemy, the app


def test_each_gunicorn_worker_freezes_after_loading_the_app(unfrozen):
    settings = runpy.run_path(str(Path(__file__).parents[2] / "gunicorn.conf.py"))
    settings["post_worker_init"](worker=None)
    assert gc.get_freeze_count() > 0


def test_flask_serve_freezes_before_serving(app, monkeypatch, unfrozen):
    import waitress

    seen = {}
    monkeypatch.setattr(
        waitress, "serve", lambda *_a, **_k: seen.setdefault("frozen", gc.get_freeze_count())
    )
    result = app.test_cli_runner().invoke(args=["serve", "--port", "5999"])
    assert result.exit_code == 0, result.output
    assert seen["frozen"] > 0
