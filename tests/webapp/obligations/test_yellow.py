"""The light in SQL (webapp.obligations.yellow) is the rules' light, every day of a simulated year."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_cadre, make_unit
from tests.obligation_cases import CASES, FIRST_DAY, LAST_DAY, d
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.models import Obligation
from webapp.obligations import services, yellow
from workflows import obligations as rules
from workflows.obligations import ObligationKind, Policy, Terms

K = ObligationKind
# Beside the year's table: a limit of no days (k = 0) starting on a holiday and on a working
# day, a 黄灯 on its start after a long pause, a short influence period inside its notice.
EXTRA = [
    Terms(K.VERIFICATION_DUE, d(10, 3), d(10, 9), 0),
    Terms(K.VERIFICATION_DUE, d(11, 2), d(11, 4), 0),
    Terms(K.ACTION_DUE, d(5, 6), d(6, 3), 1, paused_workdays=18),
    Terms(K.INFLUENCE_ENDING, d(10, 20), d(11, 10), 15),
]


@pytest.fixture
def opened(db):
    cadre = make_cadre(make_unit())
    terms = [t for _case, t, _days in CASES] + EXTRA
    for n, t in enumerate(terms, start=1):
        services.open_from_terms(
            t, subject_type="case", subject_id=n, cadre_id=cadre.id, today=t.start
        )
    db.session.flush()
    return terms


def sql_lights(today: date, policy: Policy) -> dict[int, str]:
    cal = work_calendar()
    stmt = sa.select(Obligation).where(Obligation.closed_at.is_(None))
    days = yellow.yellow_days(today, cal, policy, yellow.horizon(stmt, today, cal, policy))
    rows = db.session.execute(stmt.with_only_columns(Obligation.subject_id, days.light(today)))
    return dict(rows.all())


@pytest.mark.parametrize("percent", [50, 10, 90])
def test_the_light_in_sql_is_the_rules_light_on_every_day(db, opened, percent):
    cal, policy = work_calendar(), Policy(yellow_percent=percent)
    day = FIRST_DAY
    while day <= LAST_DAY:
        expected = {
            n: rules.light_of(t, day, cal, policy).value for n, t in enumerate(opened, start=1)
        }
        assert sql_lights(day, policy) == expected, day
        day += timedelta(days=3 if percent != 50 else 1)
