"""The calendar feed (content, time zone, secrecy), the reminders, the curator's flags and the
selectors the cabinets use."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from nastavnik.consents.models import Consent, Purpose
from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.meetings import services
from nastavnik.meetings.flags import pair_flags
from nastavnik.meetings.models import Meeting, MeetingSettings, MeetingStatus
from nastavnik.meetings.reminders import remind_due
from nastavnik.meetings.selectors import feedback_due, upcoming_meetings
from nastavnik.meetings.tests.factories import meeting, pair, rate
from nastavnik.orgs.models import Role


def _feed_url(token: str) -> str:
    return reverse("calendar_feed:feed", args=[token])


# --- The feed -------------------------------------------------------------------------------


def test_the_feed_lists_the_persons_meetings_in_the_organisations_zone(client, tenant_a):
    org = tenant_a.organisation
    org.timezone = "Asia/Novosibirsk"  # UTC+7
    org.save(update_fields=["timezone"])
    mentorship = pair(org)
    zone = timezone.get_fixed_timezone(7 * 60)
    day = mentorship.started_on + timedelta(days=40)
    remote = meeting(
        mentorship,
        at=datetime.combine(day, time(16, 0), zone),
        format="remote",
        link="https://telemost.yandex.ru/j/42",
        place="",
        kind="planning",
        notes="Тревожность перед ОГЭ",
    )
    cancelled = meeting(mentorship, days=2, status=MeetingStatus.CANCELLED)
    someone_elses = meeting(pair(org), days=3)
    mentee = mentorship.members.get().mentee.person
    token = services.feed_issue(mentee)

    response = client.get(_feed_url(token))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        f"meeting-{remote.pk}@{org.slug}.nastavnik",
        f"meeting-{cancelled.pk}@{org.slug}.nastavnik",
    }
    assert f"meeting-{someone_elses.pk}@{org.slug}.nastavnik" not in events
    event = events[f"meeting-{remote.pk}@{org.slug}.nastavnik"]
    start = event.decoded("dtstart")
    assert start.utcoffset() == timedelta(hours=7)
    assert (start.hour, start.minute) == (16, 0)
    assert str(event["dtstart"].params["TZID"]) == "Asia/Novosibirsk"
    assert event.decoded("dtend") - start == timedelta(minutes=45)
    assert str(event["location"]) == "https://telemost.yandex.ru/j/42"
    assert mentorship.mentor.person.short_name in str(event["summary"])
    assert str(events[f"meeting-{cancelled.pk}@{org.slug}.nastavnik"]["status"]) == "CANCELLED"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Novosibirsk"]
    assert "Тревожность" not in response.content.decode()


@pytest.mark.parametrize("token", ["wrong", "x" * 43, "x" * 500])
def test_a_wrong_token_is_not_found(client, tenant_a, token):
    services.feed_issue(pair(tenant_a.organisation).mentor.person)

    assert client.get(_feed_url(token)).status_code == 404


def test_a_revoked_address_stops_working(client, tenant_a):
    person = pair(tenant_a.organisation).mentor.person
    token = services.feed_issue(person)
    services.feed_revoke(person)

    assert client.get(_feed_url(token)).status_code == 404


# --- Reminders ------------------------------------------------------------------------------


def test_participants_are_reminded_once_a_day_before(tenant_a, django_capture_on_commit_callbacks):
    mentorship = pair(tenant_a.organisation)
    mentorship.mentor.person.email = "mentor@example.ru"
    mentorship.mentor.person.save(update_fields=["email"])
    mentee = mentorship.members.get().mentee.person
    mentee.email = "mentee@example.ru"
    mentee.save(update_fields=["email"])
    soon = meeting(mentorship, days=0.5, place="Библиотека")
    later = meeting(mentorship, days=3)
    meeting(mentorship, days=0.6, status=MeetingStatus.CANCELLED)

    with django_capture_on_commit_callbacks(execute=True):
        out = StringIO()
        call_command("remind_meetings", stdout=out)
    assert out.getvalue().strip() == "Reminders sent: 2"

    assert sorted(m.to[0] for m in mail.outbox) == ["mentee@example.ru", "mentor@example.ru"]
    letter = next(m for m in mail.outbox if m.to == ["mentee@example.ru"])
    assert "Библиотека" in letter.body
    assert mentorship.mentor.person.full_name in letter.body
    assert reverse("meetings:detail", args=[tenant_a.organisation.slug, soon.pk]) in letter.body
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminded_at is not None and later.reminded_at is None

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due() == 0
    assert len(mail.outbox) == 2


def test_whoever_withdrew_the_consent_gets_no_reminder(
    tenant_a, django_capture_on_commit_callbacks
):
    mentorship = pair(tenant_a.organisation)
    mentor = mentorship.mentor.person
    mentor.email = "mentor@example.ru"
    mentor.save(update_fields=["email"])
    mentee = mentorship.members.get().mentee.person
    mentee.email = "mentee@example.ru"
    mentee.save(update_fields=["email"])
    # The mentee's processing consent was withdrawn: the address is not to be used any more.
    ConsentFactory(subject=mentee, given_by=mentee)
    Consent.objects.filter(subject=mentee, purpose=Purpose.PROCESSING).update(
        withdrawn_at=timezone.now()
    )
    meeting(mentorship, days=0.5)

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due() == 1

    assert [m.to for m in mail.outbox] == [["mentor@example.ru"]]


def test_the_reminder_shows_the_time_in_the_organisations_zone(
    tenant_a, django_capture_on_commit_callbacks
):
    org = tenant_a.organisation
    org.timezone = "Asia/Vladivostok"  # UTC+10
    org.save(update_fields=["timezone"])
    mentorship = pair(org)
    mentorship.mentor.person.email = "mentor@example.ru"
    mentorship.mentor.person.save(update_fields=["email"])
    now = timezone.now()
    at = (now + timedelta(hours=5)).replace(minute=0, second=0, microsecond=0)
    meeting(mentorship, at=at)

    with django_capture_on_commit_callbacks(execute=True):
        remind_due(now)

    local = at.astimezone(timezone.get_fixed_timezone(600))
    assert f"{local:%H:%M}" in mail.outbox[0].subject


def test_the_organisations_reminder_time_is_kept(tenant_a, django_capture_on_commit_callbacks):
    MeetingSettings.objects.create(organisation=tenant_a.organisation, reminder_hours=2)
    mentorship = pair(tenant_a.organisation)
    mentorship.mentor.person.email = "mentor@example.ru"
    mentorship.mentor.person.save(update_fields=["email"])
    meeting(mentorship, days=0.5)

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due() == 0
    assert mail.outbox == []


# --- Flags ----------------------------------------------------------------------------------


def _now_today():
    return timezone.now(), timezone.localdate()


def test_a_pair_without_a_held_meeting_for_three_weeks_is_flagged(tenant_a):
    org = tenant_a.organisation
    quiet = pair(org, started_days_ago=40)
    meeting(quiet, days=-25, status=MeetingStatus.HELD)
    meeting(quiet, days=-2, status=MeetingStatus.CANCELLED)
    never = pair(org, started_days_ago=30)
    fresh = pair(org, started_days_ago=5)
    busy = pair(org, started_days_ago=60)
    meeting(busy, days=-7, status=MeetingStatus.HELD)

    flags = pair_flags(org, *_now_today())

    assert {flag.mentorship for flag in flags.stale} == {quiet, never}
    assert fresh not in {flag.mentorship for flag in flags.stale}

    MeetingSettings.objects.create(organisation=org, weeks_without_meeting=5)
    assert {f.mentorship for f in pair_flags(org, *_now_today()).stale} == set()


def test_falling_ratings_are_flagged(tenant_a):
    org = tenant_a.organisation
    falling = pair(org, started_days_ago=60)
    steady = pair(org, started_days_ago=60)
    for mentorship, ratings in ((falling, (9, 6)), (steady, (8, 7))):
        mentee = mentorship.members.get().mentee.person
        for days, rating in zip((-20, -5), ratings, strict=True):
            held = meeting(mentorship, days=days, status=MeetingStatus.HELD)
            rate(held, mentee, rating)
            rate(held, mentorship.mentor.person, rating, side="mentor")

    flags = pair_flags(org, *_now_today())

    assert [(f.mentorship, f.previous, f.last) for f in flags.falling] == [(falling, 9.0, 6.0)]


def test_the_dashboard_shows_the_flags_in_a_bounded_number_of_queries(
    client, tenant_a, django_assert_max_num_queries
):
    org = tenant_a.organisation
    client.force_login(tenant_a.user(Role.CURATOR))
    url = reverse("orgs:dashboard", args=[org.slug])
    pair(org, started_days_ago=40)
    client.get(url)
    # 60 for the dashboard, and the one COUNT of the notifications' bell in the header.
    with django_assert_max_num_queries(62) as few:
        client.get(url)
    for _ in range(4):
        stale = pair(org, started_days_ago=40)
        held = meeting(stale, days=-30, status=MeetingStatus.HELD)
        rate(held, stale.mentor.person, 9, side="mentor")
        later = meeting(stale, days=-25, status=MeetingStatus.HELD)
        rate(later, stale.mentor.person, 5, side="mentor")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    page = response.content.decode()
    assert page.count(reverse("meetings:list", args=[org.slug, stale.pk])) == 2


def test_the_mentor_sees_no_flags(client, tenant_a):
    pair(tenant_a.organisation, started_days_ago=40, mentor_user=tenant_a.user(Role.MENTOR))
    client.force_login(tenant_a.user(Role.MENTOR))

    response = client.get(reverse("orgs:dashboard", args=[tenant_a.organisation.slug]))

    assert "pair_flags" not in response.context or response.context["pair_flags"] is None


# --- Selectors for the cabinets -------------------------------------------------------------


def test_upcoming_meetings_and_feedback_due(tenant_a):
    mentorship = pair(tenant_a.organisation, mentees=2, group=True)
    came, missed = mentorship.members.all()
    now = timezone.now()
    soon, later = meeting(mentorship, days=1), meeting(mentorship, days=5)
    meeting(mentorship, days=2, status=MeetingStatus.CANCELLED)
    held = meeting(mentorship, days=-2)
    services.meeting_mark_held(held, by=None, present=[came])
    begun = meeting(mentorship, days=-0.1)
    old = meeting(mentorship, days=-40, status=MeetingStatus.HELD)

    assert upcoming_meetings([mentorship.pk], now) == [soon, later]
    assert upcoming_meetings([mentorship.pk], now, limit=1) == [soon]
    assert feedback_due([came.mentee.person_id], now) == [begun, held]
    assert feedback_due([missed.mentee.person_id], now) == [begun]
    assert old not in feedback_due([mentorship.mentor.person_id], now)

    rate(held, came.mentee.person, 8)
    assert feedback_due([came.mentee.person_id], now) == [begun]
    assert Meeting.objects.count() == 6
