from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.core.forms import RuleErrorsMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _number(label: StrOrPromise, low: int, high: int) -> forms.IntegerField:
    # The range is the service's rule (with its own message); the widget only hints at it.
    return forms.IntegerField(
        label=label, widget=forms.NumberInput(attrs={"min": low, "max": high, "step": 1})
    )


class TargetForm(RuleErrorsMixin, forms.Form):
    year = _number(_("Year"), 2000, 2100)
    students_percent = _number(_("Students, %"), 0, 100)
    teachers_percent = _number(_("Teachers, %"), 0, 100)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].help_text = _(
            "The year the academic year starts in: 2025 for 2025/2026."
        )
