"""登记书面检查 and 书面检查到期: owed after a tier-2 admonishment, closed when handed in."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import select

from tests.helpers import SHANGHAI, act, approve_all, issue, offered
from tests.webapp.attachments.files import PDF
from webapp.clock import utc_now
from webapp.extensions import db as _db
from webapp.holidays.services import work_calendar
from webapp.models import Obligation, Warning, WarningAction
from webapp.obligations import services as obligations
from webapp.warnings.due import advance_paused
from webapp.warnings.errors import WorkflowError
from workflows.deadlines import Light
from workflows.obligations import ObligationKind, Stage

K = ObligationKind
TALK_DAY = date(2026, 11, 20)  # a Friday; no holiday until the new year
DECISION = {
    "facts": "先行先试中的失误",
    "distinctions": "无私利",
    "collective_decision": "部务会 2026-11-20",
    "decided_on": TALK_DAY,
}


def at(day: date, hour: int = 10):
    """Travel to a day in the organisation's zone."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI))


def open_row(warning: Warning, kind: K = K.SELF_CRITICISM_DUE) -> Obligation | None:
    """Return the warning's open obligation of a kind, if any."""
    return _db.session.scalars(
        select(Obligation).where(
            Obligation.kind == kind,
            Obligation.subject_type == "warning",
            Obligation.subject_id == warning.id,
            Obligation.closed_at.is_(None),
        )
    ).one_or_none()


def admonished(world, tier: int = 2, kind: str = "admonishment_talk") -> Warning:
    """Issue a warning on Thu 2026-11-19 and record its measure on Fri 2026-11-20."""
    with at(date(2026, 11, 19)):
        warning = issue(world, tier)
    with at(TALK_DAY):
        act(warning, "record_action", world.supervisor, action_kind=kind,
            done_on=TALK_DAY, content="当面谈话，指出问题")  # fmt: skip
    return warning


def hand_in(warning: Warning, user, day: date, **extra) -> Warning:
    """Record the 书面检查 as handed in on `day`."""
    return act(warning, "record_self_criticism", user, handed_in_on=day, **extra)


def test_a_tier2_admonishment_owes_a_written_self_criticism_in_five_workdays(db, world):
    warning = admonished(world)
    row = open_row(warning)
    assert row is not None
    # Mon 23, Tue 24, Wed 25, Thu 26, Fri 27: five working days after the talk.
    assert work_calendar().add_workdays(TALK_DAY, 5).due == date(2026, 11, 27)
    assert (row.start_on, row.due_on, row.total_workdays, row.paused_workdays) == (
        TALK_DAY,
        date(2026, 11, 27),
        5,
        0,
    )
    assert row.responsible_user_id == world.supervisor.id
    assert row.cadre_id == warning.cadre_id
    # Its stages and light run as every kind's: 黄灯 when 3 of 5 days are used.
    assert row.next_fire_on == date(2026, 11, 25)
    assert obligations.light(row, date(2026, 11, 24)) is Light.GREEN
    assert obligations.stages_to_fire(row, date(2026, 11, 24)) == []
    assert row in obligations.due_to_fire(date(2026, 11, 25))
    assert obligations.light(row, date(2026, 11, 25)) is Light.YELLOW
    assert obligations.stages_to_fire(row, date(2026, 11, 27)) == [Stage.YELLOW, Stage.DUE]
    assert obligations.light(row, date(2026, 11, 30)) is Light.RED
    assert obligations.stages_to_fire(row, date(2026, 11, 30))[-1] is Stage.OVERDUE
    # The rectification report is owed beside it.
    assert open_row(warning, K.RECTIFICATION_REPORT_DUE) is not None


