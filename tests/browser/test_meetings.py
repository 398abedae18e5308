"""研判会商 in the browser: the secretary opens a 双周研判 the scheduler created, records an
escalation, a 函询 and a 继续关注, closes the meeting and downloads the minutes.

The fortnight's records (a verified item and a tier-1 warning resting on it) and the series
are set up through the services; the meeting itself is created by the scheduler's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from docx import Document
from playwright.sync_api import expect

from alerts import jobs
from tests.browser.conftest import log_in
from tests.factories import make_report
from webapp.clock import org_today, utc_now
from webapp.extensions import db
from webapp.models import Cadre, NegativeInfo, OrgUnit, User, Warning
from webapp.models.meetings import Meeting, MeetingSeries
from webapp.warnings import services as warnings
from workflows.commands import Approve


@dataclass(frozen=True)
class Setup:
    """The cadre, the verified item and the issued warning resting on it."""

    cadre_id: int
    cadre_name: str
    info_number: str
    info_id: int
    warning_id: int
    warning_number: str


def user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def set_up(app) -> Setup:
    """Verify an item about a demo cadre today and issue a tier-1 warning on it."""
    with app.app_context():
        busy = sa.select(NegativeInfo.cadre_id).where(NegativeInfo.cadre_id.is_not(None))
        cadre = db.session.scalars(
            sa.select(Cadre).where(Cadre.id.not_in(busy)).order_by(Cadre.id)
        ).first()
        today = org_today()
        info = make_report(
            cadre,
            received_on=today - timedelta(days=20),
            occurred_on=today - timedelta(days=30),
            status="true",
            verification_started_on=today - timedelta(days=19),
            verified_on=today,
        )
        db.session.commit()
        warning = warnings.create_warning(
            user("supervisor"), cadre.id, 1, [info.id], "", submit=True
        )
        for username in ("reviewer", "approver"):
            warnings.apply_event(
                warning.id, Approve(comment="同意。"), user(username), warning.version
            )
        setup = Setup(cadre.id, cadre.name, info.number, info.id, warning.id, warning.number)
        db.session.remove()
    return setup


def schedule_meeting(app) -> tuple[str, int]:
    """Set up the province's 双周研判 series and let the job create the meeting."""
    with app.app_context():
        root = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.parent_id.is_(None))).first()
        series = MeetingSeries(
            kind="biweekly",
            unit=root,
            secretary=user("reviewer"),
            attendees=[user("approver"), user("supervisor")],
        )
        series.created_at = utc_now() - timedelta(days=40)
        db.session.add(series)
        db.session.commit()
        series_id = series.id
        db.session.remove()
    assert jobs.run_job(app, "meetings", jobs.meetings).result == "ok"
    with app.app_context():
        meeting = db.session.scalars(sa.select(Meeting).where(Meeting.series_id == series_id)).one()
        number = meeting.number
        db.session.remove()
    return number, series_id


def decide(page, section: str, ref: str, decision: str, note: str = "") -> None:
    """Open 记录决定 on an agenda line, choose the decision and save it."""
    row = page.locator(f'tr[data-section="{section}"][data-ref="{ref}"]')
    row.locator("details.decide").evaluate("details => { details.open = true; }")
    row.get_by_label("决定", exact=True).select_option(label=decision)
    if note:
        row.get_by_label("说明").fill(note)
    row.get_by_role("button", name="保存决定").click()


def test_the_secretary_runs_a_biweekly_review(page, live_app, shot, tmp_path):
    setup = set_up(live_app)
    number, _series = schedule_meeting(live_app)

    log_in(page, "reviewer")
    page.get_by_role("link", name="研判会商").click()
    expect(page.locator("h1")).to_have_text("研判会商")
    shot(page, "60-meetings-list")
    page.get_by_role("link", name=number).click()
    expect(page.locator("#status")).to_have_text("待召开")
    expect(
        page.locator(f'tr[data-section="warning_issued"][data-ref="{setup.warning_number}"]')
    ).to_contain_text(setup.cadre_name)
    shot(page, "61-meeting-agenda")

    decide(page, "warning_issued", setup.warning_number, "建议升级", "提醒后仍未改正，建议升级")
    expect(page.locator(".flash.success")).to_have_text("决定已记录")
    expect(page.locator("#status")).to_have_text("进行中")

    decide(page, "verified", setup.info_number, "函询")
    # The 函询 form opens about the line's item (cadre and item prefilled).
    expect(page).to_have_url(re.compile(rf"/inquiries/new\?negative_info_id={setup.info_id}$"))
    expect(page.locator("main")).to_contain_text(setup.info_number)
    page.go_back()
    page.reload()

    decide(page, "warning_created", setup.warning_number, "继续关注", "持续跟踪整改情况")
    expect(page.locator(".flash.success")).to_have_text("决定已记录")
    expect(page.locator("ul.decisions li")).to_have_count(3)

    page.locator("#minutes").get_by_label("会议意见").fill("同意上述三项决定。")
    page.get_by_role("button", name="保存纪要").click()
    expect(page.locator(".flash.success")).to_have_text("会议纪要已保存")
    shot(page, "62-meeting-decisions")
    page.get_by_role("button", name="结束会议").click()
    expect(page.locator("#status")).to_have_text("已结束")
    expect(page.get_by_text("记录决定")).to_have_count(0)
    shot(page, "63-meeting-closed")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载会议纪要").click()
    path = tmp_path / "minutes.docx"
    download_info.value.save_as(path)
    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "双周研判会议纪要" in text and "同意上述三项决定。" in text
    assert {"建议升级", "函询", "继续关注"} <= set(cells) and number in cells

    with live_app.app_context():
        warning = db.session.get(Warning, setup.warning_id)
        assert warning.state == "pending_approval" and int(warning.tier) == 2
        assert number in warning.events[-1].reason
        db.session.remove()
