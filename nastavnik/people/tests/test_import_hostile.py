"""Hostile and damaged files, and tampered forms, in the people import: each is a clear message
and changes nothing; none is a server error, none costs memory out of proportion to its data.

Every failure the fuzz (`test_import_fuzz.py`) ever found is pinned here as a plain test.
"""

import io
import zipfile
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape

from nastavnik.people.models import ImportJob, ImportStatus, Person
from nastavnik.people.tests.data import born
from nastavnik.people.tests.importing import (
    columns_data,
    csv_bytes,
    dmy,
    last_job,
    text_cell,
    upload,
    url,
    with_compression_method,
    xlsx_from_xml,
    xml_row,
)
from nastavnik.people.transfer import tables
from nastavnik.people.transfer.forms import COLUMNS_MESSAGES
from nastavnik.people.transfer.tables import (
    TABLE_MESSAGES,
    Cut,
    dump_rows,
    load_rows,
    open_table,
    read_rows,
)

HEADER_XML = xml_row(1, text_cell("A1", "ФИО") + text_cell("B1", "Дата рождения"))
SHEET = "xl/worksheets/sheet1.xml"


def message(key, **params):
    return str(TABLE_MESSAGES[key]) % params if params else str(TABLE_MESSAGES[key])


def refusal(data, name="список.xlsx"):
    with pytest.raises(ValidationError) as caught:
        read_rows(open_table(data, name))
    return caught.value.messages


def page(response):
    return response.content.decode()


# Damaged workbooks: the reading of every row is guarded, not only the opening


@pytest.mark.parametrize(
    "row",
    [
        xml_row(2, '<c r="1A" t="inlineStr"><is><t>x</t></is></c>'),  # a bad cell reference
        xml_row(2, '<c r="A2" t="s"><v>7</v></c>'),  # no shared string number 7
        xml_row(2, '<c r="A2" t="d"><v>2012-13-45</v></c>'),  # no such date
        xml_row(2, '<c r="A2"><v>NaN</v></c>'),  # not a number in a number cell
        xml_row(2, '<c r="A2" t="b"><v>yes</v></c>'),  # not a boolean
        xml_row(2, '<c r="A2"><v>' + "9" * 5000 + "</v></c>"),  # over Python's digit limit
        '<row r="x2"><c r="A2"><v>1</v></c></row>',  # not a row number
        '<row r="2000000"><c r="A2"><v>1</v></c></row>',  # beyond Excel's last row
    ],
    ids=["reference", "shared-string", "date", "nan", "boolean", "digits", "row", "row-range"],
)
def test_a_damaged_cell_names_its_row(row):
    data = xlsx_from_xml([HEADER_XML, row], shared=["a"])

    assert refusal(data) == [message("broken_xlsx_row", line=2)]


def test_a_part_packed_by_an_unsupported_method_is_called_so():
    data = with_compression_method(
        xlsx_from_xml(HEADER_XML, compression=zipfile.ZIP_STORED), SHEET, 9
    )

    assert refusal(data) == [message("packed_xlsx")]


def test_a_workbook_whose_parts_unpack_too_far_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(tables, "MAX_SHEET_XML_BYTES", 10_000)
    rows = [xml_row(n, text_cell(f"A{n}", "Иванов Пётр")) for n in range(1, 400)]
    data = xlsx_from_xml(rows)
    size = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET).file_size

    assert refusal(data) == [message("huge_xlsx", part=SHEET, size=filesizeformat(size))]


def test_xml_nested_without_end_is_refused():
    data = xlsx_from_xml([HEADER_XML, "<row r='2'>" + "<x>" * 1000 + "</x>" * 1000 + "</row>"])

    assert refusal(data) == [message("broken_xlsx_row", line=2)]


def test_infinity_and_durations_are_read_as_text_and_stored():
    data = xlsx_from_xml([HEADER_XML, xml_row(2, '<c r="A2"><v>1e999</v></c>')])

    rows = read_rows(open_table(data, "список.xlsx"))

    assert rows[1] == (2, ["inf"])
    # A duration ([ч]:мм formats) has no place in JSON: it is kept as its text.
    assert tables._clean(timedelta(hours=5)) == "5:00:00"
    assert list(load_rows(dump_rows(rows))) == rows


def test_a_time_in_a_date_cell_is_stored_as_its_text():
    # Found by the fuzz: a day number under 1 in a date style is a time of day, not in JSON.
    data = xlsx_from_xml([HEADER_XML, xml_row(2, '<c r="A2" s="1"><v>0.5</v></c>')])

    rows = read_rows(open_table(data, "список.xlsx"))

    assert list(load_rows(dump_rows(rows)))[1] == (2, ["12:00:00"])


# Stray cells far to the right: read in proportion to the data


def stray_workbook(rows=200):
    """A list whose every row has one stray cell in column XFD, the last Excel has."""
    return xlsx_from_xml(
        [HEADER_XML]
        + [
            xml_row(n, text_cell(f"A{n}", f"Иванов Пётр {n}") + text_cell(f"XFD{n}", "."))
            for n in range(2, rows + 2)
        ]
    )


