"""Pairs and groups suspended because a participant's participation consent was withdrawn.

The state is read from the consents (`consents.rules.participation_withdrawn_q`), never stored on
the pair: a stored flag would have to be set and cleared by every way a consent changes (the
cabinet, the curator's register, a new consent given by link, depersonalisation) and would drift
the first time one of them forgot; this answer cannot. Every page asks here:

- a member whose participation is withdrawn is suspended in every pair and group they are in;
- a pair (or group) is suspended as a whole when its mentor is, or when none of its active
  mentees is left unsuspended: then its plan is read-only and no meeting can be planned;
- the curator ends it through the early completion (`services.mentorship_complete_early`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q

from nastavnik.consents.rules import participation_withdrawn_among, participation_withdrawn_q
from nastavnik.mentorships.models import (
    Mentorship,
    MentorshipMentee,
    MentorshipQuerySet,
    MentorshipStatus,
)
from nastavnik.orgs.models import Organisation


def suspended_member_q(ref: str = "mentee__person") -> Q:
    return participation_withdrawn_q(ref=ref)


def suspended_q() -> Q:
    """On a Mentorship queryset: active pairs and groups with a suspended participant."""
    suspended_member = Exists(
        MentorshipMentee.objects.filter(mentorship=OuterRef("pk"), active=True).filter(
            suspended_member_q()
        )
    )
    return Q(status=MentorshipStatus.ACTIVE) & (
        Q(participation_withdrawn_q(ref="mentor__person")) | Q(suspended_member)
    )


def suspended(mentorships: MentorshipQuerySet) -> MentorshipQuerySet:
    return mentorships.filter(suspended_q())


@dataclass(frozen=True)
class Suspension:
    """Who of one pair or group is suspended, and whether the whole of it is."""

    mentor: bool
    # Person ids of the active mentees whose participation is withdrawn.
    mentees: frozenset[int]
    whole: bool

    @property
    def any(self) -> bool:
        return self.mentor or bool(self.mentees)

    def of(self, person_id: int) -> bool:
        return person_id in self.mentees


NONE = Suspension(mentor=False, mentees=frozenset(), whole=False)


def suspension_of(mentorship: Mentorship) -> Suspension:
    if not mentorship.is_active:
        return NONE
    members = MentorshipMentee.objects.filter(mentorship=mentorship, active=True)
    active = set(members.values_list("mentee__person", flat=True))
    withdrawn = frozenset(
        members.filter(suspended_member_q()).values_list("mentee__person", flat=True)
    )
    mentor = (
        Mentorship.objects.filter(pk=mentorship.pk)
        .filter(participation_withdrawn_q(ref="mentor__person"))
        .exists()
    )
    whole = mentor or (bool(active) and active <= withdrawn)
    return Suspension(mentor=mentor, mentees=withdrawn, whole=whole)


def suspensions_of(mentorships: list[Mentorship]) -> dict[int, Suspension]:
    """`suspension_of` for many pairs and groups whose members are prefetched (`with_people`):
    one query for all of them instead of three for each."""
    active = [m for m in mentorships if m.is_active]
    members = {
        m.pk: {member.mentee.person_id for member in m.members.all() if member.active}
        for m in active
    }
    people = {m.mentor.person_id for m in active}.union(*members.values())
    withdrawn = participation_withdrawn_among(people)
    found = {m.pk: NONE for m in mentorships}
    for mentorship in active:
        mentees = frozenset(members[mentorship.pk] & withdrawn)
        mentor = mentorship.mentor.person_id in withdrawn
        whole = mentor or (bool(members[mentorship.pk]) and members[mentorship.pk] <= mentees)
        found[mentorship.pk] = Suspension(mentor=mentor, mentees=mentees, whole=whole)
    return found


def is_suspended(mentorship: Mentorship) -> bool:
    """The pair as a whole: its plan is read-only and no meeting can be planned for it."""
    return suspension_of(mentorship).whole


def suspended_for_dashboard(organisation: Organisation) -> dict[str, Any]:
    """The curator's dashboard: active pairs and groups with a suspended participant, each to be
    ended through the early completion."""
    found = list(
        suspended(Mentorship.objects.for_org(organisation))
        .select_related("mentor__person", "organisation")
        .prefetch_related("members__mentee__person")
        .order_by("started_on", "pk")
    )
    return {"suspended_pairs": found}
