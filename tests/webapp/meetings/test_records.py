"""The 函询 and 谈话 a decision asks for: the prefilled form, the link back, the inquiry's history."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import select

from tests.factories import make_inquiry, make_talk
from tests.webapp.meetings.conftest import NOW
from webapp.extensions import db as _db
from webapp.meetings import services
from webapp.meetings.services import DecisionInput, MeetingError
from webapp.models.meetings import MeetingDecision
from webapp.models.talks import InquiryEvent


def enter(client, login, user):
    assert login(user.username).status_code == 302


def line(meeting, subject_type, subject_id):
    return next(
        i for i in meeting.agenda if i.subject_type == subject_type and i.subject_id == subject_id
    )


def decide(meeting, item, kind, user):
    with time_machine.travel(NOW, tick=False):
        return services.record_decision(meeting.id, item.id, DecisionInput(kind), user)


def test_a_negative_info_line_opens_the_forms_about_that_item(client, login, meetings, rhythm):
    enter(client, login, rhythm.secretary)
    meeting = meetings["province"]
    item = line(meeting, "negative_info", rhythm.new_item.id)
    for kind, path in (("inquiry", "/inquiries/new"), ("talk", "/talks/new")):
        asked = client.post(f"/meetings/{meeting.id}/items/{item.id}/decide", data={"kind": kind})
        assert asked.location.endswith(f"{path}?negative_info_id={rhythm.new_item.id}")
        form = client.get(asked.location)
        assert form.status_code == 200
        assert rhythm.new_item.number in form.get_data(as_text=True)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f"/inquiries/new?negative_info_id={rhythm.new_item.id}" in page  # 填写记录


def test_a_talk_on_a_warning_line_opens_the_talk_form_about_the_warning(
    client, login, meetings, rhythm
):
    enter(client, login, rhythm.secretary)
    meeting = meetings["province"]
    item = line(meeting, "warning", rhythm.warning.id)
    asked = client.post(f"/meetings/{meeting.id}/items/{item.id}/decide", data={"kind": "talk"})
    assert asked.location.endswith(f"/talks/new?warning_id={rhythm.warning.id}")


def test_linking_an_inquiry_writes_its_history_citing_the_meeting(
    client, login, meetings, rhythm, world
):
    meeting = meetings["province"]
    decision = decide(meeting, line(meeting, "negative_info", rhythm.new_item.id), "inquiry",
                      rhythm.secretary)  # fmt: skip
    inquiry = make_inquiry(world.cadre)
    _db.session.commit()
    services.link_record(decision.id, inquiry.id, rhythm.secretary)
    history = _db.session.scalars(
        select(InquiryEvent).where(InquiryEvent.inquiry_id == inquiry.id)
    ).all()
    assert [h.event for h in history] == ["meeting_decision"]
    assert meeting.number in history[0].note and meeting.held_on.isoformat() in history[0].note
    assert "函询" in history[0].note and history[0].actor_id == rhythm.secretary.id
    enter(client, login, rhythm.secretary)
    page = client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)
    assert meeting.number in page and "研判会商决定" in page  # the line is labelled, not a code


def test_linking_a_talk_keeps_the_citation_on_the_decision(client, login, meetings, rhythm, world):
    meeting = meetings["province"]
    decision = decide(meeting, line(meeting, "warning", rhythm.warning.id), "talk",
                      rhythm.secretary)  # fmt: skip
    talk = make_talk(world.cadre)
    _db.session.commit()
    linked = services.link_record(decision.id, talk.id, rhythm.secretary)
    assert (linked.record_type, linked.record_id) == ("talk", talk.id)
    assert linked.meeting_id == meeting.id  # the decision cites the meeting
    assert services.citation(linked.meeting).startswith("双周研判（")
    # The talk's own page names the meeting and the decision it answers.
    enter(client, login, rhythm.secretary)
    page = client.get(f"/talks/{talk.id}").get_data(as_text=True)
    section = page[page.index('id="meeting-decisions"') :]
    assert meeting.number in section and "研判会商决定" in section
    assert f'href="/meetings/{meeting.id}"' in section


def test_a_closed_meetings_decision_is_linked_only_by_a_recorded_correction(
    client, login, meetings, rhythm, world
):
    meeting = meetings["province"]
    decision = decide(meeting, line(meeting, "negative_info", rhythm.new_item.id), "inquiry",
                      rhythm.secretary)  # fmt: skip
    services.close(meeting.id, rhythm.secretary)
    inquiry = make_inquiry(world.cadre)
    _db.session.commit()
    fix = services.link_record(decision.id, inquiry.id, rhythm.secretary)
    _db.session.expire_all()
    original = _db.session.get(MeetingDecision, decision.id)
    assert original.record_id is None  # the frozen decision is untouched
    assert (fix.corrects_id, fix.record_type, fix.record_id) == (decision.id, "inquiry", inquiry.id)
    assert fix.recorded_by_id == rhythm.secretary.id and "会后关联" in fix.note
    assert services.linked_record_id(original) == inquiry.id
    with pytest.raises(MeetingError):
        services.link_record(decision.id, inquiry.id, rhythm.secretary)
    with pytest.raises(MeetingError):
        services.link_record(fix.id, inquiry.id, rhythm.secretary)
    events = _db.session.scalars(select(InquiryEvent).where(InquiryEvent.inquiry_id == inquiry.id))
    assert [e.event for e in events] == ["meeting_decision"]
    enter(client, login, rhythm.secretary)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f"/inquiries/{inquiry.id}" in page and 'name="record_id"' not in page
