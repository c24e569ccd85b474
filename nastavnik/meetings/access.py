"""The one way views fetch meetings: of a pair or group the user may work with (Perm.PAIR_WORK,
`workable`), in the current organisation; 404 otherwise."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from nastavnik.accounts.models import User
from nastavnik.core.access import OrgContext
from nastavnik.meetings.models import Attendance, Feedback, Meeting, MeetingQuerySet
from nastavnik.mentorships.access import Side, own_people, workable, workable_for
from nastavnik.orgs.policy import Perm


def meetings_workable(ctx: OrgContext, user: User) -> MeetingQuerySet:
    return Meeting.objects.for_org(ctx.organisation).filter(mentorship__in=workable(ctx, user))


def meetings_in_calendar(ctx: OrgContext, user: User) -> MeetingQuerySet:
    """The month calendar: those who run the programme see every meeting; a participant the
    meetings they hold as the mentor or take part in as a mentee — a new mentor's calendar
    starts with the meetings passed on, not the old mentor's. Meetings cancelled with the end
    of their pair are not in any calendar."""
    found = meetings_workable(ctx, user).in_calendars()
    if ctx.can(Perm.MENTORSHIPS_VIEW):
        return found
    return found.of_person(own_people(ctx, user).values("pk"))


def with_feedback(meetings: MeetingQuerySet) -> MeetingQuerySet:
    return meetings.prefetch_related(
        Prefetch(
            "feedback", queryset=Feedback.objects.select_related("author").order_by("-side", "pk")
        ),
        Prefetch("attendance", queryset=Attendance.objects.select_related("member__mentee")),
    )


def meeting_for(ctx: OrgContext, user: User, pk: int) -> Meeting:
    meeting = get_object_or_404(
        with_feedback(meetings_workable(ctx, user)).select_related(
            "organisation", "created_by", "mentor__person"
        ),
        pk=pk,
    )
    # The pair with its people, through the pairs' own access path.
    meeting.mentorship = workable_for(ctx, user, meeting.mentorship_id)
    return meeting


def may_plan(side: Side | None) -> bool:
    """The mentor and those who run the programme plan and record meetings; mentees read and
    rate them."""
    return side in (Side.MENTOR, Side.CURATOR)
