"""A property-based fuzz of the people import: whatever the file, a clear message or rows.

Thousands of generated files go straight to the readers (fast): text in every encoding a
school might have (and some it should not), separators and quotes in the wrong places, NULs
and BOMs, workbooks written XML and all with cells of every type and reference, then
truncated, bit-flipped and padded. A few hundred go through the pages with the test client:
upload, columns, preview. The only outcomes allowed are rows (at most the columns read) or a
ValidationError with a message; anything else is a failure hypothesis shrinks to its smallest
file. Each failure found becomes a plain test in `test_import_hostile.py`.

The profile is derandomized: CI replays the same files every run, so a red build reproduces.
Run with `-s` to see how many files each property read.

NASTAVNIK_IMPORT_FUZZ_SHARE is the share of the full fuzz (10,200 files) that runs. The default,
0.2, is a sample for `make test` (2,040 files); CI's SQLite step sets 1.
"""

from __future__ import annotations

import codecs
import io
import os
from collections import Counter
from datetime import datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from nastavnik.people.models import ImportJob, ImportStatus, Person
from nastavnik.people.tests.importing import (
    SHEET_END,
    SHEET_START,
    columns_data,
    csv_bytes,
    text_cell,
    upload,
    xlsx_bytes,
    xlsx_from_xml,
    xml_text,
)
from nastavnik.people.transfer import tables
from nastavnik.people.transfer.columns import IMPORT_KINDS, find_header
from nastavnik.people.transfer.tables import (
    DEFAULT_MAX_COLUMNS,
    dump_rows,
    load_rows,
    open_table,
    read_rows,
)

pytestmark = pytest.mark.slow

settings.register_profile(
    "import-fuzz",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
FUZZ = settings.get_profile("import-fuzz")

# Files read per property, shown at the end of the module and checked by the last test.
FILES: Counter[str] = Counter()
# The properties and the files each reads in the full fuzz: more than 10,000 in all.
FULL_QUOTA = {
    "csv": 5200,
    "text": 800,
    "sheet": 2000,
    "xlsx": 400,
    "workbook": 200,
    "mutated": 1400,
    "pages": 200,
}
SHARE = float(os.environ.get("NASTAVNIK_IMPORT_FUZZ_SHARE", "0.2"))
QUOTA = {name: max(1, round(files * SHARE)) for name, files in FULL_QUOTA.items()}


# Files


# Pieces of cells: drawn from lists rather than letter by letter, so a file costs hypothesis
# little to make and the fuzz reads thousands in a minute.
TOKENS = [
    "",
    " ",
    "Иванов Пётр Сергеевич",
    "Смирнова Алёна",
    "7А",
    "11 «Б»",
    "05.09.2012",
    "2012-09-05",
    "м",
    "ж",
    "ФИО",
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Класс",
    "Пол",
    "Телефон",
    "+7 916 123-45-67",
    ";",
    ",",
    "\t",
    '"',
    "'",
    "\r",
    "\n",
    "\r\n",
    "\x00",
    "\ufeff",
    "\xa0",
    "«»",
    "№",
    "—",
    "=1+1",
    "@SUM(A1)",
    "<b>",
    "&amp;",
    "%s",
    "%(x)s",
    "x" * 300,
    "ё" * 40,
    "\U0001f600",
    "\u202e",
    "\ud800",
    "\x85",
    "\u2028",
]
cell_texts = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=3).map("".join),
    st.text(max_size=6),
)
rows_of_cells = st.lists(st.lists(cell_texts, max_size=6), max_size=6)
NAMES = st.sampled_from(
    [
        "список.csv",
        "СПИСОК.CSV",
        "list.txt",
        "../../etc/passwd.csv",
        "a" * 300 + ".csv",
        "список.tsv",
        "с п и с о к .csv",
        "<script>alert(1)</script>.csv",
        "\u202etxt.csv",
        ".csv",
        "csv",
        "список.xlsx",
        "список.xls",
        "список.ods",
        "список.csv.exe",
        "%00.csv",
        "con.csv",
    ]
)
XLSX_NAMES = st.sampled_from(
    ["список.xlsx", "СПИСОК.XLSM", "../x.xlsx", "<b>.xlsx", "a" * 300 + ".xlsx", "x.csv"]
)


