"""The 晴雨表's per-unit table as Excel: the same cells the page shows, audited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from flask_babel import gettext as _

from webapp.audit.services import record_operation
from webapp.dashboard.figures import Dashboard
from webapp.extensions import db
from webapp.spreadsheets.export import write_workbook

WIDTHS = [28, 10, 14, 16, 16, 16, 10, 14, 10]


def headers(board: Dashboard) -> list[str]:
    """Return the columns: unit, cadres, one per status colour, warnings, rate, overdue."""
    return [
        _("单位（含下级）"),
        _("干部数"),
        *(f.label for f in board.colours),
        _("生效预警"),
        _("每百人预警数"),
        _("超期预警"),
    ]


def unit_rows(board: Dashboard) -> Iterator[list[Any]]:
    """Yield the unit in focus (合计) and each unit below it that the page lists."""
    for cell in ([board.whole] if board.whole else []) + board.cells:
        name = f"{cell.unit.name}（{_('合计')}）" if cell is board.whole else cell.unit.name
        yield [
            name,
            cell.cadres,
            *(f.value for f in cell.colours),
            cell.active.value,
            cell.rate,
            cell.overdue.value,
        ]


def export_units(board: Dashboard, target: IO[bytes]) -> int:
    """Write the per-unit table to `target` as .xlsx and audit the export."""
    count = write_workbook(target, _("分单位统计"), headers(board), unit_rows(board), WIDTHS)
    where = board.focus.unit.name if board.focus.unit else _("全部单位")
    record_operation("export", "Dashboard", "", f"导出晴雨表分单位统计 {count} 行（{where}）")
    db.session.commit()
    return count
