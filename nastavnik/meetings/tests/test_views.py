"""The meetings' pages through the doors users use: the mentor plans and records, the mentee
reads and rates, another pair's people and members without the right see nothing."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from conftest import make_tenant
from nastavnik.core.tests.shared_rows import copied, module_rows
from nastavnik.meetings.models import Feedback, Meeting, MeetingStatus
from nastavnik.meetings.tests.factories import meeting, pair, rate
from nastavnik.orgs.models import Role


def _build():
    tenant_a = make_tenant("school-a")
    mentorship = pair(
        tenant_a.organisation,
        mentor_user=tenant_a.user(Role.MENTOR),
        mentee_users=[tenant_a.user(Role.MENTEE)],
    )
    return tenant_a, mentorship


built = module_rows(_build)


@pytest.fixture
def world(built, db):
    # Built once for the module; each test runs in a savepoint of it with its own copy.
    return copied(built)


def _url(name, org, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _form(**fields):
    local = timezone.localtime(timezone.now() + timedelta(days=2))
    return {
        "kind": "first",
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "format": "in_person",
        "place": "Кабинет 214",
        "notes": "Знакомство",
        **fields,
    }


def test_the_mentor_plans_a_meeting_in_the_organisations_zone(client, world):
    tenant, mentorship = world
    org = tenant.organisation
    org.timezone = "Asia/Yekaterinburg"  # UTC+5
    org.save(update_fields=["timezone"])
    client.force_login(tenant.user(Role.MENTOR))
    day = mentorship.started_on + timedelta(days=3)

    response = client.post(
        _url("create", org, mentorship_pk=mentorship.pk),
        _form(starts_at=f"{day:%Y-%m-%d}T15:30"),
    )

    made = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("detail", org, meeting_pk=made.pk)
    # 15:30 in Yekaterinburg is 10:30 UTC.
    assert made.starts_at.astimezone(UTC).strftime("%H:%M") == "10:30"
    page = client.get(response["Location"])
    assert "15:30" in page.content.decode()


def test_a_meeting_before_the_pair_began_is_refused_on_the_form(client, world):
    tenant, mentorship = world
    client.force_login(tenant.user(Role.MENTOR))
    before = mentorship.started_on - timedelta(days=2)

    response = client.post(
        _url("create", tenant.organisation, mentorship_pk=mentorship.pk),
        _form(starts_at=f"{before:%Y-%m-%d}T15:00"),
    )

    assert response.status_code == 200
    assert (
        gettext("The pair began working on %(start)s: a meeting cannot take place before that.")
        % {"start": mentorship.started_on.strftime("%d.%m.%Y")}
        in response.content.decode()
    )
    assert not Meeting.objects.exists()


def test_the_mentee_reads_but_does_not_plan(client, world):
    tenant, mentorship = world
    planned = meeting(mentorship, days=1)
    client.force_login(tenant.user(Role.MENTEE))

    listing = client.get(_url("list", tenant.organisation, mentorship_pk=mentorship.pk))
    assert listing.status_code == 200
    assert _url("detail", tenant.organisation, meeting_pk=planned.pk) in listing.content.decode()
    assert _url("create", tenant.organisation, mentorship_pk=mentorship.pk) not in (
        listing.content.decode()
    )

    for name, kwargs in (
        ("create", {"mentorship_pk": mentorship.pk}),
        ("edit", {"meeting_pk": planned.pk}),
        ("cancel", {"meeting_pk": planned.pk}),
        ("hold", {"meeting_pk": planned.pk}),
    ):
        assert client.post(_url(name, tenant.organisation, **kwargs), _form()).status_code == 403
    assert Meeting.objects.get().status == MeetingStatus.PLANNED
    assert Meeting.objects.count() == 1


def test_people_of_another_pair_do_not_see_it(client, world):
    tenant, _ = world
    other = pair(tenant.organisation)
    held = meeting(other, days=-1, status=MeetingStatus.HELD)
    org = tenant.organisation

    for role in (Role.MENTOR, Role.MENTEE):
        client.force_login(tenant.user(role))
        assert client.get(_url("list", org, mentorship_pk=other.pk)).status_code == 404
        assert client.get(_url("detail", org, meeting_pk=held.pk)).status_code == 404
        assert client.post(_url("rate", org, meeting_pk=held.pk), {"rating": "9"}).status_code == (
            404
        )
    # Members without the right to pairs' work are refused outright.
    client.force_login(tenant.user(Role.SPECIALIST))
    assert client.get(_url("detail", org, meeting_pk=held.pk)).status_code == 403
    assert not Feedback.objects.exists()


def test_the_mentor_marks_the_meeting_held_and_the_mentee_rates_it(client, world):
    tenant, mentorship = world
    planned = meeting(mentorship, days=-0.05)
    client.force_login(tenant.user(Role.MENTOR))

    response = client.post(
        _url("hold", tenant.organisation, meeting_pk=planned.pk),
        {"notes": "Обсудили цели", "next_steps": "Прочитать главу 3"},
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.HELD

    client.force_login(tenant.user(Role.MENTEE))
    page = client.get(_url("detail", tenant.organisation, meeting_pk=planned.pk))
    assert "Прочитать главу 3" in page.content.decode()
    assert gettext("How did the meeting go?") in page.content.decode()

    response = client.post(
        _url("rate", tenant.organisation, meeting_pk=planned.pk),
        {"rating": "8", "comment": "Понравилось"},
        follow=True,
    )
    assert gettext("Thank you: your rating is saved.") in response.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.side, feedback.rating, feedback.comment) == ("mentee", 8, "Понравилось")
    assert gettext("How did the meeting go?") not in response.content.decode()


@pytest.mark.parametrize("rating", ["0", "11"])
def test_a_rating_out_of_range_is_refused_on_the_page(client, world, rating):
    tenant, mentorship = world
    held = meeting(mentorship, days=-1, status=MeetingStatus.HELD)
    client.force_login(tenant.user(Role.MENTEE))

    response = client.post(
        _url("rate", tenant.organisation, meeting_pk=held.pk), {"rating": rating}, follow=True
    )

    assert (
        gettext("The rating is a whole number from %(min)s to %(max)s.") % {"min": 1, "max": 10}
        in response.content.decode()
    )
    assert not Feedback.objects.exists()


def test_rating_twice_is_refused_on_the_page(client, world):
    tenant, mentorship = world
    held = meeting(mentorship, days=-1, status=MeetingStatus.HELD)
    client.force_login(tenant.user(Role.MENTEE))
    url = _url("rate", tenant.organisation, meeting_pk=held.pk)
    client.post(url, {"rating": "8"})

    response = client.post(url, {"rating": "2"}, follow=True)

    assert gettext("You have already rated this meeting.") in response.content.decode()
    assert list(Feedback.objects.values_list("rating", flat=True)) == [8]


def test_the_curator_cannot_rate_someone_elses_meeting(client, world):
    tenant, mentorship = world
    held = meeting(mentorship, days=-1, status=MeetingStatus.HELD)
    client.force_login(tenant.user(Role.CURATOR))

    response = client.post(
        _url("rate", tenant.organisation, meeting_pk=held.pk), {"rating": "8"}, follow=True
    )

    assert (
        gettext("Only the mentor and the mentees of this pair or group can rate its meetings.")
        in response.content.decode()
    )
    assert not Feedback.objects.exists()


def test_a_mentees_comment_is_seen_by_the_curator_not_by_the_mentor(client, world):
    tenant, mentorship = world
    held = meeting(mentorship, days=-1, status=MeetingStatus.HELD)
    mentee_person = mentorship.members.get().mentee.person
    feedback = rate(held, mentee_person, 4)
    feedback.comment = "Наставник опаздывает"
    feedback.save(update_fields=["comment"])
    url = _url("detail", tenant.organisation, meeting_pk=held.pk)

    client.force_login(tenant.user(Role.MENTOR))
    as_mentor = client.get(url).content.decode()
    client.force_login(tenant.user(Role.CURATOR))
    as_curator = client.get(url).content.decode()

    rated = gettext("rated %(rating)s out of 10") % {"rating": 4}
    assert rated in as_mentor and rated in as_curator
    assert "Наставник опаздывает" not in as_mentor
    assert "Наставник опаздывает" in as_curator


def test_the_calendar_shows_only_ones_own_meetings(client, world):
    tenant, mentorship = world
    mine = meeting(mentorship, days=0.1)
    other = meeting(pair(tenant.organisation), days=0.1)
    url = _url("calendar", tenant.organisation)
    month = f"?month={timezone.localtime(mine.starts_at):%Y-%m}"

    client.force_login(tenant.user(Role.MENTEE))
    as_mentee = client.get(url + month).content.decode()
    client.force_login(tenant.user(Role.CURATOR))
    as_curator = client.get(url + month).content.decode()

    mine_url = _url("detail", tenant.organisation, meeting_pk=mine.pk)
    other_url = _url("detail", tenant.organisation, meeting_pk=other.pk)
    assert mine_url in as_mentee and other_url not in as_mentee
    assert mine_url in as_curator and other_url in as_curator


def test_a_wrong_month_shows_the_current_one(client, world):
    tenant, _ = world
    client.force_login(tenant.user(Role.MENTOR))

    response = client.get(_url("calendar", tenant.organisation) + "?month=2026-13")

    assert response.status_code == 200


def test_the_calendar_address_is_shown_once_and_renewed(client, world):
    tenant, _ = world
    client.force_login(tenant.user(Role.MENTOR))
    url = _url("feed", tenant.organisation)

    first = client.post(url, {"action": "issue"}).content.decode()
    address = first.split('id="feed-address" class="feed-address" type="text" readonly value="')[
        1
    ].split('"')[0]
    assert client.get(address).status_code == 200
    assert address not in client.get(url).content.decode()

    client.post(url, {"action": "issue"})
    assert client.get(address).status_code == 404


def test_the_curator_changes_the_weeks_that_flag_a_pair(client, world):
    tenant, _ = world
    client.force_login(tenant.user(Role.CURATOR))
    url = _url("settings", tenant.organisation)

    refused = client.post(url, {"weeks_without_meeting": "0", "reminder_hours": "24"})
    assert gettext("Enter a number of weeks from 1 to 52.") in refused.content.decode()
    client.post(url, {"weeks_without_meeting": "4", "reminder_hours": "12"})

    from nastavnik.meetings.models import MeetingSettings

    saved = MeetingSettings.objects.get(organisation=tenant.organisation)
    assert (saved.weeks_without_meeting, saved.reminder_hours) == (4, 12)
    client.force_login(tenant.user(Role.MENTOR))
    assert client.get(url).status_code == 403


def test_the_list_and_the_calendar_cost_the_same_queries_for_1_and_3_meetings(
    client, world, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tenant, mentorship = world
    client.force_login(tenant.user(Role.MENTOR))
    held = meeting(mentorship, days=-2, status=MeetingStatus.HELD)
    rate(held, mentorship.mentor.person, 9, side="mentor")
    urls = [
        _url("list", tenant.organisation, mentorship_pk=mentorship.pk),
        _url("calendar", tenant.organisation)
        + f"?month={timezone.localtime(held.starts_at):%Y-%m}",
    ]
    counts = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            assert client.get(url).status_code == 200
        counts.append(len(one))
    for days in (-1, -3):
        more = meeting(mentorship, days=days, status=MeetingStatus.HELD)
        rate(more, mentorship.members.get().mentee.person, 8)

    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            client.get(url)
