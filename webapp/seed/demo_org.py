"""The demo city: its unit tree, the posts each kind of unit has, and the cadres who hold them.

Posts follow the practice of a prefecture-level city (地级市): a 县 has 县长 and 副县长, a 区
has 区长 and 副区长, a 乡 has 乡长, a 镇 has 镇长, a 街道 has a 党工委 and an 办事处 主任; the
heads of counties, districts and 市直部门 are 正处级, their deputies 副处级, the heads of
townships, streets and 县（区）直部门 正科级, their deputies 副科级. Ages and the share of
women follow the rank and the post (most, not all, leaders are men).
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker
from stdnum.cn import ric

from webapp.extensions import db
from webapp.models import Cadre, OrgUnit
from webapp.units import set_path

CITY = "江州市"


class Kind(enum.StrEnum):
    """What kind of unit a demo unit is; its posts follow from it."""

    CITY = "city"
    ORG_DEPT = "org_dept"  # 市委组织部 and its sections: the users' home, no cadres filed
    CITY_BUREAU = "city_bureau"  # 市直部门 headed by a 局长
    CITY_COMMISSION = "city_commission"  # 市直 委员会 / 办公室 headed by a 主任
    COUNTY = "county"
    DISTRICT = "district"
    COUNTY_BUREAU = "county_bureau"  # 县（区）直部门
    COUNTY_OFFICE = "county_office"  # 县委办、区政府办 …
    TOWNSHIP = "township"  # 乡
    TOWN = "town"  # 镇
    STREET = "street"  # 街道


@dataclass(frozen=True)
class Post:
    """A post (职务) in a kind of unit: its rank, seats, age range and share of women."""

    title: str
    rank: str
    seats: int = 1
    ages: tuple[int, int] = (30, 56)
    women: float = 0.1


# Age ranges by rank (years at today): 正处 40–59, 副处 35–57, 正科 30–56, 副科 27–54.
ZC, FC, ZK, FK = (40, 59), (35, 57), (30, 56), (27, 54)

POSTS: dict[Kind, tuple[Post, ...]] = {
    Kind.CITY_BUREAU: (
        Post("党组书记、局长", "zhengchu", 1, ZC, 0.15),
        Post("副局长", "fuchu", 3, FC, 0.25),
        Post("办公室主任", "zhengke", 1, ZK, 0.4),
        Post("综合科科长", "zhengke", 1, ZK, 0.35),
        Post("规划财务科科长", "zhengke", 1, ZK, 0.35),
        Post("政策法规科科长", "zhengke", 1, ZK, 0.35),
        Post("副科长", "fuke", 1, FK, 0.4),
    ),
    Kind.CITY_COMMISSION: (
        Post("主任", "zhengchu", 1, ZC, 0.15),
        Post("副主任", "fuchu", 3, FC, 0.25),
        Post("综合科科长", "zhengke", 1, ZK, 0.35),
        Post("业务一科科长", "zhengke", 1, ZK, 0.35),
        Post("副科长", "fuke", 1, FK, 0.4),
    ),
    Kind.COUNTY: (
        Post("县委书记", "zhengchu", 1, (43, 57), 0.05),
        Post("县委副书记、县长", "zhengchu", 1, (41, 56), 0.1),
        Post("县委副书记", "fuchu", 1, FC, 0.2),
        Post("县委常委、组织部部长", "fuchu", 1, FC, 0.3),
        Post("县委常委、纪委书记", "fuchu", 1, FC, 0.15),
        Post("副县长", "fuchu", 3, FC, 0.25),
    ),
    Kind.DISTRICT: (
        Post("区委书记", "zhengchu", 1, (43, 57), 0.05),
        Post("区委副书记、区长", "zhengchu", 1, (41, 56), 0.1),
        Post("区委副书记", "fuchu", 1, FC, 0.2),
        Post("区委常委、组织部部长", "fuchu", 1, FC, 0.3),
        Post("区委常委、纪委书记", "fuchu", 1, FC, 0.15),
        Post("副区长", "fuchu", 3, FC, 0.25),
    ),
    Kind.COUNTY_BUREAU: (
        Post("局长", "zhengke", 1, ZK, 0.15),
        Post("副局长", "fuke", 2, FK, 0.3),
    ),
    Kind.COUNTY_OFFICE: (
        Post("主任", "zhengke", 1, ZK, 0.2),
        Post("副主任", "fuke", 2, FK, 0.35),
    ),
    Kind.TOWNSHIP: (
        Post("乡党委书记", "zhengke", 1, (33, 56), 0.06),
        Post("乡党委副书记、乡长", "zhengke", 1, (31, 55), 0.1),
        Post("乡党委副书记", "fuke", 1, FK, 0.2),
        Post("乡人大主席", "zhengke", 1, (38, 56), 0.15),
        Post("乡纪委书记", "fuke", 1, FK, 0.2),
        Post("副乡长", "fuke", 2, FK, 0.25),
    ),
    Kind.TOWN: (
        Post("镇党委书记", "zhengke", 1, (33, 56), 0.06),
        Post("镇党委副书记、镇长", "zhengke", 1, (31, 55), 0.1),
        Post("镇党委副书记", "fuke", 1, FK, 0.2),
        Post("镇人大主席", "zhengke", 1, (38, 56), 0.15),
        Post("镇纪委书记", "fuke", 1, FK, 0.2),
        Post("副镇长", "fuke", 2, FK, 0.25),
    ),
    Kind.STREET: (
        Post("街道党工委书记", "zhengke", 1, (33, 56), 0.1),
        Post("街道党工委副书记、办事处主任", "zhengke", 1, (31, 55), 0.15),
        Post("街道党工委副书记", "fuke", 1, FK, 0.25),
        Post("街道纪工委书记", "fuke", 1, FK, 0.25),
        Post("街道办事处副主任", "fuke", 2, FK, 0.35),
    ),
}

# 年轻干部 by the usual rule: 县处级正职 45 岁、副职 40 岁，乡科级正职 35 岁、副职 30 岁以下.
YOUNG_AGE = {"ting": 50, "zhengchu": 45, "fuchu": 40, "zhengke": 35, "fuke": 30, "keyuan": 30}
# 市管干部 are the 处级; the 科级 of 市直部门 are 科级干部; the rest are 县管.
CITY_KINDS = frozenset({Kind.CITY_BUREAU, Kind.CITY_COMMISSION})


@dataclass(frozen=True)
class UnitSpec:
    """A demo unit: code, name, kind and the units under it."""

    code: str
    name: str
    kind: Kind
    children: tuple[UnitSpec, ...] = ()


def _county(code: str, name: str, kind: Kind, offices, bureaus, towns) -> UnitSpec:
    """Build a 县/区 with its offices, its 直属部门 and its 乡镇/街道."""
    units = [UnitSpec(f"{code}-{c}", name + n, Kind.COUNTY_OFFICE) for c, n in offices]
    units += [UnitSpec(f"{code}-{c}", name + n, Kind.COUNTY_BUREAU) for c, n in bureaus]
    units += [UnitSpec(f"{code}-{c}", name + n, k) for c, n, k in towns]
    return UnitSpec(code, name, kind, tuple(units))


def _bureau(code: str, name: str) -> UnitSpec:
    kind = Kind.CITY_BUREAU if name.endswith("局") else Kind.CITY_COMMISSION
    return UnitSpec(code, name, kind)


S, T, X = Kind.STREET, Kind.TOWN, Kind.TOWNSHIP
UNIT_TREE = UnitSpec(
    "city",
    CITY,
    Kind.CITY,
    (
        UnitSpec(
            "org",
            "市委组织部",
            Kind.ORG_DEPT,
            (
                UnitSpec("org-sup", "干部监督科", Kind.ORG_DEPT),
                UnitSpec("org-cadre", "干部一科", Kind.ORG_DEPT),
            ),
        ),
        _bureau("cpc-office", "市委办公室"),
        _bureau("gov-office", "市政府办公室"),
        _bureau("drc", "市发展和改革委员会"),
        _bureau("finance", "市财政局"),
        _bureau("education", "市教育局"),
        _bureau("health", "市卫生健康委员会"),
        _bureau("land", "市自然资源和规划局"),
        _bureau("housing", "市住房和城乡建设局"),
        _bureau("transport", "市交通运输局"),
        _bureau("audit", "市审计局"),
        _bureau("civil", "市民政局"),
        _bureau("agri", "市农业农村局"),
        _county(
            "east",
            "东城区",
            Kind.DISTRICT,
            [("cpc", "委办公室")],
            [("finance", "财政局"), ("housing", "住房和城乡建设局")],
            [
                ("xinhua", "新华街道", S),
                ("heping", "和平街道", S),
                ("donghu", "东湖街道", S),
                ("liulin", "柳林镇", T),
            ],
        ),
        _county(
            "south",
            "南湖区",
            Kind.DISTRICT,
            [("gov", "政府办公室")],
            [("edu", "教育局"), ("finance", "财政局")],
            [
                ("hubin", "湖滨街道", S),
                ("nanyuan", "南苑街道", S),
                ("baisha", "白沙镇", T),
                ("nantang", "南塘镇", T),
            ],
        ),
        _county(
            "west",
            "西山县",
            Kind.COUNTY,
            [("cpc", "委办公室")],
            [("finance", "财政局"), ("edu", "教育局")],
            [
                ("chengguan", "城关镇", T),
                ("shiqiao", "石桥镇", T),
                ("qingshi", "青石乡", X),
                ("yunling", "云岭乡", X),
                ("longtan", "龙潭乡", X),
            ],
        ),
        _county(
            "north",
            "北塘县",
            Kind.COUNTY,
            [("gov", "政府办公室")],
            [("transport", "交通运输局"), ("finance", "财政局")],
            [
                ("beitang", "北塘镇", T),
                ("hekou", "河口镇", T),
                ("xinqiao", "新桥镇", T),
                ("changling", "长岭乡", X),
                ("baima", "白马乡", X),
            ],
        ),
    ),
)


def walk(spec: UnitSpec = UNIT_TREE):
    """Yield every unit spec in tree order."""
    yield spec
    for child in spec.children:
        yield from walk(child)


def kind_of(code: str) -> Kind:
    """Return the kind of the demo unit with this code."""
    return next(spec.kind for spec in walk() if spec.code == code)


def is_young(rank: str, age: int) -> bool:
    """Tell whether a cadre of this rank and age counts as a 年轻干部."""
    return age <= YOUNG_AGE.get(rank, 0)


def age_on(birth: date, today: date) -> int:
    """Return a person's age in whole years on a day."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def position_in(unit_name: str, title: str) -> str:
    """Write a post as the roster holds it beside its unit (青石乡 · 党委书记, not 乡党委书记).

    Pages write unit and post together (西山县青石乡党委书记): a township's post keeps no
    乡/镇/街道 of its own, or the word would be doubled.
    """
    for word in ("街道", "乡", "镇"):
        if unit_name.endswith(word) and title.startswith(word):
            return title[len(word) :]
    return title


def category_for(kind: Kind, rank: str) -> str:
    """Return the cadre category (市管/县管/科级) of a post."""
    if rank in ("ting", "zhengchu", "fuchu"):
        return "city"
    return "section" if kind in CITY_KINDS else "county"


def build_units(spec: UnitSpec = UNIT_TREE, parent: OrgUnit | None = None, order: int = 0):
    """Create the unit tree; return the units by code."""
    out: dict[str, OrgUnit] = {}
    unit = OrgUnit(code=spec.code, name=spec.name, parent=parent, sort_order=order)
    db.session.add(unit)
    db.session.flush()
    set_path(unit)
    out[spec.code] = unit
    for index, child in enumerate(spec.children):
        out.update(build_units(child, unit, index))
    return out


@dataclass(frozen=True)
class Seat:
    """One post in one unit, to be filled by a cadre."""

    unit_code: str
    kind: Kind
    post: Post


def seats(count: int) -> list[Seat]:
    """Return up to `count` seats: every unit's first post, then every unit's second, ….

    A small demo (the browser tests') thus still has a head in every unit.
    """
    per_unit = []
    for spec in walk():
        rows = [Seat(spec.code, spec.kind, post) for post in POSTS.get(spec.kind, ())]
        per_unit.append([seat for seat in rows for _ in range(seat.post.seats)])
    ordered = []
    for depth in range(max(len(rows) for rows in per_unit)):
        ordered += [rows[depth] for rows in per_unit if depth < len(rows)]
    return ordered[:count]


AREA_CODES = ["360102", "360103", "360104", "360111", "360121", "360124", "360402", "360423"]
ETHNICITIES = (["han", "hui", "man", "zhuang", "miao", "tujia"], [92, 2, 2, 1, 2, 1])
EDUCATION = (["doctor", "master", "bachelor", "college"], [3, 32, 58, 7])
POLITICAL = (["cpc", "democratic", "masses"], [94, 4, 2])
# Faker's zh_CN given names are mostly one character; most cadres of this age have two.
GIVEN_MALE = [
    "建国",
    "志强",
    "海涛",
    "伟东",
    "晓明",
    "国庆",
    "俊杰",
    "文斌",
    "永刚",
    "立新",
    "振宇",
    "德华",
    "春生",
    "明辉",
    "卫东",
    "宏伟",
    "庆华",
    "学军",
    "建军",
    "志刚",
    "国平",
    "新民",
    "海峰",
    "光明",
    "文涛",
    "家豪",
    "子健",
    "浩然",
    "思远",
    "一鸣",
]
GIVEN_FEMALE = [
    "秀英",
    "丽娟",
    "晓燕",
    "春梅",
    "海燕",
    "玉兰",
    "雪梅",
    "丽华",
    "红霞",
    "慧敏",
    "静怡",
    "桂芳",
    "淑华",
    "美玲",
    "晓红",
    "凤英",
    "婷婷",
    "文静",
    "雅琴",
    "莉莉",
    "欣怡",
    "思琪",
]
NON_CPC_POSTS = ("副局长", "副主任", "副县长", "副区长", "副科长")


