"""A depersonalised person's traces in pairs' results (see `consents.scrub`)."""

from __future__ import annotations

from nastavnik.mentorships.models import MentorshipResult
from nastavnik.people.models import Person


def person_results_scrub(person: Person) -> None:
    MentorshipResult.objects.filter(mentorship__mentor__person=person).update(mentor_feedback="")
    MentorshipResult.objects.filter(mentorship__members__mentee__person=person).update(
        mentee_feedback=""
    )
