"""`flask bench seed`: a province's worth of plausible, deterministic data, in bulk.

A unit tree (省 → 市 → 县/区 → 局/乡镇), cadres spread over it, negative-information items
with their first history line, warnings in every state with the history that led there, the
items they rest on and the obligations they owe (so the pages light them), and talks. One
fixed random seed: two runs at one size make the same data. Units and users go through the
ORM (the unit tree's own helpers keep its paths); everything else by Core executemany in
chunks, with ids given in Python so that no row waits for another's key. The seed writes only
into a database without cadres or units: it never mixes with real data.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy import inspect

from bench.bulk import bulk_insert
from bench.sizes import Sizes
from webapp import clock
from webapp.database import with_defaults
from webapp.extensions import db
from webapp.models import (
    Cadre,
    DataScope,
    NegativeInfo,
    NegativeInfoEvent,
    OrgUnit,
    Role,
    Talk,
    User,
    Warning,
    WarningEvent,
)
from webapp.models.obligations import Obligation
from webapp.seed.reference import ensure_reference_data
from webapp.units import set_path

SEED = 20261201
PASSWORD = "Bench-Passw0rd!2026"
CHUNK = 5_000
LOAD_ACCOUNTS = 25  # of each kind: 50 load users, at most 3 sessions an account
# The tables the seed gives ids in: PostgreSQL's sequences move past them afterwards.
SEEDED_TABLES = ("org_unit", "app_user", "cadre", "negative_info", "negative_info_event", "warning",
                 "warning_event", "obligation", "talk")  # fmt: skip
PROFILE_ITEMS = (20, 10, 20)  # the profile cadre's items, warnings and talks: 50 on its timeline

CITIES = ["东州", "西林", "南川", "北原", "江陵", "临海", "青山", "云阳", "金沙", "玉泉", "长河",
          "白石", "清远", "平湖"]  # fmt: skip
COUNTIES = ["城关", "东湖", "西峰", "南岭", "北塘", "安平", "永宁", "新华", "和平"]
CITY_BUREAUS = ["财政局", "教育局", "卫生健康委员会", "自然资源和规划局", "住房和城乡建设局",
                "交通运输局", "发展和改革委员会", "公安局", "民政局", "人力资源和社会保障局",
                "农业农村局", "商务局", "文化和旅游局", "应急管理局", "审计局", "统计局",
                "生态环境局", "水利局", "市场监督管理局", "医疗保障局"]  # fmt: skip
COUNTY_UNITS = ["委办公室", "政府办公室", "财政局", "教育局", "卫生健康局", "自然资源局",
                "住房和城乡建设局", "交通运输局", "公安局", "民政局"]  # fmt: skip
TOWNS = ["镇", "乡"]
PROVINCE_BUREAUS = ["省委办公厅", "省政府办公厅", "省发展和改革委员会", "省财政厅", "省教育厅",
                    "省卫生健康委员会", "省自然资源厅", "省住房和城乡建设厅", "省交通运输厅",
                    "省公安厅", "省民政厅", "省人力资源和社会保障厅", "省农业农村厅", "省商务厅",
                    "省文化和旅游厅", "省应急管理厅", "省审计厅", "省统计局", "省生态环境厅",
                    "省水利厅"]  # fmt: skip
RANKS = ["ting", "zhengchu", "fuchu", "zhengke", "fuke", "keyuan"]
TITLES = {"ting": "主要负责人", "zhengchu": "党组书记", "fuchu": "副职", "zhengke": "科长",
          "fuke": "副科长", "keyuan": "一级科员"}  # fmt: skip
SITUATION_TEXT = ["反映其工作作风问题，群众意见较大", "反映其违规收受礼品礼金", "反映其违规操办婚丧喜庆事宜",
                  "反映其履职不力、推诿扯皮", "反映其个人有关事项报告漏报", "反映其违规兼职取酬",
                  "网络舆情反映其言行不当", "审计发现其分管领域资金管理不规范"]  # fmt: skip
TALK_REASONS = ["年度例行谈心谈话", "任职前廉政谈话", "针对群众反映问题的提醒谈话", "诫勉谈话",
                "干部交流任职谈话", "警示教育谈话"]  # fmt: skip
PLACES = ["组织部谈话室", "本单位会议室", "纪委谈话室", "组织部第二会议室"]
# A warning's end state, with its share of the whole (tier 3 only is referred).
# 整改中 is a sixth: the benchmark exports it, 10,200 rows at the default size.
STATE_SHARES = [("lifted", 50), ("rectifying", 17), ("issued", 7), ("reviewing", 4),
                ("pending_approval", 6), ("draft", 4), ("revoked", 10), ("referred", 2)]  # fmt: skip


class RealDataPresent(RuntimeError):
    """Raised when the database already holds cadres or units."""


@dataclass
class Seeded:
    """What the seed made that the benchmark needs to know."""

    province_user: str = ""
    district_user: str = ""
    district_unit_id: int = 0
    profile_cadre_id: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Context:
    """What the steps share: the random source, today, ids and what earlier steps made."""

    rng: random.Random
    today: date
    now: datetime
    bar: Callable[[int], None]
    unit_ids: list[int] = field(default_factory=list)
    unit_names: dict[int, str] = field(default_factory=dict)
    district_id: int = 0
    supervisors: list[tuple[int, str]] = field(default_factory=list)
    cadres: list[tuple[int, str, str, int]] = field(default_factory=list)  # id, name, pos, unit
    verified: list[tuple[int, int]] = field(default_factory=list)  # item id, cadre index
    colours: dict[int, str] = field(default_factory=dict)  # cadre id → status colour


def refuse_real_data() -> None:
    """Refuse a database that holds any cadre or unit: the seed never mixes with real data."""
    seeded = db.session.scalar(sa.select(User.id).where(User.username == account("province", 1)))
    cadres = db.session.scalar(sa.select(sa.func.count(Cadre.id)))
    units = db.session.scalar(sa.select(sa.func.count(OrgUnit.id)))
    if seeded:
        raise RealDataPresent("数据库已有基准测试数据；请换用空数据库")
    if cadres or units:
        raise RealDataPresent(f"数据库已有 {cadres} 名干部、{units} 个单位，拒绝写入基准测试数据")


def account(kind: str, n: int) -> str:
    """Return the username of the n-th province-wide or district-scoped bench user."""
    return f"bench_{kind}_{n:02d}"


def unit_tree(count: int) -> Iterator[tuple[str, str | None]]:
    """Yield (name, parent name) for `count` units, a district's whole subtree early on."""
    made = 0

    def emit(name, parent):
        nonlocal made
        made += 1
        return name, parent

    yield emit("某省", None)
    yield emit("省委组织部", "某省")
    for city in CITIES * (count // 1000 + 1):
        city_name = f"{city}市"
        if made >= count:
            return
        yield emit(city_name, "某省")
        for county in COUNTIES:
            county_name = f"{city}{county}{'区' if county in COUNTIES[:4] else '县'}"
            if made >= count:
                return
            yield emit(county_name, city_name)
            for unit in COUNTY_UNITS:
                if made >= count:
                    return
                yield emit(f"{county_name}{unit}", county_name)
            for town in range(2):
                if made >= count:
                    return
                yield emit(f"{county_name}{county}{town + 1}{TOWNS[town]}", county_name)
        for bureau in CITY_BUREAUS:
            if made >= count:
                return
            yield emit(f"{city_name}{bureau}", city_name)
    for bureau in PROVINCE_BUREAUS:
        if made >= count:
            return
        yield emit(bureau, "某省")


def make_units(ctx: Context, count: int) -> None:
    """Create the unit tree through the ORM, with each unit's path."""
    by_name: dict[str, OrgUnit] = {}
    for n, (name, parent) in enumerate(unit_tree(count)):
        if name in by_name:  # the city names repeat past 14 cities: keep codes unique
            name = f"{name}{n}"
        unit = OrgUnit(code=f"bench-{n:05d}", name=name, parent=by_name.get(parent), sort_order=n)
        db.session.add(unit)
        by_name[name] = unit
    db.session.flush()
    for unit in by_name.values():
        set_path(unit)
    db.session.flush()
    ctx.unit_ids = [u.id for u in by_name.values()]
    ctx.unit_names = {u.id: u.name for u in by_name.values()}


def make_users(ctx: Context, seeded: Seeded) -> None:
    """Create the bench accounts (province-wide and district-scoped) and the case handlers."""
    from webapp.auth.services import set_password

    roles = {r.code: r for r in db.session.scalars(sa.select(Role))}
    units = {u.id: u for u in db.session.scalars(sa.select(OrgUnit))}
    root = units[ctx.unit_ids[0]]
    district = next(units[i] for i in ctx.unit_ids if ctx.unit_names[i].endswith(("区", "县")))
    first = None
    for kind, unit, scope in (
        ("province", root, DataScope.ALL),
        ("district", district, DataScope.UNIT_AND_BELOW),
    ):
        for n in range(1, LOAD_ACCOUNTS + 1):
            user = User(
                username=account(kind, n),
                full_name=f"基准{'省级' if kind == 'province' else '区县'}{n:02d}",
                role=roles["supervisor"],
                unit=unit,
                data_scope=scope,
            )
            if first is None:
                set_password(user, PASSWORD)
                first = user
            else:  # one argon2 hash for all: fifty hashes would cost seconds
                user.password_hash = first.password_hash
                user.password_changed_at = first.password_changed_at
            db.session.add(user)
    db.session.flush()
    ctx.supervisors = [
        (u.id, u.full_name)
        for u in db.session.scalars(
            sa.select(User).where(User.username.like("bench_%")).order_by(User.id)
        )
    ]
    seeded.province_user = account("province", 1)
    seeded.district_user = account("district", 1)
    seeded.district_unit_id = ctx.district_id = district.id


def next_ids(table: sa.Table, count: int) -> range:
    """Return the ids the next `count` rows of a table get (the table's sequence follows)."""
    last = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0)))
    return range(last + 1, last + 1 + count)


