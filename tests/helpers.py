"""Helpers the tests share (fixtures stay in conftest.py files)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests.factories import make_cadre, make_unit, make_user
from webapp.extensions import db
from webapp.models import Cadre, DataScope, Notification, OrgUnit, User, Warning
from webapp.obligations import services as obligations
from webapp.warnings import services
from webapp.warnings.writer import command_for_code
from workflows.commands import Command
from workflows.guards import ToleranceOutcome
from workflows.obligations import ObligationKind

SHANGHAI = ZoneInfo("Asia/Shanghai")

_DATE_FIELDS = frozenset(
    {"done_on", "decided_on", "referred_on", "clarified_on", "rectification_due", "new_deadline"}
)


def command(event: str, **data) -> Command:
    """Build a workflow command from loose test values (ISO date strings, outcome codes)."""
    values = {}
    for key, value in data.items():
        if key in _DATE_FIELDS and isinstance(value, str):
            value = date.fromisoformat(value) if value else None
        elif key == "outcome" and isinstance(value, str):
            value = ToleranceOutcome(value) if value else None
        elif key in ("talk_id", "inquiry_id", "influence_months") and value in ("", 0):
            value = None
        values[key] = value
    return command_for_code(event, **values)


def act(warning: Warning, event: str, user, **data) -> Warning:
    """Apply an event through the service with the version the user would have seen."""
    return services.apply_event(warning.id, command(event, **data), user, warning.version)


def issue(world, tier: int = 1, cadre=None, items=(), reason: str = "经研判需预警") -> Warning:
    """Create a warning and take it through its whole approval chain."""
    cadre = cadre or world.cadre
    warning = services.create_warning(world.supervisor, cadre.id, tier, list(items), reason)
    act(warning, "submit", world.supervisor)
    approve_all(world, warning)
    return warning


def approve_all(world, warning: Warning) -> None:
    """Approve every remaining step of the chain, recording the committee's decision."""
    by_role = {
        "reviewer": world.reviewer,
        "approver": world.approver,
        "minister": world.minister,
        "committee": world.reviewer,
    }
    chain = {1: ["reviewer", "approver"], 2: ["reviewer", "approver", "minister"]}
    chain[3] = [*chain[2], "committee"]
    while warning.state == "pending_approval":
        role = chain[warning.tier][warning.approval_step]
        extra = {}
        if role == "committee":
            extra = {
                "document_number": "市委〔2026〕8号",
                "decided_on": "2026-03-09",
                "summary": "同意组织处理",
            }
        act(warning, "approve", by_role[role], comment="同意", **extra)


# --------------------------------------------------------------------------- the world


@dataclass(frozen=True)
class WorldNames:
    """The names the world's units and cadres carry (an area's tests may choose others)."""

    other: str = "西山县"
    cadre: tuple[str, str] = ("王建国", "科长")
    far_cadre: tuple[str, str] = ("李四", "科长")


@dataclass
class World:
    """Two branches of a unit tree, the workflow's people over the first, a cadre in each."""

    root: OrgUnit
    mine: OrgUnit
    other: OrgUnit
    supervisor: User
    reviewer: User
    approver: User
    minister: User
    viewer: User
    outsider: User
    cadre: Cadre
    far_cadre: Cadre

    @property
    def own(self) -> OrgUnit:
        """Return the supervisor's unit (the talks' tests' word for it)."""
        return self.mine

    @property
    def stranger(self) -> Cadre:
        """Return the cadre outside the supervisor's scope (the talks' tests' word for it)."""
        return self.far_cadre


def build_world(names: WorldNames) -> World:
    """Create the world's units, people and cadres (flushed, not committed)."""
    root = make_unit("某市")
    mine, other = make_unit("市财政局", root), make_unit(names.other, root)
    return World(
        root=root,
        mine=mine,
        other=other,
        supervisor=make_user("supervisor", mine, DataScope.UNIT_AND_BELOW),
        reviewer=make_user("reviewer", root, DataScope.ALL),
        approver=make_user("approver", root, DataScope.ALL),
        minister=make_user("minister", root, DataScope.ALL),
        viewer=make_user("viewer", mine, DataScope.UNIT_AND_BELOW),
        outsider=make_user("supervisor", other, DataScope.UNIT),
        cadre=make_cadre(mine, names.cadre[0], position=names.cadre[1]),
        far_cadre=make_cadre(other, names.far_cadre[0], position=names.far_cadre[1]),
    )


# --------------------------------------------------------------------------- forms


def report_form(cadre, **changes) -> dict:
    """Return a valid supervisor form for a cadre, with changes."""
    data = {
        "cadre_id": str(cadre.id),
        "category": "supervision",
        "situation": "general_petition",
        "source_channel": "petition",
        "reporting_unit": "市信访局",
        "liaison_name": "张联络",
        "source_document_number": "信访〔2026〕12号",
        "occurred_on": "2026-02-20",
        "received_on": "2026-03-02",
        "summary": "群众来信反映其违规收受购物卡。",
        "details": "",
        "handling_unit": "",
        "handling_result": "",
        "severity": "minor",
        "confidentiality": "internal",
    }
    data.update(changes)
    return data


# --------------------------------------------------------------------------- obligations

# 函询 issued Fri 2026-02-06, 15 working days over 春节: 黄灯 Feb 25, due Mar 5, overdue Mar 6.
ISSUED, DUE, YELLOW, OVERDUE = (
    date(2026, 2, 6),
    date(2026, 3, 5),
    date(2026, 2, 25),
    date(2026, 3, 6),
)
AT_YELLOW = datetime(2026, 2, 25, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def open_inquiry(cadre, subject_id=1, **changes):
    """Open the reply due of an inquiry about the cadre (flushed), with changes."""
    fields = {
        "kind": ObligationKind.INQUIRY_REPLY_DUE,
        "subject_type": "inquiry",
        "subject_id": subject_id,
        "cadre_id": cadre.id,
        "start": ISSUED,
        "due": DUE,
        "total_workdays": 15,
        "today": ISSUED,
    } | changes
    obligation = obligations.open_obligation(**fields)
    db.session.flush()
    return obligation


def notifications(**where) -> list[Notification]:
    """Return the outbox rows matching the filters, oldest first."""
    stmt = select(Notification).filter_by(**where).order_by(Notification.id)
    return db.session.scalars(stmt).all()


def switch(client, login, user) -> None:
    """Log the client out and in again as another user."""
    client.post("/auth/logout")
    login(user.username)


def offered(client, warning) -> set[str]:
    """Return the events a warning's detail page offers as forms."""
    page = client.get(f"/warnings/{warning.id}").get_data(as_text=True)
    return set(re.findall(r'<details class="action"[^>]*data-event="(\w+)"', page))


def audited_models() -> list[type]:
    """Return every model whose changes the operation log records, in one order everywhere."""
    from webapp.models import Base

    audited = [m.class_ for m in Base.registry.mappers if getattr(m.class_, "__audited__", False)]
    return sorted(audited, key=lambda model: model.__name__)  # the same in every test process
