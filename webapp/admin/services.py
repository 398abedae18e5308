"""Account identity, unit, dictionary and parameter changes made by the system admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from webapp.admin.cron_words import describe_cron
from webapp.auth.services import set_password
from webapp.clock import org_zone, utc_now
from webapp.extensions import db
from webapp.i18n import translate
from webapp.lookups import forget_cached, param_int
from webapp.models import DataScope, DictItem, DictType, OrgUnit, Parameter, Role, User
from webapp.parameters import (
    ACCOUNT_ROLE_LISTS,
    PARAMETER_DEFAULTS,
    ROLE_TYPES,
    bounds_of,
    group_rank,
    help_of,
    unit_of,
    value_type_of,
)
from webapp.reminders_admin.jobs import declared_jobs
from webapp.security.passwords import generate_password
from webapp.security.permissions import UNASSIGNED, Duty, duty_of
from webapp.units import ordered_units, set_path
from workflows.tiers import COMMITTEE_ROLE, ROLE_LABELS


def list_users(page: int, per_page: int):
    """Return one page of users."""
    return db.paginate(
        select(User).order_by(User.id), page=page, per_page=per_page, error_out=False
    )


def username_taken(username: str, except_id: int | None = None) -> bool:
    """Tell whether another user has this username (case-insensitive)."""
    stmt = select(User.id).where(func.lower(User.username) == username.lower())
    if except_id:
        stmt = stmt.where(User.id != except_id)
    return db.session.scalar(stmt) is not None


def superior_choices(user_id: int | None, keep_id: int | None = None) -> list[tuple[int, str]]:
    """Return the users offered as 直接上级: the active ones (and the current one), never self."""
    offered = User.active.is_(True)
    if keep_id:  # a superior since disabled stays selectable, so an edit does not lose him
        offered = offered | (User.id == keep_id)
    stmt = select(User).where(offered)
    if user_id:
        stmt = stmt.where(User.id != user_id)
    users = db.session.scalars(stmt.order_by(User.full_name, User.id))
    return [(u.id, f"{u.full_name}（{u.username}）") for u in users]


def superior_cycle(user_id: int | None, superior_id: int | None) -> bool:
    """Tell whether the superior's own chain of superiors leads back to this user."""
    if not user_id or not superior_id:
        return False
    seen: set[int] = set()
    current: int | None = superior_id
    while current is not None and current not in seen:  # seen: stop on a loop already stored
        if current == user_id:
            return True
        seen.add(current)
        current = db.session.scalar(select(User.superior_id).where(User.id == current))
    return False


def sysadmin_may_edit(user: User) -> bool:
    """Tell whether the system admin may edit this account (never the other two admins')."""
    return duty_of(user.role.permissions) not in (Duty.SECURITY, Duty.AUDIT, Duty.MIXED)


def unit_is_identity(user: User | None) -> bool:
    """Tell whether the account's unit is still the system admin's to set (no role granted yet)."""
    return user is None or duty_of(user.role.permissions) is Duty.NONE


def apply_identity(user: User, data: dict[str, Any]) -> None:
    """Copy the identity fields of the system admin's form onto a user."""
    user.full_name = data["full_name"]
    user.email = data["email"] or None
    if "unit_id" in data:
        user.unit_id = data["unit_id"]
    user.active = data["active"]
    user.superior_id = data.get("superior_id") or None
    user.wecom_userid = (data.get("wecom_userid") or "").strip()


def issued_password() -> str:
    """Generate a password an administrator hands over (never one he chose); policy length."""
    return generate_password(max(14, param_int("auth.password_min_length")))


def create_user(data: dict[str, Any]) -> tuple[User, str]:
    """Create an account with no role; return it and its generated initial password (must be changed).

    The system admin never types the password: one he chose he could keep using.
    """
    password = issued_password()
    unassigned = db.session.scalars(select(Role).where(Role.code == UNASSIGNED)).one()
    user = User(username=data["username"], role=unassigned, data_scope=DataScope.SELF)
    apply_identity(user, data)
    set_password(user, password)
    user.must_change_password = True
    db.session.add(user)
    db.session.commit()
    return user, password


def update_identity(user: User, data: dict[str, Any]) -> User:
    """Save the system admin's edits to an account's identity."""
    apply_identity(user, data)
    db.session.commit()
    return user


