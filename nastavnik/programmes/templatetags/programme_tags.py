"""Dates of roadmap events as the interface shows them, in the active language."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from nastavnik.programmes.models import RoadmapEvent
from nastavnik.programmes.schedule import is_whole_months

register = template.Library()


@register.filter
def period(event: RoadmapEvent) -> str:
    """«September 2026», «February – May 2027», «by 30 September 2026»."""
    starts_on, due_on = event.starts_on, event.due_on
    if starts_on is None:
        return _("by %(date)s") % {"date": date_format(due_on, "j E Y")}
    if is_whole_months(starts_on, due_on):
        if (starts_on.year, starts_on.month) == (due_on.year, due_on.month):
            return date_format(due_on, "F Y")
        return f"{date_format(starts_on, 'F Y')} – {date_format(due_on, 'F Y')}"
    return f"{date_format(starts_on, 'j E Y')} – {date_format(due_on, 'j E Y')}"
