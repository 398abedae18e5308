"""A fortnight of supervision work in two districts, and the 双周研判 series that reviews it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import time_machine

from tests.factories import make_cadre, make_report, make_user
from tests.helpers import act, approve_all, issue
from webapp.extensions import db as _db
from webapp.meetings.scheduling import create_due_meetings
from webapp.models import Cadre, DataScope, NegativeInfo, User, Warning
from webapp.models.meetings import Meeting, MeetingSeries
from webapp.warnings import services

# 双周研判 falls on the 1st and 16th at 02:00 UTC (10:00 in Shanghai).
SERIES_START = datetime(2026, 11, 10, 1, 0, tzinfo=UTC)
EARLY = datetime(2026, 11, 12, 2, 0, tzinfo=UTC)
IN_WINDOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
DUE_AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 2, 5, tzinfo=UTC)


@dataclass
class Rhythm:
    """The records and people the tests look at."""

    secretary: User
    district_secretary: User
    attendee: User
    young: Cadre
    new_item: NegativeInfo
    old_item: NegativeInfo
    far_item: NegativeInfo
    young_item: NegativeInfo
    verified: NegativeInfo
    warning: Warning
    old_warning: Warning
    far_warning: Warning
    province: MeetingSeries
    district: MeetingSeries


def issue_far(world, cadre, tier: int = 1) -> Warning:
    """Issue a warning for a cadre of the other district (its own supervisor proposes it)."""
    warning = services.create_warning(world.outsider, cadre.id, tier, [], "经研判需预警")
    act(warning, "submit", world.outsider)
    approve_all(world, warning)
    return warning


def series(kind: str, unit, secretary, attendees=()) -> MeetingSeries:
    """Create an active meeting series."""
    row = MeetingSeries(kind=kind, unit=unit, secretary=secretary, attendees=list(attendees))
    _db.session.add(row)
    _db.session.flush()
    return row


@pytest.fixture
def rhythm(world) -> Rhythm:
    """Build the fortnight's records at their own times and commit them."""
    secretary = make_user("reviewer", world.root, DataScope.ALL, username="mishu")
    district_secretary = make_user("reviewer", world.other, DataScope.UNIT_AND_BELOW)
    attendee = make_user("approver", world.root, DataScope.ALL)
    with time_machine.travel(SERIES_START, tick=False):
        province = series("biweekly", world.root, secretary, [attendee, world.reviewer])
        district = series("biweekly", world.other, district_secretary)
        young = make_cadre(world.other, "赵青年", is_young=True)
    with time_machine.travel(EARLY, tick=False):
        old_item = make_report(world.cadre, received_on=date(2026, 11, 10))
        old_warning = issue(world)
    with time_machine.travel(IN_WINDOW, tick=False):
        new_item = make_report(world.cadre, received_on=date(2026, 11, 20))
        far_item = make_report(world.far_cadre, received_on=date(2026, 11, 25))
        young_item = make_report(young, received_on=date(2026, 11, 22))
        verified = make_report(
            world.cadre,
            received_on=date(2026, 11, 2),
            status="true",
            verification_started_on=date(2026, 11, 3),
            verified_on=date(2026, 11, 18),
        )
        warning = issue(world, cadre=world.cadre)
        far_warning = issue_far(world, world.far_cadre)
    _db.session.commit()
    return Rhythm(
        secretary=secretary,
        district_secretary=district_secretary,
        attendee=attendee,
        young=young,
        new_item=new_item,
        old_item=old_item,
        far_item=far_item,
        young_item=young_item,
        verified=verified,
        warning=warning,
        old_warning=old_warning,
        far_warning=far_warning,
        province=province,
        district=district,
    )


@pytest.fixture
def meetings(rhythm) -> dict[str, Meeting]:
    """Let the scheduler's work create the 1 December meetings; return them by series."""
    with time_machine.travel(NOW, tick=False):
        create_due_meetings(NOW)
        _db.session.commit()
    found = _db.session.query(Meeting).all()
    by_series = {m.series_id: m for m in found}
    return {"province": by_series[rhythm.province.id], "district": by_series[rhythm.district.id]}
