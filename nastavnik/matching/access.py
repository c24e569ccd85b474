"""The one way views fetch matching rows: within the current organisation, 404 for anything
else, so a pk of another organisation's run looks exactly like a missing one."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from nastavnik.core.access import OrgContext
from nastavnik.matching.models import (
    MatchingRun,
    MatchingRunQuerySet,
    Proposal,
    SelfMatchRequest,
    UnmatchedMentee,
)


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
    return get_object_or_404(
        Proposal.objects.filter(organisation=ctx.organisation).select_related(
            "run__programme__organisation",
            "run__organisation",
            "run__form",
            "mentee__person",
            "mentor__person",
        ),
        pk=pk,
    )


def unmatched_for(ctx: OrgContext, pk: int) -> UnmatchedMentee:
    return get_object_or_404(
        UnmatchedMentee.objects.filter(organisation=ctx.organisation).select_related(
            "run__programme__organisation", "run__organisation", "run__form", "mentee__person"
        ),
        pk=pk,
    )


def selfmatch_request_for(ctx: OrgContext, pk: int) -> SelfMatchRequest:
    return get_object_or_404(
        SelfMatchRequest.objects.for_org(ctx.organisation).select_related(
            "programme__organisation", "form", "mentee__person", "mentor__person"
        ),
        pk=pk,
    )
