"""Turn an operation-log row's stored JSON into labelled before → after lines for the auditor."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from webapp import models
from webapp.admin import services as admin_services
from webapp.audit.labels import (
    field_dictionary,
    field_label,
    filter_label,
    filter_pairs,
    reference_column,
    referenced_type,
)
from webapp.audit.recorder import CONTENT_BEFORE, CONTENT_CHANGED, CONTENT_SET
from webapp.audit.values import value_words
from webapp.extensions import db
from webapp.i18n import translate
from webapp.lookups import dict_label
from webapp.models import AuditLog
from webapp.parameters import value_type_of

EMPTY = (None, "", [], {})
# The markers the recorder stores in place of case content, in the reader's language.
CONTENT = {
    CONTENT_SET: _l("已填写（内容不记入日志）"),
    CONTENT_CHANGED: _l("已修改（内容不记入日志）"),
    CONTENT_BEFORE: _l("原内容（不记入日志）"),
}


@dataclass(frozen=True)
class Change:
    """One column of one operation: its label and its value before and after (None: absent)."""

    label: str
    before: str | None
    after: str | None


Names = dict[tuple[str, str], str]


def shown_value(object_type: str, key: str, value: Any, names: Names | None = None) -> str:
    """Return a stored value as the auditor reads it: names, labels of codes, 是/否, 空."""
    if value in EMPTY:
        return _("（空）")
    if isinstance(value, str) and value in CONTENT:
        return str(CONTENT[value])
    if isinstance(value, bool):
        return _("是") if value else _("否")
    target = referenced_type(object_type, key)
    if target and names and (target, str(value)) in names:
        return names[(target, str(value))]
    words = value_words(object_type, key, value)
    if words is not None:
        return words
    dictionary = field_dictionary(object_type, key)
    if dictionary and isinstance(value, str):
        return dict_label(dictionary, value)
    if isinstance(value, list):
        return "、".join(shown_value(object_type, key, part, names) for part in value)
    if isinstance(value, dict):
        # Settings kept as JSON (a dictionary item's default tier, an interviewer): label each part.
        return _("；").join(
            f"{field_label(object_type, part)}{_('：')}{shown_value(object_type, part, v, names)}"
            for part, v in value.items()
        )
    return str(value)


DEFAULT_REPR = re.compile(r"<[\w.]+ object at 0x[0-9a-fA-F]+>")


def shown_summary(summary: str) -> str:
    """Return a row's summary as shown: older rows may hold Python's "<… object at 0x…>"."""
    return "" if DEFAULT_REPR.fullmatch(summary or "") else summary


def raw_json(value: Any) -> str:
    """Return stored JSON as the toggle shows it: readable Chinese, keys sorted."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def describe(row: AuditLog, names: Names | None = None) -> list[Change]:
    """Return the labelled changes of one row: every changed column, or the values set/removed."""
    before, after = row.before or {}, row.after or {}
    keys = [*after, *(key for key in before if key not in after)]
    changes = []
    for key in keys:
        if key == "id":
            continue  # the object column already names the record
        old, new = before.get(key), after.get(key)
        # A create or a delete lists only the columns that hold something.
        if row.action != "update" and old in EMPTY and new in EMPTY:
            continue
        # Case content changed: "已修改" says all there is, the old value is not kept.
        had = key in before and old != CONTENT_BEFORE
        show = shown_value
        if row.object_type == "Parameter" and key == "value":
            show = parameter_shower(row, names)
        changes.append(
            Change(
                str(field_label(row.object_type, key)),
                show(row.object_type, key, old, names) if had else None,
                show(row.object_type, key, new, names) if key in after else None,
            )
        )
    return changes


class ParameterName(str):
    """A parameter's name on the log page; it carries the key its values are read by."""

    key: str = ""


def parameter_name(description: str, key: str) -> ParameterName:
    """Name a parameter by its description, keeping its key."""
    name = ParameterName(translate(description) or key)
    name.key = key
    return name


def parameter_shower(row: AuditLog, names: Names | None) -> Callable[..., str]:
    """Return how a parameter's values read in this row: by its key's type (role names…)."""
    key = (row.after or {}).get("key") or (row.before or {}).get("key")
    key = key or getattr((names or {}).get(("Parameter", row.object_id)), "key", "")

    def show(object_type: str, column: str, value: Any, names: Names | None = None) -> str:
        if not key or not isinstance(value, str) or value in CONTENT or value in EMPTY:
            return shown_value(object_type, column, value, names)
        kind = value_type_of(key, "str")
        words = admin_services.value_words(key, kind, value, role_names())
        # A chain's own arrows must not read as the change's before → after.
        return f"「{words}」" if kind == "role_chain" else words

    return show


