"""The warnings area's due source on SQLite and PostgreSQL: what a warning owes after each event."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import delete, func, select

from tests.factories import make_cadre
from tests.helpers import SHANGHAI, act, approve_all, command, issue
from webapp.clock import utc_now
from webapp.extensions import db as _db
from webapp.holidays.services import recompute_provisional
from webapp.models import HolidayDay, HolidayYear, Obligation, Warning
from webapp.warnings import services
from webapp.warnings.due import advance_paused, close_ended_influences, sync_all
from webapp.warnings.errors import WorkflowError
from webapp.warnings.writer import apply_command
from workflows.obligations import ObligationKind

K = ObligationKind


def at(day: date, hour: int = 10):
    """Travel to a day in the organisation's zone."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI))


@pytest.fixture(autouse=True)
def frozen_clock():
    """Tue 2026-03-10, a year the holiday package knows."""
    with at(date(2026, 3, 10)):
        yield


def owed(warning: Warning) -> dict[K, tuple]:
    """Return the warning's open obligations: kind → (start, due, role, responsible, paused)."""
    rows = _db.session.scalars(
        select(Obligation).where(
            Obligation.subject_type == "warning",
            Obligation.subject_id == warning.id,
            Obligation.closed_at.is_(None),
        )
    )
    return {
        o.kind: (o.start_on, o.due_on, o.step_role, o.responsible_user_id, o.paused_workdays)
        for o in rows
    }


def closed_kinds(warning: Warning) -> list[K]:
    return list(
        _db.session.scalars(
            select(Obligation.kind)
            .where(Obligation.subject_id == warning.id, Obligation.closed_at.is_not(None))
            .order_by(Obligation.id)
        )
    )


def test_a_warning_owes_what_its_state_runs_after_each_event(db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "经研判需预警")
    assert owed(warning) == {}
    act(warning, "submit", world.supervisor)
    # Three working days for the reviewer: Wed 11, Thu 12, Fri 13.
    assert owed(warning) == {
        K.APPROVAL_WAITING: (date(2026, 3, 10), date(2026, 3, 13), "reviewer", None, 0)
    }
    with at(date(2026, 3, 12)):
        act(warning, "approve", world.reviewer, comment="同意")
        # The next step waits from the day it was entered, for its own role.
        assert owed(warning) == {
            K.APPROVAL_WAITING: (date(2026, 3, 12), date(2026, 3, 17), "approver", None, 0)
        }
        act(warning, "approve", world.approver, comment="同意")
        assert (warning.state, warning.action_due) == ("issued", date(2026, 3, 26))
        assert owed(warning) == {
            K.ACTION_DUE: (date(2026, 3, 12), date(2026, 3, 26), None, world.supervisor.id, 0)
        }
        act(warning, "record_action", world.supervisor, action_kind="written_reminder",
            done_on=date(2026, 3, 12), record_ref="提醒函〔2026〕3号")  # fmt: skip
        assert owed(warning) == {
            K.RECTIFICATION_REPORT_DUE: (
                date(2026, 3, 12),
                warning.rectification_due,
                None,
                world.supervisor.id,
                0,
            )
        }
        assert warning.rectification_due == date(2026, 9, 14)
        act(warning, "submit_report", world.supervisor, report="已按要求整改")
        assert owed(warning) == {
            K.REVIEW_DUE: (date(2026, 3, 12), warning.review_due, None, world.supervisor.id, 0)
        }
        act(warning, "accept", world.reviewer, opinion="整改到位，予以销号")
    assert warning.state == "lifted"
    assert owed(warning) == {}
    assert closed_kinds(warning) == [
        K.APPROVAL_WAITING,
        K.APPROVAL_WAITING,
        K.ACTION_DUE,
        K.RECTIFICATION_REPORT_DUE,
        K.REVIEW_DUE,
    ]


def test_a_return_owes_the_new_report_by_the_new_deadline(db, world):
    warning = issue(world, 1)
    act(warning, "record_action", world.supervisor, action_kind="written_reminder",
        done_on=date(2026, 3, 10), record_ref="提醒函〔2026〕3号")  # fmt: skip
    act(warning, "submit_report", world.supervisor, report="初步整改")
    act(warning, "return", world.reviewer, reason="整改不到位", new_deadline=date(2026, 5, 8))
    assert set(owed(warning)) == {K.RECTIFICATION_REPORT_DUE}
    assert owed(warning)[K.RECTIFICATION_REPORT_DUE][:2] == (date(2026, 3, 10), date(2026, 5, 8))


