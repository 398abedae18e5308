"""干部画像: a cadre's record at a glance, and the one-line portrait meeting agendas carry.

The profile shows the colour and tier history as a strip over time (rebuilt from the warnings'
history with the one colour rule of `webapp.warnings.history`), counts by kind per year, the
influence periods in force, the talks with their follow-ups, and the same line
(`portrait_text`) a meeting agenda freezes for each cadre.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from webapp import clock
from webapp.extensions import db
from webapp.i18n import translate
from webapp.models import (
    Cadre,
    Inquiry,
    NegativeInfo,
    Obligation,
    Talk,
    User,
    Warning,
    WarningEvent,
)
from webapp.talks.services import cadre_talks
from webapp.warnings.history import (
    Snapshot,
    after_event,
    colour_of,
    in_force_tier,
    local_day,
    snapshot_on,
)
from webapp.warnings.queries import cadre_panel, every_cadre_warning
from workflows.obligations import ObligationKind
from workflows.text import N_
from workflows.tiers import Tier

PORTRAIT_KINDS = ("negative_info", "warning", "talk", "inquiry")
PORTRAIT_LABELS = {
    "negative_info": N_("负面信息"),
    "warning": N_("预警"),
    "talk": N_("谈话"),
    "inquiry": N_("函询"),
}
# Each kind's cadre column and the date it counts by; True where that is an instant (UTC).
DATED = {
    "negative_info": (NegativeInfo.cadre_id, NegativeInfo.received_on, False),
    "warning": (Warning.cadre_id, Warning.created_at, True),
    "talk": (Talk.cadre_id, Talk.started_at, True),
    "inquiry": (Inquiry.cadre_id, Inquiry.issued_on, False),
}
# How far back the strip reaches, in days (two years: a tier-2 influence period and more).
STRIP_DAYS = 730
# The narrowest a stretch is drawn (of 1000), so a day's colour still shows.
MIN_WIDTH = 4.0
# The talks the profile lists, newest first.
TALKS_SHOWN = 10


def portraits(cadre_ids: set[int], today: date) -> dict[int, dict[str, int]]:
    """Count each cadre's records by kind over the 12 months up to today (one query a kind)."""
    since = today - timedelta(days=365)
    since_at = datetime.combine(since, time(0), clock.org_zone()).astimezone(UTC)
    out: dict[int, dict[str, int]] = {cid: dict.fromkeys(PORTRAIT_KINDS, 0) for cid in cadre_ids}
    if not cadre_ids:
        return out
    for kind, (column, dated, instant) in DATED.items():
        stmt = (
            sa.select(column, sa.func.count())
            .where(column.in_(cadre_ids), dated >= (since_at if instant else since))
            .group_by(column)
        )
        for cadre_id, count in db.session.execute(stmt):
            out[cadre_id][kind] = count
    return out


def portrait_text(counts: Mapping[str, int]) -> str:
    """Write a portrait as one line: 负面信息 2 · 预警 1 · 谈话 0 · 函询 0."""
    return " · ".join(f"{translate(PORTRAIT_LABELS[k])} {counts.get(k, 0)}" for k in PORTRAIT_KINDS)


# --------------------------------------------------------------------------- the strip


@dataclass(frozen=True)
class Segment:
    """A stretch of days (inclusive) over which the cadre's colour stayed the same."""

    start: date
    end: date
    colour: str
    tier: Tier | None

    @property
    def days(self) -> int:
        """Return how many days the stretch covers."""
        return (self.end - self.start).days + 1


def _turning_days(events: Sequence[WarningEvent], start: date, end: date) -> set[date]:
    """Return the days the colour may change: an event's day, the day after an influence period."""
    days = {start}
    for event in events:
        days.add(local_day(event))
        until = after_event(event).influence_until
        if until is not None:
            days.add(until + timedelta(days=1))
    return {d for d in days if start <= d <= end}


def _snapshot_reader(events: Sequence[WarningEvent]) -> Callable[[date], Snapshot | None]:
    """Return `snapshot_on(events, day)` as a function of the day, replaying once per event day.

    Every day between two of the warning's event days sees the same events, hence the same
    snapshot: a strip of many turning days replays a warning once per event day, not per day.
    """
    days = sorted({local_day(e) for e in events})
    replayed: dict[int, Snapshot | None] = {}

    def snapshot(day: date) -> Snapshot | None:
        seen = bisect_right(days, day)
        if seen not in replayed:
            replayed[seen] = snapshot_on(events, days[seen - 1]) if seen else None
        return replayed[seen]

    return snapshot


def colour_strip(
    histories: Mapping[int, Sequence[WarningEvent]], start: date, end: date
) -> list[Segment]:
    """Return the colour from start to end as stretches, from each warning's history (pure)."""
    every = [e for events in histories.values() for e in events]
    turning = sorted(_turning_days(every, start, end))
    snapshots = [_snapshot_reader(events) for events in histories.values()]
    segments: list[Segment] = []
    for index, day in enumerate(turning):
        last = turning[index + 1] - timedelta(days=1) if index + 1 < len(turning) else end
        tiers = [in_force_tier(snapshot(day), day) for snapshot in snapshots]
        colour = colour_of(tiers)
        top = max((t for t in tiers if t is not None), default=None)
        if segments and segments[-1].colour == colour:
            segments[-1] = Segment(segments[-1].start, last, colour, top)
        else:
            segments.append(Segment(day, last, colour, top))
    return segments


