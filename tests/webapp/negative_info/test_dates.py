"""Dates that cannot be: each is checked against the item's own timeline, beside its field."""

from __future__ import annotations

from datetime import date

from tests.factories import make_report
from tests.helpers import report_form
from workflows.verification import Status


def errors_of(page: str, field_id: str) -> str:
    marker = f'id="{field_id}-errors"'
    if marker not in page:
        return ""
    start = page.index(marker)
    return page[start : page.index("</ul>", start)]


def start(client, info, handler, **extra):
    data = {"handler_id": str(handler.id), "version": str(info.version), **extra}
    return client.post(f"/negative-info/{info.id}/start", data=data)


def test_verification_may_be_backdated_and_counts_from_its_start(client, db, world, as_supervisor):
    info = make_report(world.cadre, source_channel="petition", received_on=date(2026, 1, 10))
    assert start(client, info, as_supervisor, started_on="2026-01-12").status_code == 302
    db.session.refresh(info)
    assert info.verification_started_on == date(2026, 1, 12)
    # 信访举报, 15 working days from Monday 2026-01-12.
    assert info.verification_due == date(2026, 2, 2)


def test_start_defaults_to_today(client, db, world, as_supervisor):
    info = make_report(world.cadre)
    page = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
    assert 'name="started_on"' in page and 'value="2026-03-10"' in page
    assert start(client, info, as_supervisor).status_code == 302
    db.session.refresh(info)
    assert info.verification_started_on == date(2026, 3, 10)


def test_start_before_receipt_or_in_future_is_refused_beside_the_field(
    client, db, world, as_supervisor
):
    info = make_report(world.cadre, received_on=date(2026, 1, 10))
    for day, message in (
        ("2026-01-09", "开始核实日期不能早于收到时间"),
        ("2026-03-11", "不能晚于今天"),
    ):
        response = start(client, info, as_supervisor, started_on=day)
        assert response.status_code == 400
        assert message in errors_of(response.get_data(as_text=True), "started_on")
        db.session.refresh(info)
        assert info.status == Status.PENDING


def test_conclusion_before_start_is_shown_beside_the_date(client, db, world, as_supervisor):
    info = make_report(world.cadre)
    start(client, info, as_supervisor, started_on="2026-03-05")
    db.session.refresh(info)
    response = client.post(
        f"/negative-info/{info.id}/conclude",
        data={
            "conclusion": "true",
            "concluded_on": "2026-03-04",
            "note": "核实情况",
            "version": str(info.version),
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "核实办结日期不能早于开始核实日期" in errors_of(page, "concluded_on")
    assert 'value="核实情况"' in page or "核实情况</textarea>" in page


def test_received_after_verification_start_is_refused_on_edit(client, db, world, as_supervisor):
    info = make_report(world.cadre, received_on=date(2026, 3, 2), occurred_on=date(2026, 2, 20))
    start(client, info, as_supervisor, started_on="2026-03-03")
    db.session.refresh(info)
    response = client.post(
        f"/negative-info/{info.id}/edit",
        data=report_form(world.cadre, received_on="2026-03-05", version=str(info.version)),
    )
    assert response.status_code == 400
    assert "收到时间不能晚于开始核实日期" in errors_of(
        response.get_data(as_text=True), "received_on"
    )
    db.session.refresh(info)
    assert info.received_on == date(2026, 3, 2)
