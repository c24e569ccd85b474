"""The public mentoring page of the demo school, its announcements and published cases.

The page is open with an introduction and contacts; the registry on it comes from the mentor
base as it is (the demo mentors' consents: every third adult agreed to publication, students
through their guardians' consents — so some registered mentors are on the page and some are
not); the partners come from the programme. Cases are written for completed pairs of the
previous year when that year is in the demo (`last_year.py`), named where every person of the
pair agreed to publication and depersonalised otherwise; without a previous year they are
depersonalised cases of the current programme. Everything goes through the services, which
check the consents; nothing is printed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from nastavnik.cases import services as cases
from nastavnik.cases.rules import lacking_consent, pair_lacking_consent
from nastavnik.catalogue.models import MentoringForm
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme
from nastavnik.showcase import services
from nastavnik.showcase.models import Announcement

INTRO = (
    "В школе третий год действует целевая модель наставничества. Наставниками становятся "
    "учителя, старшеклассники, выпускники и специалисты наших партнёров.\n"
    "Здесь опубликованы реестр наставников и их портфолио, анонсы мероприятий, социальные "
    "партнёры и лучшие практики наставнических пар. Сведения о людях размещаются только с их "
    "согласия (для несовершеннолетних — с согласия родителей)."
)
CONTACT = (
    "Куратор программы наставничества — заместитель директора по воспитательной работе.\n"
    "Кабинет 204, приём по вторникам и четвергам с 15:00 до 17:00."
)

# (title, days from today or None for the final conference, hour, minute, place, text)
ANNOUNCEMENTS: tuple[tuple[str, int | None, int, int, str, str], ...] = (
    (
        "Школа наставника: занятие 3",
        6,
        15,
        30,
        "Кабинет 204",
        "Тема занятия — «Как поставить цель вместе с наставляемым и не сделать всё за него». "
        "Приглашаются наставники всех форм; разберём индивидуальные планы, составленные "
        "в парах.",
    ),
    (
        "Встреча наставнических пар «ученик – ученик»",
        20,
        14,
        0,
        "Библиотека, 2 этаж",
        "Пары рассказывают о первых результатах и делятся находками. Родители "
        "наставляемых приглашаются.",
    ),
    (
        "Итоговая конференция наставничества",
        None,
        13,
        0,
        "Актовый зал",
        "Пары и группы представляют результаты года, лучшие наставники получают "
        "благодарственные письма. Вход свободный для родителей и партнёров школы.",
    ),
)

# Cases: (form code, title, situation, actions, results, lessons, keywords).
CASES: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    (
        "student-student",
        "Дроби без страха: старшеклассник помогает пятикласснику",
        "Пятиклассник после перехода в основную школу стал получать двойки по математике, "
        "перестал поднимать руку и говорил, что «не понимает дроби». Классный руководитель "
        "отметил тревожность и нежелание идти в школу по понедельникам.",
        "Наставник — ученик 10 класса — встречался с наставляемым дважды в неделю после "
        "уроков. Начали с игр на дроби (пицца, шоколадка, «дробное лото»), затем разбирали "
        "домашние задания: наставляемый сначала объяснял решение сам, наставник только "
        "задавал вопросы. Раз в месяц пара вместе готовила короткое выступление для класса.",
        "За полугодие отметка по математике выросла с «2» до «4», наставляемый дважды "
        "выступил у доски по своей инициативе. По анкете удовлетворённости пара оценила "
        "работу на 9 из 10, тревожность по итоговой диагностике снизилась.",
        "Начинайте с игры и успеха, а не с исправления ошибок. Старшекласснику-наставнику "
        "важна поддержка куратора: короткая встреча раз в две недели помогает ему не "
        "выгореть и не «решать за» младшего.",
        "адаптация, математика, 5 класс, успевающий – неуспевающий",
    ),
    (
        "teacher-teacher",
        "Первый год молодого учителя: от срывов уроков к открытому уроку",
        "Учитель, пришедший в школу после вуза, испытывал трудности с дисциплиной в 7 классе "
        "и с планированием: уроки не укладывались во время, журнал заполнялся с опозданием.",
        "Опытный педагог посещал уроки молодого коллеги раз в две недели и приглашал его на "
        "свои. Вместе составили технологические карты на четверть, отработали приёмы "
        "начала урока и работы с «трудными» учениками, разобрали электронный журнал.",
        "К концу года молодой учитель провёл открытый урок для методического объединения, "
        "успеваемость в 7 классе выросла на 12 %, замечаний по ведению журнала не было. "
        "Педагог остался в школе на второй год.",
        "Посещение уроков — не контроль, а совместный разбор: договоритесь заранее, на что "
        "смотрите. Полезно, чтобы молодой учитель видел не только «образцовые» уроки "
        "наставника, но и неудачные, с честным анализом.",
        "молодой специалист, дисциплина, планирование уроков",
    ),
    (
        "employer-pupil",
        "Инженерная команда с технопарком: от идеи до регионального этапа НТИ",
        "Группа восьмиклассников интересовалась робототехникой, но не доводила проекты до "
        "конца: не хватало опыта командной работы и понимания, как устроена инженерная задача.",
        "Наставник — инженер партнёрского технопарка — вёл группу по еженедельным «спринтам»: "
        "постановка задачи, распределение ролей, демонстрация результата в пятницу. "
        "Дважды группа работала на площадке технопарка с профессиональным оборудованием.",
        "Команда собрала действующий прототип умной теплицы, защитила его на школьной "
        "конференции и вышла на региональный этап олимпиады НТИ. Двое участников выбрали "
        "инженерный профиль в 10 классе.",
        "Короткие циклы с обязательной демонстрацией держат мотивацию лучше длинного плана. "
        "Договор с партнёром стоит заключать заранее: выезды на площадку требуют приказа "
        "и согласования с родителями.",
        "профориентация, робототехника, олимпиада НТИ, группа",
    ),
)
MAX_CASES_FROM_PAIRS = 3


def _at(day: date, hour: int, minute: int, zone: str) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone))


def _announcements(programme: Programme, today: date) -> None:
    organisation = programme.organisation
    final_day = date(programme.academic_year.start_year + 1, 5, 21)
    if final_day <= today:
        final_day = today + timedelta(days=40)
    Announcement.objects.bulk_create(
        Announcement(
            organisation=organisation,
            title=title,
            starts_at=_at(
                today + timedelta(days=days) if days is not None else final_day,
                hour,
                minute,
                organisation.timezone,
            ),
            place=place,
            text=text,
            published=True,
        )
        for title, days, hour, minute, place, text in ANNOUNCEMENTS
    )


def _previous_pairs(programme: Programme) -> list[Mentorship]:
    previous = (
        Programme.objects.for_org(programme.organisation)
        .filter(academic_year__start_year=programme.academic_year.start_year - 1)
        .first()
    )
    if previous is None:
        return []
    return list(
        Mentorship.objects.filter(programme=previous, status=MentorshipStatus.COMPLETED)
        .select_related("form", "role_model", "mentor__person", "programme__organisation")
        .prefetch_related("members__mentee__person")
        .order_by("pk")
    )


def _pick_pairs(pairs: list[Mentorship], today: date) -> list[Mentorship]:
    """One pair per form of the cases, those everyone of which consented first."""
    by_form: dict[str, list[Mentorship]] = {}
    for pair in pairs:
        by_form.setdefault(pair.form.code, []).append(pair)
    chosen = []
    for code, *_texts in CASES:
        candidates = by_form.get(code, [])
        if candidates:
            candidates.sort(key=lambda p: bool(pair_lacking_consent(p, today)))
            chosen.append(candidates[0])
    return chosen[:MAX_CASES_FROM_PAIRS]


def _write(
    programme: Programme,
    spec: tuple[str, str, str, str, str, str, str],
    today: date,
    mentorship: Mentorship | None,
    curator_user: object,
) -> None:
    code, title, situation, actions, results, lessons, keywords = spec
    form = (
        mentorship.form
        if mentorship
        else MentoringForm.objects.get(code=code, organisation__isnull=True)
    )
    data = {
        "title": title,
        "form": form,
        "role_model": mentorship.role_model if mentorship else None,
        "situation": situation,
        "actions": actions,
        "results": results,
        "lessons": lessons,
        "keywords": keywords,
        "without_names": False,
    }
    case = cases.case_create(programme, data, by=curator_user, mentorship=mentorship)  # type: ignore[arg-type]
    if mentorship is None or lacking_consent(case, today):
        case = cases.case_update(case, {**data, "without_names": True}, by=curator_user)  # type: ignore[arg-type]
    cases.case_publish(case, by=curator_user, on=today)  # type: ignore[arg-type]


def build_showcase(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    organisation = programme.organisation
    curator_user = accounts["curator"].user
    services.public_page_save(
        organisation, {"enabled": True, "intro": INTRO, "contact": CONTACT}, by=curator_user
    )
    _announcements(programme, today)
    pairs = _pick_pairs(_previous_pairs(programme), today)
    by_code = {pair.form.code: pair for pair in pairs}
    for spec in CASES:
        pair = by_code.get(spec[0])
        _write(pair.programme if pair else programme, spec, today, pair, curator_user)
