"""The one way views fetch mentee rows: within the current organisation, 404 for anything else,
so a pk of another organisation's row looks exactly like a missing one.

People whose data are hidden after a withdrawn consent leave every list (`consents.rules`).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from nastavnik.consents.rules import hidden_q
from nastavnik.core.access import OrgContext
from nastavnik.mentees.models import Mentee, MenteeQuerySet
from nastavnik.programmes.models import Programme


def mentees_of(ctx: OrgContext) -> MenteeQuerySet:
    return Mentee.objects.for_org(ctx.organisation)


def visible_mentees(ctx: OrgContext, programme: Programme) -> MenteeQuerySet:
    """The programme's entries a list may show: without people whose data are hidden."""
    return mentees_of(ctx).filter(programme=programme).exclude(hidden_q(ref="person"))


def mentee_for(ctx: OrgContext, pk: int) -> Mentee:
    return get_object_or_404(
        mentees_of(ctx).select_related(
            "person__organisation",
            "person__user",
            "programme__academic_year",
            "programme__organisation",
            "form",
            "role_model",
        ),
        pk=pk,
    )