def encoded(text: str, encoding: str) -> bytes:
    if encoding == "cp1251":
        return text.encode("cp1251", errors="replace")
    if encoding == "raw-bom":
        return codecs.BOM_UTF8 + codecs.BOM_UTF8 + text.encode(errors="surrogatepass")
    return text.encode(encoding, errors="surrogatepass")


SEPARATORS = [";", ";", ",", "\t", "|", "\r\n", "\r\n", "\n", "\r", '"', '""']


@st.composite
def text_files(draw: st.DrawFn) -> bytes:
    """Text as any program might save it: cells, separators, quotes and line ends in any
    order (one flat draw, cheap to make), in any encoding a school's computer has."""
    pieces = draw(st.lists(st.sampled_from(TOKENS + SEPARATORS * 3), max_size=80))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1251", "utf-16", "raw-bom"]))
    return encoded("".join(pieces), encoding)


@st.composite
def written_csv(draw: st.DrawFn) -> bytes:
    """A list written by the csv module (quoted properly), in an accepted encoding."""
    # NULs and lone surrogates are what the csv module and UTF-8 cannot write.
    rows = [
        [cell.replace("\x00", "").replace("\ud800", "") for cell in row]
        for row in draw(rows_of_cells)
    ]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1251", "utf-16"]))
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    try:
        return csv_bytes(rows, encoding=encoding, delimiter=delimiter)
    except UnicodeEncodeError:  # no such letter in Windows-1251
        return csv_bytes(rows, encoding="utf-8", delimiter=delimiter)


REFERENCES = st.builds(
    lambda column, row: f"{column}{row}",
    st.sampled_from(["A", "B", "C", "Z", "AA", "GR", "GS", "XFD", "XFE", "", "1", "a", "Я"]),
    st.sampled_from(["1", "2", "3", "0", "-1", "1048576", "1048577", "", "A", "99999999"]),
)
VALUES = st.sampled_from(
    [
        "0",
        "1",
        "41157",
        "41157.5",
        "-1",
        "1e308",
        "1e999",
        "-1e999",
        "NaN",
        "nan.0",
        "inf",
        "2012-09-05",
        "2012-13-45",
        "2012-09-05T10:00:00Z",
        "10:30:00",
        "9" * 30,
        "9" * 5000,
        "",
        " ",
        "true",
        "2",
        "#N/A",
        "Иванов Пётр Сергеевич",
        "&lt;b&gt;",
    ]
)
CELL_TYPES = st.sampled_from(
    ["inline", "inline", "s", "n", "n", "d", "b", "str", "e", "date", "duration", "x", ""]
)


@st.composite
def cells_xml(draw: st.DrawFn, row: int) -> str:
    cells = []
    for index in range(draw(st.integers(0, 5))):
        kind = draw(CELL_TYPES)
        reference = draw(st.one_of(st.just(f"{'ABCDEFG'[index]}{row}"), REFERENCES))
        attribute = f' r="{reference}"' if draw(st.integers(0, 4)) else ""
        value = xml_text(draw(VALUES))
        if kind == "inline":
            text = valid_xml(draw(cell_texts))
            cells.append(f'<c{attribute} t="inlineStr"><is><t>{xml_text(text)}</t></is></c>')
        elif kind == "date":  # a number in a date style
            cells.append(f'<c{attribute} s="1"><v>{value}</v></c>')
        elif kind == "duration":  # a style no workbook here has
            cells.append(f'<c{attribute} s="7"><v>{value}</v></c>')
        else:
            cells.append(f'<c{attribute} t="{kind}"><v>{value}</v></c>')
    return "".join(cells)


def valid_xml(text: str) -> str:
    """Without the characters XML 1.0 cannot hold at all (the parser refuses those anyway)."""
    return "".join(
        c for c in text if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
    )


ROW_ATTRIBUTES = st.sampled_from(["", ' r="x"', ' r="1.0"', ' r="0"', ' r="2000000"', ' r=""'])


