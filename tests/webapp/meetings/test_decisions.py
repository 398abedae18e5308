"""Decisions fire the workflow through the one writer, cite the meeting, and a closed meeting is frozen."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import select

from tests.factories import make_inquiry
from tests.webapp.meetings.conftest import NOW
from webapp.extensions import db as _db
from webapp.meetings import services
from webapp.meetings.services import DecisionInput, MeetingError, MinutesInput
from webapp.models import Clarification, Warning
from webapp.models.meetings import Meeting, MeetingDecision, MeetingStatus
from webapp.warnings.errors import WorkflowError


def line_of(meeting: Meeting, section: str, subject_id: int):
    return next(i for i in meeting.agenda if i.section == section and i.subject_id == subject_id)


def decide(meeting, item, actor, kind, **extra):
    with time_machine.travel(NOW, tick=False):
        return services.record_decision(meeting.id, item.id, DecisionInput(kind, **extra), actor)


def test_an_escalation_puts_a_tier_one_warning_in_approval_at_tier_two_citing_the_meeting(
    meetings, rhythm
):
    meeting = meetings["province"]
    item = line_of(meeting, "warning_issued", rhythm.warning.id)
    decision = decide(meeting, item, rhythm.secretary, "escalate", note="多次出现同类问题")
    warning = _db.session.get(Warning, rhythm.warning.id)
    assert warning.state == "pending_approval" and int(warning.tier) == 2
    last = warning.events[-1]
    assert last.event == "escalate" and last.id == decision.warning_event_id
    assert meeting.number in last.reason and "2026-12-01" in last.reason
    assert "双周研判" in last.reason and "多次出现同类问题" in last.reason
    assert decision.warning_id == warning.id
    assert meeting.status == MeetingStatus.IN_PROGRESS  # the first decision opens it


def test_clarification_revokes_the_warning_and_records_the_clearing(meetings, rhythm):
    meeting = meetings["province"]
    item = line_of(meeting, "warning_issued", rhythm.warning.id)
    decide(meeting, item, rhythm.secretary, "clarify", note="经核查反映问题失实")
    warning = _db.session.get(Warning, rhythm.warning.id)
    assert warning.state == "revoked"
    (record,) = _db.session.scalars(
        select(Clarification).where(Clarification.warning_id == warning.id)
    ).all()
    assert record.method == "meeting" and record.document_number == meeting.number
    assert record.clarified_on == meeting.held_on
    assert meeting.number in warning.events[-1].reason


def test_a_refused_event_writes_no_decision(meetings, rhythm, world):
    meeting = meetings["province"]
    item = line_of(meeting, "warning_issued", rhythm.warning.id)
    # 同意销号 needs a warning under review: an issued one is refused by the table.
    with pytest.raises(WorkflowError):
        decide(meeting, item, rhythm.secretary, "lift")
    assert _db.session.scalars(select(MeetingDecision)).all() == []
    assert _db.session.get(Warning, rhythm.warning.id).state == "issued"


def test_a_workflow_decision_on_a_line_that_is_no_warning_is_refused(meetings, rhythm):
    meeting = meetings["province"]
    item = line_of(meeting, "new_info", rhythm.new_item.id)
    with pytest.raises(MeetingError) as refused:
        decide(meeting, item, rhythm.secretary, "escalate")
    assert refused.value.code == "subject"


def test_proposing_a_warning_opens_a_draft_citing_the_meeting(meetings, rhythm, world):
    meeting = meetings["province"]
    item = line_of(meeting, "verified", rhythm.verified.id)
    decision = decide(meeting, item, rhythm.secretary, "propose", tier=1, note="属实，提出预警")
    warning = _db.session.get(Warning, decision.warning_id)
    assert warning.state == "draft" and warning.cadre_id == world.cadre.id
    assert [i.id for i in warning.basis] == [rhythm.verified.id]
    assert meeting.number in warning.reason and meeting.number in warning.events[0].reason


def test_an_inquiry_decision_links_the_inquiry_written_afterwards(meetings, rhythm, world):
    meeting = meetings["province"]
    item = line_of(meeting, "new_info", rhythm.new_item.id)
    decision = decide(meeting, item, rhythm.secretary, "inquiry")
    assert decision.record_type == "inquiry" and decision.record_id is None
    inquiry = make_inquiry(world.cadre)
    other = make_inquiry(world.far_cadre)
    _db.session.commit()
    with pytest.raises(MeetingError):
        services.link_record(decision.id, other.id, rhythm.secretary)  # another cadre's
    services.link_record(decision.id, inquiry.id, rhythm.secretary)
    assert _db.session.get(MeetingDecision, decision.id).record_id == inquiry.id


def test_other_needs_its_text(meetings, rhythm):
    meeting = meetings["province"]
    item = meeting.agenda[0]
    with pytest.raises(MeetingError) as refused:
        decide(meeting, item, rhythm.secretary, "other")
    assert refused.value.code == "note"


def test_a_closed_meeting_refuses_edits_and_takes_a_linked_correction(meetings, rhythm):
    meeting = meetings["province"]
    item = meeting.agenda[0]
    first = decide(meeting, item, rhythm.secretary, "watch")
    services.save_minutes(meeting.id, MinutesInput("同意各项决定", frozenset()), rhythm.secretary)
    services.close(meeting.id, rhythm.secretary)
    for attempt in (
        lambda: decide(meeting, item, rhythm.secretary, "watch"),
        lambda: services.save_minutes(meeting.id, MinutesInput("改"), rhythm.secretary),
        lambda: services.refresh_agenda(meeting.id, rhythm.secretary),
        lambda: services.start(meeting.id, rhythm.secretary),
        lambda: services.close(meeting.id, rhythm.secretary),
    ):
        with pytest.raises(MeetingError) as refused:
            attempt()
        assert refused.value.code == "closed"
    meeting = _db.session.get(Meeting, meeting.id)
    assert meeting.opinions == "同意各项决定"
    fix = services.correct(meeting.id, first.id, "应为开展核实", rhythm.secretary)
    assert fix.corrects_id == first.id and fix.agenda_item_id == item.id
    assert [d.kind for d in meeting.decisions] == ["watch", "other"]


def test_refresh_is_refused_once_the_meeting_started(meetings, rhythm):
    meeting = meetings["province"]
    services.start(meeting.id, rhythm.secretary)
    with pytest.raises(MeetingError) as refused:
        services.refresh_agenda(meeting.id, rhythm.secretary)
    assert refused.value.code == "started"


def test_a_district_secretary_cannot_reach_the_province_meeting(meetings, rhythm):
    from werkzeug.exceptions import NotFound

    with pytest.raises(NotFound):
        services.start(meetings["province"].id, rhythm.district_secretary)
    services.start(meetings["district"].id, rhythm.district_secretary)


def test_a_verification_decision_starts_it_with_the_meeting_in_the_items_history(meetings, rhythm):
    from webapp.models import NegativeInfo

    meeting = meetings["province"]
    item = line_of(meeting, "new_info", rhythm.new_item.id)
    decision = decide(meeting, item, rhythm.secretary, "verify", note="由监督科核实")
    info = _db.session.get(NegativeInfo, rhythm.new_item.id)
    assert info.status == "verifying" and info.handler_id == rhythm.secretary.id
    assert meeting.number in info.history[-1].note
    assert (decision.record_type, decision.record_id) == ("negative_info", info.id)
