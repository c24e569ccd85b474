"""The roadmap template: the events of the seven stages, the month each is due in, and who
answers for it.

It follows the seeds' roadmaps — the lyceum's (seed 004: the events, their order and
responsibles) and the regulation's (seed 002 §2.9–2.15 and §7.2: forms chosen in stage 1, the
mentor registry approved in stage 4, pairs fixed by an order, the efficiency assessment not
later than 30 September and 30 March). Seed 004 spreads the launch of the model over two
years; a programme lasts one academic year, so the same sequence is laid out from September to
August. The texts are Russian: they are the content of the organisation's roadmap and go into
its documents as they are.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from nastavnik.programmes.models import ResponsibleRole as R

DIRECTOR, CURATOR, PSYCHOLOGIST = R.DIRECTOR, R.CURATOR, R.PSYCHOLOGIST


@dataclass(frozen=True)
class TemplateEvent:
    code: str
    stage: int
    title: str
    month: int  # calendar month (9 = September … 8 = August)
    roles: tuple[str, ...]
    until_month: int | None = None  # for events that run over several months
    day: int | None = None  # a fixed deadline («не позднее 30 сентября») instead of a month


@dataclass(frozen=True)
class StageText:
    title: str
    task: str
    result: str


# Titles, tasks and results of the stages as seed 004 words them.
STAGE_TEXTS: dict[int, StageText] = {
    1: StageText(
        "Подготовка условий для запуска программы наставничества",
        "информирование о запуске программы наставничества; сбор предварительных запросов от "
        "потенциальных наставляемых и выбор соответствующих этим запросам аудиторий для поиска "
        "наставников",
        "определены необходимые ресурсы (кадровые, методические, материально-техническая база) "
        "и возможные источники их привлечения (внутренние и внешние) для организации "
        "функционирования целевой модели наставничества",
    ),
    2: StageText(
        "Формирование базы наставляемых",
        "выявление конкретных проблем обучающихся и педагогов образовательной организации, "
        "которые можно решить с помощью наставничества",
        "сформирована база наставляемых с перечнем запросов, необходимая для подбора кандидатов "
        "в наставники на следующем этапе",
    ),
    3: StageText(
        "Формирование базы наставников",
        "поиск потенциальных наставников для формирования базы наставников",
        "сформирована база наставников, которые потенциально могут участвовать как в текущей "
        "программе наставничества, так и в будущих программах этой и иных (по запросу и с "
        "разрешения наставников) образовательных организаций",
    ),
    4: StageText(
        "Отбор и обучение наставников",
        "выявление наставников, входящих в базу потенциальных наставников, подходящих для "
        "конкретной программы, и их подготовка к работе с наставляемыми",
        "сформирована база готовых к работе наставников, подходящая для конкретной программы и "
        "запросов наставляемых образовательной организации; утверждён реестр наставников",
    ),
    5: StageText(
        "Формирование наставнических пар или групп",
        "формирование пар «наставник – наставляемый» либо групп из наставника и нескольких "
        "наставляемых, подходящих друг другу по критериям",
        "сформированы наставнические пары или группы, готовые продолжить работу в рамках программы",
    ),
    6: StageText(
        "Организация работы наставнических пар или групп",
        "закрепление гармоничных и продуктивных отношений в наставнической паре или группе",
        "сформированы стабильные наставнические отношения, доведённые до логического "
        "завершения, реализована цель программы наставничества для конкретной наставнической "
        "пары или группы",
    ),
    7: StageText(
        "Завершение наставничества",
        "подведение итогов работы каждой пары или группы и всей программы в целом в формате "
        "личной и групповой рефлексии, проведение открытого публичного мероприятия для "
        "популяризации практик наставничества и награждения лучших наставников",
        "достигнуты цели программы наставничества, собраны лучшие наставнические практики, "
        "внимание общественности привлечено к деятельности образовательной организации, запущен "
        "процесс пополнения базы наставников и наставляемых",
    ),
}

EVENTS: tuple[TemplateEvent, ...] = (
    # 1. Preparing the launch
    TemplateEvent(
        "approve_programme",
        1,
        "Назначение куратора, утверждение программы наставничества и дорожной карты её "
        "реализации приказом руководителя",
        9,
        (DIRECTOR, CURATOR),
    ),
    TemplateEvent(
        "assessment_autumn",
        1,
        "Оценка эффективности внедрения целевой модели наставничества за прошедшее полугодие",
        9,
        (CURATOR,),
        day=30,
    ),
    TemplateEvent(
        "inform_teachers",
        1,
        "Информирование педагогического сообщества образовательной организации о реализации "
        "программы наставничества",
        9,
        (DIRECTOR,),
    ),
    TemplateEvent(
        "inform_parents",
        1,
        "Информирование родительского сообщества о планируемой реализации программы наставничества",
        9,
        (DIRECTOR,),
    ),
    TemplateEvent(
        "choose_forms",
        1,
        "Выбор форм и ролевых моделей наставничества, реализуемых в рамках текущей программы",
        9,
        (CURATOR,),
    ),
    TemplateEvent(
        "partners",
        1,
        "Встреча с сообществом выпускников и представителями организаций и предприятий; "
        "заключение соглашений с социальными партнёрами",
        9,
        (DIRECTOR, CURATOR),
    ),
    TemplateEvent(
        "inform_students",
        1,
        "Встреча с обучающимися образовательной организации с информированием о реализуемой "
        "программе наставничества",
        9,
        (DIRECTOR, CURATOR),
    ),
    # 2. Mentee base
    TemplateEvent(
        "mentee_survey",
        2,
        "Анкетирование обучающихся и педагогов, желающих принять участие в программе "
        "наставничества; сбор согласий на обработку персональных данных от совершеннолетних "
        "участников и от законных представителей несовершеннолетних участников",
        10,
        (CURATOR, PSYCHOLOGIST),
    ),
    TemplateEvent(
        "third_party_input",
        2,
        "Сбор дополнительной информации о запросах наставляемых от третьих лиц: классный "
        "руководитель, педагог-психолог, социальный педагог, родители",
        10,
        (PSYCHOLOGIST, R.SOCIAL_PEDAGOGUE, R.CLASS_TEACHERS),
    ),
    TemplateEvent(
        "mentee_base",
        2,
        "Анализ полученных от наставляемых и третьих лиц данных. Формирование базы наставляемых",
        10,
        (CURATOR,),
    ),
    TemplateEvent(
        "mentee_entry_assessment",
        2,
        "Оценка участников-наставляемых по заданным параметрам, необходимым для будущего "
        "сравнения и мониторинга влияния программы на всех участников",
        10,
        (CURATOR, PSYCHOLOGIST),
    ),
    # 3. Mentor base
    TemplateEvent(
        "mentor_survey",
        3,
        "Анкетирование потенциальных наставников, желающих принять участие в программе "
        "наставничества. Сбор согласий на обработку персональных данных",
        10,
        (CURATOR,),
        until_month=11,
    ),
    TemplateEvent(
        "mentor_base",
        3,
        "Анализ заполненных анкет потенциальных наставников и сопоставление данных с анкетами "
        "наставляемых. Формирование базы наставников",
        11,
        (CURATOR,),
    ),
    # 4. Selecting and training mentors
    TemplateEvent(
        "mentor_entry_assessment",
        4,
        "Оценка участников-наставников по заданным параметрам, необходимым для будущего "
        "сравнения и мониторинга влияния программы на всех участников",
        11,
        (CURATOR,),
    ),
    TemplateEvent(
        "mentor_interviews",
        4,
        "Проведение собеседований с наставниками (в некоторых случаях с привлечением "
        "педагога-психолога)",
        11,
        (CURATOR, PSYCHOLOGIST),
    ),
    TemplateEvent(
        "mentor_registry",
        4,
        "Утверждение реестра наставников приказом руководителя и размещение его на сайте "
        "образовательной организации",
        11,
        (DIRECTOR, CURATOR),
    ),
    TemplateEvent(
        "training_materials",
        4,
        "Поиск экспертов и материалов для проведения обучения наставников",
        11,
        (CURATOR,),
    ),
    TemplateEvent(
        "mentor_training",
        4,
        "Обучение наставников (школа наставника)",
        11,
        (CURATOR,),
        until_month=12,
    ),
    # 5. Forming pairs and groups
    TemplateEvent(
        "group_meeting",
        5,
        "Организация групповой встречи наставников и наставляемых",
        12,
        (CURATOR,),
    ),
    TemplateEvent(
        "preference_survey",
        5,
        "Проведение анкетирования на предмет предпочитаемого наставника или наставляемого "
        "после завершения групповой встречи",
        12,
        (CURATOR,),
    ),
    TemplateEvent(
        "matching",
        5,
        "Анализ анкет групповой встречи и соединение наставников и наставляемых в пары или группы",
        12,
        (CURATOR,),
    ),
    TemplateEvent(
        "pairs_order",
        5,
        "Информирование участников о сложившихся парах и группах. Закрепление пар и групп "
        "приказом руководителя образовательной организации",
        12,
        (DIRECTOR, CURATOR),
    ),
    # 6. Work of pairs and groups
    TemplateEvent(
        "first_meeting",
        6,
        "Проведение первой, организационной, встречи наставника и наставляемого",
        1,
        (CURATOR, R.MENTORS),
    ),
    TemplateEvent(
        "trial_meeting",
        6,
        "Проведение второй, пробной рабочей, встречи наставника и наставляемого",
        1,
        (CURATOR, R.MENTORS),
    ),
    TemplateEvent(
        "planning_meeting",
        6,
        "Проведение встречи-планирования рабочего процесса; составление индивидуальных планов "
        "развития наставляемых на основе типовых планов программы",
        1,
        (CURATOR, R.MENTORS),
    ),
    TemplateEvent(
        "regular_meetings",
        6,
        "Регулярные встречи наставника и наставляемого",
        2,
        (R.MENTORS,),
        until_month=5,
    ),
    TemplateEvent(
        "feedback",
        6,
        "Сбор обратной связи от участников программы наставничества",
        2,
        (CURATOR,),
        until_month=5,
    ),
    TemplateEvent(
        "assessment_spring",
        6,
        "Оценка эффективности внедрения целевой модели наставничества за полугодие",
        3,
        (CURATOR,),
        day=30,
    ),
    TemplateEvent(
        "final_meeting",
        6,
        "Проведение заключительной встречи наставника и наставляемого",
        5,
        (CURATOR, R.MENTORS),
    ),
    TemplateEvent(
        "group_final_meeting",
        6,
        "Проведение групповой заключительной встречи всех пар и групп наставников и наставляемых",
        5,
        (CURATOR,),
    ),
    TemplateEvent(
        "satisfaction_survey",
        6,
        "Анкетирование участников. Проведение мониторинга личной удовлетворённости участием в "
        "программе наставничества",
        5,
        (CURATOR,),
    ),
    # 7. Completion
    TemplateEvent(
        "final_event_invitations",
        7,
        "Приглашение на торжественное мероприятие всех участников программы наставничества, их "
        "родных, представителей организаций-партнёров, администрации муниципалитета, иных "
        "образовательных и некоммерческих организаций",
        5,
        (CURATOR,),
    ),
    TemplateEvent(
        "final_event",
        7,
        "Проведение торжественного мероприятия для подведения итогов программы наставничества "
        "и награждения лучших наставников",
        6,
        (DIRECTOR, CURATOR),
    ),
    TemplateEvent(
        "quality_monitoring",
        7,
        "Проведение мониторинга качества реализации программы наставничества",
        6,
        (CURATOR,),
    ),
    TemplateEvent(
        "exit_assessment",
        7,
        "Оценка участников по заданным параметрам, проведение второго, заключающего этапа "
        "мониторинга влияния программы на всех участников",
        6,
        (CURATOR, PSYCHOLOGIST),
    ),
    TemplateEvent(
        "cases",
        7,
        "Оформление итогов и процессов совместной работы в рамках программы наставничества в кейсы",
        6,
        (CURATOR,),
    ),
    TemplateEvent(
        "publication",
        7,
        "Публикация результатов программы наставничества, лучших наставников, кейсов на сайтах "
        "образовательной организации и организаций-партнёров",
        6,
        (CURATOR,),
    ),
    TemplateEvent(
        "bases_update",
        7,
        "Внесение данных об итогах реализации программы наставничества в базу наставников и "
        "базу наставляемых",
        6,
        (CURATOR,),
    ),
    TemplateEvent(
        "long_term_base",
        7,
        "Формирование долгосрочной базы наставников",
        8,
        (CURATOR,),
    ),
)


def year_of_month(start_year: int, month: int) -> int:
    """The calendar year a month of the academic year starting in `start_year` falls in."""
    return start_year if month >= 9 else start_year + 1


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def dates_for(event: TemplateEvent, start_year: int) -> tuple[date | None, date]:
    """(starts_on, due_on) of a template event in the academic year starting in `start_year`."""
    if event.day is not None:
        return None, date(year_of_month(start_year, event.month), event.month, event.day)
    starts = date(year_of_month(start_year, event.month), event.month, 1)
    until = event.until_month or event.month
    return starts, last_day(year_of_month(start_year, until), until)
