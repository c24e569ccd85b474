"""Small form helpers shared by the apps' forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy

from nastavnik.core.uploads import UPLOAD_MESSAGES, RefusedUpload, scan_help_text
from nastavnik.people.models import Person

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A search by name: the browser neither offers earlier searches nor marks names as misspelt.
SEARCH_WIDGET = forms.TextInput(
    attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
)


def text_field(
    label: StrOrPromise, *, rows: int = 3, required: bool = False, **kwargs: Any
) -> forms.CharField:
    """A text of a few lines (a note, a reason, an introduction), optional unless said so."""
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field `name`, typed as the choice field its declaration makes it, so that
    narrowing its choices is checked (`form.fields` is typed as plain fields)."""
    return cast(forms.ChoiceField, form.fields[name])


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field `name`, typed as a model choice field (see `choice_field`)."""
    return cast(forms.ModelChoiceField, form.fields[name])


class RuleErrorsMixin:
    """Shows a service's ValidationError on the fields it names, the rest above the form."""

    def add_rule_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)  # type: ignore[attr-defined]
            return
        for field, errors in error.error_dict.items():
            target = field if field in self.fields else None  # type: ignore[attr-defined]
            for item in errors:
                self.add_error(target, item)  # type: ignore[attr-defined]


class StaffChoiceField(forms.ModelChoiceField):
    """A staff member, shown with the position so namesakes can be told apart."""

    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} — {obj.position}" if obj.position else obj.full_name


class UploadField(forms.FileField):
    """A file field that refuses a file the upload handler stopped for being over its limit.

    Every upload form uses it (a test walks the forms), so a file cut short can never be
    saved as if it were whole. The message says how large the file is and what is accepted;
    a form may give its own words as ``error_messages={"too_large": ...}``.
    """

    default_error_messages = {"too_large": UPLOAD_MESSAGES["size"]}

    def to_python(self, data: Any) -> Any:
        if isinstance(data, RefusedUpload):
            raise ValidationError(
                self.error_messages["too_large"],
                code="too_large",
                params={"size": filesizeformat(data.size), "limit": filesizeformat(data.limit)},
            )
        return super().to_python(data)


SCAN_ACCEPT = {"accept": ".pdf,.jpg,.jpeg,.png"}


class ScanField(UploadField):
    """A scan or a photo (PDF, JPEG or PNG, the types `check_scan` accepts), which the file
    picker offers. Unless the form gives its own words, the help text names the size limit,
    read when it is shown: the limit is a setting."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs=SCAN_ACCEPT))
        kwargs.setdefault("help_text", lazy(scan_help_text, str)())
        super().__init__(**kwargs)