def _histories(cadre: Cadre, user: User) -> dict[int, list[WarningEvent]]:
    # Every warning of the cadre, as the stored colour counts them: read with the user's own
    # (the timeline's and the panel's), not a second time.
    return {w.id: list(w.events) for w in every_cadre_warning(cadre, user) if w.events}


# --------------------------------------------------------------------------- the rest


@dataclass(frozen=True)
class TalkLine:
    """One talk on the portrait, with its follow-up (回访)."""

    talk: Talk
    # "open" while the 回访 is owed, "done" once closed, "" when none is owed.
    follow_up: str


@dataclass(frozen=True)
class Portrait:
    """What the 干部画像 card shows."""

    start: date
    end: date
    strip: list[Segment]
    years: list[tuple[int, dict[str, int]]]
    influences: list[Warning]
    talks: list[TalkLine]
    line: str

    @property
    def span(self) -> int:
        """Return the days the strip covers."""
        return (self.end - self.start).days + 1

    def x(self, day: date) -> float:
        """Return where a day sits on the strip, from 0 to 1000."""
        return round((day - self.start).days * 1000 / self.span, 1)

    def box(self, segment: Segment) -> tuple[float, float]:
        """Return a stretch's left edge and width on the strip (0 to 1000), a day at least visible."""
        width = max(round(segment.days * 1000 / self.span, 1), MIN_WIDTH)
        return min(self.x(segment.start), 1000 - width), width

    @property
    def year_marks(self) -> list[date]:
        """Return the new year's days the strip crosses (its scale)."""
        return [date(y, 1, 1) for y in range(self.start.year + 1, self.end.year + 1)]


def record_days(cadre_id: int) -> dict[str, list[date]]:
    """Return the day of each of the cadre's records, by kind (one query for every kind)."""
    # A day and an instant are two columns (each NULL in the other kinds' rows): PostgreSQL
    # cannot put a date and a timestamp in one.
    on_day = next(d for _c, d, instant in DATED.values() if not instant)
    at = next(d for _c, d, instant in DATED.values() if instant)
    parts = [
        sa.select(
            sa.literal(kind).label("kind"),
            sa.cast(sa.null(), on_day.type) if instant else dated,
            dated if instant else sa.cast(sa.null(), at.type),
        ).where(column == cadre_id)
        for kind, (column, dated, instant) in DATED.items()
    ]
    days: dict[str, list[date]] = {kind: [] for kind in DATED}
    for kind, day, instant in db.session.execute(sa.union_all(*parts)):
        days[kind].append(clock.to_org(instant).date() if day is None else day)
    return days


def yearly_counts(days: Mapping[str, Sequence[date]]) -> list[tuple[int, dict[str, int]]]:
    """Count the records by kind for each year that has any, newest year first."""
    years: dict[int, dict[str, int]] = {}
    for kind, kind_days in days.items():
        for day in kind_days:
            years.setdefault(day.year, dict.fromkeys(PORTRAIT_KINDS, 0))[kind] += 1
    return sorted(years.items(), reverse=True)


def recent_counts(days: Mapping[str, Sequence[date]], today: date) -> dict[str, int]:
    """Count the records by kind over the 12 months up to today, as `portraits` does."""
    since = today - timedelta(days=365)
    return {kind: sum(1 for day in days.get(kind, ()) if day >= since) for kind in PORTRAIT_KINDS}


def talk_lines(cadre: Cadre, user: User) -> list[TalkLine]:
    """Return the cadre's latest talks the user may see, each with its follow-up's state."""
    talks = cadre_talks(cadre, user)[:TALKS_SHOWN]
    owed: dict[int, str] = {}
    if talks:
        rows = db.session.execute(
            sa.select(Obligation.subject_id, Obligation.closed_at)
            .where(
                Obligation.kind == ObligationKind.FOLLOW_UP_DUE,
                Obligation.subject_type == "talk",
                Obligation.subject_id.in_([t.id for t in talks]),
            )
            .order_by(Obligation.id)
        )
        for talk_id, closed_at in rows:
            owed[talk_id] = "done" if closed_at is not None else "open"
    return [TalkLine(t, owed.get(t.id, "")) for t in talks]


def cadre_portrait(cadre: Cadre, user: User, today: date) -> Portrait:
    """Gather the cadre's 画像 for the profile (a fixed number of queries)."""
    start = today - timedelta(days=STRIP_DAYS - 1)
    strip = colour_strip(_histories(cadre, user), start, today)
    days = record_days(cadre.id)
    return Portrait(
        start=start,
        end=today,
        strip=strip,
        years=yearly_counts(days),
        influences=cadre_panel(cadre, user).influences,
        talks=talk_lines(cadre, user),
        line=portrait_text(recent_counts(days, today)),
    )
