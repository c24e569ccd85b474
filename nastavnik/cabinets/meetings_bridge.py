"""What the cabinets show of the pairs' meetings, read through the meetings app's own
selectors and URLs. Looked up when called, so a cabinet still works (without its meetings
part) in an installation or a branch where that app offers less."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Count
from django.urls import NoReverseMatch, reverse


def _selectors() -> Any:
    try:
        return importlib.import_module("nastavnik.meetings.selectors")
    except ModuleNotFoundError:
        return None


def meetings_url(org_slug: str, mentorship_pk: int) -> str | None:
    try:
        return reverse(
            "meetings:list", kwargs={"org_slug": org_slug, "mentorship_pk": mentorship_pk}
        )
    except NoReverseMatch:
        return None


def feedback_due(person_ids: Iterable[int], now: datetime) -> list[Any]:
    """Held meetings the people have not yet given feedback on."""
    found = getattr(_selectors(), "feedback_due", None)
    return list(found(list(person_ids), now)) if found else []


def upcoming_meetings(mentorship_ids: Iterable[int], now: datetime, limit: int = 5) -> list[Any]:
    found = getattr(_selectors(), "upcoming_meetings", None)
    return list(found(list(mentorship_ids), now, limit)) if found else []


def held_meetings(mentorship_ids: Iterable[int]) -> dict[int, int]:
    """How many meetings each pair has held."""
    try:
        models = importlib.import_module("nastavnik.meetings.models")
    except ModuleNotFoundError:
        return {}
    meeting = getattr(models, "Meeting", None)
    if meeting is None:
        return {}
    rows = (
        meeting.objects.filter(mentorship__in=list(mentorship_ids), status="held")
        .values("mentorship")
        .annotate(n=Count("pk"))
    )
    return {row["mentorship"]: row["n"] for row in rows}
