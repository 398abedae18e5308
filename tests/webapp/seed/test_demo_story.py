"""The demo data an organization department would believe, checked by rules stated here anew.

The seed runs once per database for the whole module (it plays months of casework through the
services); every test reads what it wrote. Rules below are written independently of the
seed's own tables: a post that does not fit its unit, a rank that does not fit its post or an
age outside its range fails here however the seed was built.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine
from click.testing import CliRunner

from tests.databases import DATABASES, database_config, drop_postgres_schema
from webapp import create_app
from webapp.cadre_picker import cadre_title
from webapp.cli import seed_demo_command
from webapp.extensions import db
from webapp.models import (
    Cadre,
    CadreEvent,
    Clarification,
    DataScope,
    Inquiry,
    NegativeInfo,
    Notification,
    Obligation,
    OrgUnit,
    Referral,
    Talk,
    ToleranceDecision,
    User,
    Warning,
)
from webapp.models.meetings import Meeting, MeetingStatus
from webapp.obligations.sync import sync_all_due
from webapp.security.scope import scoped
from webapp.seed.demo import seed_demo
from workflows.obligations import ObligationKind
from workflows.states import State

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 16, 0, tzinfo=SHANGHAI)  # a Tuesday afternoon
TODAY = NOW.date()
PASSWORD = "Demo-Passw0rd!"
# Age at today by rank, as an organization department would find plausible.
AGES = {"zhengchu": (38, 60), "fuchu": (33, 58), "zhengke": (28, 58), "fuke": (25, 56)}
# 年轻干部: 县处级正职 45、副职 40，乡科级正职 35、副职 30 岁及以下.
YOUNG = {"zhengchu": 45, "fuchu": 40, "zhengke": 35, "fuke": 30}
SOURCES = {
    "inspection", "audit", "petition", "hotline_12380", "personal_report", "archive_review",
    "discipline_notice", "assessment", "public_opinion", "judicial", "daily", "other",
}  # fmt: skip


def seed_into(kind: str, tmp_path_factory, name: str):
    """Build an app on a fresh database of this kind and seed the demo at NOW."""
    config = database_config(kind, tmp_path_factory.mktemp(name), name)
    app = create_app("testing", {**config, "DEMO_PASSWORD": PASSWORD})
    with app.app_context():
        db.create_all()
        with time_machine.travel(NOW, tick=False):
            seed_demo(PASSWORD)
        db.session.remove()
    return app, config


def dispose(app, config) -> None:
    with app.app_context():
        db.engine.dispose()
    if "PG_SCHEMA" in config:
        drop_postgres_schema(config["PG_SCHEMA"])


@pytest.fixture(scope="module", params=DATABASES)
def demo(request, tmp_path_factory):
    """Seed the demo once per database; yield the app."""
    app, config = seed_into(request.param, tmp_path_factory, "demo")
    app.config["DB_KIND"] = request.param
    yield app
    dispose(app, config)


@pytest.fixture
def ctx(demo):
    """Work in the demo's app context at NOW."""
    with demo.app_context(), time_machine.travel(NOW, tick=False):
        yield db.session
        db.session.rollback()


def all_of(model):
    return db.session.scalars(sa.select(model).order_by(model.id)).all()


def age(cadre: Cadre) -> int:
    birth = cadre.birth_date
    return TODAY.year - birth.year - ((TODAY.month, TODAY.day) < (birth.month, birth.day))


# ------------------------------------------------------------------------------------ the roster


def level(unit: OrgUnit) -> str:
    """Name a unit's level by its place in the tree and its name."""
    parent = unit.parent
    if parent is not None and parent.parent is None:
        return "county" if unit.name.endswith(("县", "区")) else "city_dept"
    return "local"


def post(cadre: Cadre) -> str:
    """Return a cadre's post without the unit it is written with (西山县青石乡副乡长 → 副乡长)."""
    return cadre.position.removeprefix(cadre.unit.name)


DOUBLED = ("乡", "镇", "街道")  # 县县委书记, 财政局局长 are written so


