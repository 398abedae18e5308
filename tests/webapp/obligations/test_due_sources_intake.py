"""The intake areas' due sources: each change opens, moves or closes its obligation row.

核实期限 (negative information), 函询回复 (inquiries), 回访 and 必谈 (talks, career events):
the row is written in the change's own transaction, so a failed commit takes it back too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from tests.factories import make_cadre, make_inquiry, make_report, make_talk
from webapp.cadres import services as cadres
from webapp.extensions import db as _db
from webapp.holidays.services import recompute_provisional, work_calendar
from webapp.inquiries import services as inquiries
from webapp.models import CadreEvent, HolidayDay, HolidayYear, Inquiry, Obligation, Talk
from webapp.negative_info import verification
from webapp.talks import services as talks
from workflows.obligations import ObligationKind

K = ObligationKind


def beijing(day: date, hour: int = 10) -> datetime:
    """Return an instant on a Beijing day (UTC+8) for the frozen clock."""
    return datetime(day.year, day.month, day.day, hour - 8, 0, tzinfo=UTC)


def rows(kind: ObligationKind, subject_type: str, subject_id: int) -> list[Obligation]:
    """Return every obligation row of a kind for a subject, oldest first, as stored."""
    _db.session.flush()
    _db.session.expire_all()
    stmt = select(Obligation).where(
        Obligation.kind == kind,
        Obligation.subject_type == subject_type,
        Obligation.subject_id == subject_id,
    )
    return list(_db.session.scalars(stmt.order_by(Obligation.id)))


def the_open(kind: ObligationKind, subject_type: str, subject_id: int) -> Obligation:
    """Return the one open row for the subject (failing when there is not exactly one)."""
    (row,) = [r for r in rows(kind, subject_type, subject_id) if r.closed_at is None]
    return row


def failing_commit(monkeypatch) -> None:
    """Make the next commit send everything to the database, then fail."""

    def boom():
        _db.session.flush()
        raise RuntimeError("commit failed")

    monkeypatch.setattr(_db.session, "commit", boom)


def add_year_2027_holidays() -> None:
    """Give 2027 holiday data (元旦 and a week off), which turns provisional counts final."""
    if work_calendar().is_known_year(2027):
        pytest.skip("the calendar package already knows 2027")
    _db.session.add(HolidayYear(year=2027))
    for day in [date(2027, 1, 1), *(date(2027, 1, d) for d in range(4, 9))]:
        _db.session.add(HolidayDay(day=day, is_workday=False, name="测试假日"))
    _db.session.flush()


# ---------------------------------------------------------------- 核实期限


@time_machine.travel(beijing(date(2026, 3, 10)), tick=False)
def test_verification_start_opens_the_due_for_the_handler(db, world):
    info = make_report(world.cadre, source_channel="petition")  # 15 working days
    verification.start_verification(info, world.supervisor, world.supervisor.id, info.version)
    row = the_open(K.VERIFICATION_DUE, "negative_info", info.id)
    assert (row.start_on, row.due_on, row.total_workdays) == (
        date(2026, 3, 10),
        date(2026, 3, 31),
        15,
    )
    assert row.due_on == info.verification_due
    assert row.responsible_user_id == world.supervisor.id
    assert row.cadre_id == world.cadre.id
    assert row.next_fire_on is not None
    assert len(rows(K.VERIFICATION_DUE, "negative_info", info.id)) == 1


@time_machine.travel(beijing(date(2026, 3, 10)), tick=False)
def test_conclusion_closes_the_due_and_reverification_opens_a_fresh_one(db, world):
    info = make_report(world.cadre, source_channel="petition")
    verification.start_verification(info, world.supervisor, world.supervisor.id, info.version)
    verification.conclude_verification(
        info, world.supervisor, "true", date(2026, 3, 10), "属实", info.version
    )
    (closed,) = rows(K.VERIFICATION_DUE, "negative_info", info.id)
    assert closed.closed_at is not None
    assert closed.next_fire_on is None

    verification.reopen_verification(info, world.supervisor, "新线索", info.version)
    first, again = rows(K.VERIFICATION_DUE, "negative_info", info.id)
    assert first.closed_at is not None and again.closed_at is None
    assert again.due_on == info.verification_due
    assert again.responsible_user_id == world.supervisor.id


@time_machine.travel(beijing(date(2026, 3, 10)), tick=False)
def test_failed_conclusion_keeps_the_due_open(db, world, monkeypatch):
    info = make_report(world.cadre, source_channel="petition")
    verification.start_verification(info, world.supervisor, world.supervisor.id, info.version)
    failing_commit(monkeypatch)
    with pytest.raises(RuntimeError):
        verification.conclude_verification(
            info, world.supervisor, "true", date(2026, 3, 10), "属实", info.version
        )
    _db.session.rollback()
    monkeypatch.undo()
    assert _db.session.get(type(info), info.id).status == "verifying"
    assert the_open(K.VERIFICATION_DUE, "negative_info", info.id).due_on == date(2026, 3, 31)


@time_machine.travel(beijing(date(2026, 12, 30)), tick=False)
def test_holiday_data_moves_the_verification_due(app, db, world):
    info = make_report(world.cadre, source_channel="petition", received_on=date(2026, 12, 20))
    verification.start_verification(
        info, world.supervisor, world.supervisor.id, info.version, started_on=date(2026, 12, 29)
    )
    before = the_open(K.VERIFICATION_DUE, "negative_info", info.id)
    assert before.provisional
    add_year_2027_holidays()
    with app.test_request_context():
        recompute_provisional()
        expected = work_calendar().add_workdays(date(2026, 12, 29), 15).due
    row = the_open(K.VERIFICATION_DUE, "negative_info", info.id)
    assert row.id == before.id
    assert row.due_on == expected == _db.session.get(type(info), info.id).verification_due
    assert not row.provisional


# ---------------------------------------------------------------- 函询回复


def new_inquiry(world, issued_on: date) -> Inquiry:
    data = {"issued_on": issued_on, "matters": "请说明有关情况"}
    return inquiries.create_inquiry(world.supervisor, world.cadre, data)


@time_machine.travel(beijing(date(2026, 11, 2)), tick=False)
def test_issuing_an_inquiry_opens_the_reply_due_for_its_creator(db, world):
    inquiry = new_inquiry(world, date(2026, 11, 2))
    row = the_open(K.INQUIRY_REPLY_DUE, "inquiry", inquiry.id)
    assert (row.start_on, row.due_on, row.total_workdays) == (
        date(2026, 11, 2),
        inquiry.reply_due,
        15,
    )
    assert row.due_on == date(2026, 11, 23)
    assert row.responsible_user_id == world.supervisor.id


@time_machine.travel(beijing(date(2026, 11, 4)), tick=False)
def test_a_new_issue_date_moves_the_reply_due_and_the_reply_closes_it(db, world):
    inquiry = new_inquiry(world, date(2026, 11, 2))
    first = the_open(K.INQUIRY_REPLY_DUE, "inquiry", inquiry.id)
    inquiries.update_inquiry(
        inquiry, world.cadre, {"issued_on": date(2026, 11, 4), "matters": "改"}
    )
    moved = the_open(K.INQUIRY_REPLY_DUE, "inquiry", inquiry.id)
    assert moved.id == first.id
    assert moved.due_on == inquiry.reply_due == date(2026, 11, 25)

    reply = {"replied_on": date(2026, 11, 4), "reply": "情况如下", "pledge_received_on": None}
    inquiries.record_reply(inquiry, reply)
    (closed,) = rows(K.INQUIRY_REPLY_DUE, "inquiry", inquiry.id)
    assert closed.closed_at is not None


@time_machine.travel(beijing(date(2026, 11, 4)), tick=False)
def test_a_failed_reply_rolls_the_closing_back(db, world, monkeypatch):
    inquiry = new_inquiry(world, date(2026, 11, 2))
    failing_commit(monkeypatch)
    reply = {"replied_on": date(2026, 11, 4), "reply": "情况如下", "pledge_received_on": None}
    with pytest.raises(RuntimeError):
        inquiries.record_reply(inquiry, reply)
    _db.session.rollback()
    monkeypatch.undo()
    assert _db.session.get(Inquiry, inquiry.id).replied_on is None
    assert the_open(K.INQUIRY_REPLY_DUE, "inquiry", inquiry.id).due_on == date(2026, 11, 23)


@time_machine.travel(beijing(date(2026, 11, 10)), tick=False)
def test_another_round_opens_its_own_reply_due(db, world):
    inquiry = new_inquiry(world, date(2026, 11, 2))
    inquiries.record_reply(
        inquiry, {"replied_on": date(2026, 11, 9), "reply": "答", "pledge_received_on": None}
    )
    data = {"conclusion": "again", "concluded_on": date(2026, 11, 10), "conclusion_note": ""}
    second = inquiries.conclude(inquiry, world.supervisor, data)
    row = the_open(K.INQUIRY_REPLY_DUE, "inquiry", second.id)
    assert row.due_on == second.reply_due
    assert [r.closed_at is not None for r in rows(K.INQUIRY_REPLY_DUE, "inquiry", inquiry.id)] == [
        True
    ]


@time_machine.travel(beijing(date(2026, 11, 10)), tick=False)
def test_an_inquiry_sent_to_verification_closes_its_reply_due_and_opens_the_items(db, world):
    inquiry = new_inquiry(world, date(2026, 11, 2))
    data = {"conclusion": "preliminary", "concluded_on": date(2026, 11, 10), "conclusion_note": ""}
    inquiries.conclude(inquiry, world.supervisor, data)
    (closed,) = rows(K.INQUIRY_REPLY_DUE, "inquiry", inquiry.id)
    assert closed.closed_at is not None
    row = the_open(K.VERIFICATION_DUE, "negative_info", inquiry.negative_info_id)
    assert row.start_on == date(2026, 11, 10)
    assert row.due_on == inquiry.negative_info.verification_due
    assert row.responsible_user_id == world.supervisor.id


@time_machine.travel(beijing(date(2026, 12, 30)), tick=False)
def test_holiday_data_moves_the_reply_due(app, db, world):
    inquiry = new_inquiry(world, date(2026, 12, 29))
    assert the_open(K.INQUIRY_REPLY_DUE, "inquiry", inquiry.id).provisional
    add_year_2027_holidays()
    with app.test_request_context():
        recompute_provisional()
        expected = work_calendar().add_workdays(date(2026, 12, 29), 15).due
    row = the_open(K.INQUIRY_REPLY_DUE, "inquiry", inquiry.id)
    assert row.due_on == expected == _db.session.get(Inquiry, inquiry.id).reply_due
    assert not row.provisional


# ---------------------------------------------------------------- 回访 and 必谈


def talk_data(day: date, **changes) -> dict:
    """Return what the talk form hands the service, for a talk on a Beijing day."""
    return {
        "talk_type": "reminder",
        "occasion": "",
        "note_taker_name": "赵记录",
        "note_taker_position": "",
        "started_at": beijing(day, 9),
        "ended_at": beijing(day, 10),
        "place": "谈话室",
        "mode": "in_person",
        "reason": "事由",
        "content": "内容",
        "statement": "",
        "rectification": "",
        "follow_up_on": None,
        "acknowledged_on": None,
        "acknowledged_by": "",
        "interviewers": [{"name": "李谈话", "position": "副部长"}],
        **changes,
    }


def record_talk(world, day: date, cadre=None, **changes) -> Talk:
    return talks.create_talk(
        world.supervisor, cadre or world.cadre, talk_data(day, **changes), talks.TalkLinks()
    )


@time_machine.travel(beijing(date(2026, 11, 20)), tick=False)
def test_a_talk_opens_its_follow_up_due_for_its_creator(db, world):
    talk = record_talk(world, date(2026, 11, 20), follow_up_on=date(2027, 2, 22))
    row = the_open(K.FOLLOW_UP_DUE, "talk", talk.id)
    assert (row.start_on, row.due_on) == (date(2026, 11, 20), date(2027, 2, 22))
    assert row.responsible_user_id == world.supervisor.id
    assert row.total_workdays == work_calendar().workdays_between(
        date(2026, 11, 20), date(2027, 2, 22)
    )


@time_machine.travel(beijing(date(2026, 11, 23)), tick=False)
def test_editing_the_follow_up_date_moves_the_due_and_clearing_it_closes_it(db, world):
    talk = record_talk(world, date(2026, 11, 20), follow_up_on=date(2027, 2, 22))
    first = the_open(K.FOLLOW_UP_DUE, "talk", talk.id)
    data = talk_data(date(2026, 11, 20), follow_up_on=date(2027, 3, 1))
    talks.update_talk(talk, world.supervisor, world.cadre, data, talks.TalkLinks())
    moved = the_open(K.FOLLOW_UP_DUE, "talk", talk.id)
    assert (moved.id, moved.due_on) == (first.id, date(2027, 3, 1))

    # A talk type with no follow-up practice and no date: nothing is owed any more.
    data = talk_data(date(2026, 11, 20), talk_type="commendation", follow_up_on=None)
    talks.update_talk(talk, world.supervisor, world.cadre, data, talks.TalkLinks())
    assert talk.follow_up_on is None
    (closed,) = rows(K.FOLLOW_UP_DUE, "talk", talk.id)
    assert closed.closed_at is not None


@time_machine.travel(beijing(date(2027, 2, 22)), tick=False)
def test_a_later_talk_with_the_cadre_is_the_follow_up(db, world):
    first = record_talk(world, date(2026, 11, 20), follow_up_on=date(2027, 2, 22))
    other = record_talk(world, date(2026, 11, 20), world.far_cadre, follow_up_on=date(2027, 2, 22))
    same_day = record_talk(world, date(2026, 11, 20), talk_type="other")
    assert the_open(K.FOLLOW_UP_DUE, "talk", first.id)  # a talk the same day is no 回访

    later = record_talk(world, date(2027, 2, 22), talk_type="other")
    (closed,) = rows(K.FOLLOW_UP_DUE, "talk", first.id)
    assert closed.closed_at is not None
    assert the_open(K.FOLLOW_UP_DUE, "talk", other.id)  # another cadre's stays open
    assert rows(K.FOLLOW_UP_DUE, "talk", same_day.id) == []
    assert rows(K.FOLLOW_UP_DUE, "talk", later.id) == []


def record_event(world, kind: str, cadre=None) -> CadreEvent:
    data = {
        "kind": kind,
        "occurred_on": date(2026, 11, 18),
        "description": "",
        "document_number": "",
    }
    return cadres.add_event(cadre or world.cadre, world.supervisor, data)


@time_machine.travel(beijing(date(2026, 11, 20)), tick=False)
def test_a_mandatory_event_opens_a_talk_due_twenty_workdays_after_it_is_recorded(db, world):
    event = record_event(world, "appointment")
    row = the_open(K.MANDATORY_TALK, "cadre_event", event.id)
    assert (row.start_on, row.due_on, row.total_workdays) == (
        date(2026, 11, 20),
        date(2026, 12, 18),
        20,
    )
    assert row.responsible_user_id == world.supervisor.id
    assert row.cadre_id == world.cadre.id


@time_machine.travel(beijing(date(2026, 11, 20)), tick=False)
def test_an_event_that_is_not_mandatory_opens_nothing(db, world):
    event = record_event(world, "award")
    assert rows(K.MANDATORY_TALK, "cadre_event", event.id) == []


@time_machine.travel(beijing(date(2026, 11, 20)), tick=False)
def test_a_failed_event_leaves_no_obligation(db, world, monkeypatch):
    failing_commit(monkeypatch)
    with pytest.raises(RuntimeError):
        record_event(world, "appointment")
    _db.session.rollback()
    monkeypatch.undo()
    assert _db.session.scalars(select(CadreEvent)).all() == []
    stmt = select(Obligation).where(Obligation.kind == K.MANDATORY_TALK)
    assert _db.session.scalars(stmt).all() == []


@time_machine.travel(beijing(date(2026, 11, 27)), tick=False)
def test_a_talk_of_the_events_occasion_closes_the_mandatory_talk(db, world):
    appointed = record_event(world, "appointment")
    youth = record_event(world, "youth_class")
    elsewhere = record_event(world, "transfer", world.far_cadre)

    record_talk(world, date(2026, 11, 27), talk_type="other", occasion="youth_class")
    assert the_open(K.MANDATORY_TALK, "cadre_event", appointed.id)
    (met,) = rows(K.MANDATORY_TALK, "cadre_event", youth.id)
    assert met.closed_at is not None

    record_talk(world, date(2026, 11, 27), talk_type="other", occasion="appointment_transfer")
    (met,) = rows(K.MANDATORY_TALK, "cadre_event", appointed.id)
    assert met.closed_at is not None
    assert the_open(K.MANDATORY_TALK, "cadre_event", elsewhere.id)  # another cadre's


@time_machine.travel(beijing(date(2026, 11, 27)), tick=False)
def test_a_talk_held_before_the_event_was_recorded_does_not_meet_it(db, world):
    event = record_event(world, "appointment")
    record_talk(world, date(2026, 11, 20), talk_type="other", occasion="appointment_transfer")
    assert the_open(K.MANDATORY_TALK, "cadre_event", event.id)


def test_cadre_event_dictionary_marks_the_mandatory_types(db):
    from webapp.cadres import due

    assert {k for k in ("appointment", "transfer", "youth_class") if due.is_mandatory(k)} == {
        "appointment",
        "transfer",
        "youth_class",
    }
    assert not any(due.is_mandatory(k) for k in ("award", "sanction", "leave"))
    assert due.talk_occasion("transfer") == "appointment_transfer"


# ---------------------------------------------------------------- a cadre corrected, a deploy


@time_machine.travel(beijing(date(2026, 3, 10)), tick=False)
def test_correcting_the_items_cadre_moves_its_running_due(db, world):
    from webapp.negative_info import services as negative_info

    info = make_report(world.cadre, source_channel="petition")
    verification.start_verification(info, world.supervisor, world.supervisor.id, info.version)
    other = make_cadre(world.mine, "王五")
    values = {key: getattr(info, key) for key in negative_info.REPORT_FIELDS}
    negative_info.update_report(info, world.supervisor, other, values, info.version)
    row = the_open(K.VERIFICATION_DUE, "negative_info", info.id)
    assert row.cadre_id == other.id


@time_machine.travel(beijing(date(2026, 3, 10)), tick=False)
def test_correcting_a_concluded_items_cadre_owes_nothing_again(db, world):
    from webapp.negative_info import services as negative_info

    info = make_report(world.cadre, source_channel="petition")
    verification.start_verification(info, world.supervisor, world.supervisor.id, info.version)
    verification.conclude_verification(
        info, world.supervisor, "true", date(2026, 3, 10), "属实", info.version
    )
    other = make_cadre(world.mine, "王五")
    values = {key: getattr(info, key) for key in negative_info.REPORT_FIELDS}
    negative_info.update_report(info, world.supervisor, other, values, info.version)
    (closed,) = rows(K.VERIFICATION_DUE, "negative_info", info.id)
    assert closed.closed_at is not None


@time_machine.travel(beijing(date(2026, 11, 27)), tick=False)
def test_sync_all_declares_what_records_from_before_the_due_sources_owe(db, world):
    from webapp.cadres import due as cadre_due
    from webapp.inquiries import due as inquiry_due
    from webapp.negative_info import due as info_due
    from webapp.talks import due as talk_due

    info = make_report(world.cadre, status="verifying", handler_id=world.supervisor.id)
    info.verification_started_on, info.verification_workdays = date(2026, 11, 2), 15
    info.verification_due = date(2026, 11, 23)
    waiting = make_inquiry(world.cadre, world.supervisor)
    answered = make_inquiry(world.cadre, world.supervisor, replied_on=date(2026, 11, 5))
    talk = make_talk(world.cadre, world.supervisor, follow_up_on=date(2027, 2, 22))
    old = CadreEvent(
        cadre_id=world.cadre.id,
        kind="appointment",
        occurred_on=date(2026, 11, 18),
        created_by_id=world.supervisor.id,
        created_at=beijing(date(2026, 11, 20)),
    )
    met = CadreEvent(
        cadre_id=world.far_cadre.id,
        kind="youth_class",
        occurred_on=date(2026, 11, 18),
        created_at=beijing(date(2026, 11, 20)),
    )
    _db.session.add_all([old, met])
    make_talk(
        world.far_cadre,
        started_at=beijing(date(2026, 11, 25), 9),
        ended_at=beijing(date(2026, 11, 25), 10),
        talk_type="other",
        occasion="youth_class",
    )

    assert info_due.sync_all() == 1
    assert inquiry_due.sync_all() == 1
    assert cadre_due.sync_all() == 2
    talk_due.sync_all()

    assert the_open(K.VERIFICATION_DUE, "negative_info", info.id).due_on == date(2026, 11, 23)
    assert the_open(K.INQUIRY_REPLY_DUE, "inquiry", waiting.id).due_on == date(2026, 11, 23)
    assert rows(K.INQUIRY_REPLY_DUE, "inquiry", answered.id) == []
    assert the_open(K.FOLLOW_UP_DUE, "talk", talk.id).due_on == date(2027, 2, 22)
    row = the_open(K.MANDATORY_TALK, "cadre_event", old.id)
    assert (row.start_on, row.due_on) == (date(2026, 11, 20), date(2026, 12, 18))
    (closed,) = rows(K.MANDATORY_TALK, "cadre_event", met.id)
    assert closed.closed_at is not None and closed.step_role == "supervisor"

    # Run again (a repair): nothing is declared twice, nothing met is owed again.
    assert cadre_due.sync_all() == 0
    talk_due.sync_all()
    assert len(rows(K.MANDATORY_TALK, "cadre_event", met.id)) == 1
    assert len(rows(K.MANDATORY_TALK, "cadre_event", old.id)) == 1


@time_machine.travel(beijing(date(2026, 12, 28)), tick=False)
def test_holiday_data_moves_a_provisional_mandatory_talk(app, db, world):
    event = record_event(world, "appointment")
    before = the_open(K.MANDATORY_TALK, "cadre_event", event.id)
    assert before.provisional and before.due_on == date(2027, 1, 25)  # weekends only
    add_year_2027_holidays()  # 1 and 4–8 January off: six working days fewer
    with app.test_request_context():
        recompute_provisional()
    row = the_open(K.MANDATORY_TALK, "cadre_event", event.id)
    assert row.id == before.id
    assert (row.due_on, row.provisional, row.total_workdays) == (date(2027, 2, 2), False, 20)
    assert row.due_workday == row.due_on


@time_machine.travel(beijing(date(2026, 12, 28)), tick=False)
def test_holiday_data_re_times_the_reminders_of_a_picked_follow_up_date(app, db, world):
    # A follow-up date picked on the form stays, but its 黄灯 day counts working days anew.
    talk = record_talk(world, date(2026, 12, 28), follow_up_on=date(2027, 1, 29))
    before = the_open(K.FOLLOW_UP_DUE, "talk", talk.id)
    yellow_before = before.next_fire_on
    add_year_2027_holidays()
    with app.test_request_context():
        recompute_provisional()
    row = the_open(K.FOLLOW_UP_DUE, "talk", talk.id)
    assert row.due_on == date(2027, 1, 29)
    assert row.next_fire_on > yellow_before
    assert not work_calendar().is_workday(date(2027, 1, 4))
    assert (
        row.next_fire_on
        == work_calendar().add_workdays(date(2026, 12, 28), -(-row.total_workdays * 50 // 100)).due
    )