def test_recording_it_closes_the_obligation_and_changes_nothing_else(db, world):
    warning = admonished(world, kind="admonishment_letter")
    version = warning.version
    with at(date(2026, 11, 25)):
        hand_in(warning, world.supervisor, date(2026, 11, 25), note="本人已作深刻检查")
    assert open_row(warning) is None
    assert (warning.state, warning.tier) == ("rectifying", 2)
    assert warning.version > version
    record = warning.actions[-1]
    assert (record.kind, record.done_on, record.tier, record.content) == (
        "written_self_criticism",
        date(2026, 11, 25),
        2,
        "本人已作深刻检查",
    )
    assert record.recorded_by_id == world.supervisor.id
    last = warning.events[-1]
    assert (last.event, last.from_state, last.to_state, last.from_tier, last.to_tier) == (
        "record_self_criticism",
        "rectifying",
        "rectifying",
        2,
        2,
    )
    assert last.payload["details"]["handed_in_on"] == "2026-11-25"
    assert last.reason == "本人已作深刻检查"
    closed = _db.session.scalars(
        select(Obligation).where(Obligation.kind == K.SELF_CRITICISM_DUE)
    ).one()
    assert closed.closed_at is not None
    # The rectification report is still owed, and the 书面检查 only once.
    assert open_row(warning, K.RECTIFICATION_REPORT_DUE) is not None
    with at(date(2026, 11, 26)), pytest.raises(WorkflowError, match="书面检查已登记") as caught:
        hand_in(warning, world.supervisor, date(2026, 11, 26))
    assert caught.value.code == "self_criticism_pending"


def test_a_tier1_warning_owes_none_and_cannot_record_one(db, world):
    warning = admonished(world, tier=1, kind="reminder_talk")
    assert open_row(warning) is None
    with at(date(2026, 11, 25)), pytest.raises(WorkflowError, match="诫勉谈话或诫勉书") as caught:
        hand_in(warning, world.supervisor, date(2026, 11, 25))
    assert caught.value.code == "admonishment_recorded"


@pytest.mark.parametrize(
    ("day", "code", "message"),
    [
        (None, "handed_in_on_missing", "请填写书面检查的提交日期"),
        (date(2026, 11, 26), "date_in_future", "日期不能晚于今天"),
        (
            date(2026, 11, 19),
            "date_before_timeline",
            r"不能早于诫勉谈话或诫勉书的日期（2026-11-20）",
        ),
    ],
)
def test_the_day_handed_in_is_required_past_and_after_the_talk(db, world, day, code, message):
    warning = admonished(world)
    with at(date(2026, 11, 25)), pytest.raises(WorkflowError, match=message) as caught:
        hand_in(warning, world.supervisor, day)
    assert (caught.value.code, caught.value.field) == (code, "handed_in_on")
    assert open_row(warning) is not None
    assert [a.kind for a in _db.session.scalars(select(WarningAction))] == ["admonishment_talk"]


def test_the_handlers_roles_record_it_in_review_too(db, world):
    warning = admonished(world)
    with at(date(2026, 11, 23)):
        with pytest.raises(WorkflowError):
            hand_in(warning, world.approver, date(2026, 11, 23))
        act(warning, "submit_report", world.supervisor, report="已整改")
        assert open_row(warning) is not None
        hand_in(warning, world.reviewer, date(2026, 11, 23))
    assert (warning.state, open_row(warning)) == ("reviewing", None)


def test_lifting_or_revoking_closes_it(db, world):
    warning = admonished(world)
    with at(date(2026, 11, 23)):
        act(warning, "submit_report", world.supervisor, report="已整改")
        act(warning, "accept", world.reviewer, opinion="整改到位")
    assert (warning.state, open_row(warning)) == ("lifted", None)
    other = admonished(world)
    assert open_row(other) is not None
    with at(date(2026, 11, 23)):
        act(other, "tolerate", world.approver, outcome="exempt", **DECISION)
    assert (other.state, open_row(other)) == ("revoked", None)


def test_it_follows_the_tier_in_force(db, world):
    warning = admonished(world)
    with at(date(2026, 11, 23)):
        # 减责 to tier 1: a 提醒-level warning owes no 书面检查.
        act(warning, "tolerate", world.approver, outcome="reduced", **DECISION)
    assert (warning.tier, open_row(warning)) == (1, None)
    other = admonished(world)
    with at(date(2026, 11, 23)):
        act(other, "escalate", world.supervisor, reason="诫勉后仍不改正")
        assert (other.tier, open_row(other)) == (3, None)
        act(other, "reject", world.reviewer, reason="暂不升级")
    # Back at tier 2: owed again, from the talk's own date.
    assert open_row(other).due_on == date(2026, 11, 27)
    with at(date(2026, 11, 24)):
        act(other, "escalate", world.supervisor, reason="诫勉后仍不改正")
        approve_all(world, other)
    assert (other.state, other.tier, open_row(other)) == ("issued", 3, None)


