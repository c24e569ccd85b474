"""Checks for uploaded scans (signed orders, files attached to roadmap events, paper consents).

A scan is accepted by what the file is, read from its first bytes, never by its name or the
content type the browser claims: a renamed .exe stays refused, and a PDF saved as «скан.jpg»
is stored as the PDF it is.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class ScanType:
    extension: str
    content_type: str


PDF = ScanType("pdf", "application/pdf")
JPEG = ScanType("jpg", "image/jpeg")
PNG = ScanType("png", "image/png")

_SIGNATURES: tuple[tuple[bytes, ScanType], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)

UPLOAD_MESSAGES = {
    "empty": _("The file is empty."),
    "type": _("Upload a scan as a PDF, JPEG or PNG file; this file is none of them."),
    "size": _("The file is %(size)s; files of up to %(limit)s are accepted."),
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def scan_help_text() -> str:
    return str(_("A scan or a photo: PDF, JPEG or PNG, up to %(limit)s.")) % {
        "limit": filesizeformat(max_upload_bytes())
    }


def check_scan(upload: File) -> ScanType:
    """The type of a scan, or ValidationError when it is empty, too large or not a PDF/image."""
    limit = max_upload_bytes()
    size = upload.size or 0
    if size == 0:
        raise ValidationError(UPLOAD_MESSAGES["empty"], code="empty")
    if size > limit:
        raise ValidationError(
            UPLOAD_MESSAGES["size"],
            code="size",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, scan_type in _SIGNATURES:
        if head.startswith(signature):
            return scan_type
    raise ValidationError(UPLOAD_MESSAGES["type"], code="type")


def scan_name(prefix: str, scan_type: ScanType) -> str:
    """A storage name that reveals nothing of the uploaded name and cannot collide."""
    return f"{prefix}/{uuid.uuid4().hex}.{scan_type.extension}"


def content_type_of(name: str) -> str:
    """The content type of a stored scan, from the extension we gave it."""
    for _signature, scan_type in _SIGNATURES:
        if name.endswith(f".{scan_type.extension}"):
            return scan_type.content_type
    return "application/octet-stream"
