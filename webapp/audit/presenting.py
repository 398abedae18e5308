"""Turn an operation-log row's stored JSON into labelled before → after lines for the auditor."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from webapp.audit.labels import field_dictionary, field_label
from webapp.lookups import dict_label
from webapp.models import AuditLog

EMPTY = (None, "", [], {})


@dataclass(frozen=True)
class Change:
    """One column of one operation: its label and its value before and after (None: absent)."""

    label: str
    before: str | None
    after: str | None


def shown_value(object_type: str, key: str, value: Any) -> str:
    """Return a stored value as the auditor reads it: dictionary labels, 是/否, 空."""
    if value in EMPTY:
        return _("（空）")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    dictionary = field_dictionary(object_type, key)
    if dictionary and isinstance(value, str):
        return dict_label(dictionary, value)
    if isinstance(value, list):
        return "、".join(str(part) for part in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def describe(row: AuditLog) -> list[Change]:
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
        changes.append(
            Change(
                str(field_label(row.object_type, key)),
                shown_value(row.object_type, key, old) if key in before else None,
                shown_value(row.object_type, key, new) if key in after else None,
            )
        )
    return changes
