"""Uploaded files: the checks for scans (signed orders, files attached to roadmap events, paper
consents, mentors' documents and portfolios, plan evidence), and the limit every upload is held
to while it arrives (`UploadLimitHandler`).

A scan is accepted by what the file is, read from its first bytes, never by its name or the
content type the browser claims: a renamed .exe stays refused, and a PDF saved as «скан.jpg»
is stored as the PDF it is.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, QueryDict
from django.http.multipartparser import MultiPartParser
from django.http.response import HttpResponseBase
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

View = Callable[..., HttpResponseBase]

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


def checked_scan(
    upload: File | None, field: str, errors: dict[str, list[ValidationError]]
) -> tuple[File, ScanType] | None:
    """An optional upload checked as a scan, ready for `store_scan`; what is wrong with it
    joins the form's `errors` on `field`, so that it is told with the rest."""
    if not upload:
        return None
    try:
        return upload, check_scan(upload)
    except ValidationError as error:
        errors.setdefault(field, []).extend(error.error_list)
        return None


def delete_after_commit(name: str | None) -> None:
    """Remove a replaced or deleted row's stored file, once the change is committed: a rolled
    back change still finds its file."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def store_scan(field: FieldFile, upload: tuple[File, ScanType] | None, prefix: str) -> None:
    """Put a checked scan into `field` (the row is saved by the caller) under a name of our
    own, the file it replaces going after commit; no upload leaves the field as it is."""
    if upload is None:
        return
    file, scan_type = upload
    previous = field.name
    field.save(scan_name(prefix, scan_type), file, save=False)
    delete_after_commit(previous)


def content_type_of(name: str) -> str:
    """The content type of a stored scan, from the extension we gave it."""
    for _signature, scan_type in _SIGNATURES:
        if name.endswith(f".{scan_type.extension}"):
            return scan_type.content_type
    return "application/octet-stream"


# --- Limits enforced while the body arrives ---------------------------------------------------

# Besides the file, a request carries the form's other fields and the multipart framing. A body
# longer than the view's file limit plus this cannot be an acceptable upload.
REQUEST_ALLOWANCE = 256 * 1024
LIMIT_ATTR = "nastavnik_upload_limit"


def upload_limit(limit: Callable[[], int]) -> Callable[[View], View]:
    """Declares a view's own limit for uploaded files (the scans' limit is everyone else's).

    The limit is read when a request arrives, so settings overridden in tests count.
    """

    def decorator(view: View) -> View:
        setattr(view, LIMIT_ATTR, limit)
        return view

    return decorator


def upload_limit_of(request: HttpRequest) -> int:
    """The file limit of the view the request goes to; `functools.wraps` carries the
    declaration through the access decorators."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
    declared = getattr(match.func, LIMIT_ATTR, None) if match else None
    return declared() if declared else max_upload_bytes()


class RefusedUpload(UploadedFile):
    """What a form receives for a file over the limit: its name and size, and no content.

    `UploadField` refuses it with the size message; code that reads it gets no bytes.
    """

    # Always given, unlike an UploadedFile's.
    size: int

    def __init__(self, name: str, size: int, limit: int) -> None:
        super().__init__(io.BytesIO(), name=name, content_type="", size=size)
        self.limit = limit


class UploadLimitHandler(FileUploadHandler):
    """The first of FILE_UPLOAD_HANDLERS: no file over its limit is read in full.

    - A body longer than the limit plus REQUEST_ALLOWANCE is refused the moment its file part
      begins: nothing more of the body is read (a 200 MB upload costs the server a few KB).
    - A file over the limit in a body within it stops being stored as soon as it passes the
      limit (the handlers after this one drop what they held); the few remaining bytes are read
      and thrown away so that the form's other fields arrive.

    Either way the form finds a `RefusedUpload` under the field's name and says, in its own
    words, how large the file is and what is accepted, and nothing is saved.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = max_upload_bytes()
        self.request_length = 0
        self.parsing = False
        self.current: RefusedUpload | None = None
        self.received = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> tuple[QueryDict, MultiValueDict] | None:
        if self.parsing:
            return None  # the inner parse below: let it run
        self.parsing = True
        self.limit = upload_limit_of(self.request)
        self.request_length = content_length or 0
        parser = MultiPartParser(META, input_data, self.request.upload_handlers, encoding)
        post, files = parser.parse()
        # A body cut short never reached the end of its file part, so the parser completed no
        # file for it: its refusal is added here (a file refused within the allowance is
        # completed by `file_complete`).
        if self.current is not None:
            files.appendlist(self.field_name, self.current)
            self.current = None
        return post, files

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.current = None
        self.received = 0
        if self.request_length > self.limit + REQUEST_ALLOWANCE:
            self.current = RefusedUpload(file_name, self.request_length, self.limit)
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.current is not None:
            return None
        if self.received > self.limit:
            self.current = RefusedUpload(self.file_name, self.received, self.limit)
            self._release_the_rest()
            return None
        return raw_data

    def _release_the_rest(self) -> None:
        # What the memory and temporary-file handlers after this one held of the file.
        handlers = self.request.upload_handlers  # type: ignore[union-attr]
        for handler in handlers[handlers.index(self) + 1 :]:
            held = getattr(handler, "file", None)
            if held is not None:
                held.close()

    def file_complete(self, file_size: int) -> RefusedUpload | None:
        refused, self.current = self.current, None
        if refused is not None:
            refused.size = self.received  # the whole file was counted on its way past
        return refused