def bulk(table: sa.Table, rows: Iterable[dict], bar: Callable[[int], None]) -> int:
    """Insert rows in chunks, every column given (a chunk's rows share the defaults)."""
    base = with_defaults(table, {}, every_column=True)
    return bulk_insert(table, ({**base, **row} for row in rows), CHUNK, bar)


def with_validators(model: type, values: dict, cache: dict) -> dict:
    """Return the values with what the model's validators derive from them (search keys).

    A bulk insert bypasses the ORM; each `@validates` method is called as the ORM would call
    it, on a plain object that collects what it sets. What a validator derives depends on its
    value alone (a hash, a name's search words), so it is computed once per value.
    """
    out = dict(values)
    for key, (method, _options) in inspect(model).validators.items():
        if key not in values:
            continue
        found = cache.get((key, values[key]))
        if found is None:
            derived = SimpleNamespace()
            kept = method(derived, key, values[key])
            found = cache[(key, values[key])] = (kept, vars(derived))
        out[key] = found[0]
        out.update(found[1])
    return out


class Names:
    """Chinese names drawn from Faker's zh_CN lists (surnames by frequency), from our seed."""

    def __init__(self, rng: random.Random) -> None:
        from faker.providers.person.zh_CN import Provider

        self.rng = rng
        self.surnames = list(Provider.last_names)
        self.weights = list(Provider.last_names.values())
        self.given = {True: Provider.first_names_female, False: Provider.first_names_male}

    def make(self, female: bool) -> str:
        """Return a name: a surname and one or two given characters."""
        given = self.given[female]
        chars = self.rng.choice(given) + (self.rng.choice(given) if self.rng.random() < 0.7 else "")
        return self.rng.choices(self.surnames, self.weights)[0] + chars[:2]


