"""Tables from uploaded files: a CSV or an XLSX file read as rows of cells.

Nothing here knows about people. A file is judged by its content (its first bytes), and its
extension must agree, so a picture renamed «список.xlsx» is refused with a message that says
what the file really is. Text is decoded strictly: UTF-8 (with or without a BOM) or
Windows-1251, never a guess that turns names into mojibake.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

Cell = str | int | float | date | datetime | time | None
Row = tuple[int, list[Cell]]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A school has up to a few thousand people; a bigger file is a mistake or several schools,
# and reading it whole would take the server's memory.
DEFAULT_MAX_ROWS = 50_000
CSV_EXTENSIONS = frozenset({"csv", "txt", "tsv"})
XLSX_EXTENSIONS = frozenset({"xlsx", "xlsm"})
# On a tie the first wins: Russian Excel saves CSV with ';'.
DELIMITERS = (";", "\t", ",")
SNIFF_LINES = 50
# How many lines a message about mixed encodings lists.
LINES_SHOWN = 5

TABLE_MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _(
        "The file is %(size)s; files of up to %(limit)s are accepted. Split the list into "
        "several files."
    ),
    "extension": _("Upload the list as a CSV or XLSX file; «%(name)s» is neither."),
    "mismatch": _(
        "«%(name)s» is named as %(claimed)s but is %(actual)s. Save the list as XLSX or CSV and "
        "upload it again."
    ),
    "old_format": _(
        "«%(name)s» is %(actual)s. Open it in Excel or LibreOffice, save it as XLSX and upload "
        "it again."
    ),
    "broken_xlsx": _(
        "The workbook cannot be read: it is damaged. Open it in Excel, save it again as XLSX "
        "and upload it again."
    ),
    "no_sheet": _("The workbook has no visible sheet."),
    "mixed_encoding": _(
        "The file mixes two encodings: lines %(lines)s are not in the encoding of the rest of "
        "the file. Save the whole file again in one encoding (UTF-8 is best) and upload it "
        "again."
    ),
    "undecodable": _(
        "The file is neither UTF-8 nor Windows-1251 text. Save it again as CSV in UTF-8 and "
        "upload it again."
    ),
    "bad_csv": _(
        "Line %(line)s cannot be read: a quotation mark is probably not closed. Correct the "
        "line and upload the file again."
    ),
    "no_rows": _("The file has no rows with data."),
    "too_many_rows": _(
        "The file has more than %(max)s rows; split it into several files of up to %(max)s "
        "rows each."
    ),
}

CONTENT_NAMES: dict[str, Promise] = {
    "xlsx": _("an Excel workbook (XLSX)"),
    "text": _("a text (CSV) file"),
    "ole": _("an old Excel workbook (XLS) or a workbook protected with a password"),
    "ods": _("an OpenDocument spreadsheet (ODS)"),
    "docx": _("a Word document"),
    "zip": _("a ZIP archive"),
    "pdf": _("a PDF document"),
    "image": _("an image"),
    "binary": _("not a text file"),
}

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"BM", "image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"Rar!", "binary"),
    (b"7z\xbc\xaf\x27\x1c", "binary"),
    (b"\x1f\x8b", "binary"),
)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def max_file_bytes() -> int:
    return int(getattr(settings, "PEOPLE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_size(size: int) -> None:
    limit = max_file_bytes()
    if size <= 0:
        raise ValidationError(TABLE_MESSAGES["empty"], code="empty")
    if size > limit:
        raise ValidationError(
            TABLE_MESSAGES["too_large"],
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _is_utf16(data: bytes) -> bool:
    # «юя» in Windows-1251 are the bytes of a UTF-16 BOM; UTF-16 separators and line ends
    # always carry a zero byte, Windows-1251 text never does.
    return data.startswith(_UTF16_BOMS) and b"\x00" in data[:4096]


def content_kind(data: bytes) -> str:
    """What the bytes are, whatever the name says: a key of CONTENT_NAMES."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "word/document.xml" in names:
                    return "docx"
                if "mimetype" in names and b"spreadsheet" in archive.read("mimetype"):
                    return "ods"
        except zipfile.BadZipFile:
            return "zip"
        return "zip"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if _is_utf16(data):
        return "text"
    # Text has no NUL bytes (UTF-16 without a BOM is not something spreadsheets write).
    return "binary" if b"\x00" in data[:65536] else "text"


