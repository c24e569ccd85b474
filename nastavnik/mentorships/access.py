"""The one way views fetch pairs and groups: within the current organisation, 404 otherwise."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from nastavnik.core.access import OrgContext
from nastavnik.mentorships.models import Mentorship, MentorshipMentee, MentorshipQuerySet


def mentorships_of(ctx: OrgContext) -> MentorshipQuerySet:
    return Mentorship.objects.for_org(ctx.organisation)


def with_people(mentorships: MentorshipQuerySet) -> MentorshipQuerySet:
    """The mentor and the mentees of each in two queries, however many there are."""
    return mentorships.select_related(
        "mentor__person", "form", "role_model", "pairs_order"
    ).prefetch_related(
        Prefetch(
            "members",
            queryset=MentorshipMentee.objects.select_related("mentee__person").order_by(
                "mentee__person__name_key", "pk"
            ),
        )
    )


def mentorship_for(ctx: OrgContext, pk: int) -> Mentorship:
    return get_object_or_404(
        with_people(mentorships_of(ctx)).select_related(
            "programme__academic_year", "organisation", "matching_run", "created_by"
        ),
        pk=pk,
    )
