"""The warning register's Excel export (预警台账导出), streamed through the shared writer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy.orm import selectinload

from webapp import clock
from webapp.audit.services import record_operation
from webapp.extensions import db
from webapp.lookups import role_names
from webapp.models import User, Warning
from webapp.spreadsheets.export import write_workbook
from webapp.warnings.facts import current_due
from webapp.warnings.queries import running_lights
from webapp.warnings.register import WarningFilters, register_query
from workflows.calendar import PROVISIONAL_LABEL
from workflows.tiers import role_label

HEADERS = [
    "预警编号",
    "干部",
    "单位",
    "职务",
    "预警等级",
    "状态",
    "待审批环节",
    "提出人",
    "提出日期",
    "下达日期",
    "当前期限",
    "期限提示",
    "影响期至",
    "办结日期",
    "依据",
    "事由",
]
WIDTHS = [16, 10, 24, 20, 16, 10, 14, 10, 12, 12, 12, 16, 12, 12, 24, 40]


def warning_rows(user: User, filters: WarningFilters) -> Iterator[list[Any]]:
    """Yield one row per warning of the filtered, scoped register (streamed, no N+1)."""
    today = clock.org_today()
    roles = role_names()  # once for the whole export, not one query per row
    stmt = register_query(user, filters, today).options(
        selectinload(Warning.basis), selectinload(Warning.proposer)
    )
    # The lights of the whole export in one query, from the warnings' obligations.
    lights = running_lights(register_query(user, filters, today).with_only_columns(Warning.id))
    for w in db.session.scalars(stmt.execution_options(yield_per=500)):
        _, due, provisional = current_due(w)
        lit = lights.get(w.id)
        awaiting = w.awaiting_role or ""
        yield [
            w.number,
            w.cadre.name,
            w.cadre.unit.name,
            w.cadre.position,
            w.tier.label,
            w.state.label,
            roles.get(awaiting) or (role_label(awaiting) if awaiting else ""),
            w.proposer.full_name,
            clock.to_org(w.created_at).date(),
            w.issued_on,
            due,
            " ".join(filter(None, [lit.label if lit else "", PROVISIONAL_LABEL * provisional])),
            w.influence_until,
            w.closed_on,
            "、".join(item.number for item in w.basis),
            w.reason,
        ]


def export_register(user: User, filters: WarningFilters, target: IO[bytes]) -> int:
    """Write the filtered, scoped register to `target` as .xlsx and audit the export."""
    count = write_workbook(target, "预警台账", HEADERS, warning_rows(user, filters), WIDTHS)
    record_operation("export", "Warning", "", f"导出预警台账 {count} 条（{filters.describe()}）")
    db.session.commit()
    return count