def role_choices(user: User) -> list[tuple[int, str]]:
    """Return (id, name) of the roles the 授权 page offers an account: case roles and none.

    Never an administrator's role (those come from `flask accounts grant-admin` on the server),
    except the one the account already holds, so its page does not read as a revocation.
    """
    roles = db.session.scalars(select(Role).order_by(Role.sort_order))
    return [
        (r.id, r.name)
        for r in roles
        if duty_of(r.permissions) in (Duty.CASE, Duty.NONE) or r.id == user.role_id
    ]


def unit_code_taken(code: str, except_id: int | None = None) -> bool:
    """Tell whether another unit has this code."""
    stmt = select(OrgUnit.id).where(OrgUnit.code == code)
    if except_id:
        stmt = stmt.where(OrgUnit.id != except_id)
    return db.session.scalar(stmt) is not None


def save_unit(unit: OrgUnit | None, data: dict[str, Any]) -> OrgUnit:
    """Create or edit a unit, recomputing the paths of its subtree if it moved."""
    if unit is None:
        unit = OrgUnit()
        db.session.add(unit)
    old_path = unit.path
    unit.code, unit.name = data["code"], data["name"]
    unit.sort_order, unit.active = data["sort_order"], data["active"]
    unit.parent = db.session.get(OrgUnit, data["parent_id"]) if data["parent_id"] else None
    db.session.flush()
    set_path(unit)
    if old_path and old_path != unit.path:
        for child in sorted(descendants_by_path(old_path), key=lambda u: u.path.count("/")):
            set_path(child)
    db.session.commit()
    forget_cached()  # the registers' unit filters (webapp/units/picker.py)
    return unit


def descendants_by_path(path: str) -> list[OrgUnit]:
    """Return the units whose path starts below a given path."""
    return list(
        db.session.scalars(
            select(OrgUnit).where(
                OrgUnit.path.startswith(path, autoescape=True), OrgUnit.path != path
            )
        )
    )


def parent_choices(unit: OrgUnit | None) -> list[tuple[int, str]]:
    """Return the units that may be a unit's parent (not itself, not below it)."""
    barred = (
        {unit.id, *(u.id for u in descendants_by_path(unit.path))} if unit and unit.id else set()
    )
    return [
        (u.id, "　" * u.depth + u.name)
        for u in ordered_units(active_only=False)
        if u.id not in barred
    ]


def dict_types() -> list[DictType]:
    """Return every dictionary type."""
    return list(db.session.scalars(select(DictType).order_by(DictType.code)))


def parent_labels(dict_type: DictType) -> dict[int, str]:
    """Return the label of each item a dictionary's items hang under (a situation's category)."""
    ids = {item.parent_id for item in dict_type.items if item.parent_id}
    if not ids:
        return {}
    rows = db.session.execute(select(DictItem.id, DictItem.label).where(DictItem.id.in_(ids)))
    return dict(rows.tuples().all())


def dict_value_taken(dict_type: DictType, value: str, except_id: int | None) -> bool:
    """Tell whether another item of the dictionary has this value."""
    stmt = select(DictItem.id).where(DictItem.dict_type_id == dict_type.id, DictItem.value == value)
    if except_id:
        stmt = stmt.where(DictItem.id != except_id)
    return db.session.scalar(stmt) is not None


def save_dict_item(dict_type: DictType, item: DictItem | None, data: dict[str, Any]) -> DictItem:
    """Create or edit a dictionary item."""
    if item is None:
        item = DictItem(dict_type_id=dict_type.id, extra={})
        db.session.add(item)
    item.value, item.label = data["value"], data["label"]
    item.sort_order, item.colour, item.active = data["sort_order"], data["colour"], data["active"]
    item.parent_id = data["parent_id"] or None
    extra = dict(item.extra or {})
    if data.get("default_tier"):
        extra["default_tier"] = data["default_tier"]
    else:
        extra.pop("default_tier", None)
    item.extra = extra
    db.session.commit()
    forget_cached()
    return item


def parameters() -> list[Parameter]:
    """Return every parameter, grouped."""
    return list(db.session.scalars(select(Parameter).order_by(Parameter.group, Parameter.key)))


