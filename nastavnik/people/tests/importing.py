"""Files and steps of the people import, for its tests: files built as schools' programs write
them, and the curator's path through the pages."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from nastavnik.people.models import ImportJob

Rows = Sequence[Sequence[Any]]


def csv_bytes(rows: Rows, *, encoding: str = "utf-8", delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def csv_upload(rows: Rows, name: str = "список.csv", **kwargs: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows, **kwargs), content_type="text/csv")


def xlsx_bytes(rows: Rows, *, date_format: str = "DD.MM.YYYY") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = date_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(rows: Rows, name: str = "список.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        xlsx_bytes(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def dmy(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def url(name: str, org: str = "school-a", **kwargs: Any) -> str:
    return reverse(f"people:{name}", kwargs={"org_slug": org, **kwargs})


def upload(client: Any, file: SimpleUploadedFile, kind: str = "student", org: str = "school-a"):
    # The category first, as the browser sends it: the file comes last.
    return client.post(url("import", org), {"kind": kind, "file": file})


def columns_data(response: Any, **overrides: Any) -> dict[str, Any]:
    """The columns form as the page shows it, submitted as is (with `overrides`)."""
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: "" if v is None else v for k, v in data.items()}
    data.update(overrides)
    return data


def start(client: Any, file: SimpleUploadedFile, kind: str = "student", **overrides: Any):
    """Upload, accept the guessed columns: the response is the preview (or the columns page
    again when the columns are refused)."""
    response = upload(client, file, kind)
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    columns = client.get(response["Location"])
    return client.post(
        columns.request["PATH_INFO"], columns_data(columns, **overrides), follow=True
    )


def last_job() -> ImportJob:
    return ImportJob.objects.order_by("-pk").first()


# Workbooks written by hand, XML and all: damaged ones as no library would write them, and
# large ones fast.

_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/></Relationships>'
    ),
    # Style 1 is a date (number format 14, dd.mm.yyyy in a Russian Excel).
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"


def xml_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_cell(reference: str, value: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{xml_text(value)}</t></is></c>'


def xml_row(number: int, cells: str) -> str:
    return f'<row r="{number}">{cells}</row>'


def xlsx_from_xml(
    rows: str | Iterable[str],
    *,
    shared: Sequence[str] = (),
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A workbook whose sheet holds `rows` (the XML of <row> elements) as given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        strings = "".join(f"<si><t>{xml_text(s)}</t></si>" for s in shared)
        archive.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{strings}</sst>",
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(SHEET_START.encode())
            for row in [rows] if isinstance(rows, str) else rows:
                sheet.write(row.encode())
            sheet.write(SHEET_END.encode())
    return buffer.getvalue()


def with_compression_method(data: bytes, part: str, method: int) -> bytes:
    """The archive with `part` marked as packed by another method (say 9, Deflate64)."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(part)
        patched[info.header_offset + 8 : info.header_offset + 10] = method.to_bytes(2, "little")
    encoded = part.encode()
    at = 0
    while (at := data.find(b"PK\x01\x02", at + 1)) != -1:
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == encoded:
            patched[at + 10 : at + 12] = method.to_bytes(2, "little")
    return bytes(patched)
