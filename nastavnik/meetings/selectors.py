"""Read-only questions other pages ask about meetings (the personal cabinets, the dashboard).

Callers pass only pairs and people they already scoped to the organisation and the user
(`nastavnik.mentorships.access.workable`, `own_people`); these functions add no access rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q

from nastavnik.meetings.models import Attendance, Feedback, Meeting, MeetingStatus
from nastavnik.mentorships.models import Mentorship, MentorshipMentee

# Feedback is asked for while the meeting is fresh in memory; older ones drop off the list.
FEEDBACK_WINDOW = timedelta(days=30)


def upcoming_meetings(
    mentorship_ids: Iterable[int], now: datetime, limit: int | None = 5
) -> list[Meeting]:
    """The next planned meetings of these pairs and groups, soonest first."""
    found = (
        Meeting.objects.planned()
        .filter(mentorship__in=list(mentorship_ids), starts_at__gte=now)
        .select_related("organisation")
        .order_by("starts_at", "pk")
    )
    return list(found[:limit] if limit else found)


def rateable_q(person_ids: Iterable[int], now: datetime) -> Q:
    """Meetings these people took part in and may rate: held ones (a mentee only if present),
    or planned ones that have already begun (not yet marked), and never cancelled ones."""
    people = list(person_ids)
    present = Attendance.objects.filter(meeting=OuterRef("pk"), member__mentee__person__in=people)
    # EXISTS, not a join through the members: a join repeats a meeting once per member, and the
    # DISTINCT that undid it sorted every selected column of every candidate.
    member = MentorshipMentee.objects.filter(
        mentorship=OuterRef("mentorship"), mentee__person__in=people, active=True
    )
    # The mentor who held it, not the pair's mentor now: a replacement passes on the pair,
    # not the feedback owed on the old mentor's meetings.
    is_mentor = Q(mentor__person__in=people)
    held = Q(status=MeetingStatus.HELD) & (is_mentor | Q(Exists(present)))
    begun = Q(status=MeetingStatus.PLANNED, starts_at__lte=now) & (is_mentor | Q(Exists(member)))
    return held | begun


def _pairs_of(people: list[int]) -> Any:
    """The pairs and groups these people mentor, mentored (a meeting they held before a
    replacement) or are (or were) members of: every meeting `rateable_q` can let through is one
    of theirs, so the rest of the school's are never read."""
    as_member = MentorshipMentee.objects.filter(mentee__person__in=people).values("mentorship")
    held = Meeting.objects.filter(mentor__person__in=people).values("mentorship")
    return Mentorship.objects.filter(
        Q(mentor__person__in=people) | Q(pk__in=as_member) | Q(pk__in=held)
    )


def feedback_due(person_ids: Iterable[int], now: datetime) -> list[Meeting]:
    """Meetings of the last 30 days these people took part in and have not rated yet, the
    most recent first. Normally called with the one person of the user in the organisation."""
    people = list(person_ids)
    rated = Feedback.objects.filter(meeting=OuterRef("pk"), author__in=people)
    return list(
        Meeting.objects.filter(
            rateable_q(people, now),
            # The few pairs' ids as values: with a subquery PostgreSQL still read the school's.
            mentorship__in=list(_pairs_of(people).values_list("pk", flat=True)),
            starts_at__gte=now - FEEDBACK_WINDOW,
        )
        .exclude(Exists(rated))
        .select_related("organisation")
        .order_by("-starts_at", "-pk")
    )
