"""Coverage targets: the seed's defaults, an organisation's own, refusals that change nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from nastavnik.indicators import services
from nastavnik.indicators.models import CoverageTarget
from nastavnik.indicators.targets import targets_of
from nastavnik.orgs.models import Role

PERCENT = "A target is a percentage from 0 to 100."


def test_the_defaults_are_the_seed_and_70_holds_after_2024(tenant_a):
    targets = targets_of(tenant_a.organisation)
    assert [(t.year, t.students_percent, t.teachers_percent) for t in targets.rows] == [
        (2020, 10, 10),
        (2021, 20, 20),
        (2022, 30, 30),
        (2023, 50, 50),
        (2024, 70, 70),
    ]
    assert targets.for_year(2027).students_percent == 70
    assert targets.for_year(2019) is None


def test_an_organisations_own_target_is_its_alone(tenant_a, tenant_b):
    services.target_set(
        tenant_a.organisation, 2025, students_percent=80, teachers_percent=75, by=None
    )
    mine = targets_of(tenant_a.organisation)
    assert (mine.for_year(2025).students_percent, mine.for_year(2025).own) == (80, True)
    # A later year keeps the organisation's latest figure.
    assert mine.for_year(2026).teachers_percent == 75
    assert mine.for_year(2024).students_percent == 70
    assert targets_of(tenant_b.organisation).for_year(2025).students_percent == 70

    services.target_reset(tenant_a.organisation, 2025, by=None)
    assert targets_of(tenant_a.organisation).for_year(2025).students_percent == 70


@pytest.mark.parametrize(("students", "teachers"), [(101, 50), (50, -1), (True, 50)])
def test_a_percent_out_of_range_is_refused_and_nothing_changes(tenant_a, students, teachers):
    before = list(CoverageTarget.objects.values_list("pk", "students_percent"))
    with pytest.raises(ValidationError) as caught:
        services.target_set(
            tenant_a.organisation,
            2025,
            students_percent=students,
            teachers_percent=teachers,
            by=None,
        )
    assert gettext(PERCENT) in caught.value.messages
    assert list(CoverageTarget.objects.values_list("pk", "students_percent")) == before


def test_the_curator_sets_a_target_on_the_page(curator_client, tenant_a):
    url = reverse("indicators:target_set", kwargs={"org_slug": tenant_a.organisation.slug})
    response = curator_client.post(
        url, {"year": "2026", "students_percent": "85", "teachers_percent": "80"}
    )
    assert response.status_code == 302
    own = CoverageTarget.objects.get(organisation=tenant_a.organisation)
    assert (own.year, own.students_percent, own.teachers_percent) == (2026, 85, 80)

    response = curator_client.post(
        url, {"year": "2026", "students_percent": "150", "teachers_percent": "80"}
    )
    assert response.status_code == 400
    assert gettext(PERCENT) in response.content.decode()
    own.refresh_from_db()
    assert own.students_percent == 85


def test_a_specialist_sees_the_targets_but_cannot_set_them(client, tenant_a):
    client.force_login(tenant_a.user(Role.SPECIALIST))
    slug = tenant_a.organisation.slug
    page = client.get(reverse("indicators:targets", kwargs={"org_slug": slug}))
    assert page.status_code == 200
    assert reverse("indicators:target_set", kwargs={"org_slug": slug}) not in page.content.decode()
    response = client.post(
        reverse("indicators:target_set", kwargs={"org_slug": slug}),
        {"year": "2026", "students_percent": "85", "teachers_percent": "80"},
    )
    assert response.status_code == 403
    assert not CoverageTarget.objects.filter(organisation__isnull=False).exists()


def test_a_mentor_sees_no_indicators(client, tenant_a):
    client.force_login(tenant_a.user(Role.MENTOR))
    url = reverse("indicators:targets", kwargs={"org_slug": tenant_a.organisation.slug})
    assert client.get(url).status_code == 403
