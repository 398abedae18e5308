"""Play the demo's stories through the real services, each step on the day it happened.

The services stamp today and now themselves (deadlines, history, numbers), so each step runs
with the clock moved to its moment (time travel, the way the tests move it). A story is a
generator that yields the moment of its next step and then performs it; the player runs all
stories interleaved in time order, so numbers (FM-, YJ-, HY-) follow the calendar.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import time_machine
from flask import current_app

from webapp.clock import org_zone
from workflows.calendar import WorkCalendar

Story = Iterator[datetime]


@dataclass
class Days:
    """Working days counted back from today, and moments on them in the organisation's zone."""

    today: date
    cal: WorkCalendar
    back: list[date] = field(default_factory=list)

    def __post_init__(self) -> None:
        day = self.today
        while len(self.back) < 320:  # about fifteen months of working days
            if self.cal.is_workday(day):
                self.back.append(day)
            day -= timedelta(days=1)

    def ago(self, workdays: int) -> date:
        """Return the working day `workdays` working days before today (0: today or the last)."""
        return self.back[workdays]

    def at(self, workdays: int, hour: int = 10, minute: int = 0) -> datetime:
        """Return a moment on the working day `workdays` working days ago."""
        return self.moment(self.ago(workdays), hour, minute)

    def moment(self, day: date, hour: int = 10, minute: int = 0) -> datetime:
        """Return a moment on a day in the organisation's zone."""
        return datetime.combine(day, time(hour, minute), tzinfo=org_zone())


def play(stories: list[Story], now: datetime) -> None:
    """Run the stories interleaved in time order; no step runs later than `now`.

    Each step runs in its own app context, as one request would: its own session, its own
    cached parameters and dictionaries, nothing expired carried over from the step before.
    """
    app = current_app._get_current_object()
    queue: list[tuple[datetime, int, Story]] = []

    def advance(index: int, story: Story) -> None:
        moment = next(story, None)
        if moment is not None:
            heapq.heappush(queue, (min(moment, now), index, story))

    for index, story in enumerate(stories):
        advance(index, story)  # a story yields its first moment before doing anything
    while queue:
        moment, index, story = heapq.heappop(queue)
        with time_machine.travel(moment, tick=False), app.app_context():
            advance(index, story)
