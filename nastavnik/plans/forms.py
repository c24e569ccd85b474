from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.core.forms import DATE_WIDGET, RuleErrorsMixin, ScanField, text_field
from nastavnik.plans.models import PlanItemStatus, ResponsibleSide
from nastavnik.plans.services import CONTACT_MAX_LENGTH, TEXT_MAX_LENGTH
from nastavnik.programmes.models import PlanSection


class PlanItemForm(RuleErrorsMixin, forms.Form):
    """The fields of an item; the rules (the pair's term, a result for a done item) are the
    service's, so a refusal reads the same wherever it comes from."""

    section = forms.ChoiceField(label=_("Section"), choices=PlanSection.choices)
    text = text_field(_("Content"), required=True, max_length=TEXT_MAX_LENGTH)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE_WIDGET)
    responsible = forms.ChoiceField(
        label=_("Who is responsible"), choices=ResponsibleSide.choices, initial=ResponsibleSide.BOTH
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=PlanItemStatus.choices, initial=PlanItemStatus.PLANNED
    )
    result = text_field(
        _("Result"), help_text=_("What came of it; for a dropped item, why it was dropped.")
    )
    evidence_link = forms.CharField(
        label=_("Evidence link"),
        required=False,
        max_length=500,
        help_text=_("A link to a project, a certificate, a publication…"),
    )
    # The file comes last: a file too large to read whole cuts the body short after it.
    evidence = ScanField(
        label=_("Evidence file"), required=False, widget=forms.ClearableFileInput()
    )


class CommentForm(RuleErrorsMixin, forms.Form):
    text = text_field(_("Comment"), required=True, max_length=TEXT_MAX_LENGTH)
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ContactForm(RuleErrorsMixin, forms.Form):
    mentor_contact = forms.CharField(
        label=_("How the mentees reach the mentor"),
        required=False,
        max_length=CONTACT_MAX_LENGTH,
    )
