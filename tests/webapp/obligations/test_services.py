"""Obligation services on SQLite and PostgreSQL: open, update, close, what is due, firing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from tests.factories import make_cadre, make_unit, make_user
from tests.helpers import DUE, ISSUED, open_inquiry
from tests.obligation_cases import CASES, FIRST_DAY, LAST_DAY
from webapp.holidays.services import work_calendar
from webapp.models import Obligation
from webapp.obligations import services
from workflows.deadlines import Light
from workflows.obligations import ObligationKind, Stage, mandatory_talk

K = ObligationKind


@pytest.fixture
def cadre(db):
    return make_cadre(make_unit())


def test_open_schedules_the_yellow_stage(db, cadre):
    user = make_user("supervisor", cadre.unit)
    obligation = open_inquiry(cadre, responsible_user_id=user.id)
    db.session.flush()
    db.session.expire_all()
    stored = db.session.get(Obligation, obligation.id)
    assert stored.kind is K.INQUIRY_REPLY_DUE
    assert stored.next_fire_on == date(2026, 2, 25)
    assert stored.fired == set()
    assert stored.responsible_user == user
    assert stored.closed_at is None


def test_opening_again_updates_the_one_open_row(db, cadre):
    first = open_inquiry(cadre)
    again = open_inquiry(cadre, due=date(2026, 3, 10), total_workdays=18)
    db.session.flush()
    assert again is first
    rows = db.session.scalars(select(Obligation).where(Obligation.subject_type == "inquiry"))
    assert [(r.due_on, r.total_workdays) for r in rows] == [(date(2026, 3, 10), 18)]


def test_a_second_open_row_for_the_subject_is_refused_by_the_database(db, cadre):
    open_inquiry(cadre)
    db.session.flush()
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.add(
            Obligation(
                kind=K.INQUIRY_REPLY_DUE,
                subject_type="inquiry",
                subject_id=1,
                cadre_id=cadre.id,
                start_on=ISSUED,
                due_on=DUE,
                due_workday=DUE,
                total_workdays=15,
            )
        )
        db.session.flush()


def test_closed_subject_can_owe_the_same_kind_again(db, cadre):
    first = open_inquiry(cadre)
    closed = services.close_obligation(
        K.INQUIRY_REPLY_DUE, "inquiry", 1, datetime(2026, 2, 10, 2, tzinfo=UTC)
    )
    db.session.flush()
    assert closed is first
    assert first.next_fire_on is None
    second = open_inquiry(cadre, start=date(2026, 3, 9), due=date(2026, 3, 30))
    db.session.flush()
    assert second is not first
    assert services.find_open(K.INQUIRY_REPLY_DUE, "inquiry", 1) is second
    assert services.light(first, date(2026, 3, 9)) is None


def test_close_without_an_open_row_returns_none(db):
    assert services.close_obligation(K.REVIEW_DUE, "warning", 99, datetime.now(UTC)) is None


def test_due_to_fire_selects_only_what_has_come_and_is_open(db, cadre):
    early = open_inquiry(cadre, subject_id=1)
    later = open_inquiry(cadre, subject_id=2, start=date(2026, 3, 2), due=date(2026, 3, 23))
    closed = open_inquiry(cadre, subject_id=3)
    services.close_obligation(K.INQUIRY_REPLY_DUE, "inquiry", 3, datetime.now(UTC))
    db.session.flush()
    assert services.due_to_fire(date(2026, 2, 24)) == []
    assert services.due_to_fire(date(2026, 2, 25)) == [early]
    assert later.next_fire_on == date(2026, 3, 12)
    assert services.due_to_fire(date(2026, 3, 12)) == [early, later]
    assert closed not in services.due_to_fire(date(2026, 12, 31))
    assert services.due_to_fire(date(2026, 3, 12), limit=1) == [early]


def test_sweeping_day_by_day_fires_each_stage_once(db, cadre):
    obligation = open_inquiry(cadre)
    db.session.flush()
    fired = []
    day = ISSUED
    while day <= date(2026, 3, 31):
        for due in services.due_to_fire(day):
            for stage in services.stages_to_fire(due, day):
                assert services.mark_fired(due, stage, day)
                fired.append((stage, day))
        db.session.flush()
        day = date.fromordinal(day.toordinal() + 1)
    assert fired == [
        (Stage.YELLOW, date(2026, 2, 25)),
        (Stage.DUE, DUE),
        (Stage.OVERDUE, date(2026, 3, 6)),
    ]
    db.session.expire_all()
    stored = db.session.get(Obligation, obligation.id)
    assert stored.next_fire_on is None
    assert stored.fired_stages == {
        "yellow": "2026-02-25",
        "due": "2026-03-05",
        "overdue": "2026-03-06",
    }


def test_mark_fired_twice_is_a_no_op_and_a_stage_not_yet_due_is_refused(db, cadre):
    obligation = open_inquiry(cadre)
    assert services.mark_fired(obligation, Stage.YELLOW, date(2026, 2, 25))
    assert not services.mark_fired(obligation, Stage.YELLOW, date(2026, 2, 26))
    assert obligation.next_fire_on == DUE
    with pytest.raises(ValueError, match="not due"):
        services.mark_fired(obligation, Stage.DUE, date(2026, 3, 4))


def test_moving_the_due_date_owes_again_a_stage_now_in_the_future(db, cadre):
    obligation = open_inquiry(cadre)
    for stage, day in ((Stage.YELLOW, date(2026, 2, 25)), (Stage.DUE, DUE)):
        services.mark_fired(obligation, stage, day)
    # Paused 3 working days on Mar 5: due Tue Mar 10, so the due reminder is owed again.
    open_inquiry(cadre, due=date(2026, 3, 10), paused_workdays=3, today=DUE)
    assert obligation.fired == {Stage.YELLOW}
    assert obligation.next_fire_on == date(2026, 3, 10)


def test_acknowledged_plan_is_watched_and_a_new_plan_starts_afresh(db, cadre):
    obligation = open_inquiry(cadre)
    services.mark_fired(obligation, Stage.YELLOW, date(2026, 2, 25))
    services.acknowledge(obligation, date(2026, 2, 26), today=date(2026, 2, 25))
    assert obligation.next_fire_on == date(2026, 2, 27)
    services.mark_fired(obligation, Stage.ACK_LAPSED, date(2026, 2, 27))
    # Escalation 3 working days after the lapse: Sat Feb 28 (worked), Mar 2, Mar 3.
    assert obligation.next_fire_on == date(2026, 3, 3)
    services.acknowledge(obligation, date(2026, 3, 4), today=date(2026, 2, 27))
    assert obligation.fired == {Stage.YELLOW}
    assert obligation.next_fire_on == DUE


def test_light_reads_the_reminder_parameter(db, cadre):
    obligation = open_inquiry(cadre)
    assert services.light(obligation, date(2026, 2, 24)) is Light.GREEN
    assert services.light(obligation, date(2026, 2, 25)) is Light.YELLOW
    assert services.light(obligation, date(2026, 3, 6)) is Light.RED


def test_services_never_commit(db, cadre, monkeypatch):
    def refuse():
        raise AssertionError("a service committed")

    monkeypatch.setattr(db.session, "commit", refuse)
    obligation = open_inquiry(cadre)
    services.due_to_fire(date(2026, 2, 25))
    services.mark_fired(obligation, Stage.YELLOW, date(2026, 2, 25))
    services.acknowledge(obligation, date(2026, 3, 2), today=date(2026, 2, 25))
    services.close_obligation(K.INQUIRY_REPLY_DUE, "inquiry", 1, datetime.now(UTC))
    assert obligation.closed_at is not None


def test_mandatory_talk_for_an_event_recorded_on_2026_11_20(db, cadre):
    terms = mandatory_talk(date(2026, 11, 20), True, work_calendar())
    obligation = services.open_from_terms(
        terms,
        subject_type="cadre_event",
        subject_id=7,
        cadre_id=cadre.id,
        today=date(2026, 11, 20),
        step_role="supervisor",
    )
    db.session.flush()
    assert (obligation.kind, obligation.due_on) == (K.MANDATORY_TALK, date(2026, 12, 18))
    assert (obligation.step_role, obligation.responsible_user_id) == ("supervisor", None)
    assert obligation.provisional is False
    assert obligation.next_fire_on == date(2026, 12, 4)


def test_due_query_reads_the_next_fire_index(app, db):
    if app.config["DB_KIND"] != "sqlite":
        pytest.skip("the PostgreSQL planner scans a small table whole; the benchmark measures it")
    compiled = (
        select(Obligation)
        .where(Obligation.next_fire_on <= date(2026, 3, 1), Obligation.closed_at.is_(None))
        .compile(db.engine, compile_kwargs={"literal_binds": True})
    )
    plan = db.session.execute(sa.text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    assert any("ix_obligation_next_fire_on" in str(row) for row in plan), plan


def test_a_year_of_daily_sweeps_over_every_kind_fires_each_stage_once(db, cadre):
    opened = {}
    for n, (_case, terms, expected) in enumerate(CASES, start=1):
        obligation = services.open_from_terms(
            terms, subject_type="case", subject_id=n, cadre_id=cadre.id, today=terms.start
        )
        if terms.acknowledged_plan_on:
            services.acknowledge(obligation, terms.acknowledged_plan_on, today=terms.start)
        opened[n] = (obligation, expected)
    db.session.flush()
    log = {n: [] for n in opened}
    day = FIRST_DAY
    while day <= LAST_DAY:
        for obligation in services.due_to_fire(day):
            stages = services.stages_to_fire(obligation, day)
            assert stages, f"{obligation} selected on {day} for nothing"
            for stage in stages:
                assert services.mark_fired(obligation, stage, day)
                log[obligation.subject_id].append((stage, day))
        db.session.flush()
        day += timedelta(days=1)
    for n, (obligation, expected) in opened.items():
        assert log[n] == sorted(expected.items(), key=lambda item: item[1]), CASES[n - 1][0]
        assert obligation.next_fire_on is None


def test_a_due_date_on_a_weekend_is_met_by_the_next_working_day_in_sql_too(db, cadre):
    saturday, monday = date(2026, 11, 28), date(2026, 11, 30)
    obligation = open_inquiry(cadre, start=date(2026, 11, 9), due=saturday, today=saturday)
    assert obligation.due_workday == monday

    def overdue_on(day: date) -> list[Obligation]:
        return db.session.scalars(select(Obligation).where(services.overdue(day))).all()

    assert overdue_on(monday) == []
    assert services.light(obligation, monday) is Light.YELLOW
    assert overdue_on(monday + timedelta(days=1)) == [obligation]
    assert services.light(obligation, monday + timedelta(days=1)) is Light.RED
