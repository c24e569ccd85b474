import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import path, reverse
from django.utils import timezone, translation

from nastavnik.core.access import org_view
from nastavnik.orgs.models import AcademicYear, Membership, Organisation, RegionalOperator, Role
from nastavnik.orgs.policy import GRANTS, Perm, allows
from nastavnik.orgs.tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
)
from nastavnik.people.tests.factories import PersonFactory, StaffFactory


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


# --- regional figures ---------------------------------------------------------------------


@pytest.fixture
def region_world(db):
    region = RegionFactory(name="Свердловская область", code="66")
    other_region = RegionFactory(name="Пермский край", code="59")
    town = MunicipalityFactory(region=region, name="Первоуральск")
    village = MunicipalityFactory(region=region, name="Ревда")
    far = MunicipalityFactory(region=other_region, name="Пермь")
    school5 = OrganisationFactory(municipality=town, short_name="СШ № 5", slug="s5")
    school2 = OrganisationFactory(municipality=village, short_name="СШ № 2", slug="s2")
    perm = OrganisationFactory(municipality=far, short_name="Пермская школа", slug="p1")
    PersonFactory.create_batch(3, organisation=school5, last_name="Засекреченный")
    StaffFactory(organisation=school5)
    PersonFactory.create_batch(2, organisation=school2)
    PersonFactory.create_batch(4, organisation=perm)
    return {"region": region, "town": town, "orgs": (school5, school2, perm)}


@pytest.mark.django_db
def test_regional_operator_sees_counts_of_the_regions_organisations_and_no_names(
    client, region_world
):
    operator = UserFactory()
    RegionalOperator.objects.create(user=operator, region=region_world["region"])
    client.force_login(operator)

    response = client.get(reverse("region:dashboard"))

    rows = {o.short_name: (o.students, o.staff) for o in response.context["organisations"]}
    assert rows == {"СШ № 5": (3, 1), "СШ № 2": (2, 0)}
    assert response.context["totals"] == {"organisations": 2, "students": 5, "staff": 1}
    assert "Засекреченный" not in response.content.decode()
    # The figures agree with their nouns: «2 организации», «5 обучающихся», «1 сотрудник».
    with translation.override("ru"):
        page = client.get(reverse("region:dashboard")).content.decode()
    for figure, noun in ((2, "организации"), (5, "обучающихся"), (1, "сотрудник")):
        assert f"<strong>{figure}</strong> <span>{noun}</span>" in page


@pytest.mark.django_db
def test_municipal_operator_sees_only_the_municipality(client, region_world):
    operator = UserFactory()
    RegionalOperator.objects.create(
        user=operator, region=region_world["region"], municipality=region_world["town"]
    )
    client.force_login(operator)

    response = client.get(reverse("region:dashboard"))

    assert [o.short_name for o in response.context["organisations"]] == ["СШ № 5"]


@pytest.mark.django_db
def test_regional_operator_cannot_open_an_organisations_pages(client, region_world):
    operator = UserFactory()
    RegionalOperator.objects.create(user=operator, region=region_world["region"])
    client.force_login(operator)

    response = client.get(reverse("orgs:dashboard", kwargs={"org_slug": "s5"}))

    assert response.status_code == 404
    assert not Membership.objects.filter(user=operator).exists()


@pytest.mark.django_db
def test_regional_figures_are_not_found_for_a_school_member(client, tenant_a):
    client.force_login(tenant_a.user(Role.DIRECTOR))

    response = client.get(reverse("region:dashboard"))

    assert response.status_code == 404
    assert "organisations" not in (response.context or {})
