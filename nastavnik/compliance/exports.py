"""The compliance list as a spreadsheet: a row per thing that breaks a rule, with its rule, the
clause, and the address of the page that fixes it. Text a spreadsheet would run as a formula is
written as text (the people export's guard), so a name typed «=HYPERLINK(…)» runs nothing."""

from __future__ import annotations

from collections.abc import Callable

from nastavnik.compliance.registry import Result
from nastavnik.documents.spreadsheet import table_xlsx

HEADER = ("Код", "Правило", "Основание", "Нарушение", "Подробности", "Где исправить")
WIDTHS = (22, 50, 40, 40, 40, 60)


def compliance_xlsx(results: list[Result], absolute: Callable[[str], str]) -> bytes:
    rows = (
        (
            result.check.code,
            str(result.check.title),
            str(result.check.clause),
            row.label,
            row.detail,
            absolute(row.href),
        )
        for result in results
        for row in result.rows
    )
    return table_xlsx("Соответствие", HEADER, rows, widths=WIDTHS, freeze=None)
