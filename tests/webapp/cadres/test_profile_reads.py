"""The cadre profile reads the cadre's warnings once, and its 画像 line is the agenda's."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import time_machine

from tests.factories import make_report, make_talk
from tests.helpers import issue
from tests.statements import statements_of_get
from webapp.cadres.portrait import portrait_text, portraits
from webapp.extensions import db

TODAY = date(2026, 12, 1)


def test_the_profile_reads_the_cadres_warnings_once(client, login, world):
    # The timeline, the 画像's influence periods and the warnings panel all show them.
    for tier in (1, 2):
        issue(world, tier=tier)
    db.session.commit()
    login(world.supervisor.username)
    statements = statements_of_get(client, f"/cadres/{world.cadre.id}")
    lists = [s for s in statements if s.lstrip().startswith("SELECT warning.id, warning.number")]
    assert len(lists) == 1, lists


@time_machine.travel(datetime(2026, 12, 1, 2, 0, tzinfo=UTC), tick=False)
def test_the_profiles_line_counts_the_twelve_months_as_the_agenda_does(client, login, world):
    # 365 days back counts, 366 do not; a talk at 00:30 Beijing time is that day's, not the
    # day before's (16:30 UTC).
    make_report(world.cadre, world.supervisor, received_on=date(2025, 12, 1))
    make_report(world.cadre, world.supervisor, received_on=date(2025, 11, 30))
    make_talk(world.cadre, world.supervisor, started_at=datetime(2025, 11, 30, 16, 30, tzinfo=UTC))
    make_talk(world.cadre, world.supervisor, started_at=datetime(2025, 11, 30, 15, 30, tzinfo=UTC))
    db.session.commit()
    login(world.supervisor.username)
    page = client.get(f"/cadres/{world.cadre.id}").get_data(as_text=True)
    line = portrait_text(portraits({world.cadre.id}, TODAY)[world.cadre.id])
    assert line == "负面信息 1 · 预警 0 · 谈话 1 · 函询 0"
    assert f'<span id="portrait-line">{line}</span>' in page


def test_the_profile_reads_the_cadre_and_the_warnings_history_once(client, login, world):
    # The 画像's strip reads the history with the timeline's warnings, and the access log is
    # written once the page is built: its commit would have the cadre read again.
    for tier in (1, 2):
        issue(world, tier=tier)
    db.session.commit()
    login(world.supervisor.username)
    statements = statements_of_get(client, f"/cadres/{world.cadre.id}")
    histories = [s for s in statements if "FROM warning_event" in s]
    cadres = [s for s in statements if s.lstrip().startswith("SELECT cadre.id")]
    assert len(histories) == 1, histories
    assert len(cadres) == 1, cadres
    assert any(s.lstrip().startswith("INSERT INTO access_log") for s in statements)


def test_the_profile_reads_the_cadres_talks_once_and_its_portrait_shows_the_newest(
    client, login, world
):
    # The timeline lists every talk; the 画像 the newest TALKS_SHOWN of the same read.
    started = [datetime(2026, 1, day, 1, 0, tzinfo=UTC) for day in range(1, 13)]
    talks = [make_talk(world.cadre, world.supervisor, started_at=at) for at in started]
    db.session.commit()
    newest = [t.id for t in sorted(talks, key=lambda t: t.started_at, reverse=True)][:10]
    login(world.supervisor.username)
    statements = statements_of_get(client, f"/cadres/{world.cadre.id}")
    reads = [s for s in statements if s.lstrip().startswith("SELECT talk.id")]
    assert len(reads) == 1, reads
    page = client.get(f"/cadres/{world.cadre.id}").get_data(as_text=True)
    shown = [int(n) for n in re.findall(r'<tr data-talk="(\d+)">', page)]
    assert shown == newest
    timeline = page[page.index('id="timeline"') :]
    linked = {int(n) for n in re.findall(r'href="/talks/(\d+)"', timeline)}
    assert linked == {t.id for t in talks}  # the timeline lists every one
