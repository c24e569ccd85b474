"""Tables from uploaded files: a CSV or an XLSX file read as rows of cells.

Nothing here knows about people. A file is judged by its content (its first bytes), and its
extension must agree, so a picture renamed «список.xlsx» is refused with a message that says
what the file really is. Text is decoded strictly: UTF-8 (with or without a BOM) or
Windows-1251, never a guess that turns names into mojibake.

Reading is bounded: a row is read cell by cell and only its first `max_columns()` columns are
kept (a stray cell in column XFD costs one cell, not 16,384), the rows and the filled cells
are counted, a workbook's parts are checked for their unpacked size before they are opened,
and every failure while reading, wherever it happens, becomes a ValidationError that says
what is wrong with the file (and in which row).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import math
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import IO, Any
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

Cell = str | int | float | date | datetime | time | None
Row = tuple[int, list[Cell]]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A school has up to a few thousand people; a bigger file is a mistake or several schools,
# and reading it whole would take the server's memory.
DEFAULT_MAX_ROWS = 50_000
# No people list has this many columns; a row's cells beyond it are not read (a stray value
# in column XFD would otherwise make every row 16,384 cells wide).
DEFAULT_MAX_COLUMNS = 200
# Filled cells in the whole file: 50,000 rows of 40 filled columns.
DEFAULT_MAX_CELLS = 2_000_000
# One line of CSV (or a record spanning lines in quotes) longer than this is not a list row;
# it bounds what the csv module builds at once.
MAX_RECORD_CHARS = 1_000_000
# What the parts of a workbook may unpack to: the bytes of a sheet are read as they unpack,
# shared strings and the rest are read whole by openpyxl.
MAX_SHEET_XML_BYTES = 100 * 1024 * 1024
MAX_STRINGS_XML_BYTES = 32 * 1024 * 1024
MAX_OTHER_XML_BYTES = 16 * 1024 * 1024
# Elements nested deeper than this are not a spreadsheet.
MAX_XML_DEPTH = 64
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
    "broken_xlsx_row": _(
        "Row %(line)s of the workbook cannot be read: the file is damaged. Open it in Excel, "
        "save it again as XLSX and upload it again."
    ),
    "packed_xlsx": _(
        "The workbook is packed in a way that cannot be read (an unusual compression or a "
        "password). Open it in Excel, save it again as XLSX without a password and upload it "
        "again."
    ),
    "huge_xlsx": _(
        "The workbook unpacks to far more than a list of people (its part «%(part)s» is "
        "%(size)s). Copy the list alone into a new workbook and upload that."
    ),
    "nul_csv": _(
        "Line %(line)s contains a zero byte: the file is damaged or is not a text file. Save "
        "the list again as CSV and upload it again."
    ),
    "long_line": _(
        "Line %(line)s is longer than %(max)s characters: this is not a list of people, or a "
        "quotation mark is not closed. Correct the file and upload it again."
    ),
    "too_many_cells": _(
        "The file has more than %(max)s filled cells. Delete the columns the import does not "
        "need, or split the list into several files."
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
                if "mimetype" in names:
                    with archive.open("mimetype") as mimetype:
                        # A few bytes say it; the part itself may be anything.
                        if b"spreadsheet" in mimetype.read(128):
                            return "ods"
        except Exception:  # a damaged archive: BadZipFile, but also EOFError, ValueError…
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
    # Line by line as they come: a list of every line would cost more than the file.
    for number, line in enumerate(io.BytesIO(body), 1):
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
    first = itertools.islice(io.StringIO(text, newline=""), SNIFF_LINES * 2)
    lines = [line for line in first if line.strip()][:SNIFF_LINES]
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


def max_columns() -> int:
    return int(getattr(settings, "PEOPLE_IMPORT_MAX_COLUMNS", DEFAULT_MAX_COLUMNS))


def max_cells() -> int:
    return int(getattr(settings, "PEOPLE_IMPORT_MAX_CELLS", DEFAULT_MAX_CELLS))


def _clean(value: Any) -> Cell:
    """A cell as the import keeps it: text stripped (empty text is no value), numbers, dates;
    what JSON or the readers of values cannot take (infinity, durations) as its text."""
    if isinstance(value, str):
        value = value.replace("\xa0", " ").strip()
        return value or None
    if value is None or isinstance(value, bool | int | date | time):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return str(value)


def _trimmed(cells: list[Cell]) -> list[Cell]:
    while cells and cells[-1] is None:
        cells.pop()
    return cells


@dataclass(frozen=True)
class Cut:
    """The first filled cell beyond the columns read: where it is, as the curator finds it."""

    line: int
    column: str  # a letter in a workbook, a number in a text file


@dataclass
class Table:
    """A readable table; `rows()` may be called more than once."""

    format: str  # "csv" or "xlsx"
    data: bytes = field(repr=False)
    encoding: str = ""
    delimiter: str = ""
    text: str = field(default="", repr=False)
    # Set while reading: where the first cell beyond the columns read was.
    cut: Cut | None = field(default=None, init=False)

    def rows(self) -> Iterator[Row]:
        """(line number as the curator sees it, cells) for every row, empty ones included.

        At most `max_columns()` cells a row, trailing empty ones trimmed; any failure while
        reading is a ValidationError naming the file's problem.
        """
        self.cut = None
        if self.format == "xlsx":
            yield from self._xlsx_rows()
        else:
            yield from self._csv_rows()

    def _note_cut(self, line: int, column: str) -> None:
        if self.cut is None:
            self.cut = Cut(line, column)

    def _csv_rows(self) -> Iterator[Row]:
        width = max_columns()
        lines = _RecordLines(self.text)
        reader = csv.reader(lines, delimiter=self.delimiter)
        line = 1
        try:
            for fields in reader:
                if any("\x00" in cell for cell in fields):
                    # Python reads it, but no database stores it: a damaged file.
                    raise _csv_error("NUL", line)
                cells = [_clean(cell) for cell in itertools.islice(fields, width)]
                if len(fields) > width:
                    extra = next((i for i in range(width, len(fields)) if fields[i].strip()), None)
                    if extra is not None:
                        self._note_cut(line, str(extra + 1))
                del fields  # a wide record is not kept while the next one is read
                yield line, _trimmed(cells)
                line = reader.line_num + 1
                lines.record_ended()
        except ValidationError:
            raise
        except Exception as error:  # csv.Error, and whatever else reading may raise
            raise _csv_error(str(error), line) from None

    def _xlsx_rows(self) -> Iterator[Row]:
        line = 0
        try:
            workbook = _open_workbook(self.data)
            try:
                sheet = next((s for s in workbook.worksheets if s.sheet_state == "visible"), None)
                if sheet is None:
                    raise ValidationError(TABLE_MESSAGES["no_sheet"], code="no_sheet")
                for line, cells in _sheet_rows(workbook, sheet, max_columns(), self._note_cut):
                    yield line, cells
            finally:
                workbook.close()
        except ValidationError:
            raise
        except Exception as error:  # openpyxl and zipfile raise anything from KeyError on
            raise _broken_xlsx(error, line) from error


class _RecordLines:
    """The lines of a text for the csv module, refusing a record that grows too long: a line
    of 100,000 separators, or an open quotation mark that swallows the rest of the file."""

    def __init__(self, text: str) -> None:
        self.lines = iter(io.StringIO(text, newline=""))
        self.number = 0
        self.first = 1
        self.chars = 0

    def __iter__(self) -> _RecordLines:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.number += 1
        self.chars += len(line)
        if self.chars > MAX_RECORD_CHARS:
            raise ValidationError(
                TABLE_MESSAGES["long_line"],
                code="long_line",
                params={"line": self.first, "max": f"{MAX_RECORD_CHARS:,}".replace(",", " ")},
            )
        return line

    def record_ended(self) -> None:
        self.first = self.number + 1
        self.chars = 0


def _csv_error(reason: str, line: int) -> ValidationError:
    if "NUL" in reason:
        return ValidationError(TABLE_MESSAGES["nul_csv"], code="nul_csv", params={"line": line})
    # A cell over the csv module's limit is nearly always a quotation mark left open.
    return ValidationError(TABLE_MESSAGES["bad_csv"], code="bad_csv", params={"line": line})


def _broken_xlsx(error: Exception, line: int) -> ValidationError:
    if isinstance(error, NotImplementedError) or (
        type(error) is RuntimeError and "password" in str(error)
    ):
        return ValidationError(TABLE_MESSAGES["packed_xlsx"], code="packed_xlsx")
    if line:
        return ValidationError(
            TABLE_MESSAGES["broken_xlsx_row"], code="broken_xlsx", params={"line": line}
        )
    return ValidationError(TABLE_MESSAGES["broken_xlsx"], code="broken_xlsx")


def _check_parts(data: bytes) -> None:
    """Refuse a workbook whose parts unpack to far more than a list needs, before any is read.

    zipfile stops unpacking a part at the size its directory gives, so the sizes can be
    trusted. Worksheets are read as they unpack; shared strings and the rest are read whole.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        kinds = _part_kinds(archive)
        for info in archive.infolist():
            kind = kinds.get(info.filename, "")
            if kind.endswith("worksheet+xml"):
                limit = MAX_SHEET_XML_BYTES
            elif kind.endswith("sharedStrings+xml"):
                limit = MAX_STRINGS_XML_BYTES
            else:
                limit = MAX_OTHER_XML_BYTES
            if info.file_size > limit:
                raise ValidationError(
                    TABLE_MESSAGES["huge_xlsx"],
                    code="huge_xlsx",
                    params={"part": info.filename[:100], "size": filesizeformat(info.file_size)},
                )


def _part_kinds(archive: zipfile.ZipFile) -> dict[str, str]:
    """{part name: content type} from the package's list of parts."""
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > MAX_OTHER_XML_BYTES:
        return {}
    root = ElementTree.fromstring(archive.read(info))
    return {
        element.get("PartName", "").lstrip("/"): element.get("ContentType", "")
        for element in root
        if element.tag.endswith("Override")
    }


def _open_workbook(data: bytes) -> Any:  # openpyxl has no type for a read-only workbook
    try:
        _check_parts(data)
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationError:
        raise
    except Exception as error:  # openpyxl raises anything from KeyError to XML errors
        raise _broken_xlsx(error, 0) from error


_CELL = f"{{{SHEET_MAIN_NS}}}c"
_ROW = f"{{{SHEET_MAIN_NS}}}row"


def _sheet_rows(
    workbook: Any, sheet: Any, width: int, note_cut: Callable[[int, str], None]
) -> Iterator[Row]:
    """The rows of a sheet of a read-only workbook, cell by cell as the XML unpacks.

    openpyxl's own rows are padded to the last cell of the row, and a row is parsed whole
    before its first cell is given: here each cell is read and dropped as it ends, cells past
    `width` are only noted, and the XML tree never holds more than the open elements.
    openpyxl still reads each cell's value (shared strings, dates, numbers).
    """
    # The same private parts openpyxl's read-only sheet uses (openpyxl is pinned).
    parser = WorkSheetParser(
        None,
        sheet._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    position = [0]  # the row being read, for the message if it cannot be
    try:
        yield from _sheet_xml_rows(parser, sheet, width, note_cut, position)
    except ValidationError:
        raise
    except Exception as error:
        raise _broken_xlsx(error, position[0]) from error


def _sheet_xml_rows(
    parser: WorkSheetParser,
    sheet: Any,
    width: int,
    note_cut: Callable[[int, str], None],
    position: list[int],
) -> Iterator[Row]:
    stack: list[Any] = []
    in_cell = 0
    line = 0
    cells: dict[int, Cell] = {}
    with sheet._get_source() as source:
        for event, element in ElementTree.iterparse(source, events=("start", "end")):
            if event == "start":
                stack.append(element)
                if len(stack) > MAX_XML_DEPTH:
                    raise ValueError("the XML is nested too deep")
                if element.tag == _CELL:
                    in_cell += 1
                elif element.tag == _ROW and not in_cell:
                    position[0] = line + 1
                    line = position[0] = _row_number(element.get("r"), line)
                    parser.row_counter, parser.col_counter = line, 0
                    cells = {}
                continue
            stack.pop()
            if element.tag == _CELL:
                in_cell -= 1
                cell = parser.parse_cell(element)
                value = _clean(cell["value"])
                if value is not None:
                    if 0 < cell["column"] <= width:
                        cells[cell["column"] - 1] = value
                    else:
                        note_cut(line, get_column_letter(min(cell["column"], 18278)))
            elif element.tag == _ROW and not in_cell:
                row: list[Cell] = [None] * (max(cells) + 1 if cells else 0)
                for index, value in cells.items():
                    row[index] = value
                yield line, row
            if in_cell:
                continue  # the value and the text inside a cell are read with the cell
            if stack:
                # Done with: off the tree, so a sheet of any length costs one row.
                stack[-1].remove(element)


def _row_number(attribute: str | None, previous: int) -> int:
    if attribute is None:
        return previous + 1
    # Some programs write «2.0»; openpyxl takes it, and so does this.
    number = float(attribute)
    if not number.is_integer() or not 0 < number <= 1_048_576:  # Excel's last row
        raise ValueError(f"{attribute} is not a row number")
    return int(number)


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


def data_rows(table: Table) -> Iterator[Row]:
    """Every row with data, as it is read; ValidationError when there are too many rows or
    filled cells."""
    rows_limit, cells_limit = max_rows(), max_cells()
    rows = cells_filled = 0
    for line, cells in table.rows():
        if is_blank(cells):
            continue
        rows += 1
        # The header row comes on top of the rows of people.
        if rows > rows_limit + 1:
            raise ValidationError(
                TABLE_MESSAGES["too_many_rows"], code="too_many_rows", params={"max": rows_limit}
            )
        cells_filled += sum(cell is not None for cell in cells)
        if cells_filled > cells_limit:
            raise ValidationError(
                TABLE_MESSAGES["too_many_cells"],
                code="too_many_cells",
                params={"max": cells_limit},
            )
        yield line, cells


def read_rows(table: Table) -> list[Row]:
    """Every row with data, read once into memory (for small files and tests)."""
    return list(data_rows(table))


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


def write_rows(rows: Iterable[Row], out: IO[bytes]) -> None:
    for line, cells in rows:
        out.write(json.dumps([line, [_stored_cell(c) for c in cells]], ensure_ascii=False).encode())
        out.write(b"\n")


def dump_rows(rows: Iterable[Row]) -> bytes:
    out = io.BytesIO()
    write_rows(rows, out)
    return out.getvalue()


def load_rows(source: bytes | IO[bytes]) -> Iterator[Row]:
    """The stored rows, one line at a time (from bytes or from an open file)."""
    lines = io.BytesIO(source) if isinstance(source, bytes) else source
    for text in lines:
        if text.strip():
            line, cells = json.loads(text)
            yield line, [_read_cell(c) for c in cells]
