"""Russian for documents: declined names, initials, dates, plurals, declined positions."""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from nastavnik.documents.russian import (
    MONTHS_GENITIVE,
    Case,
    decline_full_name,
    decline_phrase,
    format_date,
    format_date_quoted,
    format_date_short,
    initials_name,
    plural_form,
    pluralize,
    signature_name,
    typography,
)

N, G, D, A, I, P = (  # noqa: E741 -- the six cases by their initials
    Case.NOMINATIVE,
    Case.GENITIVE,
    Case.DATIVE,
    Case.ACCUSATIVE,
    Case.INSTRUMENTAL,
    Case.PREPOSITIONAL,
)

# (last, first, middle, gender, case, expected)
DECLENSIONS = [
    # Masculine, every case.
    ("Иванов", "Иван", "Иванович", "m", N, "Иванов Иван Иванович"),
    ("Иванов", "Иван", "Иванович", "m", G, "Иванова Ивана Ивановича"),
    ("Иванов", "Иван", "Иванович", "m", D, "Иванову Ивану Ивановичу"),
    ("Иванов", "Иван", "Иванович", "m", A, "Иванова Ивана Ивановича"),
    ("Иванов", "Иван", "Иванович", "m", I, "Ивановым Иваном Ивановичем"),
    ("Иванов", "Иван", "Иванович", "m", P, "Иванове Иване Ивановиче"),
    # Feminine, every case.
    ("Петрова", "Анна", "Сергеевна", "f", N, "Петрова Анна Сергеевна"),
    ("Петрова", "Анна", "Сергеевна", "f", G, "Петровой Анны Сергеевны"),
    ("Петрова", "Анна", "Сергеевна", "f", D, "Петровой Анне Сергеевне"),
    ("Петрова", "Анна", "Сергеевна", "f", A, "Петрову Анну Сергеевну"),
    ("Петрова", "Анна", "Сергеевна", "f", I, "Петровой Анной Сергеевной"),
    ("Петрова", "Анна", "Сергеевна", "f", P, "Петровой Анне Сергеевне"),
    # Adjectival surnames.
    ("Толстой", "Лев", "Николаевич", "m", G, "Толстого Льва Николаевича"),
    ("Раевская", "Мария", "Николаевна", "f", A, "Раевскую Марию Николаевну"),
    # Hyphenated surnames: every part declines.
    ("Римский-Корсаков", "Николай", "Андреевич", "m", G, "Римского-Корсакова Николая Андреевича"),
    ("Римский-Корсаков", "Николай", "Андреевич", "m", I, "Римским-Корсаковым Николаем Андреевичем"),
    ("Петров-Водкин", "Кузьма", "Сергеевич", "m", D, "Петрову-Водкину Кузьме Сергеевичу"),
    ("Петрова-Водкина", "Ольга", "Кузьминична", "f", D, "Петровой-Водкиной Ольге Кузьминичне"),
    ("Петрова-Водкина", "Ольга", "Кузьминична", "f", A, "Петрову-Водкину Ольгу Кузьминичну"),
    # ... except a part that does not decline by itself.
    ("Петрова-Шевчук", "Ирина", "Олеговна", "f", I, "Петровой-Шевчук Ириной Олеговной"),
    # A woman's surname ending in a consonant does not decline; a man's does.
    ("Шевчук", "Ирина", "Петровна", "f", D, "Шевчук Ирине Петровне"),
    ("Шевчук", "Олег", "Петрович", "m", D, "Шевчуку Олегу Петровичу"),
    ("Ким", "Елена", "Сергеевна", "f", A, "Ким Елену Сергеевну"),
    # Korean surnames are no exception to that rule for men (Виктор Цой → Виктору Цою).
    ("Ким", "Виктор", "Николаевич", "m", D, "Киму Виктору Николаевичу"),
    # Indeclinable surnames, for both genders.
    ("Дурново", "Пётр", "Николаевич", "m", I, "Дурново Петром Николаевичем"),
    ("Дурново", "Анна", "Петровна", "f", G, "Дурново Анны Петровны"),
    ("Гёте", "Иоганн", "", "m", G, "Гёте Иоганна"),
    ("Черных", "Мария", "Ивановна", "f", I, "Черных Марией Ивановной"),
    ("Черных", "Олег", "Иванович", "m", D, "Черных Олегу Ивановичу"),
    ("Седых", "Олег", "Викторович", "m", D, "Седых Олегу Викторовичу"),
    ("Седых", "Анна", "Викторовна", "f", A, "Седых Анну Викторовну"),
    ("Живаго", "Юрий", "Андреевич", "m", P, "Живаго Юрии Андреевиче"),
    # Ukrainian -енко/-ко and Georgian -дзе/-швили/-иа do not decline; Georgian -ия/-ава do.
    ("Шевченко", "Тарас", "Григорьевич", "m", G, "Шевченко Тараса Григорьевича"),
    ("Шевченко", "Оксана", "Тарасовна", "f", I, "Шевченко Оксаной Тарасовной"),
    ("Бойко", "Андрей", "Петрович", "m", D, "Бойко Андрею Петровичу"),
    ("Чавчавадзе", "Нино", "", "f", D, "Чавчавадзе Нино"),
    ("Джугашвили", "Яков", "Иосифович", "m", G, "Джугашвили Якова Иосифовича"),
    ("Гамсахурдиа", "Звиад", "Константинович", "m", I, "Гамсахурдиа Звиадом Константиновичем"),
    ("Данелия", "Георгий", "Николаевич", "m", D, "Данелии Георгию Николаевичу"),
    ("Окуджава", "Булат", "Шалвович", "m", G, "Окуджавы Булата Шалвовича"),
    # No patronymic (external people, foreign citizens).
    ("Смит", "Джон", "", "m", D, "Смиту Джону"),
    ("Ли", "Анна", "", "f", I, "Ли Анной"),
    ("Мамедов", "Али", None, "m", G, "Мамедова Али"),
    # Turkic patronymics stay as they are.
    ("Мамедов", "Али", "Ахмед оглы", "m", D, "Мамедову Али Ахмед оглы"),
    ("Алиева", "Лейла", "Рашид кызы", "f", I, "Алиевой Лейлой Рашид кызы"),
    # Female first names on -ия, -ья, and Любовь.
    ("Иванова", "Мария", "Петровна", "f", G, "Ивановой Марии Петровны"),
    ("Иванова", "Мария", "Петровна", "f", D, "Ивановой Марии Петровне"),
    ("Иванова", "Мария", "Петровна", "f", I, "Ивановой Марией Петровной"),
    ("Соколова", "Наталия", "Игоревна", "f", P, "Соколовой Наталии Игоревне"),
    ("Соколова", "Наталья", "Игоревна", "f", D, "Соколовой Наталье Игоревне"),
    ("Орлова", "Любовь", "Петровна", "f", D, "Орловой Любови Петровне"),
    ("Орлова", "Любовь", "Петровна", "f", A, "Орлову Любовь Петровну"),
    ("Орлова", "Любовь", "Петровна", "f", I, "Орловой Любовью Петровной"),
    # Masculine names on -а/-я, Лев and Пётр, patronymics in -ич.
    ("Ильин", "Илья", "Ильич", "m", I, "Ильиным Ильёй Ильичом"),
    ("Ильин", "Илья", "Ильич", "m", D, "Ильину Илье Ильичу"),
    ("Сергеев", "Никита", "Фомич", "m", A, "Сергеева Никиту Фомича"),
    ("Лебедев", "Пётр", "Кузьмич", "m", G, "Лебедева Петра Кузьмича"),
    # Corrected where Petrovich is wrong (see _NAME_OVERRIDES): not «Кузнца».
    ("Кузнец", "Андрей", "Иванович", "m", G, "Кузнеца Андрея Ивановича"),
    ("Кузнец", "Андрей", "Иванович", "m", I, "Кузнецом Андреем Ивановичем"),
    ("Кузнец-Петров", "Андрей", "", "m", D, "Кузнецу-Петрову Андрею"),
    ("Кузнец", "Анна", "Ивановна", "f", G, "Кузнец Анны Ивановны"),
    # Letter case is kept as typed, also where Petrovich appends lower-case endings.
    ("ПЕТРОВА", "АННА", "СЕРГЕЕВНА", "f", A, "ПЕТРОВУ АННУ СЕРГЕЕВНУ"),
    ("КУЗНЕЦ", "АНДРЕЙ", "", "m", G, "КУЗНЕЦА АНДРЕЯ"),
    # Stray spaces from data entry.
    ("  Петрова ", " Анна", "Сергеевна  ", "f", D, "Петровой Анне Сергеевне"),
]


