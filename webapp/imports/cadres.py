"""The cadre roster (干部信息) as an Excel import."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from stdnum.cn import ric

from webapp.cadres.name_keys import search_key
from webapp.extensions import db
from webapp.imports.bulk import insert_audited
from webapp.imports.columns import Column, DateValue, DictLabel, IdNumber, Text, UnitRef, YesNo
from webapp.imports.context import ImportContext
from webapp.imports.spec import ImportSpec, ParsedRow
from webapp.models import Cadre
from webapp.security.crypto import id_number_hash
from webapp.security.permissions import Permission
from webapp.security.scope import scoped
from workflows.text import N_

EXAMPLE_BIRTH = date(1980, 5, 17)
_EXAMPLE_BODY = "11010519800517001"
EXAMPLE_ID = _EXAMPLE_BODY + ric.calc_check_digit(_EXAMPLE_BODY + "0")
PICK = _l("从下拉列表中选择，或填写系统中的名称")
DATE_NOTE = _l("年-月-日，例如 2026-01-31；不能晚于今天")

# Defaults for optional columns left out of a file, when a new cadre is created.
CREATE_DEFAULTS: dict[str, Any] = {
    "is_young": False,
    "appointed_on": None,
    "joined_work_on": None,
    "joined_party_on": None,
    "work_history": "",
}


class CadreImport(ImportSpec):
    """干部信息: one row per cadre, matched to existing cadres by ID number."""

    kind = "cadres"
    # Marked for the catalogue; pages translate it, file names and the audit trail keep it.
    title = N_("干部信息")
    sheet_title = "干部信息"
    key = "id_number"
    supports_update = True
    permission = Permission.CADRE_EDIT
    model_name = "Cadre"
    columns = (
        Column("name", "姓名", Text(50), example="张三", note=_l("不超过 50 字")),
        Column("gender", "性别", DictLabel("gender"), example="男", note=PICK),
        Column(
            "birth_date",
            "出生日期",
            DateValue(),
            example=EXAMPLE_BIRTH,
            note=_l("年-月-日；须与身份证号码中的出生日期一致"),
        ),
        Column("ethnicity", "民族", DictLabel("ethnicity"), example="汉族", note=PICK),
        Column(
            "political_status",
            "政治面貌",
            DictLabel("political_status"),
            example="中共党员",
            note=PICK,
        ),
        Column("education", "学历", DictLabel("education"), example="大学本科", note=PICK),
        Column(
            "unit_id",
            "单位",
            UnitRef(),
            note=_l("系统中您有权限的单位名称或单位编码；重名的单位请填写编码"),
            width=24,
        ),
        Column("position", "职务", Text(100), example="办公室主任", note=_l("不超过 100 字")),
        Column("rank", "职级", DictLabel("cadre_rank"), example="正科级", note=PICK),
        Column("category", "干部类别", DictLabel("cadre_category"), example="科级干部", note=PICK),
        Column("is_young", "年轻干部", YesNo(), required=False, example="否", note=_l("是 或 否")),
        Column(
            "id_number",
            "身份证号码",
            IdNumber(),
            example=EXAMPLE_ID,
            note=_l("18 位，末位可为 X；请以文本格式填写，以免 Excel 改成科学计数法"),
            masked=True,
            width=22,
        ),
        Column("appointed_on", "任现职时间", DateValue(), required=False, note=DATE_NOTE),
        Column("joined_work_on", "参加工作时间", DateValue(), required=False, note=DATE_NOTE),
        Column("joined_party_on", "入党时间", DateValue(), required=False, note=DATE_NOTE),
        Column(
            "work_history",
            "工作经历",
            Text(2000),
            required=False,
            note=_l("不超过 2000 字"),
            width=40,
        ),
    )

    def check_row(self, row: ParsedRow, ctx: ImportContext) -> None:
        """Apply the cadre form's rules that span several cells."""
        values = row.values
        birth = values.get("birth_date")
        id_number = values.get("id_number")
        if birth and id_number and ric.get_birth_date(id_number) != birth:
            row.error(self.header("birth_date"), _("出生日期与身份证号码中的出生日期不一致"))
        if birth and values.get("joined_work_on") and values["joined_work_on"] <= birth:
            row.error(self.header("joined_work_on"), _("参加工作时间应晚于出生日期"))
        if birth and values.get("joined_party_on") and values["joined_party_on"] <= birth:
            row.error(self.header("joined_party_on"), _("入党时间应晚于出生日期"))

    def check_batch(self, rows: list[ParsedRow], ctx: ImportContext) -> None:
        """Match rows by ID number to the cadres the user may see: new, update, or an error.

        Cadres outside the user's scope are not looked at: a number held there imports as a
        new cadre, exactly as an unknown one would, and shows on the 重复登记 page to those
        who see both. The preview never tells whether a number exists out of scope.
        """
        if not rows:
            return
        hashes = {id_number_hash(r.values["id_number"]) for r in rows}
        found: dict[str, list[int]] = {}
        for cadre_id, digest in db.session.execute(
            scoped(sa.select(Cadre.id, Cadre.id_number_hash), Cadre, ctx.user).where(
                Cadre.id_number_hash.in_(hashes)
            )
        ):
            found.setdefault(digest, []).append(cadre_id)
        id_header = self.header("id_number")
        for row in rows:
            row.action, row.target_id = "create", None
            hits = found.get(id_number_hash(row.values["id_number"]), [])
            if len(hits) > 1:
                row.error(id_header, _("该身份证号码登记了多名干部，请先在“重复登记”中核对"))
            elif hits and not ctx.update_existing:
                row.error(
                    id_header,
                    _("该身份证号码已登记（已存在）；如需更新，请勾选“是否更新已经存在的数据”"),
                )
            elif hits:
                row.action, row.target_id = "update", hits[0]
            # Checked again here because the confirm step runs later than the preview.
            if row.values.get("unit_id") not in ctx.scope_unit_ids:
                row.error(self.header("unit_id"), _("您无权向该单位导入数据"))

    def write_batch(self, rows: list[ParsedRow], ctx: ImportContext) -> tuple[int, int]:
        """Create the new cadres and update the matched ones, each logged in the audit trail."""
        created = insert_audited(
            Cadre,
            [
                {
                    **CREATE_DEFAULTS,
                    **row.values,
                    # The bulk insert bypasses the model's hooks that keep these in step.
                    "id_number_hash": id_number_hash(row.values["id_number"]),
                    "name_key": search_key(row.values["name"]),
                    "created_by_id": ctx.user.id,
                }
                for row in rows
                if row.action == "create"
            ],
        )
        # Updates go through the ORM: the audit hook records what each one changed.
        updates = {row.target_id: row for row in rows if row.action == "update"}
        targets = (
            list(db.session.scalars(sa.select(Cadre).where(Cadre.id.in_(list(updates)))))
            if updates
            else []
        )
        for cadre in targets:
            for key, value in updates[cadre.id].values.items():
                setattr(cadre, key, value)
        # After the flush the session holds written rows only weakly, so memory stays flat
        # over a 50,000-row import without expunging anything the caller may still hold.
        db.session.flush()
        return len(created), len(targets)


CADRES = CadreImport()
