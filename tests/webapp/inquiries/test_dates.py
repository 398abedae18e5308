"""Inquiry dates that cannot be: checked against the letter's own timeline, beside the field."""

from __future__ import annotations

from datetime import date

from tests.factories import make_inquiry


def errors_of(page: str, field_id: str) -> str:
    marker = f'id="{field_id}-errors"'
    if marker not in page:
        return ""
    start = page.index(marker)
    return page[start : page.index("</ul>", start)]


def test_issue_date_after_the_reply_is_refused_on_edit(client, login, db, world):
    login(world.supervisor.username)
    inquiry = make_inquiry(world.cadre, replied_on=date(2026, 11, 10), reply="说明")
    response = client.post(
        f"/inquiries/{inquiry.id}/edit",
        data={"cadre_id": str(world.cadre.id), "matters": "事项", "issued_on": "2026-11-12"},
    )
    assert response.status_code == 400
    assert "发函日期不能晚于回复日期" in errors_of(response.get_data(as_text=True), "issued_on")
    db.session.refresh(inquiry)
    assert inquiry.issued_on == date(2026, 11, 2)


def test_issue_date_after_the_conclusion_is_refused_on_edit(client, login, db, world):
    login(world.supervisor.username)
    inquiry = make_inquiry(world.cadre, conclusion="cleared", concluded_on=date(2026, 11, 5))
    response = client.post(
        f"/inquiries/{inquiry.id}/edit",
        data={"cadre_id": str(world.cadre.id), "matters": "事项", "issued_on": "2026-11-06"},
    )
    assert response.status_code == 400
    assert "发函日期不能晚于办结日期" in errors_of(response.get_data(as_text=True), "issued_on")


def test_reply_after_the_conclusion_is_refused(client, login, db, world):
    login(world.supervisor.username)
    inquiry = make_inquiry(
        world.cadre,
        replied_on=date(2026, 11, 10),
        reply="说明",
        conclusion="cleared",
        concluded_on=date(2026, 11, 12),
    )
    response = client.post(
        f"/inquiries/{inquiry.id}/reply", data={"replied_on": "2026-11-13", "reply": "补充说明"}
    )
    assert response.status_code == 400
    assert "回复日期不能晚于办结日期" in errors_of(response.get_data(as_text=True), "replied_on")
    db.session.refresh(inquiry)
    assert inquiry.replied_on == date(2026, 11, 10)


def test_reversed_date_range_in_the_list_is_shown(client, login, db, world):
    login(world.supervisor.username)
    page = client.get("/inquiries/?date_from=2026-11-10&date_to=2026-11-01").get_data(as_text=True)
    assert "结束日期不能早于开始日期" in errors_of(page, "date_to")
