"""The demo's SWOT of last year: written items and accepted candidates; nothing without a
last year."""

from __future__ import annotations

import pytest
from django.utils import timezone

from nastavnik.demo.monitoring import WRITTEN, build_monitoring
from nastavnik.matching.tests.data import approved_programme
from nastavnik.monitoring.models import ItemSource, SwotAnalysis, SwotItem
from nastavnik.monitoring.tests import data
from nastavnik.programmes.tests.data import programme as make_programme

pytestmark = pytest.mark.django_db


def test_without_a_last_year_the_demo_builds_nothing(tenant_a):
    build_monitoring(approved_programme(tenant_a.organisation), [], {}, timezone.localdate())
    assert not SwotAnalysis.objects.exists()


def test_the_last_years_swot_has_written_and_accepted_items(tenant_a):
    programme = approved_programme(tenant_a.organisation)
    last = make_programme(
        tenant_a.organisation, programme.academic_year.start_year - 1, roadmap=False
    )
    campaign = data.campaign(last, "mentee-satisfaction")
    for comfort, groups in ((9, 3), (10, 4), (9, 2)):
        data.respond(campaign, None, {"comfort": comfort, "group_meetings": groups})

    build_monitoring(programme, [], {}, timezone.localdate())

    items = SwotItem.objects.filter(analysis__programme=last)
    assert items.filter(source=ItemSource.CURATOR).count() == len(WRITTEN)
    accepted = set(
        items.filter(source=ItemSource.CANDIDATE).values_list("candidate_key", "quadrant")
    )
    assert ("high:mentee_satisfaction:comfort", "S") in accepted
    assert ("low:mentee_satisfaction:group_meetings", "W") in accepted
