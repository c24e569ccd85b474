"""Russian texts of the demo's previous year (`last_year.py`): what the pairs achieved, why two
ended early, and what mentors, mentees and the curator wrote in the year's questionnaires.
The pairs' results stand as data in last_year_texts.toml.

Data, not UI: the curator of a Russian school would have typed them."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nastavnik.catalogue.profile import RequestTopic as T

APPROVAL_NUMBER = "52-о"
RIVERS = ("Чусовая", "Шайтанка", "Талица")


@dataclass(frozen=True)
class Result:
    achievements: str
    project: str = ""
    grades_change: str = ""
    summary: str = ""
    mentor_feedback: str = ""
    mentee_feedback: str = ""
    # The mentee's request in September, in their own words, that the result answers.
    topics: tuple[str, ...] = ()
    request: str = ""
    subjects: str = ""


def _read_results() -> dict[str, Any]:
    """The year's results, one table of named fields in last_year_texts.toml rather than thirty
    literal Result(...) calls; RequestTopic values become the enum again."""
    tables = tomllib.loads((Path(__file__).parent / "last_year_texts.toml").read_text("utf-8"))

    def result(row: dict[str, Any]) -> Result:
        fields = {name: value for name, value in row.items() if name != "reason"}
        return Result(**{**fields, "topics": tuple(T(topic) for topic in row.get("topics", ()))})

    return {
        "teacher_student": tuple(result(row) for row in tables["teacher_student"]),
        "teacher_teacher": tuple(result(row) for row in tables["teacher_teacher"]),
        "student_student": tuple(result(row) for row in tables["student_student"]),
        "group": result(tables["group"]),
        "early": tuple((row["reason"], result(row)) for row in tables["early"]),
    }


_RESULTS = _read_results()
# «Учитель – ученик»: projects, olympiads, the choice of a profile.
TEACHER_STUDENT: tuple[Result, ...] = _RESULTS["teacher_student"]
# «Учитель – учитель»: the young teacher's first years.
TEACHER_TEACHER: tuple[Result, ...] = _RESULTS["teacher_teacher"]
# «Ученик – ученик»: marks, adaptation, a peer project.
STUDENT_STUDENT: tuple[Result, ...] = _RESULTS["student_student"]
GROUP: Result = _RESULTS["group"]
# The reason for the early-completion order, then what the pair achieved.
EARLY: tuple[tuple[str, Result], ...] = _RESULTS["early"]

# --- Questionnaires ---------------------------------------------------------------------------

# Recurring themes, so the open answers have something to group; each given in a few wordings.
MENTOR_VALUABLE = (
    "Понравились совместные проекты с ребятами.",
    "Совместные проекты — самое ценное: видно, как ребёнок растёт.",
    "Видеть, как наставляемый становится увереннее.",
    "Общение с коллегами-наставниками в школе наставника.",
    "Понравились совместные проекты и подготовка к конференции.",
    "Возможность по-новому посмотреть на свою работу.",
    "",
)
MENTOR_LACKING = (
    "Не хватало времени на встречи: много другой нагрузки.",
    "Не хватало времени на встречи, особенно в конце четверти.",
    "Хотелось бы больше групповых встреч наставников.",
    "Неудобное расписание: сложно найти общее время с наставляемым.",
    "Хотелось бы, чтобы часы наставничества учитывались в нагрузке.",
    "",
    "",
)
MENTOR_EXPECTED = (
    "Помочь ребёнку определиться с профессией.",
    "Поддержать молодого коллегу в первый год работы.",
    "Довести с учеником проект до конференции.",
    "",
)
MENTEE_VALUABLE = (
    "Понравились совместные проекты.",
    "Понравились совместные проекты и поездки.",
    "Разбирали ошибки в контрольных.",
    "Стал увереннее в себе.",
    "Наставник всегда был на связи и помогал.",
    "Экскурсия на завод.",
    "Подготовка к олимпиаде.",
    "",
)
MENTEE_LACKING = (
    "Не хватало времени на встречи.",
    "Хотелось бы встречаться чаще.",
    "Мало времени на встречи из-за кружков и уроков.",
    "Групповые встречи были скучноватыми.",
    "Неудобное время встреч.",
    "",
    "",
    "",
)
MENTEE_EXPECTED = (
    "Подтянуть оценки.",
    "Сделать проект.",
    "Понять, кем хочу стать.",
    "Найти друзей.",
    "",
)
CONTINUE_WHY = (
    "Если бы встречи можно было проводить онлайн.",
    "Если бы было меньше нагрузки.",
    "Хочу попробовать другое направление.",
)
BECOME_MENTOR_AREA = (
    "Помогать младшим с математикой",
    "Рассказать про робототехнику",
    "Помочь новеньким освоиться в школе",
    "Помогать с проектами",
)

CONFORMITY = {
    "regulation": "yes",
    "programme": "yes",
    "curator": "yes",
    "informing": "yes",
    "consents": "yes",
    "mentee_base": "yes",
    "mentor_base": "yes",
    "training": "partly",
    "matching": "yes",
    "plans": "yes",
    "monitoring": "yes",
    "publication": "partly",
    "awards": "yes",
    "overall": 8,
    "strengths": (
        "Ресурсы технопарка «Кванториум»: оборудование и педагоги дополнительного образования. "
        "Сильные совместные проекты наставников и обучающихся, высокие оценки удовлетворённости "
        "наставляемых. Поддержка администрации."
    ),
    "weaknesses": (
        "Наставникам не хватает времени на встречи, часы наставничества не учтены в нагрузке. "
        "Не все наставники прошли обучение в школе наставника. Групповые встречи оцениваются "
        "ниже личных."
    ),
    "opportunities": (
        "Партнёрство с АО «Первоуральский новотрубный завод» и УрФУ: наставники из числа "
        "инженеров и студентов. Выпускники программы готовы сами стать наставниками."
    ),
    "threats": (
        "Высокая нагрузка педагогов, уход молодых специалистов, подготовка к экзаменам "
        "в 9 и 11 классах отнимает время у встреч весной."
    ),
}
