"""The audiences the questionnaire engine owns (see `audiences.py`): a class, the staff, the
programme team. Each is ``(programme, params) -> PersonQuerySet`` of the programme's
organisation, without the people whose data are hidden after a withdrawn consent."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from nastavnik.consents.rules import hidden_q
from nastavnik.people.models import Person, PersonKind, PersonQuerySet
from nastavnik.programmes.models import Programme


def _of(programme: Programme) -> PersonQuerySet:
    return Person.objects.filter(organisation_id=programme.organisation_id).exclude(hidden_q())


def class_students(programme: Programme, params: dict[str, Any]) -> PersonQuerySet:
    """The students of one class: ``{"grade": 7, "class_letter": "Б"}``."""
    try:
        grade = int(params.get("grade"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return Person.objects.none()
    letter = str(params.get("class_letter") or "").strip().upper()
    return _of(programme).filter(kind=PersonKind.STUDENT, grade=grade, class_letter=letter)


def staff(programme: Programme, params: dict[str, Any]) -> PersonQuerySet:
    return _of(programme).filter(kind=PersonKind.STAFF)


def team(programme: Programme, params: dict[str, Any]) -> PersonQuerySet:
    """The curator of the programme and its team."""
    in_team = Q(pk__in=programme.team.values("person_id"))
    if programme.curator_id:
        in_team |= Q(pk=programme.curator_id)
    return _of(programme).filter(in_team)


def classes_of(programme: Programme) -> list[tuple[int, str]]:
    """The classes that have students, in order: [(7, "А"), (7, "Б"), …]."""
    rows = (
        _of(programme)
        .filter(kind=PersonKind.STUDENT, grade__isnull=False)
        .values_list("grade", "class_letter")
        .distinct()
    )
    return sorted(set(rows))
