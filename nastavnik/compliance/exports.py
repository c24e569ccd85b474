"""The compliance list as a spreadsheet: a row per thing that breaks a rule, with its rule, the
clause, and the address of the page that fixes it. Text a spreadsheet would run as a formula is
written as text (the people export's guard), so a name typed «=HYPERLINK(…)» runs nothing."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from nastavnik.compliance.registry import Result
from nastavnik.documents.spreadsheet import sheet_cell

HEADER = ("Код", "Правило", "Основание", "Нарушение", "Подробности", "Где исправить")
WIDTHS = (22, 50, 40, 40, 40, 60)


def compliance_xlsx(results: list[Result], absolute: Callable[[str], str]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Соответствие")
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = []
    for name in HEADER:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for result in results:
        for row in result.rows:
            values = (
                result.check.code,
                str(result.check.title),
                str(result.check.clause),
                row.label,
                row.detail,
                absolute(row.href),
            )
            sheet.append([sheet_cell(sheet, value) for value in values])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
