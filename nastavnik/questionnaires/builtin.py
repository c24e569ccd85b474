"""The built-in questionnaires, written for this project after the methodology of the target
model (seed 000 §5, seed 002 §7, seed 004): applications of mentees and mentors, preferences
after the group meeting, satisfaction of mentors and mentees, the curator's questionnaire on
conformity to the model, and the entry/exit assessment of participants.

Content is Russian data, like the built-in catalogue. Answers that belong in a base name a feed
(`feeds.py`) and use the shared vocabulary of `catalogue.profile` as their option values, so an
answer, a profile field and a matching criterion mean the same thing.

Loaded by a data migration. A built-in version is never changed once loaded (campaigns may use
it): to change one, add the next version here with a higher `version`; `load` chains it to the
previous one.
"""

from __future__ import annotations

from typing import Any

from nastavnik.catalogue.builtin import FORMS
from nastavnik.catalogue.profile import DayPart, MeetingFormat, RequestTopic, Weekday, slot

Spec = dict[str, Any]

# --- Shared option lists --------------------------------------------------------------------

_TOPIC_LABELS: dict[str, str] = {
    RequestTopic.SUBJECT: "Помощь с учебным предметом",
    RequestTopic.EXAMS: "Подготовка к ОГЭ или ЕГЭ",
    RequestTopic.ADAPTATION: "Привыкнуть к новому классу или школе",
    RequestTopic.LEADERSHIP: "Лидерские и организаторские навыки",
    RequestTopic.COMMUNICATION: "Общение и уверенность в себе",
    RequestTopic.CAREER: "Выбор профессии",
    RequestTopic.PROJECT: "Проект или исследовательская работа",
    RequestTopic.COMPETITIONS: "Олимпиады и конкурсы",
    RequestTopic.CREATIVITY: "Творчество, спорт, увлечения",
    RequestTopic.DIGITAL: "Цифровые навыки",
    RequestTopic.PROFESSIONAL_GROWTH: "Профессиональный рост молодого педагога",
    RequestTopic.METHODS: "Методика преподавания и подготовка уроков",
    RequestTopic.CLASSROOM: "Классное руководство и работа с родителями",
}
# Every topic, in the vocabulary's order: a topic added there without a label here fails loudly.
TOPICS = [[topic.value, _TOPIC_LABELS[topic]] for topic in RequestTopic]

_DAYS: dict[str, str] = {
    Weekday.MONDAY: "Понедельник",
    Weekday.TUESDAY: "Вторник",
    Weekday.WEDNESDAY: "Среда",
    Weekday.THURSDAY: "Четверг",
    Weekday.FRIDAY: "Пятница",
    Weekday.SATURDAY: "Суббота",
}
SLOTS = [
    [slot(day.value, part.value), f"{_DAYS[day]}, {part.value}"]
    for day in Weekday
    for part in DayPart
]

_FORMAT_LABELS: dict[str, str] = {
    MeetingFormat.IN_PERSON: "Очно",
    MeetingFormat.REMOTE: "Дистанционно",
    MeetingFormat.BOTH: "Очно или дистанционно — неважно",
}
MEETING_FORMATS = [[f.value, _FORMAT_LABELS[f]] for f in MeetingFormat]

MENTORING_FORMS = [[code, name] for code, name, *_rest in FORMS]

SUBJECTS = [
    [name, name]
    for name in (
        "Математика",
        "Русский язык",
        "Литература",
        "Английский язык",
        "История",
        "Обществознание",
        "Физика",
        "Химия",
        "Биология",
        "География",
        "Информатика",
        "Робототехника",
        "Программирование",
        "Технология",
        "Искусство и музыка",
        "Физическая культура",
    )
]

YES_NO = [["yes", "Да"], ["no", "Нет"]]
YES_NO_UNSURE = [["yes", "Да"], ["no", "Нет"], ["unsure", "Затрудняюсь ответить"]]
FULLY_PARTLY_NO = [["yes", "Да, полностью"], ["partly", "Частично"], ["no", "Нет"]]
FREQUENCY = [
    ["more", "Чаще раза в неделю"],
    ["weekly", "Раз в неделю"],
    ["fortnightly", "Раз в две недели"],
    ["monthly", "Раз в месяц"],
    ["rarely", "Реже раза в месяц"],
]


# --- Question builders ----------------------------------------------------------------------


def _question(code: str, type_: str, text: str, **options: Any) -> Spec:
    spec: Spec = {"code": code, "type": type_, "text": text, "required": True}
    spec.update(options)
    return spec


