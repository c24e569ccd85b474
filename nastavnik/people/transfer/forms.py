"""The forms of the import: the upload, and the columns step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nastavnik.core.forms import UploadField
from nastavnik.people.models import PersonKind
from nastavnik.people.transfer.columns import FIELD_LABELS, FIELDS_BY_KIND, IMPORT_KINDS
from nastavnik.people.transfer.services import validate_mapping
from nastavnik.people.transfer.tables import (
    TABLE_MESSAGES,
    Cut,
    max_columns,
    max_rows,
)
from nastavnik.people.views import KIND_PLURALS

KIND_CHOICES = [(kind, KIND_PLURALS[PersonKind(kind)]) for kind in IMPORT_KINDS]


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Whom the list is of"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    file = UploadField(
        label=_("File"),
        help_text=_(
            "CSV or XLSX, as your e-journal or Excel saves it. The first sheet of a workbook "
            "is read; the header row may be below a title."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
        error_messages={"too_large": TABLE_MESSAGES["too_large"]},
    )


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
