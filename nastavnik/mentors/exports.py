"""The mentor base and the mentor registry as spreadsheets.

Text a spreadsheet would run as a formula (=, +, -, @, a tab or a carriage return first) is
written as text with the quote prefix, as the people export does: opening the file runs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from nastavnik.documents.spreadsheet import table_xlsx
from nastavnik.mentors.documents import registry_rows

BASE_HEADER = (
    "ФИО",
    "Категория",
    "Должность, класс",
    "Статус",
    "Формы наставничества",
    "Компетенции",
    "Предметы",
    "Стаж, лет",
    "Часов в месяц",
    "Время",
    "Формат встреч",
    "Наставляемых одновременно",
    "Групповой наставник",
    "Документы",
    "Школа наставника",
    "Мотивация",
)
REGISTRY_HEADER = ("№ п/п", "ФИО", "Должность (категория)", "Формы наставничества", "Приказ")


def _workbook(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    widths = [max(12, min(40, len(name) + 6)) for name in header]
    return table_xlsx(title, header, rows, widths=widths)


def _where(mentor: Any) -> str:
    person = mentor.person
    return person.position or (f"{person.class_name} класс" if person.class_name else "")


def mentor_base_xlsx(mentors: Iterable[Any]) -> bytes:
    """`mentors`: rows of the list, already scoped and filtered, with `documents_label` and
    `training_done` set by the view."""
    rows = (
        (
            mentor.person.full_name,
            mentor.get_category_display(),
            _where(mentor),
            mentor.get_status_display(),
            ", ".join(form.name for form in mentor.forms.all()),
            mentor.competencies,
            mentor.subjects,
            mentor.experience_years,
            mentor.hours_per_month,
            "; ".join(mentor.availability_labels()),
            mentor.get_meeting_format_display(),
            mentor.capacity,
            "да" if mentor.leads_group else "нет",
            mentor.documents_label,
            "пройдена" if mentor.training_done else "не пройдена",
            mentor.motivation,
        )
        for mentor in mentors
    )
    return _workbook("База наставников", BASE_HEADER, rows)


def registry_xlsx(mentors: Any) -> bytes:
    rows = (
        (
            row["number"],
            row["person"].full_name,
            row["who"],
            row["forms"],
            (
                f"№ {row['mentor'].registry_order.number} от "
                f"{row['mentor'].registry_order.date:%d.%m.%Y}"
            )
            if row["mentor"].registry_order
            else "ожидает приказа",
        )
        for row in registry_rows(mentors.select_related("registry_order"))
    )
    return _workbook("Реестр наставников", REGISTRY_HEADER, rows)
