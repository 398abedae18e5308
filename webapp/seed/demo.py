"""Demo data: a working office in the city of 江州, made on an empty database.

About 300 cadres in posts that fit their units, one user per role, and a year of casework
played through the real services. Deterministic (fixed seeds) and dated relative to today:
run on the same day, it is the same; run on another day, its deadlines and lights mean the
same things.
"""

from __future__ import annotations

import itertools
import random

from flask import current_app
from sqlalchemy import func, select

from webapp.auth.services import set_password
from webapp.clock import org_today, utc_now
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.models import Cadre, DataScope, Role, User
from webapp.obligations.sync import sync_all_due
from webapp.seed import demo_cases as cases
from webapp.seed.demo_org import build_cadres, build_units
from webapp.seed.demo_play import Days, play
from webapp.seed.reference import ensure_reference_data

DEMO_USERS = [
    # username, full name, role, unit code, scope
    ("admin", "系统管理员", "sysadmin", "org", DataScope.ALL),
    ("secadmin", "安全保密管理员", "secadmin", "org", DataScope.ALL),
    ("auditor", "安全审计员", "auditor", "org", DataScope.ALL),
    ("supervisor", "李明", "supervisor", "org-sup", DataScope.ALL),
    ("reviewer", "王立群", "reviewer", "org-sup", DataScope.ALL),
    ("approver", "赵振华", "approver", "org", DataScope.ALL),
    ("minister", "钱国栋", "minister", "org", DataScope.ALL),
    # A supervisor of one district: sees 东城区 and the units under it only.
    ("district", "陈晓东", "supervisor", "east", DataScope.UNIT_AND_BELOW),
    ("liaison", "孙丽", "liaison", "finance", DataScope.SELF),
    ("viewer", "周建平", "viewer", "city", DataScope.ALL),
]
# Below this many cadres (the browser tests' small demo) only the stories marked small are told.
FULL_CAST = 150


class DatabaseNotEmpty(RuntimeError):
    """Raised when demo data would mix with real data."""


def holds_data() -> bool:
    """Tell whether the database already holds users or cadres."""
    return bool(
        db.session.scalar(select(func.count(User.id)))
        or db.session.scalar(select(func.count(Cadre.id)))
    )


def create_users(units, password: str) -> dict[str, str]:
    """Create one demo user per role (and the district supervisor); return username → role."""
    roles = {r.code: r for r in db.session.scalars(select(Role))}
    accounts = {}
    for username, full_name, role, unit_code, scope in DEMO_USERS:
        user = User(
            username=username,
            full_name=full_name,
            role=roles[role],
            unit=units[unit_code],
            data_scope=scope,
        )
        set_password(user, password)
        db.session.add(user)
        accounts[username] = str(roles[role].name)
    return accounts


def stories(office: cases.Office, cadres: list[int], rng: random.Random) -> list:
    """Cast the cadres in the stories: each case its own cadre, the rest drawn from the roster."""
    if not cadres:
        return []
    full = len(cadres) >= FULL_CAST
    pool = list(cadres)
    rng.shuffle(pool)
    cast = itertools.cycle(pool)  # a tiny roster plays several parts
    told = [c for c in cases.CASES if full or c.small]
    result = [cases.case_story(office, case, next(cast)) for case in told]
    background = cases.BACKGROUND if full else cases.BACKGROUND[::5]
    result += [cases.item_story(office, next(cast), *row) for row in background]
    liaison = cases.LIAISON if full else cases.LIAISON[:1]
    result += [cases.liaison_story(office, next(cast), *row) for row in liaison]
    inquiries = cases.INQUIRIES if full else cases.INQUIRIES[:2]
    result += [cases.inquiry_story(office, next(cast), *row) for row in inquiries]
    mandatory = cases.MANDATORY if full else cases.MANDATORY[:3]
    result += [cases.mandatory_story(office, next(cast), *row) for row in mandatory]
    for index in range(8 if full else 2):
        kind = "heart" if index % 2 else "integrity"
        result.append(cases.heart_story(office, next(cast), 10 + index * 17, kind))
    # A few more items about cadres already in a story: the register has repeat names too.
    result += [
        cases.item_story(office, rng.choice(pool[:40]), "general_petition", 120 + 9 * i, "true")
        for i in range(3 if full else 0)
    ]
    result.append(cases.meeting_story(office, "monthly", "city", "supervisor", 60))
    result.append(cases.meeting_story(office, "biweekly", "east", "district", 30))
    return result


def seed_demo(password: str, cadres: int = 300, seed: int = 2026) -> dict[str, str]:
    """Fill an empty database with demo data; return the accounts created (username → role)."""
    if holds_data():
        raise DatabaseNotEmpty("数据库中已有用户或干部数据，拒绝写入演示数据")
    ensure_reference_data()
    rng = random.Random(seed)
    today, now = org_today(), utc_now()
    units = build_units()
    accounts = create_users(units, password)
    roster = [c.id for c in build_cadres(units, cadres, rng, today)]
    db.session.commit()
    office = cases.Office(Days(today, work_calendar()), rng, now)
    db.session.close()  # each step has its own session; this one must hold no lock meanwhile
    play(stories(office, roster, rng), now)
    sync_all_due()
    db.session.commit()
    sweep = current_app.extensions.get("alerts.run_job")
    if sweep is not None:
        sweep("sweep")  # the reminders and escalation proposals of what is due today
    return accounts
