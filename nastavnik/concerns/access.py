"""The one way to read concerns — the narrowest access of the system.

- the reporter reads their own (`own_concerns`): status and answer, never the internal note;
- the curator and the director read every concern of the organisation, a psychologist only
  those the reporter shared with the psychologist (`handled_concerns`);
- nobody reads a concern about themselves: not the person it was about when raised, nor anyone
  who mentors or mentored the pair or is one of its mentees, whatever other role they hold.

Outsiders, other roles and the people it is about all get 404, never a hint that it exists.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditObject
from nastavnik.concerns.models import Concern, ConcernQuerySet
from nastavnik.core.access import OrgContext
from nastavnik.orgs.policy import Perm
from nastavnik.people.models import Person

# A psychologist is a specialist whose registry entry names the position so
# («Педагог-психолог»): the roles know no psychologist of their own.
PSYCHOLOGIST_POSITION = "психолог"


def _me(ctx: OrgContext, user: User) -> QuerySet[Person]:
    return Person.objects.for_org(ctx.organisation).filter(user=user)


def is_psychologist(ctx: OrgContext, user: User) -> bool:
    return (
        ctx.can(Perm.CONCERNS_READ)
        and _me(ctx, user).filter(position__icontains=PSYCHOLOGIST_POSITION).exists()
    )


def about_q(people: QuerySet[Person, Any] | list[int]) -> Q:
    """Concerns that are about any of `people`: named in it, or on either side of its pair."""
    return (
        Q(about__in=people)
        | Q(mentorship__mentor__person__in=people)
        | Q(mentorship__assignments__mentor__person__in=people)
        | Q(mentorship__members__mentee__person__in=people)
    )


def handled_concerns(ctx: OrgContext, user: User) -> ConcernQuerySet:
    found = Concern.objects.for_org(ctx.organisation)
    if ctx.can(Perm.CONCERNS_HANDLE):
        pass
    elif is_psychologist(ctx, user):
        found = found.filter(to_psychologist=True)
    else:
        return found.none()
    me = _me(ctx, user).values("pk")
    about_me = Concern.objects.for_org(ctx.organisation).filter(about_q(me)).values("pk")
    # The reporter's own side of the pair is no reason to hide their own concern from them.
    return found.exclude(Q(pk__in=about_me) & ~Q(reporter__in=me))


def handled_concern_for(ctx: OrgContext, user: User, pk: int) -> Concern:
    return get_object_or_404(
        handled_concerns(ctx, user).select_related(
            "organisation",
            "reporter",
            "child",
            "about",
            "mentorship__mentor__person",
            "replacement",
        ),
        pk=pk,
    )


def own_concerns(ctx: OrgContext, user: User) -> ConcernQuerySet:
    """The concerns the user raised, whatever roles they hold now."""
    return Concern.objects.for_org(ctx.organisation).filter(reporter_user=user)


def own_concern_for(ctx: OrgContext, user: User, pk: int) -> Concern:
    return get_object_or_404(
        own_concerns(ctx, user).select_related("organisation", "child", "mentorship"), pk=pk
    )


def concern_entries_hidden(ctx: OrgContext, user: User) -> Q:
    """Audit entries of a concern only for those who may read the concern: that a concern
    exists, and who read it, is itself confidential from the people it is about."""
    readable = handled_concerns(ctx, user).values("pk")
    return Q(object_type=AuditObject.CONCERN) & ~Q(object_id__in=readable)