def test_cells_beyond_the_columns_read_are_noted_not_kept():
    table = open_table(stray_workbook(), "список.xlsx")

    rows = read_rows(table)

    assert max(len(cells) for _line, cells in rows) == 2
    assert table.cut == Cut(2, "XFD")


def test_a_csv_of_100000_columns_keeps_only_the_first_ones():
    data = csv_bytes([["ФИО", *(f"к{i}" for i in range(100_000))], ["Иванов Пётр"]])
    table = open_table(data, "список.csv")

    rows = read_rows(table)

    assert [len(cells) for _line, cells in rows] == [200, 1]
    assert table.cut == Cut(1, "201")


def test_a_line_of_separators_too_long_to_be_a_row_is_refused():
    data = b"\xd0\xa4\xd0\x98\xd0\x9e;\xd0\x9a\r\n" + b";a" * 600_000 + b"\r\n"

    assert refusal(data, "список.csv") == [message("long_line", line=2, max="1 000 000")]


def test_an_open_quote_that_runs_over_many_lines_is_refused_at_its_line():
    data = ('ФИО;Класс\r\nИванов;7А\r\n"Петров;' + "x;\r\n" * 400_000).encode()

    # The csv module's limit on one cell comes first, and its reason is the likely one.
    assert refusal(data, "список.csv") == [message("bad_csv", line=3)]


def test_a_zero_byte_deep_in_a_text_file_is_named():
    data = ("ФИО;Класс\r\n" + "Иванов Пётр;7А\r\n" * 5000).encode() + b"\x00;1\r\n"

    assert refusal(data, "список.csv") == [message("nul_csv", line=5002)]


def test_too_many_filled_cells_are_refused(settings):
    settings.PEOPLE_IMPORT_MAX_CELLS = 5

    data = csv_bytes([["ФИО", "Класс"], ["Иванов Пётр", "7А"], ["Петров Иван", "7Б"]])

    assert refusal(data, "список.csv") == [message("too_many_cells", max=5)]


def test_a_mimetype_part_is_not_read_whole_to_tell_the_kind():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"x" * 5_000_000)

    assert tables.content_kind(buffer.getvalue()) == "zip"


# Through the pages


def xlsx_upload_of(data, name="список.xlsx"):
    return SimpleUploadedFile(name, data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "text"),
    [
        (
            xlsx_from_xml([HEADER_XML, xml_row(2, '<c r="A2" t="s"><v>7</v></c>')]),
            message("broken_xlsx_row", line=2),
        ),
        (
            with_compression_method(
                xlsx_from_xml(HEADER_XML, compression=zipfile.ZIP_STORED), SHEET, 9
            ),
            message("packed_xlsx"),
        ),
    ],
    ids=["shared-string", "compression"],
)
def test_a_damaged_workbook_is_a_message_on_the_upload_page(curator_client, data, text):
    response = upload(curator_client, xlsx_upload_of(data))

    assert response.status_code == 200
    assert escape(text) in page(response)
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_stray_cells_in_column_xfd_import_and_say_what_was_not_read(curator_client, org):
    rows = [
        HEADER_XML,
        *(
            xml_row(
                n,
                text_cell(f"A{n}", name)
                + text_cell(f"B{n}", dmy(born(40, org)))
                + text_cell(f"XFD{n}", "x"),
            )
            for n, name in ((2, "Иванов Пётр Сергеевич"), (3, "Смирнова Алёна Игоревна"))
        ),
    ]
    response = upload(curator_client, xlsx_upload_of(xlsx_from_xml(rows)), kind="parent")

    assert response.status_code == 302
    columns = curator_client.get(response["Location"])
    [warning] = [str(m) for m in get_messages(columns.wsgi_request)]
    assert warning == str(COLUMNS_MESSAGES["cut"]) % {"max": 200, "line": 2, "column": "XFD"}
    # Two columns to choose for, not 16,384.
    assert [name for name in columns.context["form"].fields if name.startswith("col_")] == [
        "col_0",
        "col_1",
    ]
    preview = curator_client.post(columns.request["PATH_INFO"], columns_data(columns), follow=True)
    assert preview.status_code == 200
    assert last_job().status == ImportStatus.PREVIEWED


@pytest.mark.django_db
def test_a_csv_of_100000_columns_gives_a_page_that_can_be_sent(curator_client, org):
    header = ["ФИО", "Дата рождения", *(f"к{i}" for i in range(100_000))]
    data = csv_bytes([header, ["Иванов Пётр Сергеевич", dmy(born(40, org)), *"x" * 100_000]])

    response = upload(curator_client, SimpleUploadedFile("список.csv", data), kind="parent")
    columns = curator_client.get(response["Location"])

    assert len(columns.content) < 1_000_000
    assert escape(str(COLUMNS_MESSAGES["cut"]) % {"max": 200, "line": 1, "column": "201"}) in (
        page(columns)
    )
    checked = curator_client.post(columns.request["PATH_INFO"], columns_data(columns))
    assert checked.status_code == 302
    assert last_job().status == ImportStatus.PREVIEWED


