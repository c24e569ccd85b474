"""What every response carries (Content-Security-Policy, Permissions-Policy, no-store), and
what no request leaves behind for the next one on the same thread (the organisation's time
zone)."""

import pytest
from django.conf import settings as django_settings
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from nastavnik.orgs.models import Role

pytestmark = pytest.mark.django_db


def test_the_organisation_time_zone_does_not_leak_into_the_next_request(client, tenant_a):
    organisation = tenant_a.organisation
    organisation.timezone = "Asia/Vladivostok"
    organisation.save(update_fields=["timezone"])
    client.force_login(tenant_a.user(Role.CURATOR))
    zones_while_rendering = []

    def remember_zone(**kwargs):
        zones_while_rendering.append(timezone.get_current_timezone_name())

    template_rendered.connect(remember_zone)
    try:
        dashboard = client.get(reverse("orgs:dashboard", kwargs={"org_slug": organisation.slug}))
        zone_of_the_first = zones_while_rendering[-1]
        # The next request served by this thread: an anonymous page outside any organisation.
        client.logout()
        client.get(reverse("accounts:login"))
        zone_of_the_second = zones_while_rendering[-1]
    finally:
        template_rendered.disconnect(remember_zone)

    assert dashboard.status_code == 200
    assert zone_of_the_first == "Asia/Vladivostok"
    assert zone_of_the_second == django_settings.TIME_ZONE
    assert timezone.get_current_timezone_name() == django_settings.TIME_ZONE


def test_the_time_zone_is_reset_even_when_the_view_fails(client, tenant_a, monkeypatch):
    from nastavnik.dashboards import views as dashboard_views

    organisation = tenant_a.organisation
    organisation.timezone = "Asia/Vladivostok"
    organisation.save(update_fields=["timezone"])
    client.force_login(tenant_a.user(Role.CURATOR))
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        assert timezone.get_current_timezone_name() == "Asia/Vladivostok"
        raise RuntimeError("broken view")

    monkeypatch.setattr(dashboard_views, "render", broken)
    response = client.get(reverse("orgs:dashboard", kwargs={"org_slug": organisation.slug}))

    assert response.status_code == 500
    assert timezone.get_current_timezone_name() == django_settings.TIME_ZONE


def csp_of(response):
    return dict(
        (part.split()[0], part.split()[1:])
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )


def test_pages_carry_a_content_security_policy_without_inline_code(curator_client, tenant_a):
    response = curator_client.get(
        reverse("orgs:dashboard", kwargs={"org_slug": tenant_a.organisation.slug})
    )

    policy = csp_of(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_pages_carry_a_permissions_policy_that_denies_devices(client):
    response = client.get(reverse("accounts:login"))

    features = dict(part.strip().split("=") for part in response["Permissions-Policy"].split(","))
    assert features["camera"] == "()"
    assert features["microphone"] == "()"
    assert features["geolocation"] == "()"


def test_a_page_for_a_signed_in_user_is_never_stored(curator_client, tenant_a):
    response = curator_client.get(
        reverse("people:list", kwargs={"org_slug": tenant_a.organisation.slug})
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_download_with_personal_data_is_never_stored(curator_client, tenant_a):
    response = curator_client.get(
        reverse("cases:export", kwargs={"org_slug": tenant_a.organisation.slug})
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]


def test_an_anonymous_page_is_never_stored_either(client):
    response = client.get(reverse("accounts:login"))

    assert "no-store" in response["Cache-Control"]


def test_an_error_response_is_never_stored(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