@pytest.mark.parametrize(("last", "first", "middle", "gender", "case", "expected"), DECLENSIONS)
def test_decline_full_name(last, first, middle, gender, case, expected):
    assert decline_full_name(last, first, middle, gender, case) == expected


def test_cases_are_accepted_by_name():
    assert decline_full_name("Петрова", "Анна", "Сергеевна", "f", "dative") == (
        "Петровой Анне Сергеевне"
    )


def test_phrases_from_orders():
    assert (
        f"назначить куратором {decline_full_name('Петрова', 'Анна', 'Сергеевна', 'f', A)}"
        == "назначить куратором Петрову Анну Сергеевну"
    )
    assert (
        f"закрепить за {decline_full_name('Иванов', 'Иван', 'Иванович', 'm', I)}"
        == "закрепить за Ивановым Иваном Ивановичем"
    )
    assert (
        f"закрепить за {decline_full_name('Иванова', 'Мария', 'Петровна', 'f', I)}"
        == "закрепить за Ивановой Марией Петровной"
    )


@pytest.mark.parametrize("gender", ["", "x", None, "male"])
def test_unknown_gender_is_refused(gender):
    with pytest.raises(ValueError, match="gender"):
        decline_full_name("Петрова", "Анна", "Сергеевна", gender, D)


