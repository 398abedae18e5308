"""An inquiry concluded 转初步核实 puts its negative information into verification."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.factories import make_inquiry, make_report
from webapp.extensions import db as _db
from webapp.models import Inquiry, NegativeInfo, NegativeInfoEvent
from workflows.verification import Status

PRELIMINARY = {
    "conclusion": "preliminary",
    "concluded_on": "2026-11-20",
    "conclusion_note": "需核实",
}


def test_preliminary_conclusion_starts_verification_of_the_linked_item(client, login, db, world):
    login(world.supervisor.username)
    info = make_report(world.cadre, created_by=world.supervisor, source_channel="petition")
    inquiry = make_inquiry(
        world.cadre,
        created_by=world.supervisor,
        replied_on=date(2026, 11, 16),
        negative_info_id=info.id,
    )
    response = client.post(f"/inquiries/{inquiry.id}/conclusion", data=PRELIMINARY)
    assert response.status_code == 302
    db.session.refresh(info)
    assert info.status == Status.VERIFYING
    assert info.handler_id == world.supervisor.id
    assert info.verification_started_on == date(2026, 11, 20)
    # 信访举报: 15 working days from Friday 2026-11-20.
    assert info.verification_workdays == 15
    assert info.verification_due == date(2026, 12, 11)
    events = [e.event for e in info.history]
    assert "from_inquiry" in events
    detail = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
    assert f"/inquiries/{inquiry.id}" in detail
    page = client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)
    assert f"/negative-info/{info.id}" in page


def test_preliminary_conclusion_opens_an_item_when_none_is_linked(client, login, db, world):
    login(world.supervisor.username)
    inquiry = make_inquiry(
        world.cadre,
        created_by=world.supervisor,
        replied_on=date(2026, 11, 16),
        matters="反映其配偶经商办企业。",
    )
    response = client.post(f"/inquiries/{inquiry.id}/conclusion", data=PRELIMINARY)
    assert response.status_code == 302
    db.session.refresh(inquiry)
    info = db.session.scalars(
        select(NegativeInfo).where(NegativeInfo.cadre_id == world.cadre.id)
    ).one()
    assert inquiry.negative_info_id == info.id
    assert info.status == Status.VERIFYING
    assert info.summary == "反映其配偶经商办企业。"
    assert info.verification_started_on == date(2026, 11, 20)
    assert info.verification_due is not None
    assert info.number.startswith("FM-2026-")
    assert [e.event for e in info.history][:1] == ["created"]
    page = client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)
    assert f"/negative-info/{info.id}" in page
    detail = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
    assert f"/inquiries/{inquiry.id}" in detail


def test_correcting_the_conclusion_opens_no_second_item(client, login, db, world):
    login(world.supervisor.username)
    inquiry = make_inquiry(world.cadre, created_by=world.supervisor, replied_on=date(2026, 11, 16))
    client.post(f"/inquiries/{inquiry.id}/conclusion", data=PRELIMINARY)
    client.post(f"/inquiries/{inquiry.id}/conclusion", data=PRELIMINARY)
    items = db.session.scalars(select(NegativeInfo).where(NegativeInfo.cadre_id == world.cadre.id))
    assert len(list(items)) == 1


def test_other_conclusions_leave_the_item_alone(client, login, db, world):
    login(world.supervisor.username)
    info = make_report(world.cadre, created_by=world.supervisor)
    inquiry = make_inquiry(
        world.cadre,
        created_by=world.supervisor,
        replied_on=date(2026, 11, 16),
        negative_info_id=info.id,
    )
    data = {**PRELIMINARY, "conclusion": "cleared"}
    assert client.post(f"/inquiries/{inquiry.id}/conclusion", data=data).status_code == 302
    db.session.refresh(info)
    assert info.status == Status.PENDING
    assert not db.session.scalars(
        select(NegativeInfoEvent).where(NegativeInfoEvent.info_id == info.id)
    ).first()


def test_an_inquiry_issued_from_an_item_is_linked_to_it(client, login, db, world):
    login(world.supervisor.username)
    info = make_report(world.cadre, created_by=world.supervisor)
    assert f"/inquiries/new?negative_info_id={info.id}" in client.get(
        f"/negative-info/{info.id}"
    ).get_data(as_text=True).replace("&amp;", "&")
    form = client.get(f"/inquiries/new?negative_info_id={info.id}").get_data(as_text=True)
    assert info.number in form
    response = client.post(
        f"/inquiries/new?negative_info_id={info.id}",
        data={"cadre_id": str(world.cadre.id), "matters": "请说明。", "issued_on": "2026-11-02"},
    )
    assert response.status_code == 302
    inquiry = db.session.scalars(select(Inquiry)).one()
    assert inquiry.negative_info_id == info.id


def test_an_item_outside_scope_cannot_be_linked(client, login, db, world):
    login(world.supervisor.username)
    far = make_report(world.stranger)
    _db.session.commit()  # the 404 handler rolls the session back
    assert client.get(f"/inquiries/new?negative_info_id={far.id}").status_code == 404
