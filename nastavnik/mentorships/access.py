"""The one way views fetch pairs and groups: within the current organisation, 404 otherwise."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from nastavnik.accounts.models import User
from nastavnik.consents.rules import participation_withdrawn_among
from nastavnik.core.access import OrgContext
from nastavnik.mentorships.models import (
    Mentorship,
    MentorshipMentee,
    MentorshipQuerySet,
    MentorshipStatus,
)
from nastavnik.orgs.policy import Perm
from nastavnik.people.models import Person


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


def own_people(ctx: OrgContext, user: User) -> QuerySet[Person]:
    """The registry entries of `user` in the current organisation (normally one)."""
    return Person.objects.for_org(ctx.organisation).filter(user=user)


def workable(ctx: OrgContext, user: User, people: list[int] | None = None) -> MentorshipQuerySet:
    """Pairs and groups whose work (plan, meetings, feedback) `user` may see: every one for
    those who run the programme, otherwise only those the user mentors or is a mentee of. The
    one rule every view of a pair's work goes through (Perm.PAIR_WORK). A participant whose
    participation consent is withdrawn has no access to the work while it is suspended (the
    cabinet still lists the pair, marked suspended). `people`: the ids of `own_people`, when
    the caller has read them."""
    found = mentorships_of(ctx)
    if ctx.can(Perm.MENTORSHIPS_VIEW):
        return found
    # The user's own entries (normally one) as values: built into the pairs' query as a
    # subquery, its consent checks cost more to compile, every time, than this query costs.
    if people is None:
        people = list(own_people(ctx, user).values_list("pk", flat=True))
    withdrawn = participation_withdrawn_among(people)
    me = [pk for pk in people if pk not in withdrawn]
    return found.filter(Q(mentor__person__in=me) | mentee_of_q(me))


def mentee_of_q(people: Any) -> Q:
    """Pairs and groups `people` are mentees of: as active members of one at work, or as any
    member of an ended one (its members stop being active with its end, and its mentees keep
    its history: the plan, the meetings, the results).

    A subquery, not a join through the members: no row repeats, so no DISTINCT over the wide
    rows callers select with the pairs (PostgreSQL sorted them all to remove duplicates)."""
    members = MentorshipMentee.objects.filter(mentee__person__in=people).filter(
        Q(active=True) | ~Q(mentorship__status=MentorshipStatus.ACTIVE)
    )
    return Q(pk__in=members.values("mentorship"))


def workable_for(
    ctx: OrgContext, user: User, pk: int, people: list[int] | None = None
) -> Mentorship:
    """One pair or group of `workable`, or 404."""
    return get_object_or_404(
        with_people(workable(ctx, user, people)).select_related("programme", "organisation"),
        pk=pk,
    )


class Side(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    # Those who run the programme, looking on (they comment, they do not take part).
    CURATOR = "curator"


def side_of(
    ctx: OrgContext, user: User, mentorship: Mentorship, me: set[int] | None = None
) -> Side | None:
    """Which side of `mentorship` the user is on; a participant's own side wins over the
    curator's view (a curator may mentor a pair of their own). `me`, the user's own people,
    may be given by a caller that asks about many pairs at once."""
    if me is None:
        me = set(own_people(ctx, user).values_list("pk", flat=True))
    if mentorship.mentor.person_id in me:
        return Side.MENTOR
    if any(member.mentee.person_id in me for member in mentorship.roster):
        return Side.MENTEE
    if ctx.can(Perm.MENTORSHIPS_VIEW):
        return Side.CURATOR
    return None
