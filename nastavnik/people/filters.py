"""Search and filters of the registry list."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.core.forms import SEARCH_WIDGET
from nastavnik.people.models import Gender, PersonKind, PersonQuerySet
from nastavnik.people.validators import GRADE_MAX, GRADE_MIN


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"),
        method="filter_q",
        widget=SEARCH_WIDGET,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Category"), choices=PersonKind.choices, empty_label=_("All categories")
    )
    grade = django_filters.ChoiceFilter(
        label=_("Grade"),
        choices=[(n, str(n)) for n in range(GRADE_MIN, GRADE_MAX + 1)],
        empty_label=_("Any"),
    )
    class_letter = django_filters.CharFilter(
        label=_("Class letter"),
        method="filter_class_letter",
        widget=forms.TextInput(attrs={"size": 2, "maxlength": 2, "autocomplete": "off"}),
    )
    gender = django_filters.ChoiceFilter(
        label=_("Gender"), choices=Gender.choices, empty_label=_("Any")
    )
    account = django_filters.ChoiceFilter(
        label=_("Account"),
        choices=[("yes", _("Has an account")), ("no", _("No account"))],
        empty_label=_("Any"),
        method="filter_account",
    )

    def filter_q(self, queryset: PersonQuerySet, name: str, value: str) -> PersonQuerySet:
        return queryset.search(value)

    def filter_class_letter(
        self, queryset: PersonQuerySet, name: str, value: str
    ) -> PersonQuerySet:
        value = value.strip().upper()
        return queryset.filter(class_letter=value) if value else queryset

    def filter_account(self, queryset: PersonQuerySet, name: str, value: str) -> PersonQuerySet:
        if value == "yes":
            return queryset.filter(user__isnull=False)
        if value == "no":
            return queryset.filter(user__isnull=True)
        return queryset

    @property
    def kind_value(self) -> str:
        """The category filtered on, when the filters are valid; "" for all categories."""
        self.form.is_valid()
        data: dict[str, Any] = getattr(self.form, "cleaned_data", {})
        return data.get("kind") or ""

    @property
    def is_filtered(self) -> bool:
        self.form.is_valid()
        data: dict[str, Any] = getattr(self.form, "cleaned_data", {})
        return any(value for key, value in data.items() if key != "kind")
