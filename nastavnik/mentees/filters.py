"""Search and filters of the mentee base list (also used by its export)."""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.profile import RequestTopic
from nastavnik.core.forms import SEARCH_WIDGET
from nastavnik.core.text import fold
from nastavnik.mentees.models import MenteeQuerySet, MenteeStatus
from nastavnik.programmes.models import Programme, ProgrammeForm

_CLASS_RE = re.compile(r"^\s*(\d{1,2})\s*([А-ЯЁа-яё]?)\s*$")


class MenteeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search by name"),
        method="filter_q",
        widget=SEARCH_WIDGET,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=MenteeStatus.choices, empty_label=_("Any")
    )
    form = django_filters.ChoiceFilter(label=_("Form"), method="filter_form", empty_label=_("Any"))
    class_name = django_filters.CharFilter(
        label=_("Class"),
        method="filter_class",
        widget=forms.TextInput(attrs={"size": 4, "maxlength": 4, "placeholder": "7А"}),
    )
    topic = django_filters.ChoiceFilter(
        label=_("Request"),
        choices=RequestTopic.choices,
        method="filter_topic",
        empty_label=_("Any"),
    )
    support = django_filters.ChoiceFilter(
        label=_("Support"),
        choices=[("yes", _("Needs support")), ("no", _("Does not need support"))],
        method="filter_support",
        empty_label=_("Any"),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = ProgrammeForm.objects.filter(programme=programme).select_related("form")
        self.filters["form"].extra["choices"] = [
            (str(c.form_id), c.form.shown_name) for c in chosen
        ]

    def filter_q(self, queryset: MenteeQuerySet, name: str, value: str) -> MenteeQuerySet:
        for word in fold(value).split():
            queryset = queryset.filter(person__name_key__contains=word)
        return queryset

    def filter_form(self, queryset: MenteeQuerySet, name: str, value: str) -> MenteeQuerySet:
        return queryset.filter(form_id=int(value))

    def filter_class(self, queryset: MenteeQuerySet, name: str, value: str) -> MenteeQuerySet:
        """«7», «7А» or «7 а»: a grade, or a class."""
        match = _CLASS_RE.match(value)
        if not match:
            return queryset.none()
        queryset = queryset.filter(person__grade=int(match[1]))
        if match[2]:
            queryset = queryset.filter(person__class_letter=match[2].upper().replace("Ё", "Е"))
        return queryset

    def filter_topic(self, queryset: MenteeQuerySet, name: str, value: str) -> MenteeQuerySet:
        # The list as JSON text holds each topic in quotes on every database; JSON "contains"
        # is not available on SQLite.
        return queryset.annotate(topics_text=Cast("topics", TextField())).filter(
            topics_text__contains=f'"{value}"'
        )

    def filter_support(self, queryset: MenteeQuerySet, name: str, value: str) -> MenteeQuerySet:
        return queryset.filter(support_needed=value == "yes")

    @property
    def is_filtered(self) -> bool:
        self.form.is_valid()
        data: dict[str, Any] = getattr(self.form, "cleaned_data", {})
        return any(data.values())
