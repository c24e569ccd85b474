from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from nastavnik.api.models import ORG_AREAS, Access
from nastavnik.api.tokens import LIFETIMES, MESSAGES
from nastavnik.core.forms import choice_field

NONE = ""


class RegionTokenForm(forms.Form):
    """A regional operator's token: its scope is fixed (the aggregates, read only)."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for: «E-journal sync», «BI dashboard»."),
    )
    days = forms.TypedChoiceField(label=_("Valid for"), coerce=int, initial=90)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Made per form, in the language of the request.
        choice_field(self, "days").choices = [
            (days, ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
            for days in LIFETIMES
        ]


class TokenForm(RegionTokenForm):
    """A school's token: an access level for each area."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for area in ORG_AREAS:
            self.fields[f"scope_{area.value}"] = forms.ChoiceField(
                label=area.label,
                required=False,
                choices=[(NONE, _("no access")), *Access.choices],
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Form.clean answers its cleaned_data; the stubs allow None for overrides.
        assert data is not None
        if not any(data.get(f"scope_{area.value}") for area in ORG_AREAS):
            raise forms.ValidationError(MESSAGES["no_scope"], code="no_scope")
        return data

    @property
    def scopes(self) -> dict[str, str]:
        return {
            area.value: self.cleaned_data[f"scope_{area.value}"]
            for area in ORG_AREAS
            if self.cleaned_data.get(f"scope_{area.value}")
        }