def single(code: str, text: str, choices: list[list[str]], **options: Any) -> Spec:
    return _question(code, "single", text, choices=choices, **options)


def multiple(code: str, text: str, choices: list[list[str]], **options: Any) -> Spec:
    return _question(code, "multiple", text, choices=choices, **options)


def scale(code: str, text: str, **options: Any) -> Spec:
    return _question(code, "scale", text, min_value=1, max_value=10, **options)


def short(code: str, text: str, **options: Any) -> Spec:
    return _question(code, "short_text", text, **options)


def long(code: str, text: str, **options: Any) -> Spec:
    return _question(code, "long_text", text, **options)


def number(code: str, text: str, low: float, high: float, **options: Any) -> Spec:
    return _question(code, "number", text, min_value=low, max_value=high, **options)


def ranking(code: str, text: str, pool: str, count: int, **options: Any) -> Spec:
    return _question(code, "ranking", text, pool=pool, rank_count=count, **options)


def shown_if(code: str, *values: str) -> dict[str, Any]:
    return {"show_if_code": code, "show_if_values": list(values)}


# --- The questionnaires ---------------------------------------------------------------------

MENTEE_APPLICATION: Spec = {
    "code": "mentee-application",
    "version": 1,
    "kind": "mentee_application",
    "title": "Анкета наставляемого",
    "intro": (
        "Эта анкета поможет подобрать вам наставника — человека, который поддержит вас в учёбе, "
        "в новом коллективе, в выборе профессии или в собственном проекте. Правильных и "
        "неправильных ответов нет: отвечайте так, как есть. Ответы увидит только куратор "
        "программы наставничества."
    ),
    "sections": [
        (
            "Ваш запрос",
            "",
            [
                multiple(
                    "topics",
                    "С чем вам хотелось бы получить помощь наставника?",
                    TOPICS,
                    help_text="Можно выбрать несколько вариантов.",
                    feed="mentee.topics",
                ),
                multiple(
                    "subjects",
                    "По каким предметам нужна помощь?",
                    SUBJECTS,
                    feed="mentee.subjects",
                    **shown_if("topics", RequestTopic.SUBJECT.value, RequestTopic.EXAMS.value),
                ),
                long(
                    "request_text",
                    "Расскажите своими словами, чего вы ждёте от работы с наставником",
                    help_text=(
                        "Например: «хочу подтянуть геометрию к экзамену», «хочу научиться "
                        "выступать перед классом», «хочу понять, какую профессию выбрать»."
                    ),
                    feed="mentee.request_text",
                ),
            ],
        ),
        (
            "Как вам удобно заниматься",
            "",
            [
                multiple(
                    "availability",
                    "Когда вам удобно встречаться с наставником?",
                    SLOTS,
                    help_text="Отметьте все подходящие варианты.",
                    feed="mentee.availability",
                ),
                single(
                    "format",
                    "Как вам удобнее встречаться?",
                    MEETING_FORMATS,
                    feed="mentee.format",
                ),
                single(
                    "mentor_kind",
                    "Кого вы хотели бы видеть своим наставником?",
                    [
                        ["senior", "Старшеклассника"],
                        ["teacher", "Учителя"],
                        ["student", "Студента колледжа или вуза"],
                        ["professional", "Специалиста, представителя предприятия"],
                        ["any", "Мне всё равно"],
                        ["other", "Другое"],
                    ],
                    required=False,
                ),
                short("mentor_kind_other", "Кого именно?", **shown_if("mentor_kind", "other")),
            ],
        ),
        (
            "Немного о вас",
            "",
            [
                long("interests", "Чем вы увлекаетесь в свободное время?", required=False),
                long("strengths", "Что у вас хорошо получается?", required=False),
                single("was_mentored", "Был ли у вас раньше наставник?", YES_NO),
                long(
                    "was_mentored_note",
                    "Что в той работе было самым полезным?",
                    required=False,
                    **shown_if("was_mentored", "yes"),
                ),
            ],
        ),
    ],
}