def role_options(value_type: str, key: str = "") -> list[tuple[str, str]]:
    """Return (code, name) of the roles a role-list parameter may hold, in the roles' order.

    A case role list never holds an administrator's role: it gives its holders a step in the
    case workflow, and the system admin who edits parameters must not give himself one (三员分立).
    A list about accounts (who must use two-factor login) gives nothing and may name any role.
    """
    account_list = key in ACCOUNT_ROLE_LISTS
    roles = [
        (r.code, r.name)
        for r in db.session.scalars(select(Role).order_by(Role.sort_order))
        if (account_list and r.code != UNASSIGNED) or duty_of(r.permissions) is Duty.CASE
    ]
    # 党委 is no role a user holds: it is an approval step whose decision is recorded.
    if value_type == "role_chain":
        roles.append((COMMITTEE_ROLE, _(ROLE_LABELS[COMMITTEE_ROLE])))
    return roles


def role_names() -> dict[str, str]:
    """Return the name of every role and approval step a parameter may hold, by code."""
    names = {r.code: r.name for r in db.session.scalars(select(Role))}
    return {**names, COMMITTEE_ROLE: _(ROLE_LABELS[COMMITTEE_ROLE])}


def split_codes(value: str) -> list[str]:
    """Split a stored "a,b,c" list of codes."""
    return [part.strip() for part in value.split(",") if part.strip()]


@dataclass(frozen=True)
class ParameterRow:
    """A parameter as 参数管理 shows it: label, value in words, unit, help and rhythm."""

    parameter: Parameter
    kind: str
    label: str
    shown: str
    unit: str
    help: str
    rhythm: str | None  # a cron's run times in plain words, None if it cannot say
    low: int | None
    high: int | None


def rhythm_of(expression: str) -> str | None:
    """Return when a UTC cron expression runs, in the organisation's local time."""
    return describe_cron(expression, org_zone().utcoffset(utc_now()) or timedelta(0))


def parameter_row(parameter: Parameter, role_names: dict[str, str]) -> ParameterRow:
    """Describe one parameter in the users' words."""
    kind = value_type_of(parameter.key, parameter.value_type)
    spec = PARAMETER_DEFAULTS.get(parameter.key)
    label = translate(spec.description if spec else parameter.description) or parameter.key
    unit = translate(unit_of(parameter.key)) if kind == "int" else ""
    shown = value_words(parameter.key, kind, parameter.value, role_names)
    rhythm = rhythm_of(parameter.value) if kind == "cron" else None
    low, high = bounds_of(parameter.key, parameter.min_value, parameter.max_value)
    return ParameterRow(
        parameter,
        kind,
        label,
        shown,
        unit,
        translate(help_of(parameter.key, kind)),
        rhythm,
        low,
        high,
    )


def job_options() -> list[tuple[str, str]]:
    """Return (id, name) of every scheduled job, as 定时任务 lists them."""
    return [(job_id, str(translate(label))) for job_id, label, _cron in declared_jobs()]


def value_words(key: str, kind: str, value: str, role_names: dict[str, str]) -> str:
    """Return a parameter's value as people read it: role names, a number with its unit, a rhythm."""
    if kind == "jobs":
        jobs = dict(job_options())
        return "、".join(jobs.get(code, code) for code in split_codes(value)) or _("（无）")
    if kind in ROLE_TYPES:
        names = [role_names.get(code, code) for code in split_codes(value)]
        return (" → " if kind == "role_chain" else "、").join(names)
    if kind == "int" and unit_of(key):
        return f"{value} {translate(unit_of(key))}"
    if kind == "cron":
        rhythm = rhythm_of(value)
        return f"{rhythm}（{value}）" if rhythm else value
    return value


def parameter_groups() -> list[tuple[str, list[ParameterRow]]]:
    """Return the parameters grouped by area, in the page's order, each in the users' words."""
    names = role_names()
    groups: dict[str, list[ParameterRow]] = {}
    for parameter in parameters():
        spec = PARAMETER_DEFAULTS.get(parameter.key)
        group = spec.group if spec else parameter.group
        groups.setdefault(group, []).append(parameter_row(parameter, names))
    ordered = sorted(groups.items(), key=lambda item: (group_rank(item[0]), item[0]))
    return [(translate(group), rows) for group, rows in ordered]


def save_parameter(parameter: Parameter, value: str) -> None:
    """Store a parameter's new value."""
    parameter.value = value
    db.session.commit()
    forget_cached()
