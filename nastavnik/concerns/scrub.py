"""A depersonalised person's traces in safeguarding concerns (see `consents.scrub`)."""

from __future__ import annotations

from django.db.models import Q

from nastavnik.concerns.models import Concern
from nastavnik.consents.scrub import SCRUBBED
from nastavnik.people.models import Person


def person_concerns_scrub(person: Person) -> None:
    # A concern the person raised, about their child, or about them: the reporter's words and
    # the curator's answer and note all tell of the person. The rest of the record stays, so
    # the channel's figures and the link to a replacement survive.
    Concern.objects.filter(Q(reporter=person) | Q(child=person) | Q(about=person)).update(
        text=SCRUBBED, answer="", note=""
    )