MENTOR_APPLICATION: Spec = {
    "code": "mentor-application",
    "version": 1,
    "kind": "mentor_application",
    "title": "Анкета наставника",
    "intro": (
        "Спасибо, что готовы поделиться своим опытом! Анкета поможет понять, кому и в чём вы "
        "можете помочь, и подобрать вам наставляемого с подходящим запросом. Заполнение займёт "
        "около десяти минут."
    ),
    "sections": [
        (
            "Опыт и компетенции",
            "",
            [
                multiple(
                    "competencies",
                    "В чём вы можете помочь наставляемому?",
                    TOPICS,
                    help_text="Можно выбрать несколько вариантов.",
                    feed="mentor.competencies",
                ),
                multiple(
                    "subjects",
                    "Какие предметы или направления вы можете вести?",
                    SUBJECTS,
                    feed="mentor.subjects",
                    **shown_if(
                        "competencies",
                        RequestTopic.SUBJECT.value,
                        RequestTopic.EXAMS.value,
                        RequestTopic.COMPETITIONS.value,
                        RequestTopic.PROJECT.value,
                    ),
                ),
                number(
                    "experience",
                    "Ваш стаж работы по профессии, полных лет",
                    0,
                    70,
                    integer_only=True,
                    help_text=(
                        "Если вы учитесь — сколько лет вы занимаетесь тем, чему готовы научить."
                    ),
                    feed="mentor.experience",
                ),
                single("mentored_before", "Был ли у вас опыт наставничества?", YES_NO),
                long(
                    "mentored_before_note",
                    "Расскажите коротко: кого и в чём вы сопровождали, что получилось?",
                    required=False,
                    **shown_if("mentored_before", "yes"),
                ),
                long(
                    "strengths",
                    "Ваши сильные стороны и достижения, которыми вы гордитесь",
                    required=False,
                ),
            ],
        ),
        (
            "Время и формат",
            "",
            [
                number(
                    "hours",
                    "Сколько часов в месяц вы готовы уделять наставничеству?",
                    1,
                    40,
                    integer_only=True,
                    feed="mentor.hours",
                ),
                multiple(
                    "availability",
                    "Когда вам удобно встречаться?",
                    SLOTS,
                    help_text="Отметьте все подходящие варианты.",
                    feed="mentor.availability",
                ),
                single(
                    "format",
                    "В каком формате вам удобнее работать?",
                    MEETING_FORMATS,
                    feed="mentor.format",
                ),
                multiple(
                    "forms",
                    "В каких формах наставничества вы готовы участвовать?",
                    MENTORING_FORMS,
                    feed="mentor.forms",
                ),
                single(
                    "mentees_count",
                    "Скольких наставляемых вы готовы сопровождать одновременно?",
                    [["1", "Одного"], ["2", "Двоих"], ["group", "Группу (трое и больше)"]],
                    required=False,
                ),
            ],
        ),
        (
            "Мотивация",
            "",
            [
                long(
                    "motivation",
                    "Почему вы хотите стать наставником?",
                    feed="mentor.motivation",
                ),
                long(
                    "expectations",
                    "Что вы ждёте от участия в программе для себя?",
                    required=False,
                ),
                single(
                    "training",
                    "Хотели бы вы пройти обучение в школе наставника?",
                    [["yes", "Да"], ["no", "Нет"], ["done", "Обучение уже пройдено"]],
                    required=False,
                ),
                single(
                    "share",
                    "Согласны ли вы, чтобы вашу анкету видели другие образовательные "
                    "организации, которые ищут наставников?",
                    [["yes", "Да"], ["no", "Нет, только наша организация"]],
                    feed="mentor.share",
                ),
            ],
        ),
    ],
}

_PREFERENCE_EXTRAS = [
    long("why", "Почему вы выбрали именно их?", required=False),
    long(
        "concerns",
        "Есть ли что-то, о чём куратору важно знать при подборе пары?",
        required=False,
    ),
]

MENTEE_PREFERENCES: Spec = {
    "code": "mentee-preferences",
    "version": 1,
    "kind": "mentee_preferences",
    "title": "Анкета наставляемого после групповой встречи",
    "intro": (
        "Вы познакомились с наставниками на групповой встрече. Отметьте, с кем из них вам "
        "хотелось бы работать. Куратор постарается учесть ваш выбор; пары формируются с учётом "
        "пожеланий всех участников."
    ),
    "sections": [
        (
            "",
            "",
            [
                ranking(
                    "preferences",
                    "Кого из наставников вы хотели бы видеть своим наставником?",
                    "mentors",
                    3,
                    help_text=(
                        "Выберите до трёх человек. На первое место — того, с кем хотелось бы "
                        "работать больше всего."
                    ),
                    feed="mentee.preferences",
                ),
                scale(
                    "meeting",
                    "Насколько комфортно вам было на групповой встрече?",
                    help_text="1 — совсем некомфортно, 10 — очень комфортно.",
                ),
                *_PREFERENCE_EXTRAS,
            ],
        )
    ],
}

