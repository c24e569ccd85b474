import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import path, reverse
from django.utils import timezone

from nastavnik.core.access import org_view
from nastavnik.orgs.models import AcademicYear, Organisation, Role
from nastavnik.orgs.policy import GRANTS, Perm, allows
from nastavnik.orgs.tests.factories import (
    MembershipFactory,
    UserFactory,
)


def undeclared_view(request):
    return HttpResponse("secret")


urlpatterns = [path("undeclared/", undeclared_view, name="undeclared")]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_view_that_declares_no_access_is_refused(client, tenant_a):
    client.force_login(tenant_a.user(Role.DIRECTOR))

    response = client.get("/undeclared/")

    assert response.status_code == 403
    assert b"secret" not in response.content


@pytest.mark.django_db
def test_org_view_activates_the_organisations_time_zone(tenant_a):
    tenant_a.organisation.timezone = "Asia/Yekaterinburg"
    tenant_a.organisation.save()
    seen = {}

    @org_view(Perm.DASHBOARD)
    def view(request):
        seen["tz"] = timezone.get_current_timezone_name()
        seen["roles"] = request.org.roles
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = tenant_a.user(Role.MENTOR)
    view(request, org_slug="school-a")
    timezone.deactivate()

    assert seen == {"tz": "Asia/Yekaterinburg", "roles": frozenset({"mentor"})}


def test_policy_gives_every_role_a_dashboard_and_only_runners_edit_people():
    assert all(Perm.DASHBOARD in grants for grants in GRANTS.values())
    editors = {role for role, grants in GRANTS.items() if Perm.PEOPLE_EDIT in grants}
    assert editors == {Role.DIRECTOR, Role.CURATOR}
    assert allows(["mentee", "curator"], Perm.PEOPLE_EDIT)
    assert not allows(["mentee", "guardian"], Perm.PEOPLE_VIEW)


@pytest.mark.django_db
def test_one_account_may_hold_several_roles(client, tenant_a):
    teacher = tenant_a.user(Role.MENTOR)
    MembershipFactory(user=teacher, organisation=tenant_a.organisation, role=Role.SPECIALIST)
    client.force_login(teacher)

    response = client.get(reverse("orgs:dashboard", kwargs={"org_slug": "school-a"}))

    assert {r.value for r in response.context["roles"]} == {"mentor", "specialist"}
    assert "people_counts" in response.context  # the specialist role reads the registry


def test_academic_year_runs_from_september_to_august():
    year = AcademicYear(start_year=2025)
    assert (year.label, str(year.starts_on), str(year.ends_on)) == (
        "2025/2026",
        "2025-09-01",
        "2026-08-31",
    )
    import datetime

    assert AcademicYear.start_year_for(datetime.date(2026, 8, 31)) == 2025
    assert AcademicYear.start_year_for(datetime.date(2026, 9, 1)) == 2026


# --- home -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_sends_a_member_of_one_organisation_to_its_dashboard(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))

    response = client.get(reverse("home"))

    assert response["Location"] == reverse("orgs:dashboard", kwargs={"org_slug": "school-a"})


@pytest.mark.django_db
def test_home_lets_a_member_of_two_organisations_choose(client, tenant_a, tenant_b):
    user = tenant_a.user(Role.CURATOR)
    MembershipFactory(user=user, organisation=tenant_b.organisation, role=Role.MENTOR)
    client.force_login(user)

    response = client.get(reverse("home"))

    assert [o.slug for o in response.context["organisations"]] == ["school-a", "school-b"]


@pytest.mark.django_db
def test_home_without_membership_explains_what_to_do(client):
    client.force_login(UserFactory())

    response = client.get(reverse("home"))

    assert response.context["organisations"] == []
    assert response.context["is_operator"] is False


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("accounts:login"))


# --- organisation settings ----------------------------------------------------------------

SETTINGS_DATA = {
    "name": "МАОУ «Средняя школа № 5»",
    "short_name": "СШ № 5",
    "kind": "school",
    "timezone": "Asia/Yekaterinburg",
    "inn": "6625017290",
    "address": "г. Первоуральск, ул. Ленина, 1",
    "phone": "+7 343 000-00-00",
    "email": "school5@example.ru",
    "website": "https://school5.example.ru",
}


@pytest.mark.django_db
def test_director_edits_the_organisations_details(client, tenant_a):
    client.force_login(tenant_a.user(Role.DIRECTOR))

    response = client.post(reverse("orgs:settings", kwargs={"org_slug": "school-a"}), SETTINGS_DATA)

    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="school-a")
    assert (organisation.short_name, organisation.timezone, organisation.inn) == (
        "СШ № 5",
        "Asia/Yekaterinburg",
        "6625017290",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("inn", "12345"),
        ("inn", "66250172ab"),
        ("timezone", "Mars/Olympus"),
        ("name", ""),
        ("email", "not-an-email"),
    ],
)
def test_bad_organisation_details_are_refused(client, tenant_a, field, value):
    client.force_login(tenant_a.user(Role.DIRECTOR))
    before = Organisation.objects.filter(slug="school-a").values().get()

    response = client.post(
        reverse("orgs:settings", kwargs={"org_slug": "school-a"}), {**SETTINGS_DATA, field: value}
    )

    assert field in response.context["form"].errors
    assert Organisation.objects.filter(slug="school-a").values().get() == before
    assert response.context["org"].short_name == before["short_name"]


@pytest.mark.django_db
def test_curator_cannot_edit_the_organisations_details(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))

    response = client.post(reverse("orgs:settings", kwargs={"org_slug": "school-a"}), SETTINGS_DATA)

    assert response.status_code == 403
    assert Organisation.objects.get(slug="school-a").inn == ""
