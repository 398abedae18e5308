"""The roster export (干部信息导出): the filtered, scoped roster as an .xlsx, streamed."""

from __future__ import annotations

from typing import IO

from webapp.audit.services import record_operation
from webapp.cadres.services import CadreFilters, roster_query
from webapp.extensions import db
from webapp.forms_common import mask_id_number
from webapp.lookups import dict_labels
from webapp.models import User
from webapp.spreadsheets.export import write_workbook

EXPORT_HEADERS = [
    "姓名",
    "性别",
    "出生日期",
    "民族",
    "政治面貌",
    "学历",
    "单位",
    "职务",
    "职级",
    "干部类别",
    "年轻干部",
    "身份证号码",
    "任现职时间",
    "参加工作时间",
    "入党时间",
    "预警状态",
]
EXPORT_WIDTHS = [10, 6, 12, 8, 12, 12, 24, 20, 10, 10, 8, 22, 12, 12, 12, 16]


def cadre_rows(user: User, filters: CadreFilters):
    """Yield the export rows of the filtered, scoped roster, streamed from the database."""
    names = {
        code: dict_labels(code)
        for code in (
            "gender",
            "ethnicity",
            "political_status",
            "education",
            "cadre_rank",
            "cadre_category",
            "cadre_status",
        )
    }
    stmt = roster_query(user, filters).execution_options(yield_per=1000)
    for c in db.session.scalars(stmt):
        yield (
            c.name,
            names["gender"].get(c.gender, c.gender),
            c.birth_date,
            names["ethnicity"].get(c.ethnicity, c.ethnicity),
            names["political_status"].get(c.political_status, c.political_status),
            names["education"].get(c.education, c.education),
            c.unit.name,
            c.position,
            names["cadre_rank"].get(c.rank, c.rank),
            names["cadre_category"].get(c.category, c.category),
            "是" if c.is_young else "否",
            mask_id_number(c.id_number),
            c.appointed_on,
            c.joined_work_on,
            c.joined_party_on,
            names["cadre_status"].get(c.status_colour, c.status_colour),
        )


def describe_filters(filters: CadreFilters) -> str:
    """Describe the roster filters for the audit log."""
    parts = [f"{key}={value}" for key, value in vars(filters).items() if value]
    return "；".join(parts) or "无"


def export_cadres(user: User, filters: CadreFilters, target: IO[bytes]) -> int:
    """Write the filtered roster within the user's scope to an .xlsx; log the export."""
    count = write_workbook(
        target, "干部信息", EXPORT_HEADERS, cadre_rows(user, filters), EXPORT_WIDTHS
    )
    record_operation(
        "export",
        "Cadre",
        summary=f"导出干部信息 {count} 条（筛选：{describe_filters(filters)}）",
    )
    db.session.commit()
    return count
