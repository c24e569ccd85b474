"""The roadmap as a spreadsheet: the same table as the DOCX, plus status, for filtering."""

from __future__ import annotations

from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from nastavnik.documents.spreadsheet import DATE_FORMAT, workbook_bytes
from nastavnik.programmes.documents import roadmap_stages
from nastavnik.programmes.models import Programme

HEADER = (
    "№",
    "Этап",
    "Мероприятие",
    "Сроки",
    "Начало",
    "Срок",
    "Ответственные",
    "Статус",
    "Выполнено",
    "Отметка о выполнении",
)
WIDTHS = (6, 34, 70, 22, 12, 12, 34, 14, 12, 40)


def _put(sheet: Any, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        # Text a user typed is never read as a formula («=HYPERLINK(…)», «+7 …», «-…», «@…»).
        cell.data_type = "s"
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def _status(event: Any, today: date) -> str:
    if event.is_done:
        return "выполнено"
    if event.is_overdue(today):
        return "просрочено"
    return "запланировано"


def roadmap_xlsx(programme: Programme, today: date) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Дорожная карта"
    sheet.cell(
        row=1,
        column=1,
        value=(
            f"Дорожная карта реализации программы наставничества "
            f"{programme.organisation.short_name} на {programme.academic_year.label} учебный год"
        ),
    ).font = Font(bold=True)
    for column, title in enumerate(HEADER, start=1):
        _put(sheet, 3, column, title)
        sheet.cell(row=3, column=column).font = Font(bold=True)
    row = 4
    for stage in roadmap_stages(programme):
        for item in stage["events"]:
            event = item["event"]
            values = (
                item["number"],
                f"{stage['number']}. {stage['title']}",
                event.title,
                item["period"],
                event.starts_on,
                event.due_on,
                item["responsible"],
                _status(event, today),
                event.done_on,
                event.done_note,
            )
            for column, value in enumerate(values, start=1):
                _put(sheet, row, column, value)
            row += 1
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A4"
    sheet.auto_filter.ref = f"A3:{get_column_letter(len(HEADER))}{max(row - 1, 3)}"
    return workbook_bytes(workbook)