@pytest.mark.django_db
def test_the_columns_step_offers_only_columns_with_a_name_or_a_value(curator_client, org):
    stray = [""] * 149 + ["x"]
    rows = [["ФИО", "Дата рождения"], ["Иванов Пётр Сергеевич", dmy(born(40, org)), *stray]]

    response = upload(curator_client, SimpleUploadedFile("список.csv", csv_bytes(rows)), "parent")
    columns = curator_client.get(response["Location"])

    assert [name for name in columns.context["form"].fields if name.startswith("col_")] == [
        "col_0",
        "col_1",
        "col_151",
    ]


# The columns step, tampered with


@pytest.fixture
def columns_page(curator_client, org):
    rows = [
        ["Список"],
        ["ФИО", "Дата рождения", "Класс"],
        ["Иванов Пётр Сергеевич", dmy(born(12, org)), "7А"],
    ]
    data = csv_bytes(rows)
    response = upload(curator_client, SimpleUploadedFile("список.csv", data))
    return curator_client.get(response["Location"])


TAMPERED = {
    "header-past-the-end": {"header_row": "999"},
    "header-huge": {"header_row": "9" * 30},
    "header-10000-digits": {"header_row": "9" * 10_000},
    "header-negative": {"header_row": "-5"},
    "header-zero": {"header_row": "0"},
    "header-superscript": {"header_row": "²"},
    "header-text": {"header_row": "x" * 10_000},
    "shown-huge": {"shown_row": "9" * 30},
    "shown-negative": {"shown_row": "-1"},
    "header-and-shown-past-the-end": {"header_row": "999", "shown_row": "999"},
    "header-and-shown-huge": {"header_row": "9" * 25, "shown_row": "9" * 25},
    "unknown-field": {"col_0": "password"},
    "long-field": {"col_0": "x" * 10_000},
    "field-twice": {"col_0": "full_name", "col_1": "full_name"},
    "reread-past-the-end": {"header_row": "999", "reread": "1"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", TAMPERED.values(), ids=TAMPERED.keys())
def test_nothing_typed_on_the_columns_step_is_a_server_error(curator_client, columns_page, tamper):
    job = last_job()
    before = (job.status, job.header_row, job.mapping)

    response = curator_client.post(
        columns_page.request["PATH_INFO"], columns_data(columns_page, **tamper)
    )

    assert response.status_code == 200
    job.refresh_from_db()
    assert (job.status, job.header_row, job.mapping) == before
    assert not Person.objects.exists()


IGNORED = {
    "unknown-column": {"col_99999": "full_name"},
    "huge-column": {"col_99999999999999999999999": "full_name"},
    "negative-column": {"col_-1": "full_name"},
    "text-column": {"col_x": "full_name", "col_": "birth_date"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", IGNORED.values(), ids=IGNORED.keys())
def test_columns_the_file_has_not_are_ignored(curator_client, columns_page, tamper):
    response = curator_client.post(
        columns_page.request["PATH_INFO"], columns_data(columns_page, **tamper)
    )

    assert response.status_code == 302
    job = last_job()
    assert job.status == ImportStatus.PREVIEWED
    assert job.mapping == {"0": "full_name", "1": "birth_date", "2": "class_name"}
    assert not Person.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["header_row", "shown_row", "col_0"])
def test_a_missing_field_on_the_columns_step_is_not_a_server_error(
    curator_client, columns_page, missing
):
    data = columns_data(columns_page)
    del data[missing]

    response = curator_client.post(columns_page.request["PATH_INFO"], data)

    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_a_header_row_past_the_end_says_the_file_has_no_such_row(curator_client, columns_page):
    response = curator_client.post(
        columns_page.request["PATH_INFO"], columns_data(columns_page, header_row="999")
    )

    assert "999" in page(response)
    assert response.context["form"]["header_row"].value() == 2


@pytest.mark.django_db
def test_a_header_row_that_cannot_be_a_row_says_what_is_expected(curator_client, columns_page):
    response = curator_client.post(
        columns_page.request["PATH_INFO"], columns_data(columns_page, header_row="9" * 10_000)
    )

    assert escape(str(COLUMNS_MESSAGES["header_row"]) % {"max": 1_048_576}) in page(response)
    assert response.context["form"]["header_row"].value() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["on", "", "x" * 10_000, "9" * 30])
def test_nothing_sent_to_the_preview_step_is_a_server_error(curator_client, columns_page, value):
    curator_client.post(columns_page.request["PATH_INFO"], columns_data(columns_page))
    job = last_job()
    assert job.status == ImportStatus.PREVIEWED

    response = curator_client.post(
        url("import_confirm", job_pk=job.pk), {"skip_invalid": value, "extra": value}
    )

    assert response.status_code == 302
    assert curator_client.get(url("import_job", job_pk=job.pk)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["import_job", "import_columns", "import_confirm", "import_discard"]
)
@pytest.mark.parametrize("pk", [99999999999999999999, 2**63, 0])
def test_an_import_number_out_of_any_range_is_not_found(curator_client, name, pk):
    address = url(name, job_pk=pk)

    assert curator_client.get(address).status_code in (404, 405)
    assert curator_client.post(address).status_code == 404
