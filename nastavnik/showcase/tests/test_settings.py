"""The public page's settings and announcements, as the curator keeps them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from nastavnik.orgs.models import Role
from nastavnik.showcase.models import Announcement, PublicPage
from nastavnik.showcase.services import MESSAGES

pytestmark = pytest.mark.django_db


def url(tenant, name, **kwargs):
    return reverse(f"showcase:{name}", kwargs={"org_slug": tenant.organisation.slug, **kwargs})


def test_the_curator_opens_the_page_and_it_answers_at_once(curator_client, client, tenant_a):
    public = reverse("public_page:page", kwargs={"slug": tenant_a.organisation.slug})
    assert client.get(public).status_code == 404

    response = curator_client.post(
        url(tenant_a, "settings"),
        {"enabled": "on", "intro": "О наставничестве в школе", "contact": "каб. 204"},
    )

    assert response.status_code == 302
    page = PublicPage.objects.get(organisation=tenant_a.organisation)
    assert page.enabled and page.intro == "О наставничестве в школе"
    assert "О наставничестве в школе" in curator_client.get(public).content.decode()


def test_opening_an_empty_page_is_refused_and_nothing_is_saved(curator_client, tenant_a):
    response = curator_client.post(url(tenant_a, "settings"), {"enabled": "on", "intro": "  "})

    assert response.status_code == 200
    assert gettext(MESSAGES["intro_required"]) in response.content.decode()
    assert not PublicPage.objects.exists()


def test_announcements_are_added_edited_and_deleted(curator_client, tenant_a):
    starts = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT15:30")
    curator_client.post(
        url(tenant_a, "announcement_add"),
        {
            "title": "Школа наставника: занятие 3",
            "starts_at": starts,
            "place": "каб. 204",
            "published": "on",
        },
    )
    announcement = Announcement.objects.get()
    assert announcement.organisation == tenant_a.organisation
    assert timezone.localtime(announcement.starts_at).strftime("%H:%M") == "15:30"

    curator_client.post(
        url(tenant_a, "announcement_edit", announcement_pk=announcement.pk),
        {"title": "Итоговая конференция", "starts_at": starts},
    )
    announcement.refresh_from_db()
    assert announcement.title == "Итоговая конференция" and not announcement.published

    curator_client.post(url(tenant_a, "announcement_delete", announcement_pk=announcement.pk))
    assert not Announcement.objects.exists()


def test_an_announcement_without_a_title_or_date_is_refused(curator_client, tenant_a):
    response = curator_client.post(url(tenant_a, "announcement_add"), {"title": "", "place": "x"})

    assert gettext(MESSAGES["title_required"]) in response.content.decode()
    response = curator_client.post(url(tenant_a, "announcement_add"), {"title": "Встреча"})
    assert gettext(MESSAGES["starts_at_required"]) in response.content.decode()
    assert not Announcement.objects.exists()


@pytest.mark.parametrize("role", [Role.MENTOR, Role.SPECIALIST, Role.MENTEE, Role.GUARDIAN])
def test_members_without_the_right_cannot_change_the_page(client, tenant_a, role):
    client.force_login(tenant_a.user(role))

    response = client.post(url(tenant_a, "settings"), {"enabled": "on", "intro": "Взлом"})

    assert response.status_code == 403
    assert not PublicPage.objects.exists()
