"""The forms of the import: the upload, and the columns step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from nastavnik.people.models import PersonKind
from nastavnik.people.transfer.columns import FIELD_LABELS, FIELDS_BY_KIND, IMPORT_KINDS
from nastavnik.people.transfer.services import validate_mapping
from nastavnik.people.transfer.tables import (
    TABLE_MESSAGES,
    Cut,
    max_columns,
    max_file_bytes,
    max_rows,
)
from nastavnik.people.views import KIND_PLURALS

KIND_CHOICES = [(kind, KIND_PLURALS[PersonKind(kind)]) for kind in IMPORT_KINDS]

# The request carries the form's other fields and the multipart framing besides the file.
_FRAMING_ALLOWANCE = 64 * 1024


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an upload as soon as it is over the limit.

    The rest of the request is read and thrown away, so a 50 MB file is never written to a
    temporary file; the view finds `request.upload_rejected_size` and says why.
    """

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.request_length = 0
        self.received = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> None:
        self.request_length = content_length or 0

    def _refuse(self, size: int) -> None:
        self.request.upload_rejected_size = size  # type: ignore[attr-defined]
        raise StopUpload(connection_reset=False)

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.request_length > self.limit + _FRAMING_ALLOWANCE:
            self._refuse(self.request_length)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse(self.received)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Whom the list is of"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV or XLSX, as your e-journal or Excel saves it. The first sheet of a workbook "
            "is read; the header row may be below a title."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def __init__(self, *args: Any, rejected_size: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rejected_size = rejected_size
        if rejected_size:
            self.fields["file"].required = False

    def clean_file(self) -> Any:
        if self.rejected_size:
            raise ValidationError(
                TABLE_MESSAGES["too_large"],
                code="too_large",
                params={
                    "size": filesizeformat(self.rejected_size),
                    "limit": filesizeformat(max_file_bytes()),
                },
            )
        return self.cleaned_data["file"]


COLUMNS_MESSAGES = {
    "cut": _(
        "Only the first %(max)s columns of the file are read. The file has filled cells "
        "further right, the first in row %(line)s, column %(column)s; if a column you need is "
        "there, move it to the left and upload the file again."
    ),
    "header_row": _("Enter the number of a row of the file, from 1 to %(max)s."),
}


def columns_cut_message(cut: Cut) -> str:
    return str(COLUMNS_MESSAGES["cut"]) % {
        "max": max_columns(),
        "line": cut.line,
        "column": cut.column,
    }


def _last_row() -> int:
    # Rows are numbered as in the file, blank ones too: a generous bound, far from any
    # integer a database could not take.
    return max(1_048_576, max_rows() * 10)


def _header_row_error() -> ValidationError:
    return ValidationError(
        COLUMNS_MESSAGES["header_row"], code="header_row", params={"max": _last_row()}
    )


def requested_header_row(value: Any, current: int) -> int:
    """The header row the curator typed, or ValidationError when it cannot be a row."""
    if value in (None, ""):
        return current
    text = str(value)
    # Python will not read an integer of 10,000 digits, and no file has such a row.
    if len(text) > 20:
        raise _header_row_error()
    try:
        return forms.IntegerField(min_value=1, max_value=_last_row()).clean(text)
    except ValidationError as error:
        raise _header_row_error() from error


class ColumnsForm(forms.Form):
    """The header row, and for each column of the file what it holds."""

    header_row = forms.IntegerField(
        label=_("Column names are in row"), min_value=1, max_value=_last_row()
    )
    shown_row = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=_last_row())

    def __init__(self, *args: Any, kind: str, columns: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.columns = columns
        choices = [("", _("— do not import —"))] + [
            (str(field), FIELD_LABELS[field]) for field in FIELDS_BY_KIND[kind]
        ]
        for column in columns:
            self.fields[f"col_{column['index']}"] = forms.ChoiceField(
                label=column["title"] or _("Column %(number)s") % {"number": column["index"] + 1},
                choices=choices,
                required=False,
            )

    def column_rows(self) -> list[dict[str, Any]]:
        return [{**column, "field": self[f"col_{column['index']}"]} for column in self.columns]

    @property
    def mapping(self) -> dict[int, str]:
        return {
            column["index"]: self.cleaned_data.get(f"col_{column['index']}") or ""
            for column in self.columns
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors or cleaned.get("header_row") != cleaned.get("shown_row"):
            return cleaned
        try:
            validate_mapping(self.kind, self.mapping)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned
