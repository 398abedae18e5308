"""Sealed source identity (举报人保护): which fields of an item name its source, who reads them.

Every reader but a holder of `view_source_identity` sees 「来源信息已加密保护」 in their place;
a holder sees them only after typing a reason, and each reveal is logged for the auditor.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from webapp.audit.services import record_access, record_operation
from webapp.models import NegativeInfo

# Channels whose reporting unit and liaison are the whistle-blower's side: 信访举报, 12380.
SEALED_CHANNELS = frozenset({"petition", "hotline_12380"})
REPORTER_FIELDS = ("reporter_name", "reporter_contact")
CHANNEL_FIELDS = ("reporting_unit", "liaison_name")
SEALED_NOTICE = _l("来源信息已加密保护")
# What the item's history keeps of a sealed field's change, as the audit trail does.
HISTORY_MARKER = "已修改（内容不记入日志）"


def sealed_fields(info: NegativeInfo | Any) -> frozenset[str]:
    """Return the fields of an item (or of its form values) that name its source."""
    # One-way: a field once sealed with text in it stays sealed (`remember_sealed`), so a
    # new channel or an unticked details box reveals nothing already stored.
    get = info.get if isinstance(info, dict) else lambda key: getattr(info, key, None)
    fields = set(REPORTER_FIELDS) | set((get("source_sealed_fields") or "").split())
    if get("source_channel") in SEALED_CHANNELS:
        fields.update(CHANNEL_FIELDS)
    if get("details_has_identity"):
        fields.add("details")
    return frozenset(fields)


def remember_sealed(info: NegativeInfo) -> None:
    """Record the item's sealed, filled fields before an edit may change what seals them."""
    kept = set(info.source_sealed_fields.split()) | hidden_in_form(info)
    info.source_sealed_fields = " ".join(sorted(kept - set(REPORTER_FIELDS)))


def unsealing_refused(info: NegativeInfo, key: str, typed: dict[str, Any]) -> bool:
    """Tell whether a change to `key` (channel or details box) would stop sealing filled fields."""
    # Asked for whom lacks view_source_identity: his form shows these fields blank, so he may
    # not move the channel out of 信访举报/12380 nor untick the box while they hold text.
    if key == "source_channel":
        leaving = info.source_channel in SEALED_CHANNELS and typed[key] not in SEALED_CHANNELS
        fields: tuple[str, ...] = CHANNEL_FIELDS
    else:
        leaving, fields = bool(info.details_has_identity and not typed[key]), ("details",)
    return leaving and any(getattr(info, f) or typed.get(f) for f in fields)


def is_sealed(info: NegativeInfo, key: str) -> bool:
    """Tell whether one field of an item names its source."""
    return key in sealed_fields(info)


def public_value(info: NegativeInfo, key: str) -> Any:
    """Return a field as anyone may read it: the notice in place of a sealed, filled field."""
    value = getattr(info, key)
    return str(SEALED_NOTICE) if value and is_sealed(info, key) else value


def reveal_source(info: NegativeInfo, reason: str) -> dict[str, str]:
    """Log a reveal of an item's source identity with its reason; return the sealed fields."""
    # The reason goes in the operation log (the auditor reads it there); the identity never does.
    record_operation(
        "reveal_source_identity", "NegativeInfo", info.id, f"查看来源身份，理由：{reason}"
    )
    record_access("NegativeInfo", info.id, action="reveal_source")  # AccessLog.action: 16 chars
    return {key: getattr(info, key) for key in sorted(sealed_fields(info)) if getattr(info, key)}


def hidden_in_form(info: NegativeInfo) -> frozenset[str]:
    """Return the filled sealed fields an edit form leaves blank (an edit form is no reveal)."""
    return frozenset(key for key in sealed_fields(info) if getattr(info, key))


def blank_hidden(form, info: NegativeInfo, hidden: frozenset[str]):
    """Blank each hidden field of an edit form that still holds the stored value; return it."""
    # A field the request left out keeps the value the form was loaded with, so a refused
    # submission would show it; a value the user typed is his own and stays.
    for key in hidden:
        if form[key].data == getattr(info, key):
            form[key].data = ""
    return form


def keep_hidden(values: dict[str, Any], info: NegativeInfo, hidden: frozenset[str]) -> dict:
    """Keep the stored value of each hidden field the user left blank."""
    for key in hidden:
        if not values.get(key):
            values[key] = getattr(info, key)
    return values
