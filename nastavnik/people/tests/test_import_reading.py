"""Reading people lists: formats, encodings, separators, header rows, column names, values."""

import io
import json
import zipfile
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from nastavnik.people.models import PersonKind
from nastavnik.people.tests.importing import csv_bytes, xlsx_bytes
from nastavnik.people.transfer.columns import (
    COLUMN_NAMES,
    FIELDS_BY_KIND,
    VALUE_MESSAGES,
    Field,
    export_header,
    find_header,
    gender_from_patronymic,
    read_class,
    read_date,
    read_gender,
    read_int,
    read_relation,
    recognise,
    split_full_name,
)
from nastavnik.people.transfer.plan import Change, NewLink, NewPerson, Plan, Problem
from nastavnik.people.transfer.tables import (
    CONTENT_NAMES,
    TABLE_MESSAGES,
    decode_text,
    dump_rows,
    load_rows,
    open_table,
    read_rows,
)

ROWS = [
    ["Фамилия", "Имя", "Отчество", "Предметы"],
    ["Ёлкина", "Алёна", "Петровна", "Математика, физика"],
    ["Иванов", "Пётр", "Сергеевич", "Химия"],
]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def message(key, **params):
    return str(TABLE_MESSAGES[key]) % params if params else str(TABLE_MESSAGES[key])


def refusal(data, name):
    with pytest.raises(ValidationError) as caught:
        open_table(data, name)
    return caught.value


def cells(table):
    return [row for _line, row in table.rows() if row]


# Encodings


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1251", "cp1251"), ("utf-16", "utf-16")],
)
def test_text_in_each_accepted_encoding_reads_the_same(encoding, expected):
    table = open_table(csv_bytes(ROWS, encoding=encoding), "список.csv")

    assert table.encoding == expected
    assert cells(table) == ROWS


def test_lines_in_two_encodings_are_refused_naming_the_odd_lines():
    data = csv_bytes(ROWS[:2], encoding="utf-8") + csv_bytes(ROWS[2:], encoding="cp1251")

    error = refusal(data, "список.csv")

    assert error.messages == [message("mixed_encoding", lines="3")]


def test_a_bom_does_not_hide_lines_in_another_encoding():
    data = csv_bytes(ROWS, encoding="utf-8-sig") + "Петров;Иван\r\n".encode("cp1251")

    assert refusal(data, "список.csv").code == "mixed_encoding"


def test_text_that_is_neither_encoding_is_refused():
    # 0x98 is the one byte Windows-1251 does not define.
    data = "Фамилия;Имя\r\n".encode("cp1251") + b"\x98\x98;\xc8\r\n"

    assert refusal(data, "список.csv").messages == [message("undecodable")]


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙ -", min_size=1))
def test_cyrillic_text_decodes_back_from_both_encodings(text):
    for encoding in ("utf-8", "cp1251"):
        decoded, _found = decode_text(text.encode(encoding))
        assert decoded == text


# Separators


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_separator_is_found_despite_commas_and_titles(delimiter):
    rows = [["Список сотрудников"], [], *ROWS]

    table = open_table(csv_bytes(rows, delimiter=delimiter), "список.csv")

    assert table.delimiter == delimiter
    assert cells(table)[1:] == ROWS


def test_line_numbers_are_those_of_the_file_even_with_a_cell_on_two_lines():
    rows = [["Фамилия", "Примечание"], ["Иванов", "первая\nвторая"], ["Петров", "—"]]

    table = open_table(csv_bytes(rows), "список.csv")

    assert [line for line, _cells in table.rows()] == [1, 2, 4]


def test_an_unclosed_quote_is_reported_with_its_line():
    data = 'Фамилия;Имя\r\nИванов;Иван\r\n"Петров;Пётр\r\n'.encode() + b"x" * 200_000

    with pytest.raises(ValidationError) as caught:
        list(open_table(data, "список.csv").rows())

    assert caught.value.messages == [message("bad_csv", line=3)]


# Formats judged by content


def test_xlsx_rows_keep_their_row_numbers_and_date_cells():
    data = xlsx_bytes(
        [["Школа № 1"], [], ["Фамилия", "Дата рождения"], ["Иванов", date(2012, 9, 5)]]
    )

    table = open_table(data, "список.xlsx")

    assert [(line, row) for line, row in table.rows() if row] == [
        (1, ["Школа № 1"]),
        (3, ["Фамилия", "Дата рождения"]),
        (4, ["Иванов", datetime(2012, 9, 5)]),
    ]


