"""Filling DOCX templates, converting them to PDF and reading them back.

Templates are ordinary .docx files with Jinja placeholders (docxtpl), written by
``build_templates.py`` and kept in ``templates_docx/``. Filters available in them:

- ``date``, ``date_short``, ``date_quoted`` — «17 января 2023 г.», «17.01.2023»,
  «17» января 2023 г. (``None|date_quoted`` gives the blank «___» ________ 20___ г.);
- ``genitive``, ``dative``, ``accusative``, ``instrumental``, ``prepositional``, ``name`` —
  the full name of a person in that case; ``decline(case)`` for a case chosen by the caller;
- ``initials`` («Петрова А. С.»; ``initials('dative')`` → «Петровой А. С.») and ``signature``
  («А. С. Петрова»);
- ``gendered('ознакомлен', 'ознакомлена')`` — the word that agrees with the person;
- ``inflect(case)`` — a position or similar phrase in that case («учителя математики»);
- ``plural(one, few, many)`` — «5 наставников»; ``requisites`` — the organisation's header lines.

A person is anything with ``last_name``, ``first_name``, ``middle_name`` and ``gender``
('m'/'f'), as an attribute or a mapping key. Values are escaped, and a name a template uses but
the context lacks is an error rather than a blank in a signed document.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from nastavnik.core.grammar import by_gender

from . import russian
from .columns import fit_columns
from .russian import Case

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates_docx"

BLANK_DATE_QUOTED = "«___» ____________ 20___ г."

__all__ = [
    "BLANK_DATE_QUOTED",
    "TEMPLATES_DIR",
    "PdfConversionError",
    "PdfConverterMissing",
    "document_bytes",
    "docx_text",
    "docx_to_pdf",
    "make_environment",
    "render_document",
    "render_docx",
    "requisites",
]


# --- People and organisations as templates see them ------------------------------------------


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _person(obj: Any) -> tuple[str, str, str, str]:
    last, first = _field(obj, "last_name"), _field(obj, "first_name")
    if obj is None or not last or not first:
        raise ValueError(f"not a person (needs last_name, first_name and gender): {obj!r}")
    middle = _field(obj, "middle_name") or ""
    gender = _field(obj, "gender")
    if gender is None:
        raise ValueError(f"the gender of {last} {first} is needed to decline the name")
    return str(last), str(first), str(middle), str(gender)


def _decline(person: Any, case: Case | str) -> str:
    last, first, middle, gender = _person(person)
    return russian.decline_full_name(last, first, middle, gender, case)


def _initials(person: Any, case: Case | str = Case.NOMINATIVE) -> str:
    last, first, middle, gender = _person(person)
    return russian.initials_name(last, first, middle, gender, case)


def _signature(person: Any) -> str:
    last, first, middle, _gender = _person(person)
    return russian.signature_name(last, first, middle)


def _gendered(person: Any, masculine: str, feminine: str) -> str:
    _last, _first, _middle, gender = _person(person)  # a document insists on a known gender
    return by_gender(gender, masculine, feminine)


def requisites(org: Any) -> list[str]:
    """The header lines of an organisation's letterhead: full name, address, INN, phone, e-mail.

    Works for the Organisation model or anything with ``name`` (or ``full_name``), ``address``,
    ``inn``, ``phone`` and ``email``; empty items are left out.
    """
    name = _field(org, "full_name") or _field(org, "name") or ""
    address, inn = _field(org, "address") or "", _field(org, "inn") or ""
    phone, email = _field(org, "phone") or "", _field(org, "email") or ""
    lines = [
        str(name),
        str(address),
        f"ИНН {inn}" if inn else "",
        f"Тел.: {phone}" if phone else "",
        f"E-mail: {email}" if email else "",
    ]
    return [line for line in lines if line]


# --- The Jinja environment -------------------------------------------------------------------

# Characters XML 1.0 forbids; one pasted from elsewhere would make Word refuse the whole file.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _XML_ILLEGAL.sub("", value)
    return value


def _date_filter(format_: Callable[[date | datetime], str]) -> Callable[[Any], str]:
    def apply(value: date | datetime | None) -> str:
        return "" if value is None else format_(value)

    return apply


def _date_quoted(value: date | datetime | None) -> str:
    return BLANK_DATE_QUOTED if value is None else russian.format_date_quoted(value)


def _case_filter(case: Case) -> Callable[[Any], str]:
    def apply(person: Any) -> str:
        return _decline(person, case)

    return apply


class _DocxEnvironment(Environment):
    """Compiles a template's XML once. docxtpl hands the environment the same XML for every
    document of a template, and compiling it cost about a fifth of filling one in."""

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is None and template_class is None and isinstance(source, str):
            return _compiled(source)
        return super().from_string(source, globals, template_class)


@functools.cache
def make_environment() -> Environment:
    """The Jinja environment of DOCX templates: escaping on, strict about missing names. One
    for the process: its filters and globals are constant, and it keeps the compiled templates."""
    env = _DocxEnvironment(autoescape=True, undefined=StrictUndefined, finalize=_finalize)
    env.filters.update(
        {
            "date": _date_filter(russian.format_date),
            "date_short": _date_filter(russian.format_date_short),
            "date_quoted": _date_quoted,
            "name": _case_filter(Case.NOMINATIVE),
            "genitive": _case_filter(Case.GENITIVE),
            "dative": _case_filter(Case.DATIVE),
            "accusative": _case_filter(Case.ACCUSATIVE),
            "instrumental": _case_filter(Case.INSTRUMENTAL),
            "prepositional": _case_filter(Case.PREPOSITIONAL),
            "decline": _decline,
            "initials": _initials,
            "signature": _signature,
            "gendered": _gendered,
            "inflect": russian.decline_phrase,
            "plural": russian.pluralize,
            "requisites": requisites,
        }
    )
    env.globals.update({"requisites": requisites, "blank_date": BLANK_DATE_QUOTED})
    return env


# Bounded. docxtpl compiles a template's body and each of its document properties: an order and
# its two appendices are 10 sources, and our 17 templates about 60.
@functools.lru_cache(maxsize=256)
def _compiled(source: str) -> Any:
    return Environment.from_string(make_environment(), source)


# --- Rendering -------------------------------------------------------------------------------


def _template_file(template: str | os.PathLike[str]) -> Path:
    path = Path(template)
    if not path.is_absolute() and len(path.parts) == 1:
        path = TEMPLATES_DIR / path  # a bare name means one of ours
    if not path.is_file():
        raise FileNotFoundError(f"DOCX template not found: {path}")
    return path


def render_docx(template_path: str | os.PathLike[str], context: Mapping[str, Any]) -> bytes:
    """Fill a DOCX template with ``context`` and return the document's bytes.

    ``template_path`` is a path, or the bare file name of a template in ``templates_docx/``.
    """
    return document_bytes(render_document(template_path, context))


def render_document(
    template_path: str | os.PathLike[str], context: Mapping[str, Any]
) -> DocxDocument:
    """``render_docx``'s document before it is written: for a document that is put together
    with others (``compose``), which would otherwise be zipped only to be read back."""
    template = DocxTemplate(str(_template_file(template_path)))
    template.render(dict(context), jinja_env=make_environment(), autoescape=True)
    # Typeset in memory, then written once: three round trips through the zip cost half of
    # filling in a template. (docxtpl's own save adds nothing here: it only swaps pictures and
    # media a caller asked it to replace, and we never ask.)
    _typeset(template.docx)
    return template.docx


def document_bytes(document: DocxDocument) -> bytes:
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# The parts of a DOCX that hold the text a reader sees.
_TEXT_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_RUN_TEXT = re.compile(r"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)")


def typeset(docx_bytes: bytes) -> bytes:
    """The document as it is printed: Russian typography applied to all of its text
    (``russian.typography``: the template's own words and the values filled in alike), then
    the columns of its tables sized to their content (``columns.fit_columns``)."""
    document = Document(BytesIO(docx_bytes))
    _typeset(document)
    return document_bytes(document)


def _typeset(document: Any) -> None:
    for part in document.part.package.iter_parts():
        if not _TEXT_PART.match(str(part.partname).lstrip("/")):
            continue
        if isinstance(part, XmlPart):
            for text in part.element.iter(qn("w:t")):
                if text.text:
                    text.text = russian.typography(text.text)
        else:
            # Footnotes and endnotes: python-docx keeps them as bytes.
            xml = part.blob.decode("utf-8")
            xml = _RUN_TEXT.sub(
                lambda m: m.group(1) + russian.typography(m.group(2)) + m.group(3), xml
            )
            part._blob = xml.encode("utf-8")
    fit_columns(document)


def docx_text(docx_bytes: bytes) -> str:
    """The text of a DOCX, one paragraph a line, tables cell by cell in reading order.

    Meant for tests and checks: what a reader of the document would see, without formatting;
    a non-breaking space reads as a space (``typeset`` puts them in, see ``docx_raw_text``).
    """
    document = Document(BytesIO(docx_bytes))
    lines: list[str] = []

    def walk(container: Any) -> None:
        for block in container.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    seen: set[int] = set()
                    for cell in row.cells:
                        # A merged cell is returned once per grid column it spans.
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        walk(cell)

    for section in document.sections:
        if not section.header.is_linked_to_previous:
            walk(section.header)
    walk(document)
    for section in document.sections:
        if not section.footer.is_linked_to_previous:
            walk(section.footer)
    return "\n".join(lines).replace(russian.NBSP, " ")


# --- PDF -------------------------------------------------------------------------------------


class PdfConversionError(RuntimeError):
    """LibreOffice could not turn the document into a PDF."""


class PdfConverterMissing(PdfConversionError):
    """LibreOffice (soffice) is not installed or not found."""


# One LibreOffice profile for the user, used by one conversion at a time (a file lock, so it
# holds across worker processes too): a fresh profile costs seconds on every call, and two
# soffice runs sharing a profile interfere — the second hands its job to the first and exits
# without writing anything.
_PROFILE_DIR = Path(tempfile.gettempdir()) / f"nastavnik-soffice-{os.getuid()}"


def find_soffice() -> str | None:
    configured = getattr(settings, "SOFFICE_PATH", "") or os.environ.get("SOFFICE_PATH", "")
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


@contextmanager
def _profile() -> Iterator[Path]:
    _PROFILE_DIR.mkdir(mode=0o700, exist_ok=True)
    if _PROFILE_DIR.stat().st_uid != os.getuid():
        raise PdfConversionError(f"{_PROFILE_DIR} belongs to another user")
    with open(_PROFILE_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield _PROFILE_DIR / "profile"
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class _ConvertedPdfs:
    """The PDFs of the documents converted last, by what each document says.

    LibreOffice takes about a second of CPU for any document, nearly all of it starting up, and
    the same document is often asked for again: the director and the curator open one order,
    a reader clicks twice. The key is the document's content (every part of the DOCX, not the
    zip's timestamps, which differ each time a document is written), so a document that has
    changed in any way is converted anew. Bounded by bytes; kept in this process only.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pdfs: OrderedDict[bytes, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(docx_bytes: bytes) -> bytes | None:
        """A digest of the document's parts, or None for bytes that are no DOCX (LibreOffice
        is left to say what is wrong with them)."""
        digest = hashlib.sha256()
        try:
            with zipfile.ZipFile(BytesIO(docx_bytes)) as archive:
                for info in sorted(archive.infolist(), key=lambda info: info.filename):
                    content = archive.read(info)
                    for chunk in (info.filename.encode(), len(content).to_bytes(8), content):
                        digest.update(chunk)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
            return None
        return digest.digest()

    def get(self, key: bytes) -> bytes | None:
        with self._lock:
            pdf = self._pdfs.get(key)
            if pdf is not None:
                self._pdfs.move_to_end(key)
            return pdf

    def put(self, key: bytes, pdf: bytes) -> None:
        if len(pdf) > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._pdfs:
                return
            self._pdfs[key] = pdf
            self._size += len(pdf)
            while self._size > self.max_bytes:
                _key, evicted = self._pdfs.popitem(last=False)
                self._size -= len(evicted)


converted_pdfs = _ConvertedPdfs(max_bytes=16 * 2**20)


def docx_to_pdf(docx_bytes: bytes, timeout: float = 120) -> bytes:
    """Convert a DOCX to PDF with ``soffice --headless --convert-to pdf``, or give the PDF of
    the same document converted a moment ago (``converted_pdfs``).

    Raises PdfConverterMissing when LibreOffice is not installed, PdfConversionError when it
    fails or takes longer than ``timeout`` seconds.
    """
    soffice = find_soffice()
    if soffice is None:
        raise PdfConverterMissing(
            "LibreOffice is needed for PDF: install it (Debian: libreoffice-writer-nogui) "
            "or set SOFFICE_PATH to the soffice binary"
        )
    key = _ConvertedPdfs.key(docx_bytes)
    if key is not None and (pdf := converted_pdfs.get(key)) is not None:
        return pdf
    pdf = _soffice_pdf(soffice, docx_bytes, timeout)
    if key is not None:
        converted_pdfs.put(key, pdf)
    return pdf


def _soffice_pdf(soffice: str, docx_bytes: bytes, timeout: float) -> bytes:
    with _profile() as profile, tempfile.TemporaryDirectory(prefix="nastavnik-pdf-") as workdir:
        source = Path(workdir) / "document.docx"
        source.write_bytes(docx_bytes)
        command = [
            soffice,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            workdir,
            str(source),
        ]
        # A session of its own, so that on a timeout the whole tree (oosplash and soffice.bin)
        # is killed, not just the launcher.
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfConversionError(f"LibreOffice took longer than {timeout} s") from None
        target = source.with_suffix(".pdf")
        if process.returncode != 0 or not target.is_file():
            detail = stderr.decode(errors="replace").strip()[-500:]
            raise PdfConversionError(
                f"LibreOffice could not convert the document (exit {process.returncode}): "
                f"{detail or 'no output'}"
            )
        pdf = target.read_bytes()
    if not pdf.startswith(b"%PDF-"):
        raise PdfConversionError("LibreOffice wrote something that is not a PDF")
    return pdf