def cadre_rows(ctx: Context, count: int, creator: int) -> Iterator[dict]:
    """Yield the cadres, spread over every unit but the province and its 组织部."""
    rng = ctx.rng
    names, derived = Names(rng), {}
    homes = ctx.unit_ids[2:] or ctx.unit_ids
    ids = next_ids(Cadre.__table__, count)
    for n, ident in enumerate(ids):
        female = rng.random() < 0.35
        birth = ctx.today - timedelta(days=rng.randrange(26 * 365, 58 * 365))
        rank = rng.choices(RANKS, weights=[1, 4, 8, 14, 12, 6])[0]
        # The profile cadre (the first) sits in the district, seen by both bench users.
        unit_id = ctx.district_id if n == 0 else rng.choice(homes)
        name = names.make(female)
        position = TITLES[rank]
        joined = birth + timedelta(days=rng.randrange(21 * 365, 25 * 365))
        ctx.cadres.append((ident, name, position, unit_id))
        yield with_validators(
            Cadre,
            {
                "id": ident,
                "name": name,
                "gender": "female" if female else "male",
                "birth_date": birth,
                "ethnicity": rng.choices(["han", "hui", "man", "zhuang"], weights=[92, 3, 3, 2])[0],
                "political_status": rng.choices(["cpc", "democratic", "masses"], [90, 6, 4])[0],
                "education": rng.choices(
                    ["doctor", "master", "bachelor", "college"], [3, 30, 60, 7]
                )[0],
                "unit_id": unit_id,
                "position": position,
                "rank": rank,
                "category": "city"
                if rank in ("ting", "zhengchu", "fuchu")
                else rng.choice(["county", "section"]),
                "is_young": (ctx.today - birth).days < 40 * 365,
                "id_number": id_number(ident, birth, female),
                "appointed_on": ctx.today - timedelta(days=rng.randrange(60, 3000)),
                "joined_work_on": joined,
                "joined_party_on": joined + timedelta(days=rng.randrange(200, 3000)),
                "work_history": f"{joined.year}年参加工作，历任科员、副科长等职。",
                "status_colour": "green",
                "created_by_id": creator,
            },
            derived,
        )


def id_number(n: int, birth: date, female: bool) -> str:
    """Return an ID number with a valid GB 11643 check digit, distinct for each cadre."""
    from stdnum.cn import ric

    sequence = (n % 500) * 2 + (0 if female else 1)
    body = f"{110101 + n // 500 % 900:06d}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # the function expects a placeholder


def pick_cadre(ctx: Context, profile_quota: list[int], slot: int) -> int:
    """Return a cadre index: the profile cadre (index 0) until its quota is met, else any."""
    if profile_quota[slot] > 0:
        profile_quota[slot] -= 1
        return 0
    return ctx.rng.randrange(1, len(ctx.cadres)) if len(ctx.cadres) > 1 else 0


def info_rows(ctx: Context, count: int, quota: list[int]) -> Iterator[tuple[dict, dict]]:
    """Yield (item, its first history line) for the negative-information items."""
    from webapp.lookups import dict_items
    from webapp.negative_info.numbering import reserve
    from webapp.negative_info.records import NUMBER_PREFIX, situations
    from workflows.verification import Status, format_number

    rng = ctx.rng
    kinds = list(situations().values())
    channels = [i.value for i in dict_items("source_channel")]
    statuses = [Status.TRUE, Status.PARTLY_TRUE, Status.UNTRUE, Status.UNVERIFIABLE,
                Status.VERIFYING, Status.PENDING]  # fmt: skip
    received = [
        ctx.today - timedelta(days=int(3 * 365 * rng.random() ** 1.5)) for _ in range(count)
    ]
    received.sort()
    years: dict[int, int] = {}
    for day in received:
        years[day.year] = years.get(day.year, 0) + 1
    numbers = {year: reserve(NUMBER_PREFIX, year, n) for year, n in years.items()}
    ids = next_ids(NegativeInfo.__table__, count)
    event_ids = next_ids(NegativeInfoEvent.__table__, count)
    for ident, event_id, day in zip(ids, event_ids, received, strict=True):
        index = pick_cadre(ctx, quota, 0)
        cadre_id, name, position, unit_id = ctx.cadres[index]
        kind = rng.choice(kinds)
        status = rng.choices(statuses, weights=[30, 10, 12, 5, 8, 35 if day > ctx.today - timedelta(60) else 2])[0]  # fmt: skip
        done = status in (Status.TRUE, Status.PARTLY_TRUE, Status.UNTRUE, Status.UNVERIFIABLE)
        started = (
            day + timedelta(days=rng.randrange(1, 5)) if status is not Status.PENDING else None
        )
        handler, handler_name = rng.choice(ctx.supervisors)
        number = format_number(NUMBER_PREFIX, day.year, numbers[day.year])
        numbers[day.year] += 1
        if status in (Status.TRUE, Status.PARTLY_TRUE):
            ctx.verified.append((ident, index))
        created = datetime.combine(day, time(9), tzinfo=UTC)
        yield (
            {
                "id": ident,
                "number": number,
                "cadre_id": cadre_id,
                "cadre_name": name,
                "cadre_position": position,
                "unit_id": unit_id,
                "scope_unit_id": unit_id,
                "category": kind.category,
                "situation": kind.value,
                "default_tier": kind.tier,
                "source_channel": rng.choice(channels),
                "source_document_number": f"{day.year}-{ident}",
                "occurred_on": day - timedelta(days=rng.randrange(0, 90)),
                "received_on": day,
                "summary": f"{rng.choice(SITUATION_TEXT)}（第 {ident} 条）。",
                "severity": rng.choice(["minor", "major", "serious"]),
                "status": status,
                "handler_id": handler if started else None,
                "verification_started_on": started,
                "verification_workdays": 30 if started else None,
                "verification_due": started + timedelta(days=42) if started else None,
                "verified_on": started + timedelta(days=rng.randrange(5, 40)) if done else None,
                "verified_by_id": handler if done else None,
                "created_by_id": handler,
                "created_at": created,
                "updated_at": created,
            },
            {
                "id": event_id,
                "info_id": ident,
                "at": created,
                "actor_id": handler,
                "actor_name": handler_name,
                "event": "created",
                "to_status": Status.PENDING.value,
            },
        )