MENTOR_PREFERENCES: Spec = {
    "code": "mentor-preferences",
    "version": 1,
    "kind": "mentor_preferences",
    "title": "Анкета наставника после групповой встречи",
    "intro": (
        "Вы познакомились с наставляемыми на групповой встрече. Отметьте, с кем из них вам "
        "хотелось бы работать. Куратор постарается учесть ваш выбор; пары формируются с учётом "
        "пожеланий всех участников."
    ),
    "sections": [
        (
            "",
            "",
            [
                ranking(
                    "preferences",
                    "С кем из наставляемых вы хотели бы работать?",
                    "mentees",
                    3,
                    help_text=(
                        "Выберите до трёх человек. На первое место — того, с кем хотелось бы "
                        "работать больше всего."
                    ),
                    feed="mentor.preferences",
                ),
                scale(
                    "meeting",
                    "Насколько полезной была для вас групповая встреча?",
                    help_text="1 — совсем бесполезной, 10 — очень полезной.",
                ),
                *_PREFERENCE_EXTRAS,
            ],
        )
    ],
}

_SCALE_INTRO = (
    "Оцените утверждения по шкале от 1 до 10, где 1 — самая низкая оценка, 10 — самая высокая."
)


def _experience_section(partner: str) -> tuple[str, str, list[Spec]]:
    return (
        "Ваш опыт",
        "",
        [
            single(
                "frequency",
                f"Как часто проходили ваши встречи с {partner}?",
                FREQUENCY,
            ),
            long(
                "expected",
                "Что вы ожидали от программы и от своей роли в ней?",
                required=False,
            ),
            long("valuable", "Что было для вас самым ценным?", required=False),
            long(
                "lacking",
                "Чего вам не хватило? Что бы вы изменили в программе?",
                required=False,
            ),
            single(
                "glad",
                "Рады ли вы, что участвовали в программе наставничества?",
                YES_NO_UNSURE,
            ),
            single(
                "continue",
                "Хотели бы вы продолжить работу в программе наставничества?",
                YES_NO_UNSURE,
            ),
            long(
                "continue_why",
                "Что могло бы изменить ваше решение?",
                required=False,
                **shown_if("continue", "no"),
            ),
        ],
    )


MENTOR_SATISFACTION: Spec = {
    "code": "mentor-satisfaction",
    "version": 1,
    "kind": "mentor_satisfaction",
    "title": "Анкета удовлетворённости наставника",
    "intro": (
        "Анкета помогает оценить, как проходит программа наставничества, и понять, что в ней "
        "улучшить. " + _SCALE_INTRO
    ),
    "sections": [
        (
            "Оценка программы",
            _SCALE_INTRO,
            [
                scale(
                    "effectiveness",
                    "Насколько эффективной, на ваш взгляд, оказалась программа наставничества?",
                ),
                scale("comfort", "Насколько комфортным было общение с наставляемым?"),
                scale(
                    "personal_meetings",
                    "Насколько полезными были личные встречи с наставляемым?",
                ),
                scale("group_meetings", "Насколько полезными были групповые встречи?"),
                scale(
                    "curator_support",
                    "Насколько вы ощущали поддержку куратора программы?",
                ),
                scale(
                    "clarity",
                    "Насколько понятно было, что от вас ожидается как от наставника?",
                ),
                scale("training", "Насколько полезным было обучение в школе наставника?"),
                scale(
                    "organisation",
                    "Насколько удобно была организована работа: время, место, формат встреч?",
                ),
                scale(
                    "expectations",
                    "Насколько оправдались ваши ожидания от участия в программе?",
                ),
                scale(
                    "mentee_progress",
                    "Насколько заметен, на ваш взгляд, прогресс вашего наставляемого?",
                ),
            ],
        ),
        _experience_section("наставляемым"),
    ],
}

