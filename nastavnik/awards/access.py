"""The one way views fetch awards rows: within the current organisation, 404 otherwise.

Those who run the awards (Perm.AWARDS_MANAGE) see every nomination; a juror only the
nominations whose jury they sit on — the others are as missing to them as another
organisation's.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from nastavnik.accounts.models import User
from nastavnik.awards.models import Award, Nomination, Nominee
from nastavnik.core.access import OrgContext
from nastavnik.core.tenancy import org_row
from nastavnik.orgs.policy import Perm


def nominations_of(ctx: OrgContext, user: User) -> QuerySet[Nomination]:
    found = Nomination.objects.filter(organisation=ctx.organisation)
    if ctx.can(Perm.AWARDS_MANAGE):
        return found
    return found.filter(jury__user=user).distinct()


def nomination_for(ctx: OrgContext, user: User, pk: int) -> Nomination:
    return get_object_or_404(
        nominations_of(ctx, user).select_related(
            "programme__academic_year", "programme__organisation", "decided_by"
        ),
        pk=pk,
    )


def nominee_for(ctx: OrgContext, pk: int) -> Nominee:
    """A nominee, for those who run the awards."""
    related = ("nomination__programme", "mentor__person", "mentorship__mentor__person", "person")
    return org_row(Nominee, ctx.organisation, pk, *related)


def award_for(ctx: OrgContext, pk: int) -> Award:
    related = (
        "recipient",
        "child",
        "nominee__nomination",
        "programme__academic_year",
        "programme__organisation",
    )
    return org_row(Award, ctx.organisation, pk, *related)
