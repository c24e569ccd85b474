"""Cells of the XLSX files the system writes, in one way for every export.

Text a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return: «=HYPERLINK(…)» typed as a request, «+7 …» as a phone) is written as text with a quote
prefix, so opening the file runs nothing and editing the cell does not turn it into a formula
either. Dates carry the Russian format.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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


def fitted_width(header: str) -> int:
    """A column as wide as its header and a little more, within reason: 12 to 40 characters."""
    return max(12, min(40, len(header) + 4))


def table_sheet(
    workbook: Workbook,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]] = (),
    *,
    widths: Sequence[float] | None = None,
    freeze: str | None = "A2",
) -> Any:
    """A sheet of a write-only workbook holding a table: the header in bold, kept in view
    above `freeze` as the reader scrolls, columns as wide as `widths` or fitted to the header;
    then `rows`, each value through `sheet_cell`. The sheet is returned for rows a caller
    writes itself (in their own style)."""
    sheet = workbook.create_sheet(title=title[:31])
    for index, text in enumerate(header, 1):
        width = widths[index - 1] if widths is not None else fitted_width(text)
        sheet.column_dimensions[get_column_letter(index)].width = width
    if freeze is not None:
        sheet.freeze_panes = freeze
    sheet.append([sheet_cell(sheet, text, bold=True) for text in header])
    for row in rows:
        sheet.append([sheet_cell(sheet, value) for value in row])
    return sheet


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_xlsx(
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[float] | None = None,
    freeze: str | None = "A2",
) -> bytes:
    """A workbook of one sheet holding a table (see `table_sheet`)."""
    workbook = Workbook(write_only=True)
    table_sheet(workbook, title, header, rows, widths=widths, freeze=freeze)
    return workbook_bytes(workbook)
