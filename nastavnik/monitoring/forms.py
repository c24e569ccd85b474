"""Forms of the SWOT workspace. The rules live in `monitoring.services`; the forms only carry
the input there and show the refusals on their fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.core.forms import RuleErrorsMixin, text_field
from nastavnik.monitoring.models import Quadrant
from nastavnik.monitoring.services import TEXT_MAX_LENGTH


class SwotItemForm(RuleErrorsMixin, forms.Form):
    # Not required here: the service refuses an empty item with its own words.
    quadrant = forms.CharField(
        label=_("Quadrant"), required=False, widget=forms.Select(choices=Quadrant.choices)
    )
    text = text_field(_("Text"), rows=2, max_length=TEXT_MAX_LENGTH + 100)


class CandidateForm(RuleErrorsMixin, forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    quadrant = forms.CharField(
        label=_("Quadrant"), required=False, widget=forms.Select(choices=Quadrant.choices)
    )
    text = text_field(_("Text"), rows=2)