@dataclass
class Path:
    """A warning's way to its state: the events, and the days they happened on."""

    state: str
    events: list[tuple[str, str, str, date]]  # event, from state, to state, day


def warning_path(state: str, chain: tuple[str, ...], start: date, rng: random.Random) -> Path:
    """Return the events that took a warning from draft to `state`, dated from `start`."""
    events = [("create", "", "draft", start)]
    day = start

    def step(event, to, days):
        nonlocal day
        day = day + timedelta(days=days)
        events.append((event, events[-1][2], to, day))

    if state == "draft":
        return Path(state, events)
    step("submit", "pending_approval", rng.randrange(0, 3))
    steps = len(chain) if state != "pending_approval" else rng.randrange(0, len(chain))
    for n in range(steps):
        last = n == len(chain) - 1
        step("approve", "issued" if last else "pending_approval", rng.randrange(1, 4))
    if state in ("pending_approval", "issued"):
        return Path(state, events)
    if state == "revoked":
        step("clarify", "revoked", rng.randrange(5, 30))
        return Path(state, events)
    if state == "referred":
        step("refer", "referred", rng.randrange(5, 20))
        return Path(state, events)
    step("record_action", "rectifying", rng.randrange(3, 14))
    if state == "rectifying":
        return Path(state, events)
    step("submit_report", "reviewing", rng.randrange(150, 185))
    if state == "reviewing":
        return Path(state, events)
    step("accept", "lifted", rng.randrange(3, 10))
    return Path(state, events)


def span_for(state: str, rng: random.Random, today: date) -> date:
    """Return when a warning in `state` was created, so open cases are about due today."""
    back = {
        "draft": rng.randrange(0, 10),
        "pending_approval": rng.randrange(0, 8),
        "issued": rng.randrange(2, 20),
        "rectifying": rng.randrange(20, 180),
        "reviewing": rng.randrange(170, 200),
    }.get(state)
    if back is None:  # a closed case: any time in the last three years
        back = rng.randrange(200, 3 * 365)
    return today - timedelta(days=back)


