"""The warning register's Excel export (预警台账导出), streamed through the shared writer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import sqlalchemy as sa

from webapp import clock
from webapp.audit.services import record_operation
from webapp.extensions import db
from webapp.lookups import role_names
from webapp.models import Cadre, NegativeInfo, OrgUnit, User, Warning
from webapp.models.warnings import warning_basis
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
DUE_KINDS = ("action", "rectification", "review")  # the deadlines `current_due` reads
WIDTHS = [16, 10, 24, 20, 16, 10, 14, 10, 12, 12, 12, 16, 12, 12, 24, 40]


# What a row shows, read as plain columns: no ORM objects (a cadre's would decrypt its ID
# number), named as on `Warning` so that `current_due` reads a row as it reads a warning.
ROW_COLUMNS = (
    Warning.id,
    Warning.number,
    Warning.tier,
    Warning.state,
    Warning.awaiting_role,
    Warning.created_at,
    Warning.issued_on,
    Warning.influence_until,
    Warning.closed_on,
    Warning.reason,
    *(getattr(Warning, f"{kind}_due") for kind in DUE_KINDS),
    *(getattr(Warning, f"{kind}_due_provisional") for kind in DUE_KINDS),
    Cadre.name.label("cadre_name"),
    Cadre.position.label("cadre_position"),
    OrgUnit.name.label("unit_name"),
    User.full_name.label("proposer_name"),
)
# Rows read at a time, and the warnings whose 依据 one query reads: ten thousand rows take
# six round trips, not twenty-one, for about a megabyte of rows held.
CHUNK = 2000


def warning_rows(user: User, filters: WarningFilters) -> Iterator[list[Any]]:
    """Yield one row per warning of the filtered, scoped register (streamed, no N+1)."""
    today, zone = clock.org_today(), clock.org_zone()
    roles = role_names()  # once for the whole export, not one query per row
    register = register_query(user, filters, today)
    stmt = (
        register.with_only_columns(*ROW_COLUMNS)
        .join(Cadre, Cadre.id == Warning.cadre_id)
        .join(OrgUnit, OrgUnit.id == Cadre.unit_id)
        .join(User, User.id == Warning.proposer_id)
    )
    # The lights of the whole export in one query, from the warnings' obligations.
    lights = running_lights(register.with_only_columns(Warning.id))
    # Core, not the session: plain rows need none of the ORM's per-row loading (a third less).
    result = db.session.connection().execute(stmt.execution_options(yield_per=CHUNK))
    for chunk in result.partitions():
        basis = basis_numbers([w.id for w in chunk])
        for w in chunk:
            _, due, provisional = current_due(w)
            lit = lights.get(w.id)
            awaiting = w.awaiting_role or ""
            yield [
                w.number,
                w.cadre_name,
                w.unit_name,
                w.cadre_position,
                w.tier.label,
                w.state.label,
                roles.get(awaiting) or (role_label(awaiting) if awaiting else ""),
                w.proposer_name,
                w.created_at.astimezone(zone).date(),
                w.issued_on,
                due,
                " ".join(filter(None, [lit.label if lit else "", PROVISIONAL_LABEL * provisional])),
                w.influence_until,
                w.closed_on,
                "、".join(basis.get(w.id, ())),
                w.reason,
            ]


def basis_numbers(warning_ids: list[int]) -> dict[int, list[str]]:
    """Return the numbers of each warning's 依据 (negative information), in id order."""
    rows = db.session.execute(
        sa.select(warning_basis.c.warning_id, NegativeInfo.number)
        .join(NegativeInfo, NegativeInfo.id == warning_basis.c.negative_info_id)
        .where(warning_basis.c.warning_id.in_(warning_ids))
        .order_by(warning_basis.c.warning_id, NegativeInfo.id)
    )
    numbers: dict[int, list[str]] = {}
    for warning_id, number in rows:
        numbers.setdefault(warning_id, []).append(number)
    return numbers


def export_register(user: User, filters: WarningFilters, target: IO[bytes]) -> int:
    """Write the filtered, scoped register to `target` as .xlsx and audit the export."""
    count = write_workbook(target, "预警台账", HEADERS, warning_rows(user, filters), WIDTHS)
    record_operation("export", "Warning", "", f"导出预警台账 {count} 条（{filters.describe()}）")
    db.session.commit()
    return count