def post_fits(unit: OrgUnit, title: str) -> bool:
    """Tell whether a post belongs in a unit of this name (a 乡 has no 镇长, a 区 no 副县长)."""
    name = unit.name
    if name.endswith(("乡", "镇", "街道")) and not title.startswith(
        ("党", "纪", "副", "人大", "办事处")
    ):
        return False
    if level(unit) == "county":
        own, other = ("县", "区") if name.endswith("县") else ("区", "县")
        return other not in title and (own in title or title.startswith("委"))
    for kind in ("乡", "镇", "街道"):
        if name.endswith(kind):
            others = {"乡", "镇", "街道", "县", "区", "局"} - {kind}
            return not any(word in title for word in others)
    if name.endswith("局"):
        return title.endswith(("局长", "科长", "办公室主任"))
    return title in {"主任", "副主任"} or title.endswith("科长")


# The head of government each kind of unit has, once.
GOVERNMENT_HEAD = {"乡": "乡长", "镇": "镇长", "街道": "办事处主任", "县": "县长", "区": "区长"}


def principal(title: str) -> bool:
    """Tell whether a title is a unit's head (书记 or the head of government or office)."""
    head = title.split("、")[-1]  # 县委副书记、县长 is the 县长
    heads = ("书记", "县长", "区长", "乡长", "镇长", "局长", "主任")
    return head.endswith(heads) and "副" not in head and "纪" not in head and head != "办公室主任"


def expected_rank(unit: OrgUnit, title: str) -> str:
    """Return the rank a post carries in a prefecture-level city."""
    match level(unit):
        case "county":
            return "zhengchu" if principal(title) else "fuchu"
        case "city_dept":
            if principal(title):
                return "zhengchu"
            if title.startswith("副") and not title.endswith("科长"):
                return "fuchu"
            return "fuke" if title.startswith("副") else "zhengke"
    return "zhengke" if principal(title) or title.endswith("人大主席") else "fuke"


def test_about_three_hundred_cadres_with_valid_identities(ctx):
    cadres = all_of(Cadre)
    assert 270 <= len(cadres) <= 320
    assert len({c.id_number for c in cadres}) == len(cadres)
    for cadre in cadres:
        number = cadre.id_number
        assert number[6:14] == cadre.birth_date.strftime("%Y%m%d")
        assert int(number[16]) % 2 == (0 if cadre.gender == "female" else 1)
        assert 2 <= len(cadre.name) <= 4


def test_every_post_fits_its_unit_and_each_head_post_is_held_once(ctx):
    cadres = all_of(Cadre)
    # Written with its unit (单位职务) a post repeats no word: no 青石乡乡长, no 新华街道街道….
    doubled = [cadre_title(c) for c in cadres if any(w * 2 in cadre_title(c) for w in DOUBLED)]
    assert doubled == []
    assert [(c.unit.name, c.position) for c in cadres if not post_fits(c.unit, post(c))] == []
    heads = Counter((c.unit_id, post(c)) for c in cadres if principal(post(c)))
    assert [key for key, n in heads.items() if n > 1] == []
    for unit in {c.unit for c in cadres}:
        kind = next((k for k in GOVERNMENT_HEAD if unit.name.endswith(k)), None)
        if kind is None:
            continue
        holders = [c for c in cadres if c.unit_id == unit.id and principal(post(c))]
        assert [post(c).split("、")[-1] for c in holders].count(GOVERNMENT_HEAD[kind]) == 1
    kinds = {k for c in cadres for k in GOVERNMENT_HEAD if c.unit.name.endswith(k)}
    assert kinds == set(GOVERNMENT_HEAD)


