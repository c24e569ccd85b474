"""What a regional operator sees: the organisations of their region or municipality and
aggregate figures of each, never a row about a person. The regional page and the API's
regional endpoint both read it from here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from nastavnik.accounts.models import User
from nastavnik.mentees.models import Mentee
from nastavnik.mentors.models import Mentor
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.orgs.models import Organisation, RegionalOperator
from nastavnik.people.models import Person, PersonKind

# A count of 1–4 in a small school can point at a child: such cells are not given out by the
# API (null, with the figure's name in `suppressed`), as statistics offices do.
SMALL_CELL = 5
FIGURES = ("students", "staff", "mentees", "mentors", "active_pairs")


def operator_scopes(user: User) -> list[RegionalOperator]:
    return list(RegionalOperator.objects.filter(user=user).select_related("region", "municipality"))


def covered_organisations(scopes: Iterable[RegionalOperator]) -> QuerySet[Organisation]:
    """The organisations of the operator's municipalities and whole regions."""
    query = Q(pk__in=[])
    for scope in scopes:
        if scope.municipality_id:
            query |= Q(municipality_id=scope.municipality_id)
        else:
            query |= Q(municipality__region_id=scope.region_id)
    return Organisation.objects.filter(query)


def _grouped(queryset: QuerySet[Any], ids: list[int], distinct: str = "pk") -> dict[int, int]:
    return dict(
        queryset.filter(organisation_id__in=ids)
        .values("organisation_id")
        .annotate(n=Count(distinct, distinct=True))
        .values_list("organisation_id", "n")
    )


def figures(organisations: list[Organisation]) -> dict[int, dict[str, int]]:
    """Each organisation's counts, a few grouped queries for the whole list."""
    ids = [o.pk for o in organisations]
    people = Person.objects.all()
    counted = {
        "students": _grouped(people.filter(kind=PersonKind.STUDENT), ids),
        "staff": _grouped(people.filter(kind=PersonKind.STAFF), ids),
        "mentees": _grouped(Mentee.objects.all(), ids, "person_id"),
        "mentors": _grouped(Mentor.objects.all(), ids, "person_id"),
        "active_pairs": _grouped(Mentorship.objects.filter(status=MentorshipStatus.ACTIVE), ids),
    }
    return {pk: {name: counted[name].get(pk, 0) for name in FIGURES} for pk in ids}


def suppressed(counts: dict[str, int]) -> tuple[dict[str, int | None], list[str]]:
    """The counts with the small cells blanked, and the names of those blanked."""
    hidden = [name for name, n in counts.items() if 0 < n < SMALL_CELL]
    return {name: None if name in hidden else n for name, n in counts.items()}, hidden