def test_unknown_case_is_refused():
    with pytest.raises(ValueError):
        decline_full_name("Петрова", "Анна", "Сергеевна", "f", "ablative")


def test_gender_choice_of_the_people_model_is_accepted():
    from nastavnik.people.models import Gender

    assert decline_full_name("Петрова", "Анна", "", Gender.FEMALE, D) == "Петровой Анне"


# --- Initials --------------------------------------------------------------------------------


def test_initials():
    assert initials_name("Петрова", "Анна", "Сергеевна") == "Петрова А. С."
    assert initials_name("Смит", "Джон", "") == "Смит Д."
    assert initials_name("Смит", "Джон", None) == "Смит Д."
    assert initials_name("Иванова", "Анна-Мария", "Петровна") == "Иванова А.-М. П."


def test_declined_initials():
    assert initials_name("Петрова", "Анна", "Сергеевна", "f", D) == "Петровой А. С."
    assert initials_name("Иванов", "Иван", "Иванович", "m", I) == "Ивановым И. И."
    assert initials_name("Римский-Корсаков", "Николай", "Андреевич", "m", G) == (
        "Римского-Корсакова Н. А."
    )
    assert initials_name("Шевчук", "Ирина", "Петровна", "f", D) == "Шевчук И. П."


def test_declined_initials_need_a_gender():
    with pytest.raises(ValueError, match="gender"):
        initials_name("Петрова", "Анна", "Сергеевна", case=D)


def test_signature_name():
    assert signature_name("Петрова", "Анна", "Сергеевна") == "А. С. Петрова"
    assert signature_name("Смит", "Джон") == "Д. Смит"


# --- Dates -----------------------------------------------------------------------------------

MONTHS = list(enumerate(MONTHS_GENITIVE, start=1))
LONG_MONTHS = [(m, name) for m, name in MONTHS if m in (1, 3, 5, 7, 8, 10, 12)]


def test_month_names():
    assert MONTHS_GENITIVE == (
        "января", "февраля", "марта", "апреля", "мая", "июня",
        "июля", "августа", "сентября", "октября", "ноября", "декабря",
    )  # fmt: skip


@pytest.mark.parametrize(("month", "name"), MONTHS)
def test_first_of_every_month(month, name):
    d = date(2023, month, 1)
    assert format_date(d) == f"1 {name} 2023 г."
    assert format_date_short(d) == f"01.{month:02d}.2023"
    assert format_date_quoted(d) == f"«01» {name} 2023 г."


@pytest.mark.parametrize(("month", "name"), LONG_MONTHS)
def test_thirty_first(month, name):
    d = date(2023, month, 31)
    assert format_date(d) == f"31 {name} 2023 г."
    assert format_date_short(d) == f"31.{month:02d}.2023"
    assert format_date_quoted(d) == f"«31» {name} 2023 г."


