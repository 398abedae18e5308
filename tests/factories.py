"""Small factories for test data."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy import select
from stdnum.cn import ric

from webapp.extensions import db
from webapp.models import Cadre, DataScope, OrgUnit, Role, User
from webapp.security.passwords import hash_password
from webapp.units import set_path

PASSWORD = "Test-Passw0rd!"
_counter = itertools.count(1)
_hashes: dict[str, str] = {}


def make_unit(name: str = "", parent: OrgUnit | None = None) -> OrgUnit:
    """Create a unit under a parent."""
    n = next(_counter)
    unit = OrgUnit(code=f"u{n}", name=name or f"测试单位{n}", parent=parent)
    db.session.add(unit)
    db.session.flush()
    set_path(unit)
    db.session.flush()
    return unit


def make_user(
    role: str,
    unit: OrgUnit,
    scope: DataScope = DataScope.ALL,
    username: str = "",
    scope_units: list[OrgUnit] | None = None,
    password: str = PASSWORD,
) -> User:
    """Create an active user with a role, unit and data scope."""
    if password not in _hashes:
        _hashes[password] = hash_password(password)
    user = User(
        username=username or f"{role}{next(_counter)}",
        full_name=f"测试{role}",
        password_hash=_hashes[password],
        role=db.session.scalars(select(Role).where(Role.code == role)).one(),
        unit=unit,
        data_scope=scope,
        scope_units=scope_units or [],
    )
    db.session.add(user)
    db.session.flush()
    return user


def id_number(birth: date = date(1980, 5, 17), seq: int | None = None) -> str:
    """Make a valid ID number for a birth date."""
    seq = next(_counter) % 1000 if seq is None else seq
    body = f"110105{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_cadre(unit: OrgUnit, name: str = "", created_by: User | None = None, **fields) -> Cadre:
    """Create a cadre in a unit."""
    birth = fields.pop("birth_date", date(1980, 5, 17))
    values = {
        "name": name or f"干部{next(_counter)}",
        "gender": "male",
        "birth_date": birth,
        "ethnicity": "han",
        "political_status": "cpc",
        "education": "bachelor",
        "unit": unit,
        "position": "科长",
        "rank": "zhengke",
        "category": "section",
        "id_number": id_number(birth),
        "created_by_id": created_by.id if created_by else None,
    }
    cadre = Cadre(**{**values, **fields})
    db.session.add(cadre)
    db.session.flush()
    return cadre


def make_report(cadre: Cadre, created_by: User | None = None, **fields):
    """Create a negative-information item about a cadre (待核实 unless told otherwise)."""
    from webapp.models import NegativeInfo
    from webapp.negative_info.due import open_verification_due

    n = next(_counter)
    values = {
        "number": f"FM-T-{n:05d}",
        "cadre_id": cadre.id,
        "cadre_name": cadre.name,
        "cadre_position": cadre.position,
        "unit_id": cadre.unit_id,
        "category": "supervision",
        "situation": "general_petition",
        "default_tier": 1,
        "source_channel": "petition",
        "occurred_on": date(2026, 1, 5),
        "received_on": date(2026, 1, 10),
        "summary": f"测试摘要{n}",
        "severity": "minor",
        "status": "pending",
        "created_by_id": created_by.id if created_by else None,
    }
    info = NegativeInfo(**{**values, **fields})
    db.session.add(info)
    db.session.flush()
    open_verification_due(info)  # as the service declares it: the page's light reads it
    return info


def make_talk(cadre: Cadre, created_by: User | None = None, **fields):
    """Create a talk record with a cadre (a 提醒谈话 on 2026-11-20 09:00–10:30 Beijing time)."""
    from datetime import UTC, datetime

    from webapp.models import Talk

    values = {
        "cadre_id": cadre.id,
        "cadre_name": cadre.name,
        "cadre_title": f"{cadre.unit.name}{cadre.position}",
        "talk_type": "reminder",
        "interviewers": [{"name": "李谈话", "position": "市委组织部副部长"}],
        "note_taker_name": "赵记录",
        "note_taker_position": "干部监督科干部",
        "started_at": datetime(2026, 11, 20, 1, 0, tzinfo=UTC),
        "ended_at": datetime(2026, 11, 20, 2, 30, tzinfo=UTC),
        "place": "市委组织部第一会议室",
        "mode": "in_person",
        "reason": "测试谈话事由",
        "content": "测试谈话内容",
        "created_by_id": created_by.id if created_by else None,
    }
    talk = Talk(**{**values, **fields})
    db.session.add(talk)
    db.session.flush()
    return talk


def make_inquiry(cadre: Cadre, created_by: User | None = None, **fields):
    """Create a round-1 inquiry issued 2026-11-02, reply due 15 working days later."""
    from webapp.inquiries.due import sync_reply_due
    from webapp.models import Inquiry

    values = {
        "cadre_id": cadre.id,
        "cadre_name": cadre.name,
        "cadre_title": f"{cadre.unit.name}{cadre.position}",
        "round": 1,
        "matters": "测试函询事项",
        "issued_on": date(2026, 11, 2),
        "reply_workdays": 15,
        "reply_due": date(2026, 11, 23),
        "created_by_id": created_by.id if created_by else None,
    }
    inquiry = Inquiry(**{**values, **fields})
    db.session.add(inquiry)
    db.session.flush()
    sync_reply_due(inquiry)  # as the service declares it: the page's light reads it
    return inquiry


def make_warning(cadre: Cadre, proposer: User, number: str, tier: int = 1, state: str = "issued"):
    """Put a warning row in place directly (the workflow itself is the warnings area's test)."""
    from webapp.models import Warning

    warning = Warning(
        number=number, cadre_id=cadre.id, tier=tier, state=state, proposer_id=proposer.id
    )
    db.session.add(warning)
    db.session.flush()
    return warning
