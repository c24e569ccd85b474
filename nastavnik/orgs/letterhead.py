"""An organisation's own letterhead blank (бланк) as a DOCX file: the checks an uploaded one
must pass before it is stored and put at the head of every order.

A DOCX is a ZIP archive, so the checks are an archive's: the file is read by what it is, not by
its name; a macro-enabled document (.docm, or any file carrying a VBA project) is refused; the
number of parts and the size they unpack to are bounded before anything is unpacked, so a
small «zip bomb» cannot fill memory; and python-docx must then open it.
"""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from docx import Document

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
# A letterhead is a page of text and a logo; real ones have a few dozen parts.
MAX_PARTS = 300
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
# Text and images in a DOCX compress at most some tens of times; far beyond is a bomb.
MAX_RATIO = 200

_MACRO_CONTENT_TYPE = b"macroEnabled"

MESSAGES = {
    "empty": _("The file is empty."),
    "size": _("The blank is %(size)s; blanks of up to %(limit)s are accepted."),
    "not_docx": _("The blank must be a Word document (.docx); this file is not one."),
    "macros": _(
        "The blank contains macros (.docm); save it in Word as an ordinary document (.docx) "
        "and upload it again."
    ),
    "too_complex": _("The blank unpacks to too much data for a letterhead; simplify it."),
}


def max_blank_bytes() -> int:
    return int(getattr(settings, "LETTERHEAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def blank_help_text() -> str:
    return str(
        _("A Word document (.docx) of up to %(limit)s; it heads every order the system prints.")
    ) % {"limit": filesizeformat(max_blank_bytes())}


def _refuse(code: str, **params: str) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def check_blank(upload: File) -> bytes:
    """The blank's bytes, or ValidationError with the reason in Russian."""
    size = upload.size or 0
    limit = max_blank_bytes()
    if size == 0:
        raise _refuse("empty")
    if size > limit:
        raise _refuse("size", size=filesizeformat(size), limit=filesizeformat(limit))
    if (upload.name or "").lower().endswith((".docm", ".dotm")):
        raise _refuse("macros")
    upload.seek(0)
    data = upload.read(limit + 1)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _refuse("not_docx") from None
    with archive:
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise _refuse("not_docx")
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise _refuse("macros")
        unpacked = sum(entry.file_size for entry in entries)
        if (
            len(entries) > MAX_PARTS
            or unpacked > MAX_UNPACKED_BYTES
            or any(
                entry.file_size > MAX_RATIO * max(entry.compress_size, 1024) for entry in entries
            )
        ):
            raise _refuse("too_complex")
        if _MACRO_CONTENT_TYPE in archive.read("[Content_Types].xml"):
            raise _refuse("macros")
    try:
        Document(io.BytesIO(data))
    except Exception:  # python-docx raises anything from KeyError to lxml's errors
        raise _refuse("not_docx") from None
    return data