def test_the_example_of_the_design():
    assert format_date(date(2023, 1, 17)) == "17 января 2023 г."
    assert format_date_short(date(2023, 1, 17)) == "17.01.2023"
    assert format_date_quoted(date(2023, 1, 17)) == "«17» января 2023 г."


def test_leap_day():
    d = date(2024, 2, 29)
    assert format_date(d) == "29 февраля 2024 г."
    assert format_date_short(d) == "29.02.2024"
    assert format_date_quoted(d) == "«29» февраля 2024 г."


def test_aware_datetime_is_read_in_the_active_time_zone():
    moment = datetime(2023, 1, 16, 22, 30, tzinfo=UTC)  # 01:30 on the 17th in Moscow
    with timezone.override("Europe/Moscow"):
        assert format_date(moment) == "17 января 2023 г."
    with timezone.override("UTC"):
        assert format_date(moment) == "16 января 2023 г."


def test_naive_datetime_and_non_dates_are_refused():
    with pytest.raises(ValueError, match="naive"):
        format_date(datetime(2023, 1, 17, 12, 0))
    with pytest.raises(TypeError):
        format_date("2023-01-17")


# --- Plurals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 наставников"),
        (1, "1 наставник"),
        (2, "2 наставника"),
        (4, "4 наставника"),
        (5, "5 наставников"),
        (11, "11 наставников"),
        (12, "12 наставников"),
        (14, "14 наставников"),
        (21, "21 наставник"),
        (22, "22 наставника"),
        (25, "25 наставников"),
        (101, "101 наставник"),
        (111, "111 наставников"),
        (112, "112 наставников"),
        (1001, "1001 наставник"),
    ],
)
def test_pluralize(n, expected):
    assert pluralize(n, "наставник", "наставника", "наставников") == expected


def test_plural_form_of_a_negative_count_follows_its_absolute_value():
    assert plural_form(-2, "пара", "пары", "пар") == "пары"


def test_pluralize_wants_a_whole_number():
    with pytest.raises(TypeError):
        pluralize(1.5, "час", "часа", "часов")
    with pytest.raises(TypeError):
        pluralize(True, "час", "часа", "часов")


# --- Positions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "case", "expected"),
    [
        ("учитель математики", A, "учителя математики"),
        ("учитель математики", I, "учителем математики"),
        ("социальный педагог", A, "социального педагога"),
        ("социальный педагог", I, "социальным педагогом"),
        ("старшая вожатая", A, "старшую вожатую"),
        ("старший вожатый", D, "старшему вожатому"),
        ("заместитель директора по УВР", D, "заместителю директора по УВР"),
        ("педагог-психолог", G, "педагога-психолога"),
        ("Учитель начальных классов", P, "Учителе начальных классов"),
        ("обучающийся 8 класса", I, "обучающимся 8 класса"),
        ("учитель математики", N, "учитель математики"),
        ("", D, ""),
        # Not a phrase it can analyse: left as it is.
        ("IT-specialist", D, "IT-specialist"),
    ],
)
def test_decline_phrase(phrase, case, expected):
    assert decline_phrase(phrase, case) == expected


@pytest.mark.parametrize(
    ("text", "typeset"),
    [
        ("МАОУ СШ № 5", "МАОУ СШ №\u00a05"),
        ("от 25 декабря 2019 г. № Р-145", "от 25 декабря 2019\u00a0г. №\u00a0Р-145"),
        ("в 2025–2026 гг.", "в 2025–2026\u00a0гг."),
        ("ст. 9, п. 2.8", "ст.\u00a09, п.\u00a02.8"),
        ("А. С. Петрова", "А.\u00a0С.\u00a0Петрова"),
        ("Петровой А. С.:", "Петровой\u00a0А.\u00a0С.:"),
        ("г. Первоуральск", "г.\u00a0Первоуральск"),
        # Nothing to hold together: full names and ordinary words break as usual.
        ("Иванов Иван Иванович", "Иванов Иван Иванович"),
        ("в городе 5 школ", "в городе 5 школ"),
    ],
)
def test_typography_holds_together_what_must_not_break(text, typeset):
    assert typography(text) == typeset
