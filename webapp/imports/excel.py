"""Old import path of the Excel layer, kept only while `webapp/imports/negative_info.py` uses it.

The layer now lives by idea: `columns` (parsers), `context`, `spec`, `reading`, `validation`,
`template`, and the neutral `webapp.spreadsheets` (cells, streamed export). Delete this module
once the negative-information import imports from those.
"""

from webapp.imports.columns import Column, DateValue, DictLabel, IdNumber, Text
from webapp.imports.context import ImportContext
from webapp.imports.spec import ImportSpec, ParsedRow
from webapp.spreadsheets.export import write_workbook

__all__ = [
    "Column",
    "DateValue",
    "DictLabel",
    "IdNumber",
    "ImportContext",
    "ImportSpec",
    "ParsedRow",
    "Text",
    "write_workbook",
]
