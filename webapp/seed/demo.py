"""Demo data: a unit tree, ~300 cadres with plausible Chinese names, one user per role."""

from __future__ import annotations

import random
from datetime import date, timedelta

from faker import Faker
from sqlalchemy import func, select
from stdnum.cn import ric

from webapp.auth.services import set_password
from webapp.extensions import db
from webapp.models import Cadre, DataScope, OrgUnit, Role, User
from webapp.seed.reference import ensure_reference_data
from webapp.units import set_path

# (code, name, children): a prefecture-level city's organisation, trimmed.
UNIT_TREE = (
    "city",
    "某市",
    [
        ("org", "市委组织部", [("org-sup", "干部监督科", []), ("org-cadre", "干部一科", [])]),
        ("cpc-office", "市委办公室", []),
        ("gov-office", "市政府办公室", []),
        ("drc", "市发展和改革委员会", []),
        ("finance", "市财政局", []),
        ("education", "市教育局", []),
        ("health", "市卫生健康委员会", []),
        ("land", "市自然资源和规划局", []),
        ("housing", "市住房和城乡建设局", []),
        ("transport", "市交通运输局", []),
        (
            "east",
            "东城区",
            [
                ("east-cpc", "东城区委办公室", []),
                ("east-gov", "东城区政府办公室", []),
                ("east-finance", "东城区财政局", []),
                ("east-street1", "东城区新华街道", []),
                ("east-street2", "东城区和平街道", []),
            ],
        ),
        (
            "west",
            "西山县",
            [
                ("west-cpc", "西山县委办公室", []),
                ("west-gov", "西山县政府办公室", []),
                ("west-town1", "西山县城关镇", []),
                ("west-town2", "西山县青石乡", []),
            ],
        ),
        (
            "south",
            "南湖区",
            [
                ("south-cpc", "南湖区委办公室", []),
                ("south-edu", "南湖区教育局", []),
                ("south-street", "南湖区湖滨街道", []),
            ],
        ),
    ],
)

DEMO_USERS = [
    # username, full name, role, unit code, scope
    ("admin", "系统管理员", "sysadmin", "org", DataScope.ALL),
    ("secadmin", "安全保密管理员", "secadmin", "org", DataScope.ALL),
    ("auditor", "安全审计员", "auditor", "org", DataScope.ALL),
    ("supervisor", "李监督", "supervisor", "org-sup", DataScope.ALL),
    ("reviewer", "王科长", "reviewer", "org-sup", DataScope.ALL),
    ("approver", "赵副部长", "approver", "org", DataScope.ALL),
    ("minister", "钱部长", "minister", "org", DataScope.ALL),
    ("liaison", "孙联络", "liaison", "finance", DataScope.SELF),
    ("viewer", "周领导", "viewer", "city", DataScope.ALL),
]

RANKS = ["ting", "zhengchu", "fuchu", "zhengke", "fuke", "keyuan"]
# Titles by the kind of unit (its name's ending) and rank, so a 乡 has no 局长.
TITLES = {
    "bureau": {
        "ting": ["局长", "主任"],
        "zhengchu": ["局长", "主任"],
        "fuchu": ["副局长", "副主任"],
        "zhengke": ["科长", "办公室主任"],
        "fuke": ["副科长"],
        "keyuan": ["科员", "一级科员"],
    },
    "district": {
        "ting": ["区长", "县委书记"],
        "zhengchu": ["区委副书记", "县委副书记"],
        "fuchu": ["副区长", "副县长"],
        "zhengke": ["办公室主任"],
        "fuke": ["办公室副主任"],
        "keyuan": ["科员"],
    },
    "street": {
        "ting": ["党工委书记"],
        "zhengchu": ["党工委书记"],
        "fuchu": ["办事处主任"],
        "zhengke": ["党工委副书记", "镇长", "乡长"],
        "fuke": ["副主任", "副镇长", "副乡长"],
        "keyuan": ["科员"],
    },
}


def title_for(unit_name: str, rank: str, rng: random.Random) -> str:
    """Pick a plausible title for a rank in a unit of that kind."""
    if unit_name.endswith(("街道", "镇", "乡")):
        kind = "street"
    elif unit_name.endswith(("区", "县")):
        kind = "district"
    else:
        kind = "bureau"
    return rng.choice(TITLES[kind][rank])


