"""The negative-information register export (负面信息台账导出): filtered, scoped, streamed."""

from __future__ import annotations

from typing import IO

import sqlalchemy as sa
from flask_babel import gettext as _

from webapp.audit.services import record_operation
from webapp.extensions import db
from webapp.lookups import dict_labels
from webapp.models import OrgUnit, User
from webapp.negative_info.queries import ReportFilters, register_query
from webapp.negative_info.sealing import public_value
from webapp.spreadsheets.export import write_workbook

EXPORT_HEADERS = [
    "编号",
    "干部姓名",
    "单位",
    "职务",
    "信息类别",
    "具体情形",
    "信息来源",
    "报送单位",
    "联络员",
    "来源文号",
    "发生时间",
    "收到时间",
    "事实摘要",
    "严重程度",
    "密级",
    "核实状态",
    "核实期限",
    "查处单位",
    "处理情况",
]
EXPORT_WIDTHS = [14, 10, 20, 16, 12, 22, 14, 16, 10, 16, 12, 12, 50, 8, 8, 10, 22, 16, 30]


def register_rows(user: User, filters: ReportFilters):
    """Yield the export rows of the filtered, scoped register, streamed from the database."""
    names = {
        code: dict_labels(code)
        for code in (
            "negative_category",
            "negative_situation",
            "source_channel",
            "severity",
            "confidentiality",
            "verification_status",
        )
    }
    units = dict(db.session.execute(sa.select(OrgUnit.id, OrgUnit.name)).all())
    provisional = _("（待节假日数据确认）")
    stmt = register_query(user, filters).execution_options(yield_per=1000)
    for info in db.session.scalars(stmt):
        due = info.verification_due.isoformat() if info.verification_due else ""
        if due and info.verification_due_provisional:
            due += provisional
        yield (
            info.number,
            info.cadre_name,
            units.get(info.scope_unit_id, ""),  # the cadre's unit now, as the scope has it
            info.cadre_position,
            names["negative_category"].get(info.category, info.category),
            names["negative_situation"].get(info.situation, info.situation),
            names["source_channel"].get(info.source_channel, info.source_channel),
            public_value(info, "reporting_unit"),
            public_value(info, "liaison_name"),
            info.source_document_number,
            info.occurred_on,
            info.received_on,
            info.summary,
            names["severity"].get(info.severity, info.severity),
            names["confidentiality"].get(info.confidentiality, info.confidentiality),
            names["verification_status"].get(info.status, info.status),
            due,
            info.handling_unit,
            info.handling_result,
        )


def export_register(user: User, filters: ReportFilters, target: IO[bytes]) -> int:
    """Write the filtered register within the user's scope to an .xlsx; log the export."""
    count = write_workbook(
        target, "负面信息台账", EXPORT_HEADERS, register_rows(user, filters), EXPORT_WIDTHS
    )
    shown = "；".join(f"{k}={v}" for k, v in vars(filters).items() if v) or "无"
    record_operation(
        "export", "NegativeInfo", summary=f"导出负面信息台账 {count} 条（筛选：{shown}）"
    )
    db.session.commit()
    return count
