"""The one row builder and the one history builder of negative information, and its vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from webapp.extensions import db
from webapp.lookups import dict_items, dict_label, param_int
from webapp.models import Cadre, NegativeInfo, NegativeInfoEvent, User
from workflows.verification import Status

NUMBER_PREFIX = "FM"
OWNER_TYPE = "negative_info"

# Fields a supervisor types; the cadre snapshot and unit follow from the chosen cadre.
REPORT_FIELDS = (
    "category",
    "situation",
    "source_channel",
    "reporting_unit",
    "liaison_name",
    "reporter_name",
    "reporter_contact",
    "source_document_number",
    "occurred_on",
    "received_on",
    "summary",
    "details",
    "details_has_identity",
    "handling_unit",
    "handling_result",
    "severity",
    "confidentiality",
)
# Fields a liaison types on the short form.
LIAISON_FIELDS = (
    "category",
    "situation",
    "source_channel",
    "source_document_number",
    "occurred_on",
    "summary",
    "details",
    "details_has_identity",
)
# What a field holds when the form or the file leaves it empty.
DEFAULTS: dict[str, Any] = {
    "reporting_unit": "",
    "liaison_name": "",
    "reporter_name": "",
    "reporter_contact": "",
    "details_has_identity": False,
    "source_document_number": "",
    "details": "",
    "handling_unit": "",
    "handling_result": "",
    "severity": "",
    "confidentiality": "internal",
}

FIELD_LABELS = {
    "cadre_id": _l("干部"),
    "category": _l("信息类别"),
    "situation": _l("具体情形"),
    "source_channel": _l("信息来源"),
    "reporting_unit": _l("报送单位"),
    "liaison_name": _l("联络员"),
    "reporter_name": _l("举报人"),
    "reporter_contact": _l("举报人联系方式"),
    "details_has_identity": _l("详细情况含来源身份信息"),
    "source_document_number": _l("来源文号"),
    "occurred_on": _l("发生时间"),
    "received_on": _l("收到时间"),
    "summary": _l("事实摘要"),
    "details": _l("详细情况"),
    "handling_unit": _l("查处单位"),
    "handling_result": _l("处理情况"),
    "severity": _l("严重程度"),
    "confidentiality": _l("密级"),
}
# Fields whose value is a dictionary code, and the dictionary that labels it.
DICT_FIELDS = {
    "category": "negative_category",
    "situation": "negative_situation",
    "source_channel": "source_channel",
    "severity": "severity",
    "confidentiality": "confidentiality",
}

EVENT_LABELS = {
    "created": _l("登记"),
    "submitted": _l("联络员报送"),
    "imported": _l("Excel 导入"),
    "edited": _l("修改"),
    "start": _l("开始核实"),
    "conclude": _l("核实办结"),
    "reopen": _l("重新核实"),
    "from_inquiry": _l("函询转初步核实"),
    "linked_duplicate": _l("关联重复信息"),
    "unlinked_duplicate": _l("取消重复关联"),
    "attachment_added": _l("上传附件"),
    "attachment_removed": _l("移除附件"),
    "deadline_recomputed": _l("核实期限按节假日数据重新计算"),
}


class ReportError(ValueError):
    """A request the service refuses; the message is ready to show."""


class ConflictError(ReportError):
    """Someone else changed the record since the user opened it."""


# ---------------------------------------------------------------- categories and situations


@dataclass(frozen=True)
class Situation:
    """A 具体情形 with its category (大类) and default tier."""

    value: str
    label: str
    category: str
    tier: int


def categories() -> list[tuple[str, str]]:
    """Return (value, label) of the active categories."""
    return [(item.value, item.label) for item in dict_items("negative_category")]


def situations(active_only: bool = True) -> dict[str, Situation]:
    """Return the situations by value, each knowing its category and default tier."""
    parents = {
        item.id: item.value for item in dict_items("negative_category", active_only=active_only)
    }
    result = {}
    for item in dict_items("negative_situation", active_only=active_only):
        if item.parent_id in parents:
            tier = int((item.extra or {}).get("default_tier", 1))
            result[item.value] = Situation(item.value, item.label, parents[item.parent_id], tier)
    return result


def status_colour(status: str) -> str:
    """Return the badge colour the dictionary gives a verification status."""
    for item in dict_items("verification_status", active_only=False):
        if item.value == status:
            return item.colour or "grey"
    return "grey"


def verify_workdays(source_channel: str) -> int:
    """Return the verification time limit of a source channel in working days."""
    for item in dict_items("source_channel", active_only=False):
        if item.value == source_channel and (item.extra or {}).get("verify_workdays"):
            return int(item.extra["verify_workdays"])
    return param_int("report.verification_workdays")


# ---------------------------------------------------------------- the row and its history


def item_row(
    values: dict[str, Any],
    *,
    number: str,
    created_by: User,
    cadre_id: int | None,
    cadre_name: str,
    cadre_position: str,
    unit_id: int,
    tiers: dict[str, int],
    **extra: Any,
) -> dict[str, Any]:
    """Return the column values of a new 待核实 item (the form, the liaison and the import)."""
    return {
        **DEFAULTS,
        **values,
        **extra,
        "number": number,
        "cadre_id": cadre_id,
        "cadre_name": cadre_name.strip(),
        "cadre_position": cadre_position.strip(),
        "unit_id": unit_id,
        "scope_unit_id": unit_id,  # the cadre's unit as matched; the flush hook keeps it after
        "default_tier": tiers.get(values["situation"], 1),
        "status": Status.PENDING,
        "created_by_id": created_by.id,
    }


def cadre_snapshot(cadre: Cadre) -> dict[str, Any]:
    """Return the cadre columns an item keeps as reported."""
    return {
        "cadre_id": cadre.id,
        "cadre_name": cadre.name,
        "cadre_position": cadre.position,
        "unit_id": cadre.unit_id,
    }


def history_row(
    info_id: int | None,
    user: User | None,
    event: str,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    changes: dict | None = None,
) -> dict[str, Any]:
    """Return the column values of one history line (the system when there is no user)."""
    return {
        "info_id": info_id,
        "actor_id": user.id if user else None,
        "actor_name": user.full_name if user else "system",
        "event": event,
        "from_status": str(from_status or ""),
        "to_status": str(to_status or ""),
        "note": note,
        "changes": changes,
    }


def add_history(info: NegativeInfo, user: User | None, event: str, **fields: Any) -> None:
    """Add one history line to an item, in the caller's transaction."""
    row = history_row(None, user, event, **fields)
    del row["info_id"]
    db.session.add(NegativeInfoEvent(info=info, **row))


def set_cadre(info: NegativeInfo, cadre: Cadre) -> None:
    """Link an item to a cadre, keeping a snapshot of the cadre as reported."""
    for key, value in cadre_snapshot(cadre).items():
        setattr(info, key, value)


def shown(key: str, value: Any) -> Any:
    """Return a field's value as the history shows it (labels, ISO dates)."""
    if key in DICT_FIELDS:
        return dict_label(DICT_FIELDS[key], value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def commit() -> None:
    """Commit, turning a stale write into a conflict the user is told about."""
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise ConflictError(_("该信息已被他人修改，请刷新页面后重新操作")) from exc


def check_version(info: NegativeInfo, version: int | None) -> None:
    """Refuse a change made on a copy older than the item."""
    if version is not None and version != info.version:
        raise ConflictError(_("该信息已被他人修改，请刷新页面后重新操作"))
