"""The mentee base as an audience of questionnaire campaigns (`questionnaires.audiences`)."""

from __future__ import annotations

from typing import Any

from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import valid_consent_q
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.people.models import Person, PersonQuerySet
from nastavnik.programmes.models import Programme


def mentees(programme: Programme, params: dict[str, Any]) -> PersonQuerySet:
    """The people of the programme's mentee entries (everyone but those who left), of the form
    `params["form"]` (a MentoringForm pk) when given.

    Only the programme's organisation, and only people whose data may be used for
    participation today: a questionnaire is sent on the strength of that consent.
    """
    entries = Mentee.objects.filter(
        organisation_id=programme.organisation_id, programme=programme
    ).exclude(status=MenteeStatus.LEFT)
    form = params.get("form")
    if form not in (None, ""):
        entries = entries.filter(form_id=int(form))
    return (
        Person.objects.for_org(programme.organisation)
        .filter(pk__in=entries.values("person_id"))
        .filter(valid_consent_q(Purpose.PARTICIPATION))
    )
