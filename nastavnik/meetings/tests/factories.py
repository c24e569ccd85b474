"""Pairs, groups and meetings for the meetings' tests, made directly (the pairs' own rules are
the mentorships' tests)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.matching.tests.data import approved_programme, mentee, mentor
from nastavnik.meetings.models import Attendance, Feedback, FeedbackSide, Meeting, MeetingStatus
from nastavnik.meetings.services import MeetingData
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.orgs.models import Organisation
from nastavnik.people.validators import org_today
from nastavnik.programmes.tests.data import builtin_form


def pair(
    org: Organisation,
    *,
    mentor_user: User | None = None,
    mentee_users: list[User | None] | None = None,
    mentees: int = 1,
    started_days_ago: int = 30,
    group: bool = False,
) -> Mentorship:
    """An active pair (or group, with `mentees` > 1) that began `started_days_ago` days ago;
    its mentor's and mentees' people are linked to the given accounts."""
    programme = approved_programme(org)
    the_mentor = mentor(programme, leads_group=group, capacity=5 if group else 2)
    if mentor_user is not None:
        the_mentor.person.user = mentor_user
        the_mentor.person.save(update_fields=["user"])
    users = list(mentee_users or [])
    count = max(mentees, len(users))
    today = org_today(org)
    started = today - timedelta(days=started_days_ago)
    mentorship = Mentorship.objects.create(
        organisation=org,
        programme=programme,
        form=builtin_form("student-student"),
        mentor=the_mentor,
        is_group=group or count > 1,
        started_on=started,
        planned_end=started + timedelta(days=300),
    )
    for index in range(count):
        one = mentee(programme)
        user = users[index] if index < len(users) else None
        if user is not None:
            one.person.user = user
            one.person.save(update_fields=["user"])
        MentorshipMentee.objects.create(organisation=org, mentorship=mentorship, mentee=one)
    return Mentorship.objects.select_related("organisation", "mentor__person").get(pk=mentorship.pk)


def meeting_data(kind: str = "first", **fields: Any) -> MeetingData:
    """What the form sends for a meeting in two days, 45 minutes in person in room 214."""
    values = {
        "kind": kind,
        "starts_at": timezone.now() + timedelta(days=2),
        "duration_minutes": 45,
        "format": "in_person",
        "place": "Кабинет 214",
        **fields,
    }
    return MeetingData(**values)


def meeting(
    mentorship: Mentorship,
    *,
    at: datetime | None = None,
    days: float = 1,
    status: str = MeetingStatus.PLANNED,
    **fields: Any,
) -> Meeting:
    """A meeting `days` from now (negative: in the past), or at `at`, held by the pair's
    mentor unless `mentor_id` says otherwise."""
    mentor_id = fields.pop("mentor_id", None) or mentorship.mentor_id
    values: dict[str, Any] = {
        "kind": "regular",
        "duration_minutes": 45,
        "format": "in_person",
        "place": "Кабинет 214",
        **fields,
    }
    made = Meeting.objects.create(
        organisation_id=mentorship.organisation_id,
        mentorship=mentorship,
        mentor_id=mentor_id,
        starts_at=at or timezone.now() + timedelta(days=days),
        status=status,
        **values,
    )
    if status == MeetingStatus.HELD:
        Attendance.objects.bulk_create(
            Attendance(organisation_id=made.organisation_id, meeting=made, member=member)
            for member in mentorship.members.filter(active=True)
        )
    return made


def rate(meeting: Meeting, person: Any, rating: int, side: str = FeedbackSide.MENTEE) -> Feedback:
    return Feedback.objects.create(
        organisation_id=meeting.organisation_id,
        meeting=meeting,
        author=person,
        side=side,
        rating=rating,
    )
