"""Insert the default roles, dictionaries and parameters that are missing (idempotent)."""

from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.meetings import kinds as meeting_kinds
from webapp.models import DictItem, DictType, Parameter, Role
from webapp.parameters import DEFAULT_PARAMETERS
from webapp.security.permissions import DEFAULT_ROLES
from webapp.seed.dictionaries import DEFAULT_DICTIONARIES, NEGATIVE_CATEGORIES


def ensure_roles() -> int:
    """Create the default roles that do not exist yet; return how many were added."""
    existing = set(db.session.scalars(select(Role.code)))
    added = 0
    for order, spec in enumerate(DEFAULT_ROLES):
        if spec["code"] not in existing:
            db.session.add(
                Role(
                    code=spec["code"],
                    name=str(spec["name"]),
                    permissions=list(spec["permissions"]),
                    sort_order=order,
                )
            )
            added += 1
    return added


def ensure_dict_type(code: str, name: str) -> DictType:
    """Return the dictionary type with this code, creating it if needed."""
    dict_type = db.session.scalars(select(DictType).where(DictType.code == code)).first()
    if dict_type is None:
        dict_type = DictType(code=code, name=name)
        db.session.add(dict_type)
        db.session.flush()
    return dict_type


def ensure_item(
    dict_type: DictType,
    order: int,
    value: str,
    label: str,
    colour: str = "",
    extra: dict | None = None,
    parent: DictItem | None = None,
) -> DictItem:
    """Return the dictionary item with this value, creating it if needed."""
    item = db.session.scalars(
        select(DictItem).where(DictItem.dict_type_id == dict_type.id, DictItem.value == value)
    ).first()
    if item is None:
        item = DictItem(
            dict_type_id=dict_type.id,
            value=value,
            label=label,
            colour=colour,
            extra=extra or {},
            sort_order=order,
            parent_id=parent.id if parent else None,
        )
        db.session.add(item)
        db.session.flush()
    return item


def ensure_dictionaries() -> None:
    """Create the default dictionaries and their items that are missing."""
    for code, name, items in DEFAULT_DICTIONARIES:
        dict_type = ensure_dict_type(code, name)
        for order, (value, label, *rest) in enumerate(items):
            colour = rest[0] if rest else ""
            extra = rest[1] if len(rest) > 1 else None
            ensure_item(dict_type, order, value, label, colour, extra)
    categories = ensure_dict_type("negative_category", "负面信息类别")
    situations = ensure_dict_type("negative_situation", "具体情形")
    for order, (value, label, children) in enumerate(NEGATIVE_CATEGORIES):
        category = ensure_item(categories, order, value, label)
        for child_order, (child_value, child_label, tier) in enumerate(children):
            ensure_item(
                situations,
                order * 100 + child_order,
                child_value,
                child_label,
                extra={"default_tier": tier},
                parent=category,
            )
    ensure_meeting_dictionaries()


def ensure_meeting_dictionaries() -> None:
    """Create the 研判会商类型 and 研判会商决定 dictionaries the meetings area declares."""
    kinds = ensure_dict_type(meeting_kinds.KIND_DICT, "研判会商类型")
    for order, spec in enumerate(meeting_kinds.KINDS):
        ensure_item(kinds, order, spec.code, spec.label, extra={"young": spec.young})
    decisions = ensure_dict_type(meeting_kinds.DECISION_DICT, "研判会商决定")
    for order, (code, label, event, record) in enumerate(meeting_kinds.DECISIONS):
        extra = {"event": event.value if event else "", "record": record}
        ensure_item(decisions, order, code, label, extra=extra)


def ensure_parameters() -> None:
    """Create the default parameters that are missing; never overwrite an edited value."""
    existing = set(db.session.scalars(select(Parameter.key)))
    for d in DEFAULT_PARAMETERS:
        if d.key not in existing:
            db.session.add(
                Parameter(
                    key=d.key,
                    value=d.value,
                    value_type=d.value_type,
                    group=d.group,
                    description=d.description,
                    min_value=d.min_value,
                    max_value=d.max_value,
                )
            )


def ensure_reference_data() -> None:
    """Seed roles, dictionaries and parameters; safe to run on every start."""
    ensure_roles()
    ensure_dictionaries()
    ensure_parameters()
    db.session.commit()