_CYRILLIC = re.compile("[А-Яа-яЁё]")
# What Russian text in Windows-1251 holds besides letters: quotes, dashes, the numero sign.
_CP1251_PUNCTUATION = set("«»—–№…„“”‘’ ")


def _reads_better_as_cp1251(utf8_text: str, body: bytes) -> bool:
    """Short Windows-1251 text can be valid UTF-8 by chance («ВЁ» is the bytes of «¨»): such
    a reading has no Cyrillic at all, while the Windows-1251 one is nothing but Russian."""
    if utf8_text.isascii() or _CYRILLIC.search(utf8_text):
        return False
    try:
        text = body.decode("cp1251")
    except UnicodeDecodeError:
        return False
    extra = {c for c in text if not c.isascii()}
    return all(_CYRILLIC.match(c) or c in _CP1251_PUNCTUATION for c in extra)


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding; ValidationError when it is neither encoding."""
    if _is_utf16(data):
        # Excel's «Unicode text»: tab-separated UTF-16 with a BOM.
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ValidationError(TABLE_MESSAGES["undecodable"], code="undecodable") from None
    body, encoding = data, "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        body, encoding = data[len(codecs.BOM_UTF8) :], "utf-8-sig"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if encoding == "utf-8" and _reads_better_as_cp1251(text, body):
            return body.decode("cp1251"), "cp1251"
        return text, encoding
    # Some lines are UTF-8 and others are not: a file pasted together from two sources.
    utf8_lines: list[int] = []
    other_lines: list[int] = []
    for number, line in enumerate(body.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other_lines.append(number)
        else:
            utf8_lines.append(number)
    if utf8_lines and other_lines:
        odd = other_lines if len(other_lines) <= len(utf8_lines) else utf8_lines
        shown = ", ".join(str(n) for n in odd[:LINES_SHOWN])
        if len(odd) > LINES_SHOWN:
            shown += "…"
        raise ValidationError(
            TABLE_MESSAGES["mixed_encoding"], code="mixed_encoding", params={"lines": shown}
        )
    try:
        return body.decode("cp1251"), "cp1251"
    except UnicodeDecodeError:
        raise ValidationError(TABLE_MESSAGES["undecodable"], code="undecodable") from None


def sniff_delimiter(text: str) -> str:
    """The separator that splits the most lines into the same number (above one) of cells.

    Title lines above the header have one cell, and a comma inside «Математика, физика» splits
    only some lines, so the most common width wins rather than the most separators.
    """
    lines = [line for line in text.splitlines()[: SNIFF_LINES * 2] if line.strip()][:SNIFF_LINES]
    best, best_score = DELIMITERS[0], (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = Counter(
                len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) > 1
            )
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = widths.most_common(1)[0]
        score = (count, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _clean(value: Cell) -> Cell:
    if isinstance(value, str):
        value = value.replace("\xa0", " ").strip()
        return value or None
    return value


def _trimmed(cells: list[Cell]) -> list[Cell]:
    while cells and cells[-1] is None:
        cells.pop()
    return cells


@dataclass
class Table:
    """A readable table; `rows()` may be called more than once."""

    format: str  # "csv" or "xlsx"
    data: bytes = field(repr=False)
    encoding: str = ""
    delimiter: str = ""
    text: str = field(default="", repr=False)

    def rows(self) -> Iterator[Row]:
        """(line number as the curator sees it, cells) for every row, empty ones included."""
        if self.format == "xlsx":
            yield from self._xlsx_rows()
        else:
            yield from self._csv_rows()

    def _csv_rows(self) -> Iterator[Row]:
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        line = 1
        try:
            for cells in reader:
                yield line, _trimmed([_clean(cell) for cell in cells])
                line = reader.line_num + 1
        except csv.Error:
            raise ValidationError(
                TABLE_MESSAGES["bad_csv"], code="bad_csv", params={"line": line}
            ) from None

    def _xlsx_rows(self) -> Iterator[Row]:
        workbook = _open_workbook(self.data)
        try:
            sheet = next((s for s in workbook.worksheets if s.sheet_state == "visible"), None)
            if sheet is None:
                raise ValidationError(TABLE_MESSAGES["no_sheet"], code="no_sheet")
            # Some programs write a wrong sheet size, which would cut columns off.
            sheet.reset_dimensions()
            # Empty rows are given too, so the count is the row number Excel shows.
            for line, cells in enumerate(sheet.iter_rows(values_only=True), 1):
                yield line, _trimmed([_clean(cell) for cell in cells])
        finally:
            workbook.close()


def _open_workbook(data: bytes) -> Any:  # openpyxl has no type for a read-only workbook
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises anything from KeyError to XML errors
        raise ValidationError(TABLE_MESSAGES["broken_xlsx"], code="broken_xlsx") from error


def open_table(data: bytes, name: str, *, encoding: str = "", delimiter: str = "") -> Table:
    """A table read from `data` (the file named `name`), or ValidationError saying why not.

    `encoding` and `delimiter` repeat what an earlier call found, so a stored file is read
    the same way every time.
    """
    check_size(len(data))
    extension = _extension(name)
    actual = content_kind(data)
    if extension in XLSX_EXTENSIONS:
        if actual != "xlsx":
            raise _mismatch(name, "xlsx", actual)
        return Table("xlsx", data)
    if extension in CSV_EXTENSIONS:
        if actual != "text":
            raise _mismatch(name, "text", actual)
        if encoding:
            text = data.decode(encoding)
        else:
            text, encoding = decode_text(data)
        return Table("csv", data, encoding, delimiter or sniff_delimiter(text), text)
    if extension in ("xls", "ods"):
        raise ValidationError(
            TABLE_MESSAGES["old_format"],
            code="old_format",
            params={"name": name, "actual": CONTENT_NAMES[actual]},
        )
    raise ValidationError(TABLE_MESSAGES["extension"], code="extension", params={"name": name})


def _mismatch(name: str, claimed: str, actual: str) -> ValidationError:
    return ValidationError(
        TABLE_MESSAGES["mismatch"],
        code="mismatch",
        params={"name": name, "claimed": CONTENT_NAMES[claimed], "actual": CONTENT_NAMES[actual]},
    )


def is_blank(cells: list[Cell]) -> bool:
    return not cells or all(cell is None for cell in cells)


_SPACES = re.compile(r"\s+")


def cell_text(value: Cell) -> str:
    """A cell as text: whole numbers without '.0' (phones typed as numbers), dates as dd.mm.yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return _SPACES.sub(" ", str(value)).strip()


def max_rows() -> int:
    return int(getattr(settings, "PEOPLE_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def read_rows(table: Table) -> list[Row]:
    """Every row with data, read once; ValidationError when there are too many."""
    limit = max_rows()
    rows = []
    for line, cells in table.rows():
        if is_blank(cells):
            continue
        rows.append((line, cells))
        # The header row comes on top of the rows of people.
        if len(rows) > limit + 1:
            raise ValidationError(
                TABLE_MESSAGES["too_many_rows"], code="too_many_rows", params={"max": limit}
            )
    return rows


# Rows are stored once read, so the later steps (in other requests or in the worker) neither
# parse the workbook again nor guess the encoding again. One JSON list per line:
# [line, cells], a date as {"d": "2012-09-05"}.


def _stored_cell(cell: Cell) -> Any:
    if isinstance(cell, datetime):
        cell = cell.date()
    if isinstance(cell, date):
        return {"d": cell.isoformat()}
    if isinstance(cell, time):
        return cell.isoformat()
    return cell


def _read_cell(value: Any) -> Cell:
    if isinstance(value, dict):
        return date.fromisoformat(value["d"])
    return value


def dump_rows(rows: list[Row]) -> bytes:
    return "\n".join(
        json.dumps([line, [_stored_cell(c) for c in cells]], ensure_ascii=False)
        for line, cells in rows
    ).encode()


def load_rows(data: bytes) -> Iterator[Row]:
    for text in data.decode().splitlines():
        line, cells = json.loads(text)
        yield line, [_read_cell(c) for c in cells]