def test_a_pause_moves_the_due_date_on_resume(db, world):
    warning = issue(world, 1)  # action due Tue 2026-03-24
    with at(date(2026, 3, 12)):
        act(warning, "pause", world.supervisor, reason="等待审计结果")
    assert owed(warning)[K.ACTION_DUE][1] == date(2026, 3, 24)
    with at(date(2026, 3, 16)):
        # The sweep moves a paused clock's obligation as a resume today would: Fri 13, Mon 16.
        advance_paused(date(2026, 3, 16), utc_now())
        row = _db.session.scalars(select(Obligation).where(Obligation.kind == K.ACTION_DUE)).one()
        assert (row.due_on, row.paused_workdays) == (date(2026, 3, 26), 2)
        assert row.next_fire_on > date(2026, 3, 16)
    with at(date(2026, 3, 17)):
        act(warning, "resume", world.supervisor)
    # Three working days paused (Fri 13, Mon 16, Tue 17) move the due day to Fri 27.
    start, due, _role, _who, paused = owed(warning)[K.ACTION_DUE]
    assert (start, due, paused) == (date(2026, 3, 10), date(2026, 3, 27), 3)
    row = _db.session.scalars(select(Obligation).where(Obligation.kind == K.ACTION_DUE)).one()
    assert row.next_fire_on == date(2026, 3, 20)  # 黄灯: 5 of 10 working days + 3 paused


def test_a_refused_event_leaves_the_obligations_as_they_were(db, world):
    warning = issue(world, 1)
    before = owed(warning)
    with pytest.raises(WorkflowError):
        act(warning, "record_action", world.supervisor, action_kind="reminder_talk")
    assert owed(warning) == before
    assert set(before) == {K.ACTION_DUE}


def test_the_obligations_are_written_in_the_events_transaction(db, world):
    warning = issue(world, 1)
    cmd = command("record_action", action_kind="written_reminder", done_on="2026-03-10",
                  record_ref="提醒函〔2026〕3号")  # fmt: skip
    apply_command(warning, cmd, world.supervisor)
    # Seen inside the transaction, gone with it: nothing is committed on the side.
    assert set(owed(warning)) == {K.RECTIFICATION_REPORT_DUE}
    _db.session.rollback()
    assert set(owed(warning)) == {K.ACTION_DUE}


def test_influence_opens_at_issue_and_goes_with_a_revocation(db, world):
    warning = issue(world, 2)
    assert owed(warning)[K.INFLUENCE_ENDING][:2] == (date(2026, 3, 10), date(2026, 9, 10))
    decision = {"facts": "先行先试中的失误", "distinctions": "无私利", "collective_decision":
                "部务会 2026-03-09", "decided_on": date(2026, 3, 9)}  # fmt: skip
    act(warning, "tolerate", world.approver, outcome="reduced", **decision)
    # Reduced to tier 1: no influence period is owed any more.
    assert set(owed(warning)) == {K.ACTION_DUE}
    act(warning, "tolerate", world.approver, outcome="exempt", **decision)
    assert (warning.state, owed(warning)) == ("revoked", {})


def test_escalation_waits_for_approval_and_a_rejection_restores_the_deadline(db, world):
    warning = issue(world, 1)
    act(warning, "escalate", world.supervisor, reason="提醒后仍未改正")
    assert owed(warning) == {
        K.APPROVAL_WAITING: (date(2026, 3, 10), date(2026, 3, 13), "reviewer", None, 0)
    }
    act(warning, "reject", world.reviewer, reason="暂不升级")
    assert (warning.state, set(owed(warning))) == ("issued", {K.ACTION_DUE})
    assert owed(warning)[K.ACTION_DUE][1] == date(2026, 3, 24)
    act(warning, "escalate", world.supervisor, reason="提醒后仍未改正")
    approve_all(world, warning)
    assert (warning.tier, set(owed(warning))) == (2, {K.ACTION_DUE, K.INFLUENCE_ENDING})