@st.composite
def sheets(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """The rows of a sheet as XML, and its shared strings: cells of every type, some
    references wrong, some shared strings missing, rows out of order, a stray cell far right
    now and then, an element where none belongs."""
    rows = []
    number = 0
    for _ in range(draw(st.integers(0, 8))):
        number = draw(st.sampled_from([number + 1, number + 1, number + 3, 1, 30]))
        odd = draw(st.integers(0, 9))
        attribute = draw(ROW_ATTRIBUTES) if odd == 1 else f' r="{number}"'
        cells = draw(cells_xml(number))
        if odd == 2:
            cells += f'<c r="XFD{number}" t="inlineStr"><is><t>.</t></is></c>'
        elif odd == 3:
            cells += "<x><c><v>1</v></c></x>"
        elif odd == 4:
            cells += (
                f'<c r="A{number}" t="inlineStr"><is><r><t>a</t></r><rPh><t>b</t></rPh></is></c>'
            )
        rows.append(f"<row{attribute}>{cells}</row>")
    shared = [valid_xml(text) for text in draw(st.lists(cell_texts, max_size=4))]
    return rows, shared


class SheetXml:
    """A sheet of the reference workbook whose XML is the one given: the reader's input."""

    def __init__(self, rows: list[str], shared: list[str]) -> None:
        self._shared_strings = shared
        self.xml = (SHEET_START + "".join(rows) + SHEET_END).encode()

    def _get_source(self) -> io.BytesIO:
        return io.BytesIO(self.xml)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[bytes, str]:
    """A good file, damaged: cut short, bits flipped, bytes inserted, or doubled."""
    rows = [["ФИО", "Дата рождения", "Класс"], ["Иванов Пётр Сергеевич", "05.09.2012", "7А"]]
    base, name = draw(
        st.sampled_from(
            [
                (csv_bytes(rows), "список.csv"),
                (csv_bytes(rows, encoding="cp1251"), "список.csv"),
                (csv_bytes(rows, encoding="utf-16"), "список.csv"),
                (GOOD_XLSX, "список.xlsx"),
                (GOOD_XML_XLSX, "список.xlsx"),
            ]
        )
    )
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["cut", "flip", "insert", "double", "zero"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if how == "cut":
            del data[at:]
        elif how == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif how == "double":
            data += data[at:]
        elif how == "zero":
            data[at : at + 16] = bytes(16)
    return bytes(data), name


GOOD_XLSX = xlsx_bytes(
    [["ФИО", "Дата рождения", "Класс"], ["Иванов Пётр Сергеевич", "05.09.2012", "7А"]]
)
GOOD_XML_XLSX = xlsx_from_xml(
    '<row r="1">' + text_cell("A1", "ФИО") + '</row><row r="2"><c r="A2" t="s"><v>0</v></c></row>',
    shared=["Иванов Пётр Сергеевич"],
)
# Its date styles and epoch are what the sheets above are read with.
REFERENCE_BOOK = load_workbook(io.BytesIO(GOOD_XML_XLSX), read_only=True, data_only=True)


# The property


def stored(rows: list) -> list:
    """The rows as storing gives them back: date cells as dates, times as their text."""

    def cell_stored(cell: object) -> object:
        if isinstance(cell, datetime):
            return cell.date()
        return cell.isoformat() if isinstance(cell, time) else cell

    return [(line, [cell_stored(cell) for cell in cells]) for line, cells in rows]


def read_as_the_import_does(data: bytes, name: str) -> None:
    """Rows, at most the columns read, that survive storing; or a ValidationError in words."""
    try:
        table = open_table(data, name)
        rows = read_rows(table)
    except ValidationError as error:
        assert error.messages
        assert all(isinstance(text, str) and text.strip() for text in error.messages)
        return
    assert all(len(cells) <= DEFAULT_MAX_COLUMNS for _line, cells in rows)
    assert all(not cells or cells[-1] is not None for _line, cells in rows)
    assert list(load_rows(dump_rows(rows))) == stored(rows)
    if rows:
        for kind in IMPORT_KINDS:
            try:
                find_header(rows[:30], kind)
            except ValidationError as error:
                assert error.messages


@settings(FUZZ, max_examples=QUOTA["csv"])
@given(data=text_files(), name=NAMES)
def test_any_text_file_is_rows_or_a_message(data, name):
    FILES["csv"] += 1
    read_as_the_import_does(data, name)


@settings(FUZZ, max_examples=QUOTA["text"])
@given(data=written_csv())
def test_any_list_written_as_csv_is_rows_or_a_message(data):
    FILES["text"] += 1
    read_as_the_import_does(data, "список.csv")


@settings(FUZZ, max_examples=QUOTA["sheet"])
@given(sheet=sheets())
def test_any_sheet_is_rows_or_a_message_naming_its_row(sheet):
    FILES["sheet"] += 1
    cut: list[tuple[int, str]] = []
    try:
        rows = list(
            tables._sheet_rows(REFERENCE_BOOK, SheetXml(*sheet), DEFAULT_MAX_COLUMNS, cut.append)
        )
    except ValidationError as error:
        assert error.messages
        return
    assert all(len(cells) <= DEFAULT_MAX_COLUMNS for _line, cells in rows)
    assert list(load_rows(dump_rows(rows))) == stored(rows)


@settings(FUZZ, max_examples=QUOTA["xlsx"])
@given(sheet=sheets(), name=XLSX_NAMES)
def test_any_workbook_is_rows_or_a_message(sheet, name):
    FILES["xlsx"] += 1
    rows, shared = sheet
    read_as_the_import_does(xlsx_from_xml(rows, shared=shared), name)


@settings(FUZZ, max_examples=QUOTA["workbook"])
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                cell_texts.map(valid_xml), st.integers(-(2**40), 2**40), st.floats(allow_nan=False)
            ),
            max_size=8,
        ),
        max_size=10,
    )
)
def test_any_workbook_openpyxl_writes_is_rows_or_a_message(rows):
    FILES["workbook"] += 1
    try:
        data = xlsx_bytes(rows)
    except Exception:  # openpyxl refuses some characters: that file cannot exist
        return
    read_as_the_import_does(data, "список.xlsx")