MENTEE_SATISFACTION: Spec = {
    "code": "mentee-satisfaction",
    "version": 1,
    "kind": "mentee_satisfaction",
    "title": "Анкета удовлетворённости наставляемого",
    "intro": (
        "Анкета помогает оценить, как проходит программа наставничества, и понять, что в ней "
        "улучшить. Она анонимна, если куратор не сказал иначе. " + _SCALE_INTRO
    ),
    "sections": [
        (
            "Оценка программы",
            _SCALE_INTRO,
            [
                scale(
                    "effectiveness",
                    "Насколько полезной для вас оказалась работа с наставником?",
                ),
                scale("comfort", "Насколько комфортным было общение с наставником?"),
                scale(
                    "personal_meetings",
                    "Насколько полезными и интересными были личные встречи с наставником?",
                ),
                scale(
                    "group_meetings",
                    "Насколько полезными и интересными были групповые встречи?",
                ),
                scale("support", "Насколько вы ощущали поддержку наставника?"),
                scale("clarity", "Насколько понятно было, что от вас ожидается?"),
                scale("organisation", "Насколько удобными были время и место встреч?"),
                scale("expectations", "Насколько оправдались ваши ожидания?"),
                scale(
                    "progress",
                    "Насколько вы продвинулись в том, ради чего пришли в программу?",
                ),
            ],
        ),
        _experience_section("наставником"),
        (
            "Дальше",
            "",
            [
                single(
                    "become_mentor",
                    "Хотели бы вы в будущем сами стать наставником?",
                    YES_NO_UNSURE,
                ),
                short(
                    "become_mentor_area",
                    "В чём вы могли бы помочь другим?",
                    required=False,
                    **shown_if("become_mentor", "yes"),
                ),
            ],
        ),
    ],
}


def _condition(code: str, text: str) -> Spec:
    return single(code, text, FULLY_PARTLY_NO)


CURATOR_CONFORMITY: Spec = {
    "code": "curator-conformity",
    "version": 1,
    "kind": "curator_conformity",
    "title": "Анкета куратора: соответствие программы наставничества целевой модели",
    "intro": (
        "Анкету заполняет куратор программы наставничества. Отметьте, насколько выполнено "
        "каждое условие целевой модели в вашей организации. Ответы на открытые вопросы в конце "
        "анкеты — основа SWOT-анализа программы."
    ),
    "sections": [
        (
            "Нормативная база и организация",
            "",
            [
                _condition(
                    "regulation",
                    "Положение о наставничестве утверждено и опубликовано на сайте организации",
                ),
                _condition(
                    "programme",
                    "Программа наставничества и дорожная карта на учебный год утверждены приказом",
                ),
                _condition("curator", "Куратор назначен приказом, его обязанности определены"),
                _condition(
                    "informing",
                    "Участники и родители проинформированы о программе: собрания, сайт, "
                    "социальные сети",
                ),
                _condition(
                    "consents",
                    "Согласия участников на обработку персональных данных получены",
                ),
            ],
        ),
        (
            "Базы наставников и наставляемых, пары",
            "",
            [
                _condition("mentee_base", "Сформирована база наставляемых с их запросами"),
                _condition("mentor_base", "Сформирована база наставников"),
                _condition("training", "Наставники прошли обучение в школе наставника"),
                _condition(
                    "matching",
                    "Пары и группы сформированы с учётом запросов наставляемых и пожеланий "
                    "участников",
                ),
                _condition(
                    "plans",
                    "У каждой пары или группы есть индивидуальный план развития",
                ),
            ],
        ),
        (
            "Мониторинг и открытость",
            "",
            [
                _condition(
                    "monitoring",
                    "Проводится мониторинг: анкеты удовлетворённости, входная и выходная "
                    "диагностика участников",
                ),
                _condition(
                    "publication",
                    "Реестр наставников, лучшие практики и новости программы публикуются на сайте",
                ),
                _condition(
                    "awards",
                    "Наставников поощряют: грамоты, благодарности, конкурсы",
                ),
                scale(
                    "overall",
                    "Оцените в целом, насколько программа соответствует целевой модели "
                    "наставничества",
                ),
            ],
        ),
        (
            "SWOT-анализ",
            "",
            [
                long("strengths", "Сильные стороны программы", required=False),
                long("weaknesses", "Слабые стороны программы", required=False),
                long(
                    "opportunities",
                    "Возможности: что может помочь развитию программы",
                    required=False,
                ),
                long("threats", "Угрозы: что может помешать программе", required=False),
            ],
        ),
    ],
}