def test_a_pause_holds_it_and_moves_it(db, world):
    warning = admonished(world)
    with at(date(2026, 11, 23)):
        act(warning, "pause", world.supervisor, reason="等待审计结果")
    with at(date(2026, 11, 24)), pytest.raises(WorkflowError, match="请先恢复计时"):
        hand_in(warning, world.supervisor, date(2026, 11, 24))
    with at(date(2026, 11, 25)):
        # While paused the sweep keeps it as a resume today would: Tue 24, Wed 25.
        advance_paused(date(2026, 11, 25), utc_now())
        row = open_row(warning)
        assert (row.due_on, row.paused_workdays) == (date(2026, 12, 1), 2)
        act(warning, "resume", world.supervisor)
    row = open_row(warning)
    assert (row.start_on, row.due_on, row.total_workdays, row.paused_workdays) == (
        TALK_DAY,
        date(2026, 12, 1),
        5,
        2,
    )
    with at(date(2026, 11, 26)):
        hand_in(warning, world.supervisor, date(2026, 11, 26))
    assert open_row(warning) is None


def test_the_self_criticism_is_not_a_measure_of_tier_two(db, world):
    # It follows the 诫勉 (登记书面检查); as a 记录处置 kind it is refused like any other.
    with at(date(2026, 11, 19)):
        warning = issue(world, 2)
    with at(TALK_DAY), pytest.raises(WorkflowError, match="不适用于本等级") as caught:
        act(warning, "record_action", world.supervisor, action_kind="written_self_criticism",
            done_on=TALK_DAY, content="已交书面检查")  # fmt: skip
    assert caught.value.field == "action_kind"
    assert warning.state == "issued"


def test_the_detail_page_records_it_with_its_document(
    client, login, db, world, app, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    warning = admonished(world)
    yellow = admonished(world, tier=1, kind="reminder_talk")
    db.session.commit()
    url = f"/warnings/{warning.id}/events/record_self_criticism"

    def post(day: str, **files):
        data = {
            "record_self_criticism-handed_in_on": day,
            "record_self_criticism-note": "本人检查材料",
            "record_self_criticism-version": str(db.session.get(Warning, warning.id).version),
        }
        data |= {f"record_self_criticism-{k}": v for k, v in files.items()}
        return client.post(url, data=data, content_type="multipart/form-data")

    with at(date(2026, 11, 25)):
        login(world.supervisor.username)
        assert "record_self_criticism" in offered(client, warning)
        assert "record_self_criticism" not in offered(client, yellow)
        page = client.get(f"/warnings/{warning.id}").get_data(as_text=True)
        assert "登记书面检查" in page
        assert 'name="record_self_criticism-handed_in_on"' in page
        assert 'name="record_self_criticism-documents"' in page
        refused = post("2026-11-19")
        assert refused.status_code == 400
        text = refused.get_data(as_text=True)
        assert "提交日期不能早于诫勉谈话或诫勉书的日期（2026-11-20）" in text
        assert open_row(warning) is not None
        done = post("2026-11-25", documents=(io.BytesIO(PDF), "书面检查.pdf"))
        assert done.status_code == 302, done.get_data(as_text=True)
        page = client.get(f"/warnings/{warning.id}").get_data(as_text=True)
        assert "已执行「登记书面检查」" in page
        history = page[page.index('id="history"') :]
        assert re.search(
            r'data-event="record_self_criticism">.*?<strong>登记书面检查</strong>', history, re.S
        )
        assert '<p data-kind="written_self_criticism"><strong>书面检查</strong>' in page
        link = re.search(r'href="(/attachments/\d+/download)">书面检查.pdf<', page)
        assert link, page
        with client.get(link.group(1)) as download:  # closes the sent file
            assert download.data.startswith(b"%PDF-1.4")
        assert "record_self_criticism" not in offered(client, warning)
    assert open_row(warning) is None


def test_the_detail_pages_deadlines_list_the_self_criticism_while_owed(client, login, db, world):
    warning = admonished(world)
    db.session.commit()

    def row() -> str:
        page = client.get(f"/warnings/{warning.id}").get_data(as_text=True)
        found = re.search(r'<tr[^>]*data-kind="self_criticism".*?</tr>', page, re.S)
        return found.group(0) if found else ""

    with at(date(2026, 11, 25)):
        login(world.supervisor.username)
        assert "书面检查期限" in row() and "2026-11-27" in row()
        assert 'data-light="yellow"' in row()
        hand_in(warning, world.supervisor, date(2026, 11, 25))
        db.session.commit()
        assert row() == ""