def fake_id_number(rng: random.Random, birth: date, female: bool) -> str:
    """Make an ID number with a valid GB 11643 checksum."""
    seq = rng.randrange(0, 99) * 10 + rng.choice([0, 2, 4, 6, 8] if female else [1, 3, 5, 7, 9])
    body = f"{rng.choice(AREA_CODES)}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")  # the function expects a placeholder


def _birth(rng: random.Random, post: Post, today: date) -> date:
    low, high = post.ages
    # Most leaders are in their forties and early fifties: a triangle leaning to the upper half.
    age = rng.triangular(low, high + 1, low + (high - low) * 0.6)
    return today - timedelta(days=int(age * 365.25) + rng.randrange(0, 200))


def _name(fake: Faker, rng: random.Random, female: bool) -> str:
    # Faker's zh_CN name_male() draws from both sexes' lists: pick the given name by sex here.
    if rng.random() < 0.6:
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    else:
        given = fake.first_name_female() if female else fake.first_name_male()
    return fake.last_name() + given


def _political(rng: random.Random, post: Post) -> str:
    # 党委/党组/纪委 posts are held by party members; a few deputies come from other parties.
    if post.title.endswith(NON_CPC_POSTS) and "党" not in post.title:
        return rng.choices(*POLITICAL)[0]
    return "cpc"


def build_cadres(units: dict[str, OrgUnit], count: int, rng: random.Random, today: date):
    """Fill `count` seats with cadres; return them in seat order."""
    fake = Faker("zh_CN")
    fake.seed_instance(rng.randrange(1 << 30))
    cadres, seen = [], set()
    for seat in seats(count):
        post, unit = seat.post, units[seat.unit_code]
        female = rng.random() < post.women
        birth = _birth(rng, post, today)
        number = fake_id_number(rng, birth, female)
        while number in seen:
            number = fake_id_number(rng, birth, female)
        seen.add(number)
        joined = birth + timedelta(days=rng.randrange(int(21.5 * 365), int(24.5 * 365)))
        in_post = min(rng.randrange(120, 6 * 365), (today - joined).days - 365)
        political = _political(rng, post)
        cadre = Cadre(
            # name_male() of zh_CN draws from both lists; the given-name lists are by sex.
            name=fake.last_name()
            + (fake.first_name_female() if female else fake.first_name_male()),
            gender="female" if female else "male",
            birth_date=birth,
            ethnicity=rng.choices(*ETHNICITIES)[0],
            political_status=political,
            education=rng.choices(*EDUCATION)[0],
            unit_id=unit.id,
            position=position_in(unit.name, post.title),
            rank=post.rank,
            category=category_for(seat.kind, post.rank),
            is_young=is_young(post.rank, age_on(birth, today)),
            id_number=number,
            appointed_on=today - timedelta(days=in_post),
            joined_work_on=joined,
            joined_party_on=(
                joined + timedelta(days=rng.randrange(200, 3000)) if political == "cpc" else None
            ),
            work_history=(
                f"{joined.year}年参加工作，{(today - timedelta(days=in_post)).year}年起任"
                f"{unit.name}{position_in(unit.name, post.title)}。"
            ),
        )
        db.session.add(cadre)
        cadres.append(cadre)
    db.session.flush()
    return cadres
