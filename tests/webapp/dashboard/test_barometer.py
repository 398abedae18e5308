"""The home page's brief: barometer(user, today) and the partial that renders it."""

from __future__ import annotations

from flask import render_template_string

from tests.factories import make_user
from tests.webapp.dashboard.conftest import COLOURS, TODAY, expected
from webapp.dashboard.barometer import barometer

PARTIAL = '{% include "dashboard/_barometer.html" %}'


def test_brief_counts_the_district_only(app, board):
    want = expected(board, board.east)
    with app.test_request_context():
        brief = barometer(board.district, TODAY)
        html = render_template_string(PARTIAL, barometer=brief)
    assert [f.value for f in brief.colours] == [want["colours"][c] for c in COLOURS]
    assert brief.cadres == want["cadres"]
    assert sum(f.value for f in brief.tiers) == want["active"]
    assert brief.overdue_items == want["overdue"]
    assert brief.due_this_week == want["due_week"]
    assert 'href="/dashboard/"' in html
    assert f">{want['cadres']}<" in html


def test_no_brief_for_a_role_without_the_barometer(app, db, board, world):
    liaison = make_user("liaison", world.mine, username="liaison_brief")
    with app.test_request_context():
        assert barometer(liaison, TODAY) is None
        assert render_template_string(PARTIAL, barometer=None).strip() == ""
