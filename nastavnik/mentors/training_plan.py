"""The calendar plan of the mentor school (seed 000 §8) as a template for the year's events.

The seed gives months and «в течение учебного года»; the template fixes a day in each month
(moved off the weekend) so the events land on the calendar, and spreads the year-round
consultations over the autumn, winter and spring. Who leads an event is the role the seed
names; the curator edits every event afterwards. Required events are those every mentor
attends; the surveys and the curator's own analysis are not attendance events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

CURATOR = "Куратор программы наставничества"
DIRECTOR = "Руководитель образовательной организации"


@dataclass(frozen=True)
class PlanEvent:
    code: str
    topic: str
    # (month, day) within the academic year that starts in September.
    month: int
    day: int
    trainer: str
    description: str
    required: bool


EVENTS: tuple[PlanEvent, ...] = (
    PlanEvent(
        "needs",
        "Анализ потребностей в развитии наставников",
        9,
        15,
        CURATOR,
        "Разработка анкеты, анкетирование наставников, обработка результатов, устный опрос.",
        False,
    ),
    PlanEvent(
        "intro",
        "Вводное совещание с наставниками",
        9,
        25,
        CURATOR,
        "Цели и задачи программы наставничества, роли наставника и наставляемого, "
        "этапы работы, документы наставнической пары.",
        True,
    ),
    PlanEvent(
        "plans",
        "Составление индивидуальных планов развития сформированных пар наставничества",
        10,
        16,
        CURATOR,
        "Практикум: типовой план формы наставничества, постановка целей вместе "
        "с наставляемым, сроки и ожидаемые результаты.",
        True,
    ),
    PlanEvent(
        "development",
        "Определение способов развития наставников и согласование их с наставниками",
        10,
        30,
        DIRECTOR,
        "Повышение квалификации, внутреннее обучение в образовательной организации, "
        "стажировка и др.",
        False,
    ),
    PlanEvent(
        "consultation_autumn",
        "Консультации с наставниками по реализации индивидуальных планов",
        11,
        20,
        f"{DIRECTOR}, {CURATOR.lower()}",
        "Индивидуальные консультации по запросам наставников.",
        False,
    ),
    PlanEvent(
        "exchange",
        "Обмен опытом работы в системе наставничества",
        12,
        11,
        CURATOR,
        "Выступления наставников, разбор кейсов первых месяцев работы пар.",
        True,
    ),
    PlanEvent(
        "consultation_winter",
        "Консультации с наставниками по реализации индивидуальных планов",
        2,
        12,
        f"{DIRECTOR}, {CURATOR.lower()}",
        "Индивидуальные консультации по запросам наставников.",
        False,
    ),
    PlanEvent(
        "consultation_spring",
        "Консультации с наставниками по реализации индивидуальных планов",
        4,
        9,
        f"{DIRECTOR}, {CURATOR.lower()}",
        "Индивидуальные консультации по запросам наставников.",
        False,
    ),
    PlanEvent(
        "results",
        "Совещание с наставниками по итогам обучения",
        5,
        14,
        CURATOR,
        "Итоги школы наставника, результаты работы пар и групп, подготовка к завершению программы.",
        True,
    ),
    PlanEvent(
        "satisfaction",
        "Оценка уровня удовлетворённости наставников работой школы наставника",
        6,
        10,
        CURATOR,
        "Анкетирование наставников.",
        False,
    ),
    PlanEvent(
        "analysis",
        "Анализ деятельности школы наставника за год",
        8,
        20,
        CURATOR,
        "Итоговый анализ и предложения на следующий учебный год.",
        False,
    ),
)


def date_for(event: PlanEvent, start_year: int) -> date:
    """The event's day in the academic year `start_year`/`start_year + 1`, on a weekday."""
    year = start_year if event.month >= 9 else start_year + 1
    day = date(year, event.month, event.day)
    # Saturday and Sunday move to the Friday before: every plan day is past the 2nd of a month.
    if day.weekday() >= 5:
        day -= timedelta(days=day.weekday() - 4)
    return day
