"""The notification centre as a person uses it: the bell, the list with its filters and pages,
marking read, the settings; each account sees its own notifications of its own organisation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nastavnik.notifications.models import Channel, Notification, NotificationPreference
from nastavnik.notifications.registry import KINDS
from nastavnik.orgs.models import Role


def _url(org, name="list", **kwargs):
    return reverse(f"notifications:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _notify(org, user, count=1, kind="meeting.cancelled", **fields):
    Notification.objects.bulk_create(
        Notification(
            organisation=org,
            recipient=user,
            kind=kind,
            title=fields.get("title", f"Встреча {i} отменена"),
            body="Причина: болезнь",
            url=fields.get("url", ""),
            read_at=fields.get("read_at"),
        )
        for i in range(count)
    )


@pytest.fixture
def mentee(tenant_a):
    return tenant_a.user(Role.MENTEE)


def test_the_bell_counts_the_unread_of_this_account_in_this_organisation(
    client, tenant_a, tenant_b, mentee
):
    org = tenant_a.organisation
    _notify(org, mentee, 3)
    _notify(org, mentee, 2, read_at=timezone.now())
    _notify(org, tenant_a.user(Role.MENTOR), 5)  # someone else's
    # The same account's notifications in another organisation are not this bell's.
    from nastavnik.orgs.tests.factories import MembershipFactory

    MembershipFactory(organisation=tenant_b.organisation, role=Role.MENTEE, user=mentee)
    _notify(tenant_b.organisation, mentee, 7)
    client.force_login(mentee)

    page = client.get(reverse("orgs:dashboard", kwargs={"org_slug": org.slug})).content.decode()

    assert '<span class="bell-count">3</span>' in page


@pytest.mark.parametrize("unread", [1, 3])
def test_the_bell_costs_one_query_however_many_there_are(client, tenant_a, mentee, unread):
    org = tenant_a.organisation
    client.force_login(mentee)
    url = _url(org, "preferences")
    client.get(url)  # warm caches of the session and the content types
    with CaptureQueriesContext(connection) as none_unread:
        client.get(url)
    _notify(org, mentee, unread)

    with CaptureQueriesContext(connection) as with_bell:
        page = client.get(url).content.decode()

    assert f'<span class="bell-count">{unread}</span>' in page
    counts = [
        q["sql"]
        for q in with_bell.captured_queries
        if 'FROM "notifications_notification"' in q["sql"]
    ]
    assert len(counts) == 1 and "COUNT" in counts[0].upper()
    assert len(with_bell) == len(none_unread)


@pytest.mark.parametrize("rows", [1, 3, 10_000])
def test_the_list_costs_the_same_queries_at_any_length_and_is_paginated(
    client, tenant_a, mentee, rows
):
    org = tenant_a.organisation
    _notify(org, mentee, rows)
    client.force_login(mentee)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(org))

    page = response.context["page"]
    assert len(page.object_list) == min(rows, 30)
    assert page.paginator.count == rows
    # session, user, membership, the count for the pages, the page, the bell
    assert len(queries) == 6


def test_the_list_filters_by_kind_and_by_read(client, tenant_a, mentee):
    org = tenant_a.organisation
    _notify(org, mentee, 1, kind="meeting.cancelled", title="Отменена")
    _notify(org, mentee, 1, kind="plan.commented", title="Комментарий", read_at=timezone.now())
    client.force_login(mentee)

    def titles(**query):
        return [n.title for n in client.get(_url(org), query).context["page"].object_list]

    assert titles(kind="plan.commented") == ["Комментарий"]
    assert titles(state="unread") == ["Отменена"]
    assert titles(state="read") == ["Комментарий"]
    # Unknown values are ignored, not an error.
    assert sorted(titles(kind="drop table", state="maybe")) == ["Комментарий", "Отменена"]


def test_opening_one_marks_it_read_and_goes_where_it_points(client, tenant_a, mentee):
    org = tenant_a.organisation
    _notify(org, mentee, 1, url=f"/o/{org.slug}/my/mentee/")
    row = Notification.objects.get()
    client.force_login(mentee)

    response = client.post(_url(org, "open", notification_pk=row.pk), {"go": "1"})

    assert response.status_code == 302 and response["Location"] == f"/o/{org.slug}/my/mentee/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_marking_read_needs_a_post_with_the_csrf_token(tenant_a, mentee):
    from django.test import Client

    org = tenant_a.organisation
    _notify(org, mentee, 2)
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentee)
    row = Notification.objects.first()

    assert client.get(_url(org, "open", notification_pk=row.pk)).status_code == 405
    assert client.post(_url(org, "read_all")).status_code == 403
    assert Notification.objects.unread().count() == 2


def test_mark_all_read_touches_only_ones_own(client, tenant_a, mentee):
    org = tenant_a.organisation
    _notify(org, mentee, 3)
    _notify(org, tenant_a.user(Role.MENTOR), 2)
    client.force_login(mentee)

    client.post(_url(org, "read_all"))

    assert not Notification.objects.filter(recipient=mentee).unread().exists()
    assert Notification.objects.filter(recipient=tenant_a.user(Role.MENTOR)).unread().count() == 2


def test_another_accounts_notification_is_not_found_and_stays_unread(client, tenant_a, mentee):
    org = tenant_a.organisation
    _notify(org, tenant_a.user(Role.MENTOR), 1)
    row = Notification.objects.get()
    client.force_login(mentee)

    assert client.post(_url(org, "open", notification_pk=row.pk)).status_code == 404
    assert client.get(_url(org)).context["page"].paginator.count == 0
    row.refresh_from_db()
    assert row.read_at is None


def test_every_role_sees_only_its_own(client, tenant_a):
    org = tenant_a.organisation
    for role in Role.values:
        _notify(org, tenant_a.user(role), 1, title=f"Для {role}")
    for role in Role.values:
        client.force_login(tenant_a.user(role))
        titles = [n.title for n in client.get(_url(org)).context["page"].object_list]
        assert titles == [f"Для {role}"]


def test_settings_are_saved_per_kind(client, tenant_a, mentee):
    org = tenant_a.organisation
    client.force_login(mentee)
    choice = {event: Channel.MAIL for event in KINDS}
    for kind in KINDS.values():
        if kind.mailed_elsewhere:
            choice[kind.event] = Channel.IN_APP
    choice["meeting.cancelled"] = Channel.DIGEST

    response = client.post(_url(org, "preferences"), choice)

    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=mentee).values_list("kind", "channel"))
    assert saved["meeting.cancelled"] == Channel.DIGEST
    assert len(saved) == len(KINDS)


@pytest.mark.parametrize(
    "bad",
    [
        {"meeting.cancelled": "pigeon"},
        # A kind whose letter another page sends cannot be switched to mail here.
        {"concern.raised": Channel.MAIL},
        {"meeting.cancelled": ""},
    ],
)
def test_a_bad_setting_is_refused_with_a_russian_message_and_nothing_saved(
    client, tenant_a, mentee, bad
):
    org = tenant_a.organisation
    client.force_login(mentee)
    choice = {kind.event: kind.channels[0][0] for kind in KINDS.values()} | bad

    response = client.post(_url(org, "preferences"), choice)

    assert response.status_code == 200
    assert "Выберите способ для каждого вида уведомлений." in response.content.decode()
    assert not NotificationPreference.objects.exists()
