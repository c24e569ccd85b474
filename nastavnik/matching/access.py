"""The one way views fetch matching rows: within the current organisation, 404 for anything
else, so a pk of another organisation's run looks exactly like a missing one."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from nastavnik.core.access import OrgContext
from nastavnik.core.tenancy import org_row
from nastavnik.matching.models import (
    MatchingRun,
    MatchingRunQuerySet,
    Proposal,
    SelfMatchRequest,
    SharedOffer,
    SharedOfferQuerySet,
    UnmatchedMentee,
)
from nastavnik.people.models import Person


def runs_of(ctx: OrgContext) -> MatchingRunQuerySet:
    return MatchingRun.objects.for_org(ctx.organisation)


def run_for(ctx: OrgContext, pk: int) -> MatchingRun:
    return get_object_or_404(
        runs_of(ctx).select_related(
            "programme__academic_year",
            "programme__organisation",
            "organisation",
            "form",
            "order",
            "source",
            "created_by",
        ),
        pk=pk,
    )


def proposal_for(ctx: OrgContext, pk: int) -> Proposal:
    related = (
        "run__programme__organisation",
        "run__organisation",
        "run__form",
        "mentee__person",
        "mentor__person",
    )
    return org_row(Proposal, ctx.organisation, pk, *related)


def unmatched_for(ctx: OrgContext, pk: int) -> UnmatchedMentee:
    related = ("run__programme__organisation", "run__organisation", "run__form", "mentee__person")
    return org_row(UnmatchedMentee, ctx.organisation, pk, *related)


def offers_of(ctx: OrgContext) -> SharedOfferQuerySet:
    """The shared offers one of whose two sides the organisation is: the only door to them."""
    return SharedOffer.objects.visible_to(ctx.organisation).select_related(
        "mentor__person",
        "mentor__organisation",
        "mentee__person",
        "mentee__form",
        "home_organisation",
        "host_organisation",
        "mentorship",
    )


def offer_for(ctx: OrgContext, pk: int) -> SharedOffer:
    return get_object_or_404(offers_of(ctx), pk=pk)


def home_offer_for(ctx: OrgContext, pk: int) -> SharedOffer:
    """An offer for one of the organisation's own mentors."""
    return get_object_or_404(offers_of(ctx).filter(home_organisation=ctx.organisation), pk=pk)


def host_offer_for(ctx: OrgContext, pk: int) -> SharedOffer:
    """An offer the organisation asked for, for one of its mentees."""
    return get_object_or_404(offers_of(ctx).filter(host_organisation=ctx.organisation), pk=pk)


def own_offer_for(ctx: OrgContext, person: Person | None, pk: int) -> SharedOffer:
    """An offer to the mentor behind the logged-in account, in the mentor's organisation."""
    if person is None:
        raise Http404
    return get_object_or_404(
        offers_of(ctx).filter(home_organisation=ctx.organisation, mentor__person=person), pk=pk
    )


def selfmatch_request_for(ctx: OrgContext, pk: int) -> SelfMatchRequest:
    related = ("programme__organisation", "form", "mentee__person", "mentor__person")
    return org_row(SelfMatchRequest, ctx.organisation, pk, *related)