def warning_rows(ctx: Context, count: int, quota: list[int]) -> Iterator[dict[str, list[dict]]]:
    """Yield each warning with its history, basis and obligations, as rows by table."""
    from webapp.holidays.services import work_calendar
    from webapp.lookups import all_params
    from webapp.negative_info.numbering import reserve
    from webapp.obligations.services import reminder_policy
    from webapp.warnings import due as warning_due
    from webapp.warnings.creation import NUMBER_PREFIX
    from webapp.warnings.facts import snapshot_of
    from webapp.warnings.history import colour_of, in_force_tier
    from workflows import obligations as rules
    from workflows.obligations import Terms
    from workflows.states import State
    from workflows.tiers import Tier, tier_policy
    from workflows.verification import format_number

    rng, today = ctx.rng, ctx.today
    params, cal, policy = all_params(), work_calendar(), reminder_policy()
    chains = {t: tier_policy(t, params).approval_chain for t in Tier}
    states, weights = zip(*STATE_SHARES, strict=True)
    plans = []
    for _ in range(count):
        state = rng.choices(states, weights)[0]
        tier = Tier(rng.choices([1, 2, 3], [70, 22, 8])[0]) if state != "referred" else Tier.RED
        plans.append((state, tier, span_for(state, rng, today)))
    plans.sort(key=lambda p: p[2])
    years: dict[int, int] = {}
    for _, _, day in plans:
        years[day.year] = years.get(day.year, 0) + 1
    numbers = {year: reserve(NUMBER_PREFIX, year, n) for year, n in years.items()}
    ids = iter(next_ids(Warning.__table__, count))
    event_id = next_ids(WarningEvent.__table__, 1).start
    obligation_id = next_ids(Obligation.__table__, 1).start
    verified = ctx.verified or [(None, 0)]
    colours: dict[int, list] = {}
    blank = with_defaults(Warning.__table__, {}, every_column=True)
    for state, tier, start in plans:
        ident = next(ids)
        if quota[1] > 0:
            quota[1] -= 1
            item_id, index = next(((i, c) for i, c in verified if c == 0), (None, 0))
        else:
            item_id, index = rng.choice(verified)
        cadre_id, _name, _position, unit_id = ctx.cadres[index]
        proposer, proposer_name = rng.choice(ctx.supervisors)
        path = warning_path(state, chains[tier], start, rng)
        last_day = path.events[-1][3]
        issued_on = next((d for e, _f, to, d in path.events if to == "issued"), None)
        values: dict = {
            "id": ident,
            "number": format_number(NUMBER_PREFIX, start.year, numbers[start.year]),
            "cadre_id": cadre_id,
            "scope_unit_id": unit_id,
            "tier": tier,
            "state": State(state),
            "proposer_id": proposer,
            "handler_id": proposer,
            "reason": "经研判，依据属实，拟予预警。",
            "suggested_tier": tier.value,
            "issued_on": issued_on,
            "issued_tier": tier if issued_on else None,
            "created_at": datetime.combine(start, time(10), tzinfo=UTC),
            "updated_at": datetime.combine(last_day, time(10), tzinfo=UTC),
        }
        numbers[start.year] += 1
        if state == "pending_approval":
            step = sum(1 for e in path.events if e[0] == "approve")
            values.update(approval_step=step, awaiting_role=chains[tier][step])
        if state == "issued":
            deadline = cal.add_workdays(issued_on, 10)
            values.update(clock_started_on=issued_on, clock_workdays=10,
                          action_due=deadline.due, action_due_provisional=deadline.provisional)  # fmt: skip
        if state == "rectifying":
            values.update(clock_started_on=last_day, clock_months=6,
                          rectification_due=last_day + timedelta(days=182))  # fmt: skip
        if state == "reviewing":
            deadline = cal.add_workdays(last_day, 10)
            values.update(clock_started_on=last_day, clock_workdays=10,
                          review_due=deadline.due, review_due_provisional=deadline.provisional)  # fmt: skip
        if state in ("lifted", "revoked", "referred"):
            values["closed_on"] = last_day
        if issued_on and tier is not Tier.YELLOW and state != "revoked":
            values["influence_until"] = issued_on + timedelta(
                days=183 if tier is Tier.ORANGE else 365
            )
        # What the due rules and the colour read, without an ORM object's cost per row.
        warning = SimpleNamespace(**{**blank, **values})
        colours.setdefault(index, []).append(snapshot_of(warning))
        entered = next(
            (d for _e, _f, to, d in reversed(path.events) if to == "pending_approval"), None
        )
        obligations = []
        owed = (
            # A seeded warning records no actions, so no 书面检查 is owed (no query for it).
            warning_due.approval_due(warning, today, cal, params, entered),
            warning_due.running_due(warning, today, cal),
            warning_due.influence_due(warning, cal),
        )
        for due in filter(None, owed):
            terms = Terms(kind=due.kind, start=due.start, due=due.due,
                          total_workdays=due.total_workdays, paused_workdays=due.paused_workdays,
                          provisional=due.provisional, acknowledged_plan_on=None, closed=False)  # fmt: skip
            fired = set(rules.stages_to_fire(terms, set(), today, cal, policy))
            obligations.append(
                {
                    "id": obligation_id,
                    "kind": due.kind,
                    "subject_type": warning_due.SUBJECT,
                    "subject_id": ident,
                    "cadre_id": cadre_id,
                    "responsible_user_id": due.responsible_user_id,
                    "step_role": due.step_role,
                    "start_on": due.start,
                    "due_on": due.due,
                    "due_workday": rules.due_workday(terms, cal),
                    "total_workdays": due.total_workdays,
                    "paused_workdays": due.paused_workdays,
                    "provisional": due.provisional,
                    "next_fire_on": rules.next_fire_on(terms, fired, cal, policy),
                    "fired_stages": {s.value: today.isoformat() for s in fired},
                }
            )
            obligation_id += 1
        events = []
        for event, before, after, day in path.events:
            events.append(
                {
                    "id": event_id,
                    "warning_id": ident,
                    "at": datetime.combine(day, time(10), tzinfo=UTC),
                    "actor_id": proposer,
                    "actor_name": proposer_name,
                    "actor_role": "supervisor",
                    "event": event,
                    "from_state": before,
                    "to_state": after,
                    "from_tier": tier.value if before else None,
                    "to_tier": tier.value,
                }
            )
            event_id += 1
        basis = [{"warning_id": ident, "negative_info_id": item_id}] if item_id else []
        yield {
            "warning": [values],
            "warning_event": events,
            "warning_basis": basis,
            "obligation": obligations,
        }
    ctx.colours = {
        ctx.cadres[index][0]: colour_of(in_force_tier(s, today) for s in snaps)
        for index, snaps in colours.items()
    }


