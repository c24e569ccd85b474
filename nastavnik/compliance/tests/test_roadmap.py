"""Roadmap events close themselves when their act happens and reopen when it is undone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from nastavnik.compliance.tests.data import labels, pair, signed_order
from nastavnik.indicators.models import HalfYearSnapshot
from nastavnik.matching.tests.data import approved_programme
from nastavnik.meetings.models import Meeting, MeetingKind, MeetingStatus
from nastavnik.mentors import services
from nastavnik.mentors.tests import data
from nastavnik.orders.services import order_sign
from nastavnik.orgs.models import Role
from nastavnik.people.tests.factories import StaffFactory
from nastavnik.people.validators import org_today
from nastavnik.programmes import services as programme_services
from nastavnik.programmes.fulfilment import roadmap_refresh
from nastavnik.programmes.models import RoadmapEvent

pytestmark = pytest.mark.django_db

SCORES = dict.fromkeys(
    (
        "experience",
        "competencies",
        "communication",
        "time",
        "life_experience",
        "fit",
        "civic_position",
        "motivation",
    ),
    4,
)


@pytest.fixture
def programme(tenant_a):
    return data.programme(tenant_a.organisation, roadmap=True)


def event(programme, code):
    return RoadmapEvent.objects.get(programme=programme, template_code=code)


def approved_mentor(programme, commission):
    mentor = services.mentor_add(programme, data.staff(programme.organisation), by=None)
    services.mentor_put_forward(mentor, by=None)
    for member in commission:
        services.score_record(mentor, member, SCORES, by=None)
    return services.decision_record(mentor, True, by=None)


def test_signing_the_registry_order_closes_its_event_and_emptying_the_registry_reopens_it(
    programme, tenant_a, client
):
    org = tenant_a.organisation
    commission = data.tenant_commission(tenant_a)
    services.commission_set(programme, commission, by=None)
    mentor = approved_mentor(programme, commission)
    director = StaffFactory(organisation=org, position="Директор")
    order = services.registry_order_create(programme, signatory=director, by=None)
    assert event(programme, "mentor_registry").done_on is None

    order_sign(order, ContentFile(data.PDF, name="scan.pdf"), by=None)

    closed = event(programme, "mentor_registry")
    assert closed.done_on == min(order.date, org_today(org))
    assert closed.done_note == f"Приказ от {order.date:%d.%m.%Y} № {order.number}"
    assert closed.done_auto

    # The only registered mentor leaves: the registry the order approved is empty again.
    services.mentor_leave(mentor, "Уволился", by=None)
    client.force_login(tenant_a.user(Role.CURATOR))
    page = client.get(
        reverse("programmes:roadmap", kwargs={"org_slug": org.slug, "programme_pk": programme.pk})
    )
    assert page.status_code == 200
    reopened = event(programme, "mentor_registry")
    assert (reopened.done_on, reopened.done_note, reopened.done_auto) == (None, "", False)


def test_a_mark_made_by_hand_is_never_undone_by_the_data(programme):
    today = org_today(programme.organisation)
    by_hand = event(programme, "mentor_registry")
    programme_services.event_complete(by_hand, done_on=today, note="На бумаге", by=None)

    assert roadmap_refresh(programme, today) == 0
    kept = event(programme, "mentor_registry")
    assert (kept.done_on, kept.done_note, kept.done_auto) == (today, "На бумаге", False)


def test_the_pairs_order_and_the_first_meetings_close_their_events(tenant_a):
    org = tenant_a.organisation
    programme = approved_programme(org)
    today = org_today(org)
    first = pair(programme, started_on=today - timedelta(days=20))
    second = pair(programme, started_on=today - timedelta(days=20))
    roadmap_refresh(programme, today)
    assert event(programme, "pairs_order").done_on is None
    assert event(programme, "first_meeting").done_on is None

    order = signed_order(org)
    type(first).objects.filter(pk__in=[first.pk, second.pk]).update(pairs_order=order)
    for number, the_pair in enumerate((first, second)):
        Meeting.objects.create(
            organisation=org,
            mentorship=the_pair,
            kind=MeetingKind.FIRST,
            starts_at=_aware(today - timedelta(days=10 - number)),
            status=MeetingStatus.HELD,
        )
    roadmap_refresh(programme, today)
    assert event(programme, "pairs_order").done_on == today
    assert event(programme, "first_meeting").done_on == today - timedelta(days=9)

    # One more pair without its first meeting: the event is open again, and overdue or not
    # by its own date.
    pair(programme, started_on=today - timedelta(days=2), pairs_order=order)
    roadmap_refresh(programme, today)
    assert event(programme, "first_meeting").done_on is None


def test_a_half_year_snapshot_closes_the_assessment_event(programme):
    org = programme.organisation
    autumn = event(programme, "assessment_autumn")
    HalfYearSnapshot.objects.create(
        organisation=org, programme=programme, taken_on=autumn.due_on, figures={}
    )
    roadmap_refresh(programme, max(org_today(org), autumn.due_on))
    assert event(programme, "assessment_autumn").done_on == autumn.due_on
    assert event(programme, "assessment_spring").done_on is None


def test_a_closed_event_leaves_the_overdue_list_of_the_compliance_view(programme, tenant_a):
    org = tenant_a.organisation
    commission = data.tenant_commission(tenant_a)
    services.commission_set(programme, commission, by=None)
    approved_mentor(programme, commission)
    registry = event(programme, "mentor_registry")
    RoadmapEvent.objects.filter(pk=registry.pk).update(
        due_on=org_today(org) - timedelta(days=1), starts_on=None
    )
    assert registry.title in labels(org, "roadmap_overdue")
    order = services.registry_order_create(
        programme, signatory=StaffFactory(organisation=org), by=None
    )
    order_sign(order, ContentFile(data.PDF, name="scan.pdf"), by=None)
    assert registry.title not in labels(org, "roadmap_overdue")


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(15, 0)))
