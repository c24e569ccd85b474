"""The meetings through the life of their pair (issue 17): the end of a pair cancels its future
meetings, which leave the calendars and feeds; a replacement leaves the old mentor's meetings,
ratings and flags with the old mentor; the silent-pair flag does not count a recorded
absence."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from icalendar import Calendar

from nastavnik.matching.tests.data import mentor
from nastavnik.meetings import services
from nastavnik.meetings.flags import pair_flags
from nastavnik.meetings.models import Meeting, MeetingStatus
from nastavnik.meetings.selectors import feedback_due
from nastavnik.meetings.tests.factories import meeting, rate
from nastavnik.mentorships import services as pairs
from nastavnik.mentorships.models import AbsenceReason, AbsentSide, MentorAssignment
from nastavnik.mentorships.tests.data import active_pair, due_pair
from nastavnik.orgs.models import Role
from nastavnik.people.tests.data import with_account


def _feed_uids(client, person) -> set[str]:
    token = services.feed_issue(person)
    response = client.get(reverse("calendar_feed:feed", args=[token]))
    assert response.status_code == 200
    return {str(e["uid"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}


def _uid(one: Meeting) -> str:
    return f"meeting-{one.pk}@{one.organisation.slug}.nastavnik"


def _calendar(client, org, moment) -> str:
    month = timezone.localtime(moment).strftime("%Y-%m")
    url = reverse("meetings:calendar", kwargs={"org_slug": org.slug})
    return client.get(url, {"month": month}).content.decode()


def _detail(one: Meeting) -> str:
    return reverse(
        "meetings:detail", kwargs={"org_slug": one.organisation.slug, "meeting_pk": one.pk}
    )


# --- The end of a pair cancels its future meetings ------------------------------------------------


def test_completion_cancels_the_future_meetings_and_they_leave_calendars_and_feeds(
    client, tenant_a, programme, today
):
    org = tenant_a.organisation
    pair = due_pair(programme)
    mentor_person = with_account(pair.mentor.person, tenant_a.user(Role.MENTOR))
    mentee_person = with_account(pair.members.get().mentee.person, tenant_a.user(Role.MENTEE))
    held = meeting(pair, days=-3, status=MeetingStatus.HELD)
    future = meeting(pair, days=6)
    others = meeting(active_pair(programme), days=6)
    # Before the end the future meeting is in both feeds and the mentor's calendar.
    assert _uid(future) in _feed_uids(client, mentor_person)
    assert _uid(future) in _feed_uids(client, mentee_person)
    client.force_login(tenant_a.user(Role.MENTOR))
    assert _detail(future) in _calendar(client, org, future.starts_at)

    pairs.mentorship_complete(pair, ended_on=today, by=None)

    future.refresh_from_db()
    assert future.status == MeetingStatus.CANCELLED
    assert today.strftime("%d.%m.%Y") in future.cancel_reason
    held.refresh_from_db()
    others.refresh_from_db()
    assert (held.status, others.status) == (MeetingStatus.HELD, MeetingStatus.PLANNED)
    assert _uid(future) not in _feed_uids(client, mentor_person)
    assert _uid(future) not in _feed_uids(client, mentee_person)
    assert _detail(future) not in _calendar(client, org, future.starts_at)
    cabinet = client.get(reverse("cabinets:mentor", kwargs={"org_slug": org.slug}))
    assert _detail(future) not in cabinet.content.decode()
    # The history stays: the held meeting is still on the pair's list.
    page = client.get(
        reverse("meetings:list", kwargs={"org_slug": org.slug, "mentorship_pk": pair.pk})
    ).content.decode()
    assert _detail(held) in page


def test_termination_and_early_completion_cancel_the_future_meetings_too(programme, today):
    terminated, early = active_pair(programme), active_pair(programme)
    ahead = [meeting(terminated, days=4), meeting(early, days=4)]
    pairs.mentorship_terminate(terminated, ended_on=today, reason="Переезд", by=None)
    pairs.mentorship_complete_early(early, ended_on=today, reason="Освоил программу", by=None)
    assert {Meeting.objects.get(pk=m.pk).status for m in ahead} == {MeetingStatus.CANCELLED}


def test_a_late_completion_cancels_the_planned_meetings_after_its_end(programme, today):
    """Completed today as of a day ago: a meeting planned between the end and now never was."""
    pair = active_pair(
        programme, started_on=today - timedelta(days=200), planned_end=today - timedelta(days=2)
    )
    before_end = meeting(pair, days=-4)
    zone = zoneinfo.ZoneInfo(programme.organisation.timezone)
    after_end = meeting(pair, at=datetime.combine(today, time.min, tzinfo=zone))
    pairs.mentorship_complete(pair, ended_on=today - timedelta(days=1), by=None)
    assert Meeting.objects.get(pk=before_end.pk).status == MeetingStatus.PLANNED
    assert Meeting.objects.get(pk=after_end.pk).status == MeetingStatus.CANCELLED


# --- A replacement leaves the old mentor's meetings with the old mentor ---------------------------


def _replace(pair, programme, today):
    new = mentor(programme)
    pairs.mentor_replace(pair, new_mentor=new, ground="request", on=today, by=None)
    return new


def test_after_a_replacement_the_meetings_stay_with_the_mentor_who_held_them(
    client, tenant_a, programme, today
):
    org = tenant_a.organisation
    pair = active_pair(programme, started_on=today - timedelta(days=60))
    old = pair.mentor
    held = [
        meeting(pair, days=-40, status=MeetingStatus.HELD),
        meeting(pair, days=-20, status=MeetingStatus.HELD),
    ]
    mentee = pair.members.get().mentee.person
    rate(held[1], mentee, 8)
    planned = meeting(pair, days=7)

    new = _replace(pair, programme, today)

    assert {Meeting.objects.get(pk=m.pk).mentor_id for m in held} == {old.pk}
    assert Meeting.objects.get(pk=planned.pk).mentor_id == new.pk
    # The new mentor owes no feedback on the old mentor's meetings and may not give it.
    assert feedback_due([new.person_id], timezone.now()) == []
    # (the one of the last 30 days: older ones are no longer asked for)
    assert [m.pk for m in feedback_due([old.person_id], timezone.now())] == [held[1].pk]
    with pytest.raises(ValidationError) as caught:
        services.feedback_give(held[1], author=new.person, rating=9, by=None)
    assert caught.value.code == "outsider"
    services.feedback_give(held[1], author=old.person, rating=9, by=None)
    # A meeting the new mentor plans is theirs.
    made = services.meeting_create(
        pair,
        services.MeetingData(
            kind="regular",
            starts_at=timezone.now() + timedelta(days=3),
            duration_minutes=45,
            format="in_person",
            place="Кабинет 214",
        ),
        by=None,
    )
    assert made.mentor_id == new.pk

    # The pages: the pair's list names who held each meeting, the mentors' cards count their own.
    client.force_login(tenant_a.user(Role.CURATOR))
    page = client.get(
        reverse("meetings:list", kwargs={"org_slug": org.slug, "mentorship_pk": pair.pk})
    ).content.decode()
    assert old.person.full_name in page and new.person.full_name in page
    stretches = {
        a.mentor_id: a.meetings_held
        for a in MentorAssignment.objects.filter(mentorship=pair).with_meetings_held()
    }
    assert stretches == {old.pk: 2, new.pk: 0}
    card = client.get(
        reverse("mentorships:detail", kwargs={"org_slug": org.slug, "mentorship_pk": pair.pk})
    ).content.decode()
    assert '<td class="num">2</td>' in card and '<td class="num">0</td>' in card
    for who, held_count in ((old, 2), (new, 0)):
        page = client.get(
            reverse("mentors:detail", kwargs={"org_slug": org.slug, "mentor_pk": who.pk})
        ).content.decode()
        text = ngettext("%(held)s meeting held", "%(held)s meetings held", held_count)
        assert text % {"held": held_count} in page


def test_the_new_mentors_calendar_starts_with_the_meetings_passed_on(
    client, tenant_a, programme, today
):
    org = tenant_a.organisation
    pair = active_pair(programme, started_on=today - timedelta(days=60))
    held = meeting(pair, days=-1, status=MeetingStatus.HELD)
    planned = meeting(pair, days=1)
    new = _replace(pair, programme, today)
    with_account(new.person, tenant_a.user(Role.MENTOR))
    client.force_login(tenant_a.user(Role.MENTOR))
    page = _calendar(client, org, held.starts_at) + _calendar(client, org, planned.starts_at)
    assert _detail(planned) in page
    assert _detail(held) not in page
    uids = _feed_uids(client, new.person)
    assert _uid(planned) in uids and _uid(held) not in uids


def test_flags_after_a_replacement_are_the_current_mentors(programme, today):
    """The old mentor's falling ratings and silence are not credited to the new mentor."""
    org = programme.organisation
    pair = active_pair(programme, started_on=today - timedelta(days=90))
    mentee = pair.members.get().mentee.person
    for days, rating in ((-60, 9), (-40, 5)):
        rate(meeting(pair, days=days, status=MeetingStatus.HELD), mentee, rating)
    now = timezone.now()
    flags = pair_flags(org, now, today)
    assert pair.pk in {f.mentorship.pk for f in flags.falling}
    assert pair.pk in {f.mentorship.pk for f in flags.stale}

    _replace(pair, programme, today - timedelta(days=5))

    flags = pair_flags(org, now, today)
    assert pair.pk not in {f.mentorship.pk for f in flags.falling}
    assert pair.pk not in {f.mentorship.pk for f in flags.stale}


