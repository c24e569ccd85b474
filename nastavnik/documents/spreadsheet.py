"""Cells of the XLSX files the system writes, in one way for every export.

Text a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return: «=HYPERLINK(…)» typed as a request, «+7 …» as a phone) is written as text with a quote
prefix, so opening the file runs nothing and editing the cell does not turn it into a formula
either. Dates carry the Russian format.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD.MM.YYYY"


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def as_text(cell: Any) -> Any:
    """Make a cell holding formula-like text plain text; other cells are left as they are."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def sheet_cell(sheet: Any, value: Any, *, bold: bool = False) -> Any:
    """A value for a write-only sheet's row: a cell where the value needs one (a date, formula-
    like text, bold), the bare value otherwise (cheaper by far for a 50,000-row export)."""
    if not bold and not isinstance(value, date) and not is_formula_like(value):
        return value
    cell = as_text(WriteOnlyCell(sheet, value=value))
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell
