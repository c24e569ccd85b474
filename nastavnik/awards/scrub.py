"""A depersonalised person's traces in awards (see `consents.scrub`)."""

from __future__ import annotations

from django.db.models import Q

from nastavnik.awards.models import JuryScore, Nominee
from nastavnik.people.models import Person


def person_merits_scrub(person: Person) -> None:
    about = Nominee.objects.filter(
        Q(person=person) | Q(mentor__person=person) | Q(mentorship__mentor__person=person)
    )
    about.update(merits="")
    JuryScore.objects.filter(nominee__in=about).update(comment="")
