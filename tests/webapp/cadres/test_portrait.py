"""干部画像 on the profile: the colour strip, counts per year, influence periods, talks, the line."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import make_report, make_talk
from tests.helpers import issue
from webapp.cadres.portrait import Segment, colour_strip, portrait_text, portraits
from webapp.models import WarningEvent
from webapp.talks.due import keep_in_step
from webapp.warnings.history import colour_of, in_force_tier, snapshot_on

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)


def event(ident, day, from_state, to_state, tier, **after):
    """Return a history row (not stored) at 10:00 Beijing time on a day."""
    at = datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI).astimezone(UTC)
    after = {k: v.isoformat() if isinstance(v, date) else v for k, v in after.items()}
    return WarningEvent(
        id=ident,
        at=at,
        event="test",
        from_state=from_state,
        to_state=to_state,
        from_tier=tier if from_state else 0,
        to_tier=tier,
        payload={"after": after},
    )


def test_the_strip_follows_issue_influence_period_and_a_later_warning(app):
    orange = [
        event(1, date(2025, 3, 1), "", "draft", 2),
        event(2, date(2025, 3, 2), "draft", "pending_approval", 2),
        event(3, date(2025, 3, 5), "pending_approval", "issued", 2, issued_tier=2),
        event(
            4,
            date(2025, 6, 1),
            "issued",
            "lifted",
            2,
            issued_tier=2,
            influence_until=date(2025, 9, 5),
        ),
    ]
    yellow = [
        event(5, date(2026, 9, 28), "", "draft", 1),
        event(6, date(2026, 10, 1), "draft", "issued", 1, issued_tier=1),
    ]
    with app.app_context():
        strip = colour_strip({1: orange, 2: yellow}, date(2024, 12, 3), TODAY)
    assert [(s.start, s.end, s.colour) for s in strip] == [
        (date(2024, 12, 3), date(2025, 3, 4), "green"),
        (date(2025, 3, 5), date(2025, 9, 5), "orange"),
        (date(2025, 9, 6), date(2026, 9, 30), "green"),
        (date(2026, 10, 1), TODAY, "yellow"),
    ]
    assert sum(s.days for s in strip) == (TODAY - date(2024, 12, 3)).days + 1
    assert strip[1].tier == 2 and strip[0].tier is None


def test_the_strip_matches_each_day_replayed_from_scratch(app):
    # Two events on one day, an escalation awaiting approval, influence periods that overlap:
    # the strip (each history replayed once per event day) gives every day the colour a full
    # replay of that day's history gives.
    red = [
        event(11, date(2025, 1, 10), "", "draft", 1),
        event(12, date(2025, 1, 10), "draft", "issued", 1, issued_tier=1),
        event(13, date(2025, 2, 3), "issued", "pending_approval", 3, issued_tier=1),
        event(14, date(2025, 2, 20), "pending_approval", "issued", 3, issued_tier=3),
        event(15, date(2025, 4, 1), "issued", "lifted", 3, influence_until=date(2025, 5, 31)),
    ]
    red[2].from_tier = 1  # the escalation starts from the yellow tier
    orange = [
        event(21, date(2025, 5, 1), "", "draft", 2),
        event(22, date(2025, 5, 2), "draft", "issued", 2, issued_tier=2),
        event(23, date(2025, 5, 20), "issued", "referred", 2, influence_until=date(2025, 8, 1)),
    ]
    start, end = date(2024, 12, 1), date(2025, 9, 30)
    with app.app_context():
        strip = colour_strip({1: red, 2: orange}, start, end)
        for segment in strip:
            day = segment.start
            while day <= segment.end:
                tiers = [in_force_tier(snapshot_on(h, day), day) for h in (red, orange)]
                assert colour_of(tiers) == segment.colour, day
                day += timedelta(days=1)
    assert [s.colour for s in strip] == ["green", "yellow", "red", "orange", "green"]
    assert strip[0].start == start and strip[-1].end == end


def test_a_cadre_without_warnings_is_green_throughout(app):
    with app.app_context():
        assert colour_strip({}, date(2025, 1, 1), TODAY) == [
            Segment(date(2025, 1, 1), TODAY, "green", None)
        ]


@pytest.fixture
def at_noon():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_profile_shows_the_portrait(db, world, client, login, at_noon):
    make_report(world.cadre, world.supervisor, received_on=date(2025, 6, 1))
    make_report(world.cadre, world.supervisor, received_on=date(2026, 11, 2))
    talk = make_talk(world.cadre, world.supervisor, follow_up_on=date(2027, 5, 20))
    keep_in_step(talk)
    warning = issue(world, tier=2)
    db.session.commit()

    login(world.supervisor.username)
    page = client.get(f"/cadres/{world.cadre.id}").get_data(as_text=True)
    assert "<h2>监督画像</h2>" in page
    # The agenda's line, from the one function both use.
    line = portrait_text(portraits({world.cadre.id}, TODAY)[world.cadre.id])
    assert line == "负面信息 1 · 预警 1 · 谈话 1 · 函询 0"
    assert f'<span id="portrait-line">{line}</span>' in page
    # Green until today, then orange (issued today, tier 2), in the strip and its table.
    assert re.findall(r'<rect class="seg (\w+)"', page) == ["green", "orange"]
    assert "2024-12-02 – 2026-11-30" in page
    # Counts per year, newest first.
    years = re.findall(
        r'<tr data-year="(\d+)"><td>\d+</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>',
        page,
    )
    assert years == [("2026", "1", "1", "1", "0"), ("2025", "1", "0", "0", "0")]
    # The tier-2 influence period: no promotion, no 评优.
    influences = page[page.index('id="portrait-influences"') :]
    until = warning.influence_until.isoformat()
    assert f"影响期至 {until}：不得提拔或重用，当年不得评优（{warning.number}）" in influences
    # The talk and its follow-up owed.
    talks = page[page.index('id="portrait-talks"') :]
    assert f'data-talk="{talk.id}"' in talks and "2027-05-20" in talks and "待回访" in talks


def test_a_cadre_with_nothing_recorded_has_a_quiet_portrait(db, world, client, login, at_noon):
    login(world.supervisor.username)
    page = client.get(f"/cadres/{world.cadre.id}").get_data(as_text=True)
    assert "负面信息 0 · 预警 0 · 谈话 0 · 函询 0" in page
    assert re.findall(r'<rect class="seg (\w+)"', page) == ["green"]
    assert "当前不在影响期内。" in page and "暂无谈话记录。" in page
