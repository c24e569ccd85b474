"""The history of pairs and groups with their results, for the mentor's card (every programme
year the person mentored in, growing year by year) and the mentee's (the pairs of this entry):
stage 7's results written back into the bases."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Prefetch

from nastavnik.consents.rules import hidden_q
from nastavnik.mentees.models import Mentee
from nastavnik.mentors.models import Mentor
from nastavnik.mentorships.models import MentorAssignment, MentorshipMentee
from nastavnik.orgs.policy import Perm

register = template.Library()


def history_of(mentor: Mentor) -> list[MentorAssignment]:
    """The stretches the person mentored a pair or group, newest first; mentees whose data are
    hidden after a withdrawn consent are left out of the names; with the meetings the person
    held in each (not those of a mentor before or after them). Three queries."""
    return list(
        MentorAssignment.objects.filter(
            organisation_id=mentor.organisation_id, mentor__person_id=mentor.person_id
        )
        .with_meetings_held()
        .select_related(
            "mentorship__programme__academic_year", "mentorship__form", "mentorship__result"
        )
        .prefetch_related(
            Prefetch(
                "mentorship__members",
                queryset=MentorshipMentee.objects.exclude(hidden_q(ref="mentee__person"))
                .select_related("mentee__person")
                .order_by("mentee__person__name_key", "pk"),
            )
        )
        .order_by("-assigned_on", "-pk")
    )


def _can_open(context: Any) -> bool:
    org = getattr(context.get("request"), "org", None)
    return org is not None and org.can(Perm.MENTORSHIPS_VIEW)


@register.inclusion_tag("mentorships/_mentor_history.html", takes_context=True)
def mentor_history(context: Any, mentor: Mentor) -> dict[str, Any]:
    return {
        "org": context.get("org"),
        "history": history_of(mentor),
        "can_open": _can_open(context),
    }


@register.inclusion_tag("mentorships/_mentee_history.html", takes_context=True)
def mentee_history(context: Any, mentee: Mentee) -> dict[str, Any]:
    """The pairs and groups of the mentee's entry, with their mentor and results."""
    memberships = list(
        MentorshipMentee.objects.filter(mentee=mentee)
        .select_related("mentorship__mentor__person", "mentorship__form", "mentorship__result")
        .order_by("-mentorship__started_on", "-pk")
    )
    return {"org": context.get("org"), "memberships": memberships, "can_open": _can_open(context)}
