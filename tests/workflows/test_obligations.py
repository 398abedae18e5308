"""Reminder rules over a simulated year with frozen time: 2026 holidays and adjusted workdays.

2026 as chinese_calendar has it: 元旦 Jan 1–3 (Sun Jan 4 worked), 春节 Feb 15–23 (Sat Feb 14 and
Sat Feb 28 worked), 清明 Apr 6, 劳动节 May 1–5 (Sat May 9 worked), 端午 Jun 19, 中秋 Sep 25,
国庆 Oct 1–7 (Sun Sep 20 and Sat Oct 10 worked).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest

from tests.obligation_cases import CAL, CASES, FIRST_DAY, LAST_DAY, OV, D, K, Y, d
from workflows.deadlines import Light, light
from workflows.obligations import (
    ObligationKind,
    Policy,
    Stage,
    Terms,
    light_of,
    mandatory_talk,
    next_fire_on,
    stage_days,
    stages_still_fired,
    stages_to_fire,
)

IDS = [case[0] for case in CASES]
WORKDAY_COUNTED = [
    case
    for case in CASES
    if case[1].kind is not K.INFLUENCE_ENDING
    and case[1].due
    == CAL.add_workdays(case[1].start, case[1].total_workdays + case[1].paused_workdays).due
]


def days_of_simulation():
    day = FIRST_DAY
    while day <= LAST_DAY:
        yield day
        day += timedelta(days=1)


def simulate(terms: Terms) -> list[tuple[Stage, date]]:
    """Step a daily sweep through the year; return each firing in order."""
    fired: set[Stage] = set()
    log: list[tuple[Stage, date]] = []
    for today in days_of_simulation():
        due_on = next_fire_on(terms, fired, CAL)
        if due_on is None or due_on > today:
            continue
        stages = stages_to_fire(terms, fired, today, CAL)
        assert stages, f"the sweep looked at {today} for nothing"
        for stage in stages:
            log.append((stage, today))
            fired.add(stage)
    assert next_fire_on(terms, fired, CAL) is None
    return log


def test_every_kind_has_a_case():
    assert {case[1].kind for case in CASES} == set(ObligationKind)


@pytest.mark.parametrize(("case", "terms", "expected"), CASES, ids=IDS)
def test_stage_days(case, terms, expected):
    days = stage_days(terms, CAL)
    assert days == expected
    assert list(days.values()) == sorted(days.values())


@pytest.mark.parametrize(("case", "terms", "expected"), CASES, ids=IDS)
def test_daily_sweep_fires_each_stage_once_on_its_working_day(case, terms, expected):
    log = simulate(terms)
    assert log == sorted(expected.items(), key=lambda item: item[1])
    assert all(CAL.is_workday(day) for _, day in log)


@pytest.mark.parametrize(
    ("case", "terms", "expected"), WORKDAY_COUNTED, ids=[c[0] for c in WORKDAY_COUNTED]
)
def test_light_agrees_with_deadlines_light_every_day(case, terms, expected):
    for today in days_of_simulation():
        assert light_of(terms, today, CAL) is light(
            terms.start, terms.due, today, CAL, terms.paused_workdays
        ), today


@pytest.mark.parametrize(("case", "terms", "expected"), CASES, ids=IDS)
def test_light_turns_yellow_on_the_yellow_stage_and_red_after_the_due_stage(case, terms, expected):
    yellow_from = expected.get(Y, expected[D])
    for today in days_of_simulation():
        if today > expected[D]:
            want = Light.RED
        elif today >= yellow_from:
            want = Light.YELLOW
        else:
            want = Light.GREEN
        assert light_of(terms, today, CAL) is want, today


def test_yellow_percent_is_a_parameter():
    terms = Terms(K.INQUIRY_REPLY_DUE, d(2, 6), d(3, 5), 15)
    # 80% of 15 = 12 working days: Mon Mar 2 (the worked Saturday Feb 28 is the 11th).
    assert stage_days(terms, CAL, Policy(yellow_percent=80))[Y] == d(3, 2)
    assert light_of(terms, d(2, 28), CAL, Policy(yellow_percent=80)) is Light.GREEN
    assert light_of(terms, d(3, 2), CAL, Policy(yellow_percent=80)) is Light.YELLOW


def test_no_yellow_stage_when_it_would_fall_on_the_due_day():
    terms = Terms(K.APPROVAL_WAITING, d(3, 2), d(3, 3), 1)
    assert stage_days(terms, CAL) == {D: d(3, 3), OV: d(3, 4)}
    assert light_of(terms, d(3, 2), CAL) is Light.GREEN
    assert light_of(terms, d(3, 3), CAL) is Light.YELLOW


def test_sweep_back_after_downtime_owes_every_stage_reached_once():
    terms = Terms(K.INQUIRY_REPLY_DUE, d(2, 6), d(3, 5), 15)
    assert next_fire_on(terms, set(), CAL) == d(2, 25)
    assert stages_to_fire(terms, set(), d(3, 9), CAL) == [Y, D, OV]
    assert stages_to_fire(terms, {Y, D, OV}, d(3, 9), CAL) == []
    assert next_fire_on(terms, {Y, D, OV}, CAL) is None


def test_closed_obligation_has_no_light_and_never_fires():
    terms = Terms(K.ACTION_DUE, d(9, 16), d(9, 30), 10, closed=True)
    assert light_of(terms, d(10, 9), CAL) is None
    assert next_fire_on(terms, set(), CAL) is None
    assert stages_to_fire(terms, set(), d(10, 9), CAL) == []


def test_moved_due_date_owes_again_the_stages_it_moved_past_today():
    before = Terms(K.ACTION_DUE, d(9, 16), d(9, 30), 10)
    assert stages_to_fire(before, set(), d(10, 8), CAL) == [Y, D, OV]
    # Five working days of pause move the due date to Oct 12: not overdue any more.
    after = Terms(K.ACTION_DUE, d(9, 16), d(10, 13), 10, paused_workdays=5)
    assert stage_days(after, CAL)[D] == d(10, 13)
    assert stages_still_fired(after, {Y, D, OV}, d(10, 8), CAL) == {Y}
    assert next_fire_on(after, {Y}, CAL) == d(10, 13)


def test_new_planned_date_is_looked_at_again():
    terms = Terms(K.REVIEW_DUE, d(12, 1), d(12, 15), 10)
    fired = {Y}
    assert next_fire_on(terms, fired, CAL) == d(12, 15)
    acknowledged = Terms(K.REVIEW_DUE, d(12, 1), d(12, 15), 10, acknowledged_plan_on=d(12, 10))
    assert next_fire_on(acknowledged, fired, CAL) == d(12, 11)
    assert stage_days(acknowledged, CAL, Policy(ack_escalate_workdays=0))[Stage.ACK_ESCALATED] == d(
        12, 11
    )


def test_mandatory_talk_due_20_working_days_after_the_event_is_recorded():
    terms = mandatory_talk(d(11, 20), True, CAL)
    assert terms == Terms(K.MANDATORY_TALK, d(11, 20), d(12, 18), 20)
    assert terms.provisional is False


def test_mandatory_talk_limit_is_a_parameter_and_only_for_marked_types():
    # Across 国庆: 5 working days from Sep 29 end on Mon Oct 12, the worked Saturday counted.
    assert mandatory_talk(d(9, 29), True, CAL, due_workdays=5).due == d(10, 12)
    assert mandatory_talk(d(11, 20), False, CAL) is None


def test_mandatory_talk_into_a_year_without_holiday_data_is_provisional():
    terms = mandatory_talk(d(12, 20), True, CAL)
    assert terms.provisional is True
    assert terms.due.year == 2027


def test_rules_import_neither_flask_nor_sqlalchemy_nor_the_app():
    code = (
        "import sys, workflows.obligations\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'webapp')]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
