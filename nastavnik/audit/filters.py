"""Filters of the audit log page."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nastavnik.audit.models import AuditAction, AuditEntry, AuditEntryQuerySet, AuditObject


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class AuditFilter(django_filters.FilterSet):
    object_type = django_filters.ChoiceFilter(
        label=_("Object"), choices=AuditObject.choices, empty_label=_("Any")
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AuditAction.choices, empty_label=_("Any")
    )
    since = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=DateInput()
    )
    until = django_filters.DateFilter(
        label=_("To"), field_name="at", lookup_expr="date__lte", widget=DateInput()
    )
    person = django_filters.NumberFilter(
        label=_("Person"), method="filter_person", widget=forms.HiddenInput
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def filter_person(
        self, queryset: AuditEntryQuerySet, name: str, value: int
    ) -> QuerySet[AuditEntry]:
        return queryset.about(int(value))