@pytest.mark.parametrize(
    ("data", "name", "claimed", "actual"),
    [
        (PNG, "список.xlsx", "xlsx", "image"),
        (csv_bytes(ROWS), "список.xlsx", "xlsx", "text"),
        (xlsx_bytes(ROWS), "список.csv", "text", "xlsx"),
        (b"%PDF-1.7\n...", "список.csv", "text", "pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "список.xlsx", "xlsx", "ole"),
    ],
    ids=["png-as-xlsx", "csv-as-xlsx", "xlsx-as-csv", "pdf-as-csv", "xls-as-xlsx"],
)
def test_content_that_is_not_what_the_extension_claims_is_refused(data, name, claimed, actual):
    error = refusal(data, name)

    assert error.messages == [
        message("mismatch", name=name, claimed=CONTENT_NAMES[claimed], actual=CONTENT_NAMES[actual])
    ]


def test_a_word_document_renamed_xlsx_is_called_what_it_is():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    error = refusal(buffer.getvalue(), "список.xlsx")

    assert str(CONTENT_NAMES["docx"]) in error.messages[0]


def test_a_damaged_workbook_is_refused():
    broken = xlsx_bytes(ROWS)[:-200]
    with pytest.raises(ValidationError) as caught:
        list(open_table(broken, "список.xlsx").rows())

    assert caught.value.code in {"broken_xlsx", "mismatch"}


@pytest.mark.parametrize("name", ["список.docx", "список", "фото.png"])
def test_other_extensions_are_refused(name):
    assert refusal(PNG, name).messages == [message("extension", name=name)]


def test_an_old_excel_file_is_asked_to_be_saved_as_xlsx():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64

    assert refusal(data, "список.xls").code == "old_format"


def test_an_empty_file_is_refused():
    assert refusal(b"", "список.csv").messages == [message("empty")]


def test_rows_are_stored_and_read_back_with_their_types(settings):
    rows = [(3, ["Иванов", datetime(2012, 9, 5), 7, 79161234567, None, "7А"])]

    assert list(load_rows(dump_rows(rows))) == [
        (3, ["Иванов", date(2012, 9, 5), 7, 79161234567, None, "7А"])
    ]


def test_too_many_rows_are_refused(settings):
    settings.PEOPLE_IMPORT_MAX_ROWS = 2

    with pytest.raises(ValidationError) as caught:
        read_rows(open_table(csv_bytes([*ROWS, ["Петров", "Иван"]]), "список.csv"))

    assert caught.value.messages == [message("too_many_rows", max=2)]


# Header row and column names


def test_the_header_is_found_below_the_titles_of_an_e_journal_export():
    rows = [
        (1, ["МАОУ «Средняя школа № 1»"]),
        (2, ["Класс: 7А"]),
        (4, ["№", "ФИО", "Дата рождения", "Класс", "Пол"]),
        (5, [1, "Иванов Пётр Сергеевич", "05.09.2012", "7А", "м"]),
    ]

    header = find_header(rows, PersonKind.STUDENT)

    assert header.line == 4
    assert header.mapping == {
        1: Field.FULL_NAME,
        2: Field.BIRTH_DATE,
        3: Field.CLASS_NAME,
        4: Field.GENDER,
    }


def test_with_no_known_name_the_first_row_of_several_cells_is_the_header():
    header = find_header([(1, ["Title"]), (2, ["A", "B"]), (3, ["x", "y"])], PersonKind.STUDENT)

    assert (header.line, header.recognised) == (2, False)


@pytest.mark.parametrize(
    ("header", "kind", "expected"),
    [
        ("Дата рождения (дд.мм.гггг)", PersonKind.STUDENT, Field.BIRTH_DATE),
        ("Ф.И.О.", PersonKind.STUDENT, Field.FULL_NAME),
        ("ФИО", PersonKind.STAFF, Field.FULL_NAME),
        ("  фамилия* ", PersonKind.STUDENT, Field.LAST_NAME),
        ("Фамилия обучающегося", PersonKind.STUDENT, Field.LAST_NAME),
        ("E-mail", PersonKind.PARENT, Field.EMAIL),
        ("Эл. почта", PersonKind.STAFF, Field.EMAIL),
        ("Телефон мобильный", PersonKind.STUDENT, Field.PHONE),
        ("Телефон родителя", PersonKind.STUDENT, None),
        ("ФИО родителя", PersonKind.STUDENT, Field.GUARDIAN),
        ("ФИО родителя", PersonKind.PARENT, Field.FULL_NAME),
        ("ФИО ребёнка", PersonKind.PARENT, Field.CHILD),
        ("Класс", PersonKind.PARENT, Field.CHILD_CLASS),
        ("Стаж (лет)", PersonKind.STAFF, Field.EXPERIENCE),
        ("№ п/п", PersonKind.STUDENT, None),
    ],
)
def test_column_names_are_recognised_as_schools_write_them(header, kind, expected):
    assert recognise(header, kind) == expected


@pytest.mark.parametrize("kind", FIELDS_BY_KIND)
def test_every_exported_column_name_is_read_back_as_its_column(kind):
    for column in FIELDS_BY_KIND[kind]:
        if column in COLUMN_NAMES[kind] or column in COLUMN_NAMES[""]:
            assert recognise(export_header(column, kind), kind) == column


# Values


@pytest.mark.parametrize(
    "value",
    ["05.09.2012", "5.9.2012", "2012-09-05", "05/09/2012", "05.09.2012 г.", "2012-09-05 00:00:00"],
)
def test_dates_are_read_in_the_ways_people_write_them(value):
    assert read_date(value) == date(2012, 9, 5)


@pytest.mark.parametrize("value", [datetime(2012, 9, 5, 0, 0), date(2012, 9, 5), 41157, 41157.0])
def test_excel_date_cells_and_day_numbers_are_dates(value):
    assert read_date(value) == date(2012, 9, 5)


@pytest.mark.parametrize("value", ["31.02.2012", "05.09.12", "сентябрь", "2012", "5 сентября"])
def test_malformed_dates_are_refused_with_the_value(value):
    with pytest.raises(ValidationError) as caught:
        read_date(value)

    assert caught.value.messages == [str(VALUE_MESSAGES["date"]) % {"value": value}]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7А", (7, "А")),
        ("7 А", (7, "А")),
        ("7-А", (7, "А")),
        ("7а", (7, "А")),
        ("7 «А»", (7, "А")),
        ('7"А"', (7, "А")),
        ("7A", (7, "А")),  # a Latin A
        ("11Б класс", (11, "Б")),
        ("7", (7, "")),
        (7, (7, "")),
        ("12Я", (12, "Я")),  # read as written; the grade rule is the validators'
    ],
)
def test_classes_are_split_into_grade_and_letter(value, expected):
    assert read_class(value) == expected


