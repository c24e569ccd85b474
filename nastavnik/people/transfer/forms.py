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
from nastavnik.people.transfer.tables import TABLE_MESSAGES
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


class ColumnsForm(forms.Form):
    """The header row, and for each column of the file what it holds."""

    header_row = forms.IntegerField(label=_("Column names are in row"), min_value=1)
    shown_row = forms.IntegerField(widget=forms.HiddenInput)

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

    def add_problem(self, error: ValidationError) -> None:
        """A problem with the row asked for, shown above the columns read anew (the form is
        then not bound, and an unbound form keeps no cleaned data to add an error to)."""
        if not self.is_bound:
            self.cleaned_data = {}
        self.add_error(None, error)

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