def role_names() -> dict[str, str]:
    """Return the role names by code, read once per request."""
    if "_audit_role_names" not in g:
        g._audit_role_names = admin_services.role_names()
    return g._audit_role_names


# How to name a record of each type: its columns, or "Type.column" of a record it points at
# (joined through the column that references that type), and how to join the values.
NAMES: dict[str, tuple[tuple[str, ...], Callable[..., str]]] = {
    "Cadre": (("name",), str),
    "CadreEvent": (("Cadre.name",), str),
    "User": (("full_name", "username"), lambda full, user: f"{full}（{user}）"),
    "OrgUnit": (("name",), str),
    "Role": (("name",), str),
    "NegativeInfo": (("number", "cadre_name"), lambda number, name: f"{number} {name}"),
    "Warning": (("number", "Cadre.name"), lambda number, name: f"{number} {name or ''}".strip()),
    **{
        record: (("Warning.number",), str)
        for record in (
            "Approval",
            "WarningAction",
            "Rectification",
            "CommitteeDecision",
            "Referral",
            "Clarification",
            "ToleranceDecision",
            "WarningProposal",
        )
    },
    "Talk": (("cadre_name",), str),
    "Inquiry": (("cadre_name", "round"), lambda name, n: _("%(name)s 第%(n)s次", name=name, n=n)),
    "Parameter": (("description", "key"), parameter_name),
    "DictType": (("name",), str),
    "DictItem": (("label",), str),
    "Attachment": (("original_name",), str),
    "HolidayYear": (("year",), str),
    "HolidayDay": (("day",), str),
    "Meeting": (("number",), str),
    "MeetingDecision": (("Meeting.number",), str),
    "NotificationPreference": (("User.full_name",), str),
    "ApiClient": (("name",), str),
}


def object_names(rows: Iterable[Any]) -> Names:
    """Name the records a page of log rows refers to, with one query per record type."""
    wanted = []
    for row in rows:
        # A deleted record's id may be taken again (SQLite reuses the highest): its row's
        # summary keeps the name it had.
        if getattr(row, "action", "") != "delete":
            wanted.append((row.object_type, row.object_id))
        for values in (getattr(row, "before", None), getattr(row, "after", None)):
            for key, value in (values or {}).items():
                target = referenced_type(row.object_type, key)
                if target and value is not None:
                    wanted.append((target, str(value)))
        for key, value in filter_pairs(getattr(row, "filters", "")):
            target = referenced_type(row.object_type, key)
            if target:
                wanted.append((target, value))
    return names_of(wanted)


def describe_filters(row: Any, names: Names | None = None) -> str:
    """Return an access-log row's filters in words: 单位：市财政局；核实状态：属实."""
    return _("；").join(
        f"{filter_label(row.object_type, key)}{_('：')}"
        f"{shown_value(row.object_type, key, value, names)}"
        for key, value in filter_pairs(row.filters)
    )


def names_of(wanted: Iterable[tuple[str, str]]) -> Names:
    """Return the names of (type, id) pairs, one query per type; unknown ones left out."""
    ids: dict[str, set[int]] = defaultdict(set)
    for object_type, ident in wanted:
        if object_type in NAMES and ident.isdigit():
            ids[object_type].add(int(ident))
    names = {}
    for object_type, chosen in ids.items():
        columns, join = NAMES[object_type]
        for ident, *values in db.session.execute(naming_query(object_type, columns, chosen)):
            names[(object_type, str(ident))] = join(*values)
    return names


def naming_query(object_type: str, columns: tuple[str, ...], chosen: set[int]) -> Select:
    """Select the id and naming columns of the chosen records, joining what they point at."""
    model = getattr(models, object_type)
    targets: dict[str, Any] = {}
    selected = []
    for column in columns:
        target, _dot, name = column.rpartition(".")
        if not target:
            selected.append(getattr(model, name))
            continue
        if target not in targets:
            targets[target] = aliased(getattr(models, target))
        selected.append(getattr(targets[target], name))
    stmt = select(model.id, *selected).where(model.id.in_(chosen))
    for target, alias in targets.items():
        key = reference_column(object_type, target, model.__table__.columns.keys())
        stmt = stmt.outerjoin(alias, alias.id == getattr(model, key))
    return stmt