def test_rank_fits_post_age_fits_rank_and_young_cadres_follow_the_rule(ctx):
    cadres = all_of(Cadre)
    wrong_rank = [
        (c.unit.name, c.position, c.rank)
        for c in cadres
        if c.rank != expected_rank(c.unit, post(c))
    ]
    assert wrong_rank == []
    odd_age = [
        (c.position, c.rank, age(c))
        for c in cadres
        if not AGES[c.rank][0] <= age(c) <= AGES[c.rank][1]
    ]
    assert odd_age == []
    assert [c.name for c in cadres if c.is_young != (age(c) <= YOUNG[c.rank])] == []
    assert 0.05 < sum(c.is_young for c in cadres) / len(cadres) < 0.3
    assert {c.category for c in cadres} == {"city", "county", "section"}


def test_most_but_not_all_leaders_are_men(ctx):
    cadres = all_of(Cadre)
    leaders = [c for c in cadres if c.rank in ("zhengchu", "fuchu")]
    heads = [c for c in cadres if principal(post(c))]
    assert 0.65 < sum(c.gender == "male" for c in leaders) / len(leaders) < 0.95
    assert 0.8 < sum(c.gender == "male" for c in heads) / len(heads) < 1
    assert 0.2 < sum(c.gender == "female" for c in cadres) / len(cadres) < 0.45


# ------------------------------------------------------------------------------------ the cases


def test_negative_information_spans_every_source_and_verification_state(ctx):
    items = all_of(NegativeInfo)
    assert 70 <= len(items) <= 95
    assert {i.source_channel for i in items} == SOURCES
    statuses = Counter(i.status for i in items)
    assert set(statuses) == {
        "pending",
        "verifying",
        "true",
        "partly_true",
        "untrue",
        "unverifiable",
    }
    assert any(i.via_liaison for i in items)
    assert min(i.received_on for i in items) < TODAY.replace(year=TODAY.year - 1)
    overdue = [i for i in items if i.status == "verifying" and i.verification_due < TODAY]
    assert overdue


def test_warnings_in_every_state_and_tier(ctx):
    found = all_of(Warning)
    assert 25 <= len(found) <= 35
    assert {w.state for w in found} == {s.value for s in State}
    assert {w.tier for w in found} == {1, 2, 3}
    open_tiers = {w.tier for w in found if w.state in ("issued", "rectifying")}
    assert open_tiers == {1, 2, 3}
    colours = Counter(c.status_colour for c in all_of(Cadre))
    assert {"green", "yellow", "orange", "red"} <= set(colours)
    assert colours["green"] > 0.85 * sum(colours.values())


def test_the_stories_are_there(ctx):
    referred = [w for w in all_of(Warning) if w.state == "referred"]
    assert [w.tier for w in referred] == [3]
    assert db.session.scalars(
        sa.select(Referral).where(Referral.warning_id == referred[0].id)
    ).one()
    cleared = db.session.scalars(sa.select(Clarification).where(Clarification.automatic)).one()
    revoked = db.session.get(Warning, cleared.warning_id)
    assert revoked.state == "revoked" and cleared.method == "meeting"
    assert all(item.status == "untrue" for item in revoked.basis)
    outcomes = {t.outcome: db.session.get(Warning, t.warning_id) for t in all_of(ToleranceDecision)}
    assert outcomes["exempt"].state == "revoked"
    assert (outcomes["reduced"].tier, outcomes["reduced"].issued_tier) == (1, 1)
    assert any(w.paused for w in all_of(Warning))
    escalated = [w for w in all_of(Warning) if any(e.event == "escalate" for e in w.events)]
    assert [(w.state, w.tier) for w in escalated] == [("pending_approval", 2)]


def test_some_deadlines_are_overdue_and_some_half_used(ctx):
    rows = db.session.scalars(sa.select(Obligation).where(Obligation.closed_at.is_(None))).all()
    overdue = Counter(r.kind for r in rows if r.due_on < TODAY)
    for kind in ("action_due", "rectification_report_due", "verification_due", "inquiry_reply_due"):
        assert overdue[ObligationKind(kind)] >= 1, kind
    assert any(r.start_on < TODAY <= r.due_on for r in rows)