def test_a_tier3_decided_influence_is_owed_on_its_day(db, world):
    warning = issue(world, 3)
    act(warning, "record_action", world.supervisor, action_kind="org_handling",
        org_handling="adjust", done_on=date(2026, 3, 10), content="调整职务",
        rectification_due=date(2026, 12, 31), influence_months=24,
        influence_reason="处理决定载明两年内不得提拔")  # fmt: skip
    assert owed(warning)[K.INFLUENCE_ENDING][1] == date(2028, 3, 10)
    assert owed(warning)[K.RECTIFICATION_REPORT_DUE][1] == date(2026, 12, 31)


def test_the_provisional_recompute_moves_the_obligation(db, world, app):
    with at(date(2026, 12, 21)):
        warning = issue(world, 1)
        assert owed(warning)[K.ACTION_DUE][1] == date(2027, 1, 4)
        _db.session.add_all(
            [HolidayYear(year=2027), HolidayDay(day=date(2027, 1, 1), is_workday=False)]
        )
        _db.session.flush()
        with app.test_request_context():
            assert recompute_provisional() == 1
        assert owed(warning)[K.ACTION_DUE][1] == date(2027, 1, 5)
        row = _db.session.scalars(select(Obligation).where(Obligation.kind == K.ACTION_DUE)).one()
        assert row.provisional is False


def test_sync_all_declares_what_older_warnings_owe_from_their_history(db, world):
    waiting = services.create_warning(world.supervisor, world.cadre.id, 1, [], "经研判需预警")
    act(waiting, "submit", world.supervisor)
    running = issue(world, 2, cadre=make_cadre(world.cadre.unit))
    # Warnings from before the obligations existed: nothing declared.
    _db.session.execute(delete(Obligation))
    _db.session.commit()
    with at(date(2026, 3, 12)):
        assert sync_all() == 2
        _db.session.commit()
        # The step waits since the day it was entered (Tue 10), not since the repair.
        assert owed(waiting) == {
            K.APPROVAL_WAITING: (date(2026, 3, 10), date(2026, 3, 13), "reviewer", None, 0)
        }
        assert set(owed(running)) == {K.ACTION_DUE, K.INFLUENCE_ENDING}
        # Running it again changes nothing.
        sync_all()
        assert _db.session.scalar(select(func.count()).select_from(Obligation)) == 3


def test_an_ended_influence_closes_once_its_notices_went_out(db, world):
    warning = issue(world, 2)  # influence until Thu 2026-09-10
    row = _db.session.scalars(select(Obligation).where(Obligation.kind == K.INFLUENCE_ENDING)).one()
    with at(date(2026, 9, 11)):
        # Not yet notified on its day (a stopped scheduler): it stays owed.
        assert close_ended_influences(date(2026, 9, 11), utc_now()) == 0
        row.next_fire_on = None
        close_ended_influences(date(2026, 9, 11), utc_now())
    assert row.closed_at is not None
    assert K.INFLUENCE_ENDING not in owed(warning)


def test_the_provisional_recompute_moves_a_waiting_approval_step(db, world, app):
    with at(date(2026, 12, 30)):
        warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "经研判需预警")
        act(warning, "submit", world.supervisor)
        # Thu 31, Fri 1 (a workday until 2027 is entered), Mon 4.
        assert owed(warning)[K.APPROVAL_WAITING][1] == date(2027, 1, 4)
        _db.session.add_all(
            [HolidayYear(year=2027), HolidayDay(day=date(2027, 1, 1), is_workday=False)]
        )
        _db.session.flush()
        with app.test_request_context():
            assert recompute_provisional() == 1
        assert owed(warning)[K.APPROVAL_WAITING][:2] == (date(2026, 12, 30), date(2027, 1, 5))


def test_a_rejected_submission_owes_nothing_and_a_referral_owes_only_the_influence(db, world):
    draft = services.create_warning(world.supervisor, world.cadre.id, 1, [], "经研判需预警")
    act(draft, "submit", world.supervisor)
    act(draft, "reject", world.reviewer, reason="依据不足")
    assert (draft.state, owed(draft)) == ("draft", {})
    warning = issue(world, 3, cadre=make_cadre(world.cadre.unit))
    assert set(owed(warning)) == {K.ACTION_DUE, K.INFLUENCE_ENDING}
    act(warning, "refer", world.approver, receiving_organ="市纪委监委",
        document_number="组移〔2026〕1号", referred_on=date(2026, 3, 10))  # fmt: skip
    assert warning.state == "referred"
    assert set(owed(warning)) == {K.INFLUENCE_ENDING}
    assert owed(warning)[K.INFLUENCE_ENDING][1] == warning.influence_until
