"""Stage 6 of the demo year: a pair whose term was extended for the mentee's illness. The
replacement of a mentor is left for the curator to show live (the pair's card → «Заменить
наставника»)."""

from __future__ import annotations

from datetime import date, timedelta

from nastavnik.mentorships.models import AbsenceReason, AbsentSide, Mentorship
from nastavnik.mentorships.services import mentorship_extend
from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme

#: A week of illness, from the third week after the pairs started (late October).
ILLNESS_AFTER = timedelta(days=19)
ILLNESS_DAYS = 7


def build_lifecycle(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    demo_people = [p.pk for p in accounts.values() if p is not None]
    pair = (
        Mentorship.objects.active()
        .filter(programme=programme, is_group=False)
        .exclude(mentor__person__in=demo_people)
        .exclude(members__mentee__person__in=demo_people)
        .select_related("mentor__person", "organisation")
        .order_by("pk")
        .first()
    )
    if pair is None:
        return
    absent_from = pair.started_on + ILLNESS_AFTER
    absent_to = absent_from + timedelta(days=ILLNESS_DAYS - 1)
    if absent_to >= min(today, pair.planned_end):
        return  # the demo is seeded too early in the year for a past absence
    curator = accounts.get("curator")
    mentorship_extend(
        pair,
        reason=AbsenceReason.ILLNESS,
        absent_side=AbsentSide.MENTEE,
        absent_from=absent_from,
        absent_to=absent_to,
        by=curator.user if curator is not None else None,
    )
