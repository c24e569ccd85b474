"""Meetings and feedback as the services keep them: dates within the pair's term, place or link
by format, attendance of groups, feedback once by the pair's own people, 1 to 10."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from nastavnik.audit.models import AuditEntry, AuditObject
from nastavnik.meetings import services
from nastavnik.meetings.models import Attendance, Feedback, Meeting, MeetingStatus
from nastavnik.meetings.tests.factories import meeting, meeting_data, pair, rate
from nastavnik.people.tests.factories import PersonFactory


def _messages(caught) -> list[str]:
    return caught.value.messages


def test_a_meeting_is_planned_and_audited(tenant_a):
    mentorship = pair(tenant_a.organisation)

    made = services.meeting_create(mentorship, meeting_data(), by=tenant_a.user("curator"))

    assert made.status == MeetingStatus.PLANNED
    assert made.place == "Кабинет 214"
    assert AuditEntry.objects.filter(object_type=AuditObject.MEETING, object_id=made.pk).exists()


def test_a_meeting_before_the_pair_began_is_refused_and_nothing_is_written(tenant_a):
    mentorship = pair(tenant_a.organisation, started_days_ago=10)
    zone = timezone.get_current_timezone()
    day_before = datetime.combine(mentorship.started_on - timedelta(days=1), time(15), zone)

    with pytest.raises(ValidationError) as caught:
        services.meeting_create(mentorship, meeting_data(starts_at=day_before), by=None)

    assert _messages(caught) == [
        gettext("The pair began working on %(start)s: a meeting cannot take place before that.")
        % {"start": mentorship.started_on.strftime("%d.%m.%Y")}
    ]
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.filter(object_type=AuditObject.MEETING).exists()


def test_the_first_day_counts_in_the_organisations_zone(tenant_a):
    org = tenant_a.organisation
    org.timezone = "Asia/Vladivostok"  # UTC+10
    org.save(update_fields=["timezone"])
    mentorship = pair(org, started_days_ago=0)
    # 00:30 of the first day in Vladivostok is still the day before in UTC.
    zone = timezone.get_fixed_timezone(600)
    early = datetime.combine(mentorship.started_on, time(0, 30), zone)

    made = services.meeting_create(mentorship, meeting_data(starts_at=early), by=None)

    assert made.starts_at == early


def test_a_meeting_after_the_planned_end_is_refused(tenant_a):
    mentorship = pair(tenant_a.organisation)
    zone = timezone.get_current_timezone()
    late = datetime.combine(mentorship.planned_end + timedelta(days=1), time(10), zone)

    with pytest.raises(ValidationError):
        services.meeting_create(mentorship, meeting_data(starts_at=late), by=None)
    assert not Meeting.objects.exists()


def test_an_inactive_pair_gets_no_meetings(tenant_a):
    mentorship = pair(tenant_a.organisation)
    mentorship.status = "completed"
    mentorship.save(update_fields=["status"])

    with pytest.raises(ValidationError) as caught:
        services.meeting_create(mentorship, meeting_data(), by=None)
    assert _messages(caught) == [
        gettext("This pair or group is no longer active: its meetings cannot change.")
    ]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"place": "  "}, "Enter the place of an in-person meeting."),
        ({"format": "remote", "link": ""}, "Enter the link to the call of a remote meeting."),
        (
            {"format": "remote", "link": "javascript:alert(1)"},
            "Enter a full web address of the call, starting with https://.",
        ),
        ({"duration_minutes": 0}, "A meeting lasts from 5 minutes to 10 hours."),
        ({"kind": "group_final"}, "The final group meeting is held by groups only."),
    ],
)
def test_bad_meetings_are_refused(tenant_a, fields, message):
    mentorship = pair(tenant_a.organisation)

    with pytest.raises(ValidationError) as caught:
        services.meeting_create(mentorship, meeting_data(**fields), by=None)

    assert _messages(caught) == [gettext(message)]
    assert not Meeting.objects.exists()


def test_a_remote_meeting_keeps_the_link_not_a_place(tenant_a):
    mentorship = pair(tenant_a.organisation)

    made = services.meeting_create(
        mentorship,
        meeting_data(format="remote", link="https://telemost.yandex.ru/j/123", place="Кабинет 1"),
        by=None,
    )

    assert (made.link, made.place) == ("https://telemost.yandex.ru/j/123", "")


def test_a_new_time_means_a_new_reminder(tenant_a):
    mentorship = pair(tenant_a.organisation)
    planned = meeting(mentorship, days=1, reminded_at=timezone.now())

    services.meeting_update(
        planned, meeting_data(starts_at=planned.starts_at + timedelta(days=1)), by=None
    )

    planned.refresh_from_db()
    assert planned.reminded_at is None
    assert planned.kind == "first"


def test_a_held_or_cancelled_meeting_does_not_change(tenant_a):
    mentorship = pair(tenant_a.organisation)
    held = meeting(mentorship, days=-1, status=MeetingStatus.HELD)

    for write in (
        lambda: services.meeting_update(held, meeting_data(), by=None),
        lambda: services.meeting_cancel(held, by=None),
        lambda: services.meeting_mark_held(held, by=None),
    ):
        with pytest.raises(ValidationError):
            write()
    held.refresh_from_db()
    assert held.status == MeetingStatus.HELD
    assert held.kind == "regular"


def test_a_pair_meeting_held_counts_the_mentee_present(tenant_a):
    mentorship = pair(tenant_a.organisation)
    planned = meeting(mentorship, days=-0.1)

    services.meeting_mark_held(planned, by=None, notes="Познакомились", next_steps="Составить план")

    planned.refresh_from_db()
    assert planned.status == MeetingStatus.HELD
    assert (planned.notes, planned.next_steps) == ("Познакомились", "Составить план")
    assert [a.member for a in planned.attendance.all()] == list(mentorship.members.all())


def test_a_future_meeting_cannot_be_marked_held(tenant_a):
    planned = meeting(pair(tenant_a.organisation), days=1)

    with pytest.raises(ValidationError) as caught:
        services.meeting_mark_held(planned, by=None)

    assert _messages(caught) == [gettext("A meeting can be marked as held once it has begun.")]
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.PLANNED


def test_a_group_meeting_records_who_came(tenant_a):
    group = pair(tenant_a.organisation, mentees=3, group=True)
    members = list(group.members.all())
    planned = meeting(group, days=-0.1)

    with pytest.raises(ValidationError):
        services.meeting_mark_held(planned, by=None, present=[])
    assert not Attendance.objects.exists()

    services.meeting_mark_held(planned, by=None, present=members[:2])

    assert set(Attendance.objects.values_list("member", flat=True)) == {m.pk for m in members[:2]}


def test_a_member_of_another_group_cannot_be_marked_present(tenant_a):
    group = pair(tenant_a.organisation, mentees=2, group=True)
    other = pair(tenant_a.organisation)
    planned = meeting(group, days=-0.1)

    with pytest.raises(ValidationError):
        services.meeting_mark_held(planned, by=None, present=list(other.members.all()))

    planned.refresh_from_db()
    assert planned.status == MeetingStatus.PLANNED
    assert not Attendance.objects.exists()


# --- Feedback -------------------------------------------------------------------------------


def test_the_mentor_and_the_mentee_rate_a_held_meeting(tenant_a):
    mentorship = pair(tenant_a.organisation)
    held = meeting(mentorship, days=-1, status=MeetingStatus.HELD)
    the_mentee = mentorship.members.get().mentee.person

    services.feedback_give(held, author=mentorship.mentor.person, rating=9, by=None)
    services.feedback_give(held, author=the_mentee, rating=8, comment="Полезно", by=None)

    assert sorted(held.feedback.values_list("side", "rating")) == [("mentee", 8), ("mentor", 9)]
    assert AuditEntry.objects.filter(object_type=AuditObject.FEEDBACK).count() == 2


@pytest.mark.parametrize("rating", [0, 11, -3, "7", 7.5, None, True])
def test_a_rating_outside_1_to_10_is_refused(tenant_a, rating):
    mentorship = pair(tenant_a.organisation)
    held = meeting(mentorship, days=-1, status=MeetingStatus.HELD)

    with pytest.raises(ValidationError) as caught:
        services.feedback_give(held, author=mentorship.mentor.person, rating=rating, by=None)

    assert _messages(caught) == [
        gettext("The rating is a whole number from %(min)s to %(max)s.") % {"min": 1, "max": 10}
    ]
    assert not Feedback.objects.exists()


def test_the_database_refuses_a_rating_outside_1_to_10_too(tenant_a):
    mentorship = pair(tenant_a.organisation)
    held = meeting(mentorship, days=-1, status=MeetingStatus.HELD)

    with pytest.raises(IntegrityError), transaction.atomic():
        rate(held, mentorship.mentor.person, 11, side="mentor")


def test_someone_outside_the_pair_cannot_rate(tenant_a):
    mentorship = pair(tenant_a.organisation)
    other = pair(tenant_a.organisation)
    held = meeting(mentorship, days=-1, status=MeetingStatus.HELD)

    for stranger in (other.mentor.person, PersonFactory(organisation=tenant_a.organisation)):
        with pytest.raises(ValidationError) as caught:
            services.feedback_give(held, author=stranger, rating=8, by=None)
        assert _messages(caught) == [
            gettext("Only the mentor and the mentees of this pair or group can rate its meetings.")
        ]
    assert not Feedback.objects.exists()


def test_a_mentee_who_left_the_group_cannot_rate(tenant_a):
    mentorship = pair(tenant_a.organisation)
    held = meeting(mentorship, days=-1, status=MeetingStatus.HELD)
    member = mentorship.members.get()
    member.active = False
    member.save(update_fields=["active"])

    with pytest.raises(ValidationError):
        services.feedback_give(held, author=member.mentee.person, rating=8, by=None)
    assert not Feedback.objects.exists()


def test_feedback_is_given_once(tenant_a):
    mentorship = pair(tenant_a.organisation)
    held = meeting(mentorship, days=-1, status=MeetingStatus.HELD)
    services.feedback_give(held, author=mentorship.mentor.person, rating=9, by=None)

    with pytest.raises(ValidationError) as caught:
        services.feedback_give(held, author=mentorship.mentor.person, rating=3, by=None)

    assert _messages(caught) == [gettext("You have already rated this meeting.")]
    assert list(Feedback.objects.values_list("rating", flat=True)) == [9]


def test_future_and_cancelled_meetings_are_not_rated(tenant_a):
    mentorship = pair(tenant_a.organisation)
    future = meeting(mentorship, days=1)
    cancelled = meeting(mentorship, days=-1, status=MeetingStatus.CANCELLED)

    with pytest.raises(ValidationError) as caught:
        services.feedback_give(future, author=mentorship.mentor.person, rating=8, by=None)
    assert _messages(caught) == [gettext("A meeting can be rated once it has taken place.")]
    with pytest.raises(ValidationError) as caught:
        services.feedback_give(cancelled, author=mentorship.mentor.person, rating=8, by=None)
    assert _messages(caught) == [gettext("A cancelled meeting cannot be rated.")]
    assert not Feedback.objects.exists()


def test_a_past_meeting_not_yet_marked_may_be_rated(tenant_a):
    mentorship = pair(tenant_a.organisation)
    past = meeting(mentorship, days=-1)

    services.feedback_give(past, author=mentorship.members.get().mentee.person, rating=7, by=None)

    assert past.feedback.count() == 1


def test_a_group_mentee_who_was_absent_does_not_rate(tenant_a):
    group = pair(tenant_a.organisation, mentees=2, group=True)
    came, missed = group.members.all()
    planned = meeting(group, days=-0.1)
    services.meeting_mark_held(planned, by=None, present=[came])

    with pytest.raises(ValidationError) as caught:
        services.feedback_give(planned, author=missed.mentee.person, rating=8, by=None)
    assert _messages(caught) == [gettext("Only mentees who attended the meeting can rate it.")]
    services.feedback_give(planned, author=came.mentee.person, rating=8, by=None)
    assert planned.feedback.count() == 1


# --- Settings and the calendar address ------------------------------------------------------


@pytest.mark.parametrize("weeks", [0, 53, "3", None])
def test_settings_out_of_range_are_refused(tenant_a, weeks):
    from nastavnik.meetings.models import MeetingSettings

    with pytest.raises(ValidationError):
        services.settings_update(
            tenant_a.organisation, weeks_without_meeting=weeks, reminder_hours=24, by=None
        )
    assert not MeetingSettings.objects.exists()
    assert services.settings_of(tenant_a.organisation).weeks_without_meeting == 3


def test_a_new_calendar_token_makes_the_old_one_stop_working(tenant_a):
    person = PersonFactory(organisation=tenant_a.organisation)
    first = services.feed_issue(person)
    assert services.feed_person(first) == person

    second = services.feed_issue(person)

    assert services.feed_person(first) is None
    assert services.feed_person(second) == person
    assert len(second) >= 43  # 32 random bytes
    from nastavnik.meetings.models import CalendarFeed

    assert second not in CalendarFeed.objects.get().token_hash
