"""A depersonalised person's traces in meetings (see `consents.scrub`)."""

from __future__ import annotations

from nastavnik.meetings.models import Feedback
from nastavnik.people.models import Person


def person_feedback_scrub(person: Person) -> None:
    Feedback.objects.filter(author=person).update(comment="")