@pytest.mark.parametrize("value", ["седьмой", "7АБ", "А7", 7.5])
def test_what_is_not_a_class_is_refused(value):
    with pytest.raises(ValidationError):
        read_class(value)


@pytest.mark.parametrize(
    ("patronymic", "gender"),
    [
        ("Сергеевич", "m"),
        ("Ильич", "m"),
        ("Кузьмич", "m"),
        ("Сергеевна", "f"),
        ("Ильинична", "f"),
        ("Никитична", "f"),
        ("Фоминична", "f"),
        ("Рза оглы", "m"),
        ("Али кызы", "f"),
        ("", None),
        ("Smith", None),
    ],
)
def test_gender_is_told_from_the_patronymic(patronymic, gender):
    assert gender_from_patronymic(patronymic) == gender


@pytest.mark.parametrize(
    ("value", "gender"), [("м", "m"), ("Муж.", "m"), ("мужской", "m"), ("Ж", "f"), ("жен", "f")]
)
def test_gender_words(value, gender):
    assert read_gender(value) == gender


def test_full_names_are_split_in_three_keeping_turkic_patronymics_whole():
    assert split_full_name("  Иванов   Пётр  Сергеевич ") == ("Иванов", "Пётр", "Сергеевич")
    assert split_full_name("Мамедов Али Рза оглы") == ("Мамедов", "Али", "Рза оглы")
    assert split_full_name("Смит Джон") == ("Смит", "Джон", "")
    with pytest.raises(ValidationError):
        split_full_name("Иванов")


@pytest.mark.parametrize(
    ("value", "expected"), [("15", 15), ("15 лет", 15), (15.0, 15), ("3 года", 3)]
)
def test_whole_numbers(value, expected):
    assert read_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("мать", "mother"),
        ("Папа", "father"),
        ("опекун", "guardian"),
        ("бабушка (опекун)", "guardian"),
    ],
)
def test_relations(value, expected):
    assert read_relation(value) == expected


def test_short_windows_1251_text_that_is_valid_utf8_by_chance_is_read_as_russian():
    assert decode_text("ВЁ".encode("cp1251")) == ("ВЁ", "cp1251")


def test_utf8_text_with_accented_latin_names_stays_utf8():
    assert decode_text("José;Müller".encode()) == ("José;Müller", "utf-8")


def test_a_stored_plan_reads_back_as_it_was_written():
    # The preview writes its plan a record at a time; the commit reads it whole.
    plan = Plan(kind="student", fingerprint=["a", "b"], today="2026-12-07", rows=4, skipped=1)
    plan.creates = [
        NewPerson(
            ref=-1, line=2, data={"last_name": "Ёлкина «Ъ»", "birth_date": date(2012, 2, 29)}
        ),
        NewPerson(ref=-2, line=3, data={"last_name": "O'Brien", "birth_date": None}),
    ]
    plan.updates = [
        Change(
            line=4,
            pk=7,
            name="Иванов",
            before={"grade": "5 А"},
            data={"grade": "6 А"},
            fields=["grade"],
        ),
    ]
    plan.links = [NewLink(child=-1, guardian=9, relation="mother")]
    plan.problems = [Problem(line=5, name="", messages=['кавычка " и \\ обратная черта'])]
    out = io.StringIO()
    plan.write_json(out)
    assert json.loads(out.getvalue()) == json.loads(
        json.dumps(plan.to_json(), default=lambda d: d.isoformat())
    )
    assert Plan.from_json(json.loads(out.getvalue())) == plan
