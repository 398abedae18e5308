"""The profile's timeline shows the newest entries, and all of them on asking."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import make_talk
from webapp.cadres.services import TIMELINE_SHOWN
from webapp.extensions import db

FIRST = datetime(2024, 1, 1, 1, 0, tzinfo=UTC)


def shown_days(page: str) -> list[str]:
    """Return the days of the timeline entries on a profile page, in order."""
    timeline = page[page.index('id="timeline"') :]
    return re.findall(r'<li><span class="when">([\d-]+)</span>', timeline)


def test_the_timeline_shows_the_newest_entries_and_links_to_all(client, login, world):
    total = TIMELINE_SHOWN + 3
    for n in range(total):
        make_talk(world.cadre, world.supervisor, started_at=FIRST + timedelta(days=n))
    db.session.commit()
    login(world.supervisor.username)
    page = client.get(f"/cadres/{world.cadre.id}").get_data(as_text=True)
    days = shown_days(page)
    newest = [(FIRST + timedelta(days=n)).date().isoformat() for n in reversed(range(total))]
    assert days == newest[:TIMELINE_SHOWN]
    assert f"显示全部 {total} 条记录（当前显示最近 {TIMELINE_SHOWN} 条）" in page
    assert f'href="/cadres/{world.cadre.id}?timeline=all#timeline"' in page

    everything = client.get(f"/cadres/{world.cadre.id}?timeline=all").get_data(as_text=True)
    assert shown_days(everything) == newest
    assert 'id="timeline-all"' not in everything


@pytest.mark.parametrize("total", [1, TIMELINE_SHOWN, TIMELINE_SHOWN + 1])
def test_the_link_shows_only_when_entries_are_left_out(client, login, world, total):
    for n in range(total):
        make_talk(world.cadre, world.supervisor, started_at=FIRST + timedelta(days=n))
    db.session.commit()
    login(world.supervisor.username)
    page = client.get(f"/cadres/{world.cadre.id}").get_data(as_text=True)
    assert len(shown_days(page)) == min(total, TIMELINE_SHOWN)
    assert ('id="timeline-all"' in page) is (total > TIMELINE_SHOWN)