def test_mandatory_talks_are_due_and_some_were_held(ctx):
    rows = db.session.scalars(
        sa.select(Obligation).where(Obligation.kind == ObligationKind.MANDATORY_TALK)
    ).all()
    open_rows = [r for r in rows if r.closed_at is None]
    assert any(r.due_on < TODAY for r in open_rows) and any(r.due_on >= TODAY for r in open_rows)
    assert any(r.closed_at is not None for r in rows)
    kinds = {e.kind for e in all_of(CadreEvent)}
    assert {"appointment", "transfer", "youth_class"} <= kinds
    occasions = {t.occasion for t in all_of(Talk)}
    assert {"appointment_transfer", "youth_class"} <= occasions
    assert {"reminder", "admonishment", "heart", "integrity"} <= {t.talk_type for t in all_of(Talk)}


def test_inquiries_in_both_rounds_and_meetings_held_and_due(ctx):
    letters = all_of(Inquiry)
    assert {i.round for i in letters} == {1, 2}
    assert {"cleared", "again", "preliminary"} <= {i.conclusion for i in letters}
    assert any(i.reply_due < TODAY and i.replied_on is None for i in letters)
    meetings = all_of(Meeting)
    closed = [m for m in meetings if m.status == MeetingStatus.CLOSED]
    assert any(m.decisions for m in closed) and all(m.opinions for m in closed)
    assert any(m.status == MeetingStatus.PENDING for m in meetings)
    assert {m.unit.name for m in meetings} == {"江州市", "东城区"}
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) > 20


def test_the_district_supervisor_sees_his_district_only(ctx):
    district = db.session.scalars(sa.select(User).where(User.username == "district")).one()
    assert (district.role.code, district.data_scope) == ("supervisor", DataScope.UNIT_AND_BELOW)
    assert district.unit.name == "东城区"
    seen = db.session.scalars(scoped(sa.select(Warning), Warning, district)).all()
    assert 0 < len(seen) < len(all_of(Warning))
    assert all(w.cadre.unit.path.startswith(district.unit.path) for w in seen)


def test_obligations_are_in_step_with_the_records(ctx):
    def table():
        rows = all_of(Obligation)
        return [(r.kind, r.subject_type, r.subject_id, r.due_on, r.closed_at is None) for r in rows]

    before = table()
    sync_all_due()
    db.session.flush()
    assert table() == before


def test_if_empty_does_nothing_the_second_time(demo, ctx):
    counts = [db.session.scalar(sa.select(sa.func.count(m.id))) for m in (Cadre, Warning, User)]
    result = CliRunner().invoke(seed_demo_command, ["--if-empty"])
    assert result.exit_code == 0 and "跳过" in result.output
    assert [
        db.session.scalar(sa.select(sa.func.count(m.id))) for m in (Cadre, Warning, User)
    ] == counts


def snapshot() -> list:
    """Return what the demo holds, in values a person reads (no ids, hashes or sealed bytes)."""
    return [
        [(c.name, c.gender, c.birth_date, c.unit.code, c.position, c.id_number) for c in all_of(Cadre)],
        [(i.number, i.cadre_name, i.situation, i.status, i.received_on) for i in all_of(NegativeInfo)],
        [(w.number, w.cadre_id, w.tier, w.state, w.issued_on) for w in all_of(Warning)],
        [(t.cadre_name, t.talk_type, t.started_at) for t in all_of(Talk)],
        [(i.cadre_name, i.round, i.conclusion, i.reply_due) for i in all_of(Inquiry)],
        [(m.number, m.kind, m.status, m.held_on) for m in all_of(Meeting)],
    ]  # fmt: skip


def test_seeding_twice_on_the_same_day_gives_the_same_data(demo, tmp_path_factory):
    if demo.config["DB_KIND"] != "sqlite":
        # The generator's determinism is the database's no more than it is SQLite's: seeding
        # a second PostgreSQL schema would double this module's time and prove nothing more.
        pytest.skip("checked once, on SQLite")
    with demo.app_context():
        first = snapshot()
    again, config = seed_into(demo.config["DB_KIND"], tmp_path_factory, "again")
    try:
        with again.app_context():
            assert snapshot() == first
    finally:
        dispose(again, config)