AREA_CODES = ["110101", "110102", "110105", "110108", "120101", "310101", "310104"]


class DatabaseNotEmpty(RuntimeError):
    """Raised when demo data would mix with real data."""


def holds_data() -> bool:
    """Tell whether the database already holds users or cadres."""
    return bool(
        db.session.scalar(select(func.count(User.id)))
        or db.session.scalar(select(func.count(Cadre.id)))
    )


def build_units(spec, parent: OrgUnit | None, order: int, out: dict[str, OrgUnit]) -> None:
    """Create a unit and its children recursively."""
    code, name, children = spec
    unit = OrgUnit(code=code, name=name, parent=parent, sort_order=order)
    db.session.add(unit)
    db.session.flush()
    set_path(unit)
    out[code] = unit
    for index, child in enumerate(children):
        build_units(child, unit, index, out)


def fake_id_number(rng: random.Random, birth: date, female: bool) -> str:
    """Make an ID number with a valid GB 11643 checksum."""
    seq = rng.randrange(0, 99) * 10 + rng.choice([0, 2, 4, 6, 8] if female else [1, 3, 5, 7, 9])
    body = f"{rng.choice(AREA_CODES)}{birth:%Y%m%d}{seq:03d}"
    number = body + ric.calc_check_digit(body + "0")  # the function expects a placeholder
    assert ric.is_valid(number)
    return number


def build_cadres(units: dict[str, OrgUnit], count: int, rng: random.Random) -> None:
    """Create `count` cadres spread over the units that are not the org department."""
    fake = Faker("zh_CN")
    fake.seed_instance(rng.randrange(1 << 30))
    homes = [u for code, u in units.items() if code not in ("city", "org", "org-sup")]
    seen: set[str] = set()
    today = date(2026, 11, 1)
    for _ in range(count):
        female = rng.random() < 0.35
        birth = today - timedelta(days=rng.randrange(26 * 365, 58 * 365))
        number = fake_id_number(rng, birth, female)
        if number in seen:
            continue
        seen.add(number)
        rank = rng.choices(RANKS, weights=[1, 4, 8, 14, 12, 6])[0]
        category = (
            "city" if rank in ("ting", "zhengchu", "fuchu") else rng.choice(["county", "section"])
        )
        joined = birth + timedelta(days=rng.randrange(21 * 365, 25 * 365))
        unit = rng.choice(homes)
        db.session.add(
            Cadre(
                name=fake.name_female() if female else fake.name_male(),
                gender="female" if female else "male",
                birth_date=birth,
                ethnicity=rng.choices(
                    ["han", "hui", "man", "zhuang", "miao"], weights=[90, 3, 3, 2, 2]
                )[0],
                political_status=rng.choices(["cpc", "democratic", "masses"], weights=[90, 6, 4])[
                    0
                ],
                education=rng.choices(
                    ["doctor", "master", "bachelor", "college"], weights=[3, 30, 60, 7]
                )[0],
                unit_id=unit.id,
                position=title_for(unit.name, rank, rng),
                rank=rank,
                category=category,
                is_young=(today - birth).days < 40 * 365,
                id_number=number,
                appointed_on=today - timedelta(days=rng.randrange(60, 2000)),
                joined_work_on=joined,
                joined_party_on=joined + timedelta(days=rng.randrange(200, 3000)),
                work_history=f"{joined.year}年参加工作，历任{unit.name}科员、副科长等职。",
            )
        )


def seed_demo(password: str, cadres: int = 300, seed: int = 2026) -> dict[str, str]:
    """Fill an empty database with demo data; return the accounts created."""
    if holds_data():
        raise DatabaseNotEmpty("数据库中已有用户或干部数据，拒绝写入演示数据")
    ensure_reference_data()
    rng = random.Random(seed)
    units: dict[str, OrgUnit] = {}
    build_units(UNIT_TREE, None, 0, units)
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
    build_cadres(units, cadres, rng)
    db.session.commit()
    return accounts