def talk_rows(ctx: Context, count: int, quota: list[int]) -> Iterator[dict]:
    """Yield the talks, each with its interviewers and the cadre as at the talk."""
    from webapp.lookups import dict_items

    rng = ctx.rng
    types = [i.value for i in dict_items("talk_type")]
    modes = [i.value for i in dict_items("talk_mode")]
    for ident in next_ids(Talk.__table__, count):
        index = pick_cadre(ctx, quota, 2)
        cadre_id, name, position, unit_id = ctx.cadres[index]
        creator, creator_name = rng.choice(ctx.supervisors)
        day = ctx.today - timedelta(days=int(3 * 365 * rng.random()))
        started = datetime.combine(day, time(rng.randrange(8, 17)), tzinfo=UTC)
        yield {
            "id": ident,
            "cadre_id": cadre_id,
            "scope_unit_id": unit_id,
            "cadre_name": name,
            "cadre_title": f"{ctx.unit_names[unit_id]}{position}",
            "talk_type": rng.choice(types),
            "interviewers": [{"name": creator_name, "position": "干部监督科科长"}],
            "note_taker_name": "记录员",
            "note_taker_position": "干部监督科科员",
            "started_at": started,
            "ended_at": started + timedelta(minutes=rng.randrange(20, 90)),
            "place": rng.choice(PLACES),
            "mode": rng.choice(modes),
            "reason": rng.choice(TALK_REASONS),
            "content": "肯定成绩，指出不足，提出要求。",
            "statement": "虚心接受，认真整改。",
            "follow_up_on": day + timedelta(days=90) if rng.random() < 0.3 else None,
            "created_by_id": creator,
            "created_at": started,
            "updated_at": started,
        }


