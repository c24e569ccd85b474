"""The built-in parameters of the entry and exit assessment (seed 000 §5.2: «вовлеченность,
активность, самооценка, тревожность и др.»; DESIGN §5 adds academic results, attendance and
participation in competitions). Loaded by a data migration; Russian names are data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# (code, name, scale_min, scale_max, decimals, higher_is_better, unit)
PARAMETERS: list[tuple[str, str, str, str, int, bool, str]] = [
    ("engagement", "Вовлечённость", "1", "10", 0, True, ""),
    ("activity", "Активность", "1", "10", 0, True, ""),
    ("self_esteem", "Самооценка", "1", "10", 0, True, ""),
    ("anxiety", "Тревожность", "1", "10", 0, False, ""),
    ("motivation", "Мотивация", "1", "10", 0, True, ""),
    ("academic_results", "Успеваемость (средний балл)", "2", "5", 2, True, ""),
    ("attendance", "Посещаемость, %", "0", "100", 0, True, "%"),
    ("competitions", "Участие в конкурсах и проектах", "0", "50", 0, True, ""),
]
# Parameters of a student's schooling: a teacher mentee is measured on the others only.
STUDENT_ONLY = frozenset({"academic_results", "attendance", "competitions"})


# A migration passes its historical model, whose manager the stubs do not know.
def load(parameter_model: type[Any]) -> None:
    """Creates or refreshes the built-in rows; the organisations' own rows are untouched."""
    for order, (code, name, low, high, decimals, higher, unit) in enumerate(PARAMETERS, 1):
        parameter_model.objects.update_or_create(
            organisation=None,
            code=code,
            defaults={
                "name": name,
                "scale_min": Decimal(low),
                "scale_max": Decimal(high),
                "decimals": decimals,
                "higher_is_better": higher,
                "unit": unit,
                "order": order * 10,
            },
        )