ASSESSMENT: Spec = {
    "code": "assessment",
    "version": 1,
    "kind": "assessment",
    "title": "Входная и выходная диагностика участника",
    "intro": (
        "Анкету заполняют дважды: в начале участия в программе наставничества и по её итогам. "
        "Сравнение ответов покажет, что изменилось. " + _SCALE_INTRO
    ),
    "sections": [
        (
            "Самооценка",
            "",
            [
                scale(
                    "engagement",
                    "Насколько вам интересно то, чем вы занимаетесь в школе (на работе)?",
                    help_text="1 — совсем неинтересно, 10 — очень интересно.",
                    feed="assessment.engagement",
                ),
                scale(
                    "activity",
                    "Как часто вы сами проявляете инициативу: предлагаете идеи, участвуете в "
                    "делах класса или коллектива?",
                    help_text="1 — никогда, 10 — постоянно.",
                    feed="assessment.activity",
                ),
                scale(
                    "self_esteem",
                    "Насколько вы уверены в своих силах?",
                    help_text="1 — совсем нет уверенности, 10 — полная уверенность.",
                    feed="assessment.self_esteem",
                ),
                scale(
                    "anxiety",
                    "Как часто вы испытываете тревогу или напряжение из-за учёбы (работы)?",
                    help_text="1 — почти никогда, 10 — почти всегда.",
                    feed="assessment.anxiety",
                ),
                scale(
                    "motivation",
                    "Насколько вам хочется узнавать новое и добиваться лучших результатов?",
                    help_text="1 — совсем не хочется, 10 — очень хочется.",
                    feed="assessment.motivation",
                ),
            ],
        ),
        (
            "Результаты",
            "Можно не заполнять, если вы не знаете точных чисел: их внесёт куратор.",
            [
                number(
                    "academic_results",
                    "Средний балл за последнюю четверть (триместр, полугодие)",
                    2,
                    5,
                    required=False,
                    help_text="Число от 2 до 5, например 4,3.",
                    feed="assessment.academic_results",
                ),
                number(
                    "attendance",
                    "Доля посещённых занятий за последнюю четверть, %",
                    0,
                    100,
                    required=False,
                    feed="assessment.attendance",
                ),
                number(
                    "competitions",
                    "В скольких конкурсах, олимпиадах и проектах вы участвовали за последние "
                    "полгода?",
                    0,
                    50,
                    integer_only=True,
                    required=False,
                    feed="assessment.competitions",
                ),
            ],
        ),
    ],
}

BUILTINS: list[Spec] = [
    MENTEE_APPLICATION,
    MENTOR_APPLICATION,
    MENTEE_PREFERENCES,
    MENTOR_PREFERENCES,
    MENTOR_SATISFACTION,
    MENTEE_SATISFACTION,
    CURATOR_CONFORMITY,
    ASSESSMENT,
]

# The fields of a question a built-in gives, and a copy of a questionnaire takes over.
QUESTION_FIELDS = (
    "type",
    "text",
    "help_text",
    "required",
    "choices",
    "min_value",
    "max_value",
    "integer_only",
    "pool",
    "rank_count",
    "show_if_code",
    "show_if_values",
    "feed",
)


def load(questionnaire_model: type, section_model: type, question_model: type) -> int:
    """Create the built-in versions that are missing; existing ones are never touched.
    Returns how many were created. Takes the models as arguments so a migration can pass its
    historical ones."""
    made = 0
    for spec in BUILTINS:
        manager = questionnaire_model.objects  # type: ignore[attr-defined]
        if manager.filter(organisation=None, code=spec["code"], version=spec["version"]).exists():
            continue
        previous = (
            manager.filter(organisation=None, code=spec["code"], version__lt=spec["version"])
            .order_by("-version")
            .first()
        )
        questionnaire = manager.create(
            organisation=None,
            code=spec["code"],
            version=spec["version"],
            kind=spec["kind"],
            title=spec["title"],
            intro=spec["intro"],
            previous=previous,
        )
        questions = []
        for section_position, (title, intro, items) in enumerate(spec["sections"], start=1):
            section = section_model.objects.create(  # type: ignore[attr-defined]
                questionnaire=questionnaire, title=title, intro=intro, position=section_position
            )
            for position, item in enumerate(items, start=1):
                values = {field: item[field] for field in QUESTION_FIELDS if field in item}
                questions.append(
                    question_model(
                        questionnaire=questionnaire,
                        section=section,
                        position=position,
                        code=item["code"],
                        **values,
                    )
                )
        question_model.objects.bulk_create(questions)  # type: ignore[attr-defined]
        made += 1
    return made


def ensure_loaded() -> None:
    """Load the built-ins when a flushed test database (or a hand-made one) lacks them."""
    from nastavnik.questionnaires.models import Question, Questionnaire, Section

    if Questionnaire.objects.filter(organisation=None).count() < len(BUILTINS):
        load(Questionnaire, Section, Question)