def by_table(rows: Iterable[dict[str, list[dict]]], bar: Callable[[int], None]) -> dict[str, int]:
    """Insert rows grouped by table name in chunks of whole records; return counts by table."""
    tables = {
        t: db.metadata.tables[t]
        for t in ("warning", "warning_event", "warning_basis", "obligation")
    }
    counts = dict.fromkeys(tables, 0)
    rows = iter(rows)
    while records := list(islice(rows, CHUNK)):
        for name, table in tables.items():
            batch = [r for record in records for r in record[name]]
            if batch:
                # Through bulk() without its bar: the records' count is what advances.
                counts[name] += bulk(table, batch, lambda _n: None)
        bar(sum(len(r[name]) for r in records for name in tables))
    return counts


def advance_sequences(tables: Iterable[sa.Table]) -> None:
    """Move PostgreSQL's id sequences past the ids the seed gave (SQLite needs nothing)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        db.session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
            )
        )


def analyze() -> None:
    """Refresh the planner's statistics after the load (a fresh table has none).

    On PostgreSQL also VACUUM, as autovacuum would do in time: a freshly loaded table has no
    visibility map, and index-only scans read every heap page until it has one.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        db.session.execute(sa.text("ANALYZE"))
        db.session.execute(sa.text("PRAGMA optimize"))
        return
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in db.metadata.sorted_tables:
            # TRUNCATE false: giving empty pages at a table's end back needs its exclusive lock,
            # which any open transaction on it (a test's, a user's) makes VACUUM wait 5 s for.
            conn.exec_driver_sql(f'VACUUM (ANALYZE, TRUNCATE false) "{table.name}"')


def seed(sizes: Sizes, bar: Callable[[int], None] = lambda _n: None) -> Seeded:
    """Fill an empty database at the given sizes and commit; return what the benchmark needs."""
    ensure_reference_data()
    refuse_real_data()
    if db.session.get_bind().dialect.name == "sqlite":
        # One transaction writes every index: with SQLite's 2 MB page cache it would spill
        # and rewrite the same pages into the WAL over and over.
        db.session.execute(sa.text("PRAGMA cache_size = -1000000"))
    now = clock.utc_now()
    ctx = Context(rng=random.Random(SEED), today=clock.org_today(), now=now, bar=bar)
    seeded = Seeded()
    make_units(ctx, sizes.units)
    make_users(ctx, seeded)
    creator = ctx.supervisors[0][0]
    quota = list(PROFILE_ITEMS)
    counts = {"org_unit": len(ctx.unit_ids), "app_user": len(ctx.supervisors)}
    counts["cadre"] = bulk(Cadre.__table__, cadre_rows(ctx, sizes.cadres, creator), bar)
    seeded.profile_cadre_id = ctx.cadres[0][0]
    infos, events = [], []
    for item, event in info_rows(ctx, sizes.infos, quota):
        infos.append(item)
        events.append(event)
        if len(infos) >= CHUNK:
            bulk(NegativeInfo.__table__, infos, bar)
            bulk(NegativeInfoEvent.__table__, events, bar)
            infos, events = [], []
    bulk(NegativeInfo.__table__, infos, bar)
    bulk(NegativeInfoEvent.__table__, events, bar)
    counts["negative_info"] = counts["negative_info_event"] = sizes.infos
    counts.update(by_table(warning_rows(ctx, sizes.warnings, quota), bar))
    counts["talk"] = bulk(Talk.__table__, talk_rows(ctx, sizes.talks, quota), bar)
    for colour in ("yellow", "orange", "red"):
        ids = [c for c, value in ctx.colours.items() if value == colour]
        for start in range(0, len(ids), CHUNK):
            db.session.execute(
                sa.update(Cadre.__table__)
                .where(Cadre.__table__.c.id.in_(ids[start : start + CHUNK]))
                .values(status_colour=colour)
            )
    advance_sequences(db.metadata.tables[t] for t in SEEDED_TABLES)
    db.session.commit()
    analyze()
    db.session.commit()
    seeded.counts = counts
    return seeded
