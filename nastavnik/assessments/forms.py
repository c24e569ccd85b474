"""Forms of the assessment pages. They collect input; the rules (scales, dates, the order of
entry and exit) live in `services`, whose errors the views put back on these forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from nastavnik.assessments.models import Measure, Parameter
from nastavnik.assessments.services import value_field
from nastavnik.core.forms import DATE_WIDGET, RuleErrorsMixin


class MeasuresForm(RuleErrorsMixin, forms.Form):
    """The values of one participant for one phase: a field per parameter not yet measured."""

    measured_on = forms.DateField(label=_("Measured on"), widget=DATE_WIDGET, required=False)

    def __init__(
        self,
        *args: Any,
        parameters: list[Parameter],
        entries: Mapping[int, Measure] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.parameters = parameters
        for parameter in parameters:
            low, high = parameter.show(parameter.scale_min), parameter.show(parameter.scale_max)
            hint = _("from %(min)s to %(max)s") % {"min": low, "max": high}
            if not parameter.higher_is_better:
                hint = _("%(range)s; lower is better") % {"range": hint}
            entry = (entries or {}).get(parameter.pk)
            if entry is not None:
                hint = _("%(range)s; at the entry %(value)s on %(date)s") % {
                    "range": hint,
                    "value": entry.value_text,
                    "date": date_format(entry.measured_on, "SHORT_DATE_FORMAT"),
                }
            self.fields[value_field(parameter)] = forms.CharField(
                label=parameter.name,
                required=False,
                help_text=hint,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal" if parameter.decimals else "numeric", "size": 6}
                ),
            )

    def values(self) -> dict[Parameter, str]:
        return {p: self.cleaned_data.get(value_field(p), "") for p in self.parameters}

    def value_fields(self) -> list[forms.BoundField]:
        return [self[value_field(p)] for p in self.parameters]


class ParameterForm(RuleErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    code = forms.CharField(
        label=_("Code"),
        required=False,
        max_length=60,
        help_text=_(
            "Latin letters, digits and underscores; a questionnaire question feeds the parameter "
            "by it («assessment.<code>»). Left empty, a code is made up."
        ),
    )
    scale_min = forms.CharField(label=_("Lowest value"), required=False, max_length=20)
    scale_max = forms.CharField(label=_("Highest value"), required=False, max_length=20)
    decimals = forms.TypedChoiceField(
        label=_("Digits after the decimal point"),
        choices=[(0, _("none: whole numbers")), (1, "1"), (2, "2")],
        coerce=int,
        initial=0,
    )
    higher_is_better = forms.BooleanField(
        label=_("A higher value is better"), required=False, initial=True
    )
    unit = forms.CharField(label=_("Unit"), required=False, max_length=40)
    order = forms.IntegerField(label=_("Position in the list"), required=False, initial=100)
