"""A depersonalised person's traces in questionnaires (see `consents.scrub`)."""

from __future__ import annotations

from django.db.models import Q

from nastavnik.people.models import Person
from nastavnik.questionnaires.models import TEXT_TYPES, Answer, Response
from nastavnik.questionnaires.models import Invitation as CampaignInvitation


def person_answers_scrub(person: Person) -> None:
    """Free-text answers go; choices, scales and numbers stay for the figures."""
    theirs = Response.objects.filter(Q(person=person) | Q(invitation__person=person))
    Answer.objects.filter(response__in=theirs, question__type__in=TEXT_TYPES).update(value="")
    theirs.update(feed_notes=[])
    # The addresses the invitations went to: contacts, cleared with the person's own.
    CampaignInvitation.objects.filter(person=person).update(sent_to="")
