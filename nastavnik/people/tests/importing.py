"""Files and steps of the people import, for its tests: files built as schools' programs write
them, and the curator's path through the pages."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
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
