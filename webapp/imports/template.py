"""Build an import template (下载模板): headers, dropdowns for list columns, a guide sheet."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from webapp.imports.context import ImportContext
from webapp.imports.spec import ImportSpec
from webapp.spreadsheets.cells import cell_text
from webapp.spreadsheets.export import defuse_formulas

HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FDECEA")
OPTIONAL_FILL = PatternFill("solid", fgColor="EEF1F5")
LIST_ROWS = 1_048_576


def build_template(spec: ImportSpec, ctx: ImportContext) -> io.BytesIO:
    """Build the import template: headers, dropdowns for list columns, and a guide sheet.

    The example row sits on the 填写说明 sheet, under the same headers, so a template
    uploaded untouched imports nothing by accident.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.sheet_title
    lists = workbook.create_sheet("选项")
    guide = workbook.create_sheet("填写说明")
    list_col = 0
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        cell.comment = Comment(
            (_("必填。") if column.required else _("选填。")) + str(column.note or ""), _("系统")
        )
        sheet.column_dimensions[letter].width = column.width
        if column.parser.number_format:
            # A column style, so Excel keeps typed ID numbers as text and shows dates plainly.
            sheet.column_dimensions[letter].number_format = column.parser.number_format
        choices = column.parser.choices(ctx)
        if choices:
            list_col += 1
            list_letter = get_column_letter(list_col)
            lists.cell(row=1, column=list_col, value=column.header)
            for offset, choice in enumerate(choices, start=2):
                lists.cell(row=offset, column=list_col, value=choice)
            validation = DataValidation(
                type="list",
                formula1=f"'选项'!${list_letter}$2:${list_letter}${len(choices) + 1}",
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle=_("无效的值"),
                error=_("请从下拉列表中选择。"),
            )
            validation.add(f"{letter}2:{letter}{LIST_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    lists.sheet_state = "hidden"
    _write_guide(guide, spec, ctx)
    # Unit names and dictionary labels are typed by people: none may come out as a formula.
    defuse_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _write_guide(guide, spec: ImportSpec, ctx: ImportContext) -> None:
    guide.append(
        [
            _(
                "填写说明：在第一个工作表“%(sheet)s”中从第 2 行起每行填写一条；"
                "表头请勿修改。带红色底纹的列为必填。",
                sheet=spec.sheet_title,
            )
        ]
    )
    guide.append([])
    guide.append([_("示例（请勿在本页填写）：")])
    guide.append([c.header for c in spec.columns])
    guide.append([cell_text(c.example) or (c.parser.choices(ctx) or [""])[0] for c in spec.columns])
    guide.append([])
    guide.append([_("列名"), _("是否必填"), _("填写要求")])
    for column in spec.columns:
        required = _("是") if column.required else _("否")
        guide.append([column.header, required, str(column.note or "")])
    for row in (guide[4], guide[7]):
        for cell in row:
            cell.font = HEADER_FONT
    for index in range(1, len(spec.columns) + 1):
        guide.column_dimensions[get_column_letter(index)].width = 16
    guide.column_dimensions["C"].width = 48
    for row in guide.iter_rows(min_row=8):
        row[2].alignment = Alignment(wrap_text=True)