@settings(FUZZ, max_examples=QUOTA["mutated"])
@given(file=mutated())
def test_any_damaged_file_is_rows_or_a_message(file):
    FILES["mutated"] += 1
    read_as_the_import_does(*file)


# Through the pages


pages_files = st.one_of(
    st.tuples(text_files(), NAMES),
    st.tuples(written_csv(), st.just("список.csv")),
    st.tuples(sheets().map(lambda sheet: xlsx_from_xml(sheet[0], shared=sheet[1])), XLSX_NAMES),
    mutated(),
)


@pytest.mark.django_db
@settings(FUZZ, max_examples=QUOTA["pages"])
@given(file=pages_files, kind=st.sampled_from(IMPORT_KINDS))
def test_any_file_through_the_pages_is_a_page_never_a_server_error(curator_client, file, kind):
    FILES["pages"] += 1
    data, name = file
    ImportJob.objects.all().delete()

    response = upload(curator_client, SimpleUploadedFile(name, data), kind)

    if response.status_code == 200:  # refused: the form says why, nothing is kept
        assert response.context["form"].errors
        assert not ImportJob.objects.exists()
        return
    assert response.status_code == 302
    columns = curator_client.get(response["Location"])
    assert columns.status_code == 200
    checked = curator_client.post(columns.request["PATH_INFO"], columns_data(columns))
    assert checked.status_code in (200, 302)
    job = ImportJob.objects.get()
    if checked.status_code == 302:
        assert job.status in (ImportStatus.PREVIEWED, ImportStatus.FAILED)
        assert curator_client.get(checked["Location"]).status_code == 200
    assert not Person.objects.exists()


def test_the_fuzz_read_its_share_of_more_than_10000_files(request):
    """Meaningful after the properties above ran (the whole module): skipped otherwise."""
    ran = {name for name in FILES if FILES[name]}
    if ran != set(QUOTA):
        pytest.skip("only part of the fuzz ran")
    print("\nfiles read by the fuzz:", dict(FILES), "in all", sum(FILES.values()))
    assert sum(FULL_QUOTA.values()) > 10_000
    assert sum(FILES.values()) >= 10_000 * min(SHARE, 1)
