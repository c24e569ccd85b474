"""The mentors of a programme as an audience of campaigns (see
`nastavnik.questionnaires.audiences`)."""

from __future__ import annotations

from typing import Any

from nastavnik.consents.rules import hidden_q
from nastavnik.mentors.models import INACTIVE_STATUSES, Mentor
from nastavnik.people.models import Person, PersonQuerySet
from nastavnik.programmes.models import Programme


def mentors(programme: Programme, params: dict[str, Any]) -> PersonQuerySet:
    """The people of the programme's mentor base (candidates to registered; not those turned
    down or gone), of one form when ``params["form"]`` names a MentoringForm pk. People whose
    data are hidden after a withdrawn consent are never asked."""
    entries = Mentor.objects.filter(
        organisation=programme.organisation, programme=programme
    ).exclude(status__in=INACTIVE_STATUSES)
    form = params.get("form")
    if form not in (None, ""):
        try:
            entries = entries.filter(forms__pk=int(form))
        except (TypeError, ValueError):
            return Person.objects.none()
    return (
        Person.objects.for_org(programme.organisation)
        .filter(pk__in=entries.values("person_id"))
        .exclude(hidden_q())
    )
