"""The simulated-year table of obligations: each case's terms and the days its stages fire.

Shared by the pure rules' tests (tests/workflows/test_obligations.py) and the database
sweep's (tests/webapp/obligations/test_services.py); the days were counted by hand over the
2026 holidays and adjusted workdays.
"""

from __future__ import annotations

from datetime import date

from workflows.calendar import WorkCalendar
from workflows.obligations import (
    ObligationKind,
    Stage,
    Terms,
)

CAL = WorkCalendar()
K = ObligationKind
Y, D, OV = Stage.YELLOW, Stage.DUE, Stage.OVERDUE
FIRST_DAY, LAST_DAY = date(2025, 12, 1), date(2026, 12, 31)


def span(start: date, due: date) -> int:
    """Return the working days a month-based limit spans, as an area would store them."""
    return CAL.workdays_between(start, due)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


# (case, terms, the day each stage fires). Workday-counted dues are start + total + paused.
CASES = [
    (
        "书面检查 5 days over 元旦, the worked Sunday counts",
        Terms(K.SELF_CRITICISM_DUE, d(12, 30, 2025), d(1, 7), 5),
        {Y: d(1, 5), D: d(1, 7), OV: d(1, 8)},
    ),
    (
        "函询 reply 15 days over 春节 with both worked Saturdays",
        Terms(K.INQUIRY_REPLY_DUE, d(2, 6), d(3, 5), 15),
        {Y: d(2, 25), D: d(3, 5), OV: d(3, 6)},
    ),
    (
        "action 10 days with 3 paused: the 黄灯 day moves by the pause",
        Terms(K.ACTION_DUE, d(3, 2), d(3, 19), 10, paused_workdays=3),
        {Y: d(3, 12), D: d(3, 19), OV: d(3, 20)},
    ),
    (
        "approval waiting 3 days over 劳动节: overdue on the worked Saturday",
        Terms(K.APPROVAL_WAITING, d(4, 30), d(5, 8), 3),
        {Y: d(5, 7), D: d(5, 8), OV: d(5, 9)},
    ),
    (
        "回访 due on the worked Sunday before 国庆",
        Terms(K.FOLLOW_UP_DUE, d(6, 20), d(9, 20), span(d(6, 20), d(9, 20))),
        {Y: d(8, 5), D: d(9, 20), OV: d(9, 21)},
    ),
    (
        "verification 15 days across 中秋 and 国庆 with both 调休 days",
        Terms(K.VERIFICATION_DUE, d(9, 18), d(10, 15), 15),
        {Y: d(9, 30), D: d(10, 15), OV: d(10, 16)},
    ),
    (
        "action due the day before 国庆: overdue fires after the holiday",
        Terms(K.ACTION_DUE, d(9, 16), d(9, 30), 10),
        {Y: d(9, 22), D: d(9, 30), OV: d(10, 8)},
    ),
    (
        "书面检查 5 days into 国庆's worked Saturday",
        Terms(K.SELF_CRITICISM_DUE, d(9, 29), d(10, 12), 5),
        {Y: d(10, 9), D: d(10, 12), OV: d(10, 13)},
    ),
    (
        "rectification report 6 months, due on 国庆 day: fires on the next working day",
        Terms(K.RECTIFICATION_REPORT_DUE, d(4, 1), d(10, 1), span(d(4, 1), d(10, 1))),
        {Y: d(7, 3), D: d(10, 8), OV: d(10, 9)},
    ),
    (
        "influence ends in 国庆: notice 30 days ahead off a Saturday, no overdue stage",
        Terms(K.INFLUENCE_ENDING, d(1, 5), d(10, 5), span(d(1, 5), d(10, 5))),
        {Y: d(9, 7), D: d(10, 8)},
    ),
    (
        "review 10 days in December",
        Terms(K.REVIEW_DUE, d(12, 1), d(12, 15), 10),
        {Y: d(12, 8), D: d(12, 15), OV: d(12, 16)},
    ),
    (
        "必谈 recorded on 2026-11-20",
        Terms(K.MANDATORY_TALK, d(11, 20), d(12, 18), 20),
        {Y: d(12, 4), D: d(12, 18), OV: d(12, 21)},
    ),
    (
        "acknowledged for Fri Oct 9: lapses on the worked Saturday, escalates 3 days later",
        Terms(K.VERIFICATION_DUE, d(9, 18), d(10, 15), 15, acknowledged_plan_on=d(10, 9)),
        {
            Y: d(9, 30),
            Stage.ACK_LAPSED: d(10, 10),
            Stage.ACK_ESCALATED: d(10, 14),
            D: d(10, 15),
            OV: d(10, 16),
        },
    ),
]
