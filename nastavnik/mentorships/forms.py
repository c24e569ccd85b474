"""The filters of the list of pairs and groups."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.models import MentoringForm
from nastavnik.mentorships.models import MentorshipQuerySet, MentorshipStatus
from nastavnik.orgs.models import Organisation
from nastavnik.programmes.models import Programme


class MentorshipFilter(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False, empty_label=None
    )
    form = forms.ModelChoiceField(
        label=_("Form"), queryset=MentoringForm.objects.none(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *MentorshipStatus.choices], required=False
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        programmes: QuerySet[Programme],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].label_from_instance = lambda p: p.academic_year.label
        self.fields["form"].queryset = MentoringForm.objects.available_to(organisation)

    def chosen_programme(self, current: Programme | None) -> Programme | None:
        if self.is_bound and self.is_valid() and self.cleaned_data["programme"] is not None:
            return self.cleaned_data["programme"]
        return current

    def narrow(self, mentorships: MentorshipQuerySet) -> MentorshipQuerySet:
        if not (self.is_bound and self.is_valid()):
            return mentorships
        if self.cleaned_data["form"] is not None:
            mentorships = mentorships.filter(form=self.cleaned_data["form"])
        if self.cleaned_data["status"]:
            mentorships = mentorships.filter(status=self.cleaned_data["status"])
        return mentorships