# --- The silent-pair flag and a recorded absence ------------------------------------------------


def _absence(pair, start, end, side=AbsentSide.MENTEE):
    pairs.mentorship_extend(
        pair,
        reason=AbsenceReason.ILLNESS,
        absent_side=side,
        absent_from=start,
        absent_to=end,
        by=None,
    )


def test_the_silent_pair_flag_does_not_count_a_recorded_absence(programme, today):
    org = programme.organisation
    ill = active_pair(programme, started_on=today - timedelta(days=60))
    away = active_pair(programme, started_on=today - timedelta(days=60))
    silent = active_pair(programme, started_on=today - timedelta(days=60))
    before = active_pair(programme, started_on=today - timedelta(days=60))
    for pair in (ill, away, silent, before):
        meeting(pair, days=-28, status=MeetingStatus.HELD)
    # Four weeks without a meeting, two of them the mentee ill, or the mentor away till today.
    _absence(ill, today - timedelta(days=20), today - timedelta(days=7))
    _absence(away, today - timedelta(days=14), today, side=AbsentSide.MENTOR)
    # An absence before the last meeting does not excuse the silence after it.
    _absence(before, today - timedelta(days=50), today - timedelta(days=35))

    flagged = {f.mentorship.pk for f in pair_flags(org, timezone.now(), today).stale}

    assert ill.pk not in flagged and away.pk not in flagged
    assert silent.pk in flagged and before.pk in flagged


def test_an_absence_from_the_start_delays_the_flag_of_a_pair_without_meetings(programme, today):
    org = programme.organisation
    ill = active_pair(programme, started_on=today - timedelta(days=25))
    idle = active_pair(programme, started_on=today - timedelta(days=25))
    _absence(ill, today - timedelta(days=25), today - timedelta(days=15))
    flagged = {f.mentorship.pk for f in pair_flags(org, timezone.now(), today).stale}
    assert idle.pk in flagged and ill.pk not in flagged
