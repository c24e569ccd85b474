"""Forms of the case library: the case itself and the library's search and filters. The rules
live in `services`; these collect input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nastavnik.cases.models import CaseQuerySet, CaseStatus
from nastavnik.cases.search import search_cases
from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.core.forms import RuleErrorsMixin, choice_field, model_choice_field, text_field
from nastavnik.orgs.models import Organisation
from nastavnik.programmes.models import Programme


class CaseForm(RuleErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    form = forms.ModelChoiceField(
        label=_("Form of mentoring"), queryset=MentoringForm.objects.none(), required=False
    )
    role_model = forms.ModelChoiceField(
        label=_("Role model"), queryset=RoleModel.objects.none(), required=False
    )
    situation = text_field(
        _("Situation and problem"),
        rows=5,
        help_text=_("What the mentee (or the young colleague) needed and why."),
    )
    actions = text_field(
        _("What was done"),
        rows=5,
        help_text=_("Meetings, methods, tasks: what the pair did and how."),
    )
    results = text_field(
        _("Results"),
        rows=5,
        help_text=_("What changed: marks, participation, confidence, feedback."),
    )
    lessons = text_field(
        _("Lessons and advice"), rows=5, help_text=_("What others can take from this case.")
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        max_length=300,
        required=False,
        help_text=_("Separated by commas: «adaptation, mathematics, grade 5»."),
    )
    without_names = forms.BooleanField(
        label=_("Without names"),
        required=False,
        help_text=_(
            "The case names nobody anywhere. Do not write names in the text in any case: the "
            "names of the pair are shown only from its record, while everyone's consent to "
            "publication is valid."
        ),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        forms_available = MentoringForm.objects.available_to(organisation)
        model_choice_field(self, "form").queryset = forms_available
        model_choice_field(self, "role_model").queryset = (
            RoleModel.objects.filter(form__in=forms_available)
            .filter(Q(organisation__isnull=True) | Q(organisation=organisation))
            .select_related("form")
            .order_by("form__order", "order", "name")
        )
        model_choice_field(self, "role_model").label_from_instance = lambda obj: (
            f"{obj.form.shown_name}: {obj.shown_name}"
        )


class LibraryFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    form = forms.ModelChoiceField(
        label=_("Form"), queryset=MentoringForm.objects.none(), required=False, empty_label=_("All")
    )
    role_model = forms.ModelChoiceField(
        label=_("Role model"),
        queryset=RoleModel.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(
        self, *args: Any, organisation: Organisation, managing: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        forms_available = MentoringForm.objects.available_to(organisation)
        model_choice_field(self, "form").queryset = forms_available
        model_choice_field(self, "role_model").queryset = (
            RoleModel.objects.filter(form__in=forms_available)
            .filter(Q(organisation__isnull=True) | Q(organisation=organisation))
            .order_by("form__order", "order", "name")
        )
        years = (
            Programme.objects.for_org(organisation)
            .order_by("-academic_year__start_year")
            .values_list("academic_year__start_year", flat=True)
        )
        choice_field(self, "year").choices = [("", _("All")), *((y, f"{y}/{y + 1}") for y in years)]
        if managing:
            choice_field(self, "status").choices = [("", _("All")), *CaseStatus.choices]
        else:
            del self.fields["status"]

    def narrow(self, cases: CaseQuerySet) -> CaseQuerySet:
        if not (self.is_bound and self.is_valid()):
            return cases
        data = self.cleaned_data
        if data["form"] is not None:
            cases = cases.filter(form=data["form"])
        if data["role_model"] is not None:
            cases = cases.filter(role_model=data["role_model"])
        if data["year"] is not None:
            cases = cases.filter(programme__academic_year__start_year=data["year"])
        if data.get("status"):
            cases = cases.filter(status=data["status"])
        if data["q"].strip():
            cases = search_cases(cases, data["q"])
        return cases
