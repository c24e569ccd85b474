import pytest
from django.urls import reverse

from nastavnik.orgs.models import Role
from nastavnik.people.tests.factories import PersonFactory, StaffFactory


@pytest.mark.django_db
def test_curator_sees_people_counts_of_own_organisation_only(client, tenant_a, tenant_b):
    PersonFactory.create_batch(3, organisation=tenant_a.organisation)
    StaffFactory(organisation=tenant_a.organisation)
    PersonFactory.create_batch(5, organisation=tenant_b.organisation)
    client.force_login(tenant_a.user(Role.CURATOR))

    response = client.get(reverse("orgs:dashboard", kwargs={"org_slug": "school-a"}))

    assert response.status_code == 200
    counts = {kind: n for _label, kind, n in response.context["people_counts"]}
    assert counts["student"] == 3
    assert counts["staff"] == 1


@pytest.mark.django_db
def test_mentee_dashboard_has_no_registry_figures(client, tenant_a):
    PersonFactory(organisation=tenant_a.organisation)
    client.force_login(tenant_a.user(Role.MENTEE))

    response = client.get(reverse("orgs:dashboard", kwargs={"org_slug": "school-a"}))

    assert response.status_code == 200
    assert "people_counts" not in response.context
