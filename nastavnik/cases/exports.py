"""The case library as XLSX: one row a case, the texts in full, wrapped.

The workbook leaves the system, so it names a pair only as the site would: while everyone in
it has a valid consent to publication (`rules.attach_shown_people`); otherwise the column says
the case is without names. Text that a spreadsheet would run as a formula is written as text
(the people export's rule).
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment

from nastavnik.cases.models import Case
from nastavnik.cases.rules import attach_shown_people
from nastavnik.documents.spreadsheet import sheet_cell, table_sheet, workbook_bytes

# Russian content of a Russian school's spreadsheet, like the other exports.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("№", 5),
    ("Название", 40),
    ("Учебный год", 12),
    ("Форма наставничества", 22),
    ("Ролевая модель", 24),
    ("Участники", 30),
    ("Ситуация и проблема", 50),
    ("Что сделано", 50),
    ("Результаты", 50),
    ("Выводы и советы", 50),
    ("Ключевые слова", 24),
    ("Статус", 14),
    ("Опубликован", 14),
)
WITHOUT_NAMES = "без имён"
STATUS_TEXT = {"draft": "черновик", "published": "опубликован"}


def _participants(case: Case) -> str:
    shown = case.shown  # type: ignore[attr-defined]
    if shown is None:
        return WITHOUT_NAMES
    return "; ".join([f"наставник: {shown.mentor}", *shown.mentees])


def _row(number: int, case: Case) -> list[Any]:
    published = case.published_at.date() if case.published_at else None
    return [
        number,
        case.title,
        case.programme.academic_year.label,
        case.form.name,
        case.role_model.name if case.role_model else "",
        _participants(case),
        case.situation,
        case.actions,
        case.results,
        case.lessons,
        case.keywords,
        STATUS_TEXT.get(case.status, case.status),
        published,
    ]


def cases_xlsx(cases: list[Case]) -> bytes:
    attach_shown_people(cases)
    workbook = Workbook(write_only=True)
    sheet = table_sheet(
        workbook,
        "Кейсы",
        [title for title, _width in COLUMNS],
        widths=[width for _title, width in COLUMNS],
        freeze="C2",
    )
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, case in enumerate(cases, start=1):
        row = []
        for value in _row(number, case):
            cell = sheet_cell(sheet, value)
            if not hasattr(cell, "alignment"):  # a plain value: made a cell to wrap it
                cell = WriteOnlyCell(sheet, value=cell)
            cell.alignment = wrap
            row.append(cell)
        sheet.append(row)
    return workbook_bytes(workbook)
