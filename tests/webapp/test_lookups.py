"""Parameters and dictionaries: kept a few seconds per worker, an edit in this worker seen at once."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from webapp import lookups
from webapp.extensions import db
from webapp.lookups import dict_items, forget_cached, forget_request_copies, param_int
from webapp.models import DictItem, Parameter

KEY = "auth.idle_timeout_minutes"


@pytest.fixture
def kept(app, db, monkeypatch):
    """Turn the worker's cache on (the suite runs with it off) and start it empty."""
    monkeypatch.setitem(app.config, "LOOKUP_CACHE_SECONDS", 5)
    clock = {"now": 1000.0}
    monkeypatch.setattr(lookups.time, "monotonic", lambda: clock["now"])
    forget_cached()
    yield clock
    forget_cached()


def changed_elsewhere(value: int) -> None:
    """Change the parameter as another worker would: behind this process's back."""
    db.session.execute(update(Parameter).where(Parameter.key == KEY).values(value=str(value)))
    forget_request_copies()  # a new request of this worker


def test_another_workers_edit_shows_once_the_kept_copy_expires(kept):
    before = param_int(KEY)
    changed_elsewhere(before + 7)
    assert param_int(KEY) == before  # a new request within the seconds it is kept
    kept["now"] += 6
    forget_request_copies()  # the next request
    assert param_int(KEY) == before + 7


def test_an_edit_in_this_worker_shows_at_once(kept):
    before = param_int(KEY)
    changed_elsewhere(before + 3)
    forget_cached()  # what the parameter and dictionary editors call after their commit
    assert param_int(KEY) == before + 3


def test_without_the_setting_every_request_reads_afresh(app, db):
    assert app.config["LOOKUP_CACHE_SECONDS"] == 0
    before = param_int(KEY)
    changed_elsewhere(before + 1)
    assert param_int(KEY) == before + 1


def test_kept_dictionary_items_are_plain_copies_that_outlive_their_session(kept):
    first = dict_items("negative_category")
    assert first and not isinstance(first[0], DictItem)
    db.session.commit()
    db.session.expunge_all()  # what a request's end does to ORM objects
    forget_request_copies()
    again = dict_items("negative_category")
    assert [item.label for item in again] == [item.label for item in first]
