"""A depersonalised person's traces in the mentee base (see `consents.scrub`)."""

from __future__ import annotations

from nastavnik.consents.scrub import SCRUBBED
from nastavnik.mentees.models import Mentee, MenteeInput
from nastavnik.people.models import Person


def person_mentee_text_scrub(person: Person) -> None:
    Mentee.objects.filter(person=person).update(request_text="", left_reason="")
    # What class teachers, psychologists and parents wrote about the person.
    MenteeInput.objects.filter(mentee__person=person).update(text=SCRUBBED)
