"""Negative information (负面信息) as an Excel import: its spec, row checks and batch writer.

An import writes thousands of items in one transaction, so it inserts in bulk; but each row
and its history line come from the same builders as a typed item (`records.item_row`,
`records.history_row`), so the two paths cannot drift apart.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.extensions import db
from webapp.imports.bulk import insert_audited
from webapp.imports.columns import Column, DateValue, DictLabel, IdNumber, Text
from webapp.imports.context import ImportContext
from webapp.imports.spec import ImportSpec, ParsedRow
from webapp.lookups import param_int
from webapp.models import Cadre, NegativeInfo, NegativeInfoEvent
from webapp.models.base import utcnow
from webapp.negative_info.forms import DATE_MESSAGES, DETAILS_MAX
from webapp.negative_info.numbering import reserve
from webapp.negative_info.records import NUMBER_PREFIX, history_row, item_row, situations
from webapp.security.crypto import id_number_hash
from webapp.security.permissions import Permission
from webapp.security.scope import scoped
from workflows.text import N_
from workflows.verification import Status, dates_in_order, format_number

PICK = _l("从下拉列表中选择，或填写系统中的名称")
DATE_NOTE = _l("年-月-日；发生时间 ≤ 收到时间 ≤ 今天")


def summary_limit() -> int:
    """Return the 事实摘要 length limit (a parameter, 1000 字 by default)."""
    return param_int("report.summary_max_chars")


class NegativeInfoImport(ImportSpec):
    """负面信息: one row per item, the cadre matched by ID number within the user's scope."""

    kind = "negative-info"
    # Marked for the catalogue; pages translate it, file names and the audit trail keep it.
    title = N_("负面信息")
    sheet_title = "负面信息"
    key = "id_number"
    permission = Permission.REPORT_EDIT
    model_name = "NegativeInfo"
    columns = (
        Column("cadre_name", "干部姓名", Text(50), example="张三", note=_l("须与身份证号码对应")),
        Column(
            "id_number",
            "身份证号码",
            IdNumber(),
            masked=True,
            width=22,
            note=_l("系统中已登记、且在您数据权限范围内的干部的身份证号码"),
        ),
        Column(
            "category",
            "信息类别",
            DictLabel("negative_category"),
            example="干部监督",
            note=PICK,
        ),
        Column(
            "situation",
            "具体情形",
            DictLabel("negative_situation"),
            example="一般性信访反映",
            note=_l("须属于所填的信息类别"),
            width=24,
        ),
        Column(
            "source_channel", "信息来源", DictLabel("source_channel"), example="信访举报", note=PICK
        ),
        Column("reporting_unit", "报送单位", Text(100), required=False, example="市信访局"),
        Column("liaison_name", "联络员", Text(50), required=False),
        Column("source_document_number", "来源文号", Text(100), required=False),
        Column("occurred_on", "发生时间", DateValue(), example=date(2026, 1, 5), note=DATE_NOTE),
        Column("received_on", "收到时间", DateValue(), example=date(2026, 1, 10), note=DATE_NOTE),
        # Long text is stored as typed and always shown escaped, as on the form.
        Column(
            "summary",
            "事实摘要",
            Text(summary_limit, plain=False),
            example="反映其在工作中存在推诿扯皮问题",
            note=_l("不超过 1000 字（以参数为准）"),
            width=40,
        ),
        Column("details", "详细情况", Text(DETAILS_MAX, plain=False), required=False, width=40),
        Column("handling_unit", "查处单位", Text(100), required=False),
        Column("handling_result", "处理情况", Text(500, plain=False), required=False),
        Column("severity", "严重程度", DictLabel("severity"), example="一般", note=PICK),
        Column(
            "confidentiality",
            "密级",
            DictLabel("confidentiality"),
            required=False,
            example="内部",
            note=_l("不填为“内部”"),
        ),
    )

    def row_key(self, row: ParsedRow) -> Any:
        """Treat the same cadre, situation, occurred date and summary twice as a duplicate row."""
        parts = tuple(
            row.values.get(k) for k in ("id_number", "situation", "occurred_on", "summary")
        )
        return None if None in parts else parts

    def check_row(self, row: ParsedRow, ctx: ImportContext) -> None:
        """Check the situation belongs to the category and occurred ≤ received ≤ today."""
        values = row.values
        situation = ctx.memo("situations", situations).get(values.get("situation", ""))
        if (
            situation is not None
            and values.get("category")
            and situation.category != values["category"]
        ):
            row.error(self.header("situation"), _("所选具体情形不属于该信息类别"))
        problem = dates_in_order(values.get("occurred_on"), values.get("received_on"), ctx.today)
        if problem == "occurred_after_received":
            row.error(self.header("occurred_on"), str(DATE_MESSAGES[problem]))
        if values.get("confidentiality") == "":
            values["confidentiality"] = "internal"

    def check_batch(self, rows: list[ParsedRow], ctx: ImportContext) -> None:
        """Match each row's cadre by ID number, only among the cadres the user may see."""
        if not rows:
            return
        hashes = {id_number_hash(r.values["id_number"]) for r in rows}
        stmt = scoped(
            sa.select(Cadre.id, Cadre.id_number_hash, Cadre.name, Cadre.position, Cadre.unit_id),
            Cadre,
            ctx.user,
        ).where(Cadre.id_number_hash.in_(hashes))
        cadres: dict[str, list] = {}
        for found in db.session.execute(stmt):
            cadres.setdefault(found.id_number_hash, []).append(found)
        for row in rows:
            matches = cadres.get(id_number_hash(row.values["id_number"]), [])
            if len(matches) > 1:
                # Two cadres in the user's scope hold the number (see 重复登记): he sees both.
                row.error(
                    self.header("id_number"),
                    _("该身份证号码登记了多名干部，请先在“重复登记”中核对"),
                )
                continue
            cadre = matches[0] if matches else None
            if cadre is None:
                # Same answer whether the cadre is missing or outside scope: never confirm it.
                row.error(
                    self.header("id_number"),
                    _("系统中没有该身份证号码的干部，或该干部不在您的数据权限范围内"),
                )
                continue
            if row.values.get("cadre_name") and row.values["cadre_name"] != cadre.name:
                row.error(
                    self.header("cadre_name"),
                    _("与身份证号码对应的干部姓名不一致（系统中为“%(n)s”）", n=cadre.name),
                )
                continue
            row.target_id = cadre.id
            row.extra = {"name": cadre.name, "position": cadre.position, "unit_id": cadre.unit_id}

    def write_batch(self, rows: list[ParsedRow], ctx: ImportContext) -> tuple[int, int]:
        """Create the items as 待核实, numbered in one block, each with its history line."""
        year = ctx.today.year
        first = reserve(NUMBER_PREFIX, year, len(rows))
        tiers = {value: s.tier for value, s in ctx.memo("situations", situations).items()}
        items = []
        for offset, row in enumerate(rows):
            values = {k: v for k, v in row.values.items() if k not in ("id_number", "cadre_name")}
            items.append(
                item_row(
                    values,
                    number=format_number(NUMBER_PREFIX, year, first + offset),
                    created_by=ctx.user,
                    cadre_id=row.target_id,
                    cadre_name=row.extra["name"],
                    cadre_position=row.extra["position"],
                    unit_id=row.extra["unit_id"],
                    tiers=tiers,
                )
            )
        ids = insert_audited(NegativeInfo, items)
        now = utcnow()
        db.session.execute(
            sa.insert(NegativeInfoEvent.__table__),
            [
                {
                    **history_row(
                        ident, ctx.user, "created", to_status=Status.PENDING, note="Excel 导入"
                    ),
                    "at": now,
                }
                for ident in ids
            ],
        )
        return len(ids), 0


NEGATIVE_INFO = NegativeInfoImport()


def import_kinds(_app: object) -> list[ImportSpec]:
    """Offer negative information for Excel import (answers `signals.import_kinds`)."""
    return [NEGATIVE_INFO]
