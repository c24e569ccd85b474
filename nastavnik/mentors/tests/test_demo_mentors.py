"""The demo's mentor base, selection, registry, mentor school and portfolios: what a visitor of
the demo finds at stages 3–4, and that it keeps the rules the services enforce."""

from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from nastavnik.catalogue.profile import EXTERNAL_CATEGORIES
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import valid_consent_q
from nastavnik.demo.tests.factories import current_programme, demo_for_the_module
from nastavnik.documents.render import docx_text
from nastavnik.mentors import rules
from nastavnik.mentors.models import (
    DECISION_MIN_SCORES,
    ONE_TO_ONE_LIMIT,
    Attendance,
    CommissionMember,
    Mentor,
    MentorStatus,
    PortfolioItem,
    SelectionScore,
    TrainingEvent,
)
from nastavnik.orders.kinds import OrderKind
from nastavnik.orders.models import Order, OrderStatus
from nastavnik.orgs.models import Role
from nastavnik.people.models import Person

pytestmark = pytest.mark.django_db


seeded = demo_for_the_module("seeded")


@pytest.fixture
def demo(seeded, db):
    return current_programme()


def test_the_base_holds_about_25_mentors_of_every_category(demo):
    mentors = Mentor.objects.filter(programme=demo)
    categories = Counter(mentors.values_list("category", flat=True))

    assert 22 <= mentors.exclude(status=MentorStatus.CANDIDATE).count() + 2 <= 28
    assert {"staff", "student", "graduate", "parent"} <= set(categories)
    assert {"employer", "entrepreneur", "university_student"} & set(categories)
    selected = mentors.exclude(status=MentorStatus.CANDIDATE)
    grades = set(selected.filter(category="student").values_list("person__grade", flat=True))
    assert grades and grades <= {10, 11}
    # Every mentor's data may be used: a valid consent to take part.
    people = Person.objects.filter(mentor_entries__programme=demo)
    assert people.filter(valid_consent_q(Purpose.PARTICIPATION)).count() == mentors.count()
    # The rule of two, group mentors excepted.
    assert not mentors.filter(leads_group=False, capacity__gt=ONE_TO_ONE_LIMIT).exists()
    assert mentors.filter(leads_group=True).exists()


def test_external_mentors_show_each_state_of_documents(demo):
    today = timezone.localdate()
    external = Mentor.objects.filter(programme=demo, category__in=EXTERNAL_CATEGORIES)

    missing = external.filter(rules.missing_documents_q(today))
    assert missing.count() == 1
    assert missing.get().status == MentorStatus.CANDIDATE
    assert external.filter(rules.expiring_documents_q(today)).count() == 1
    assert rules.expiring_documents(demo.organisation, today).count() == 1
    valid_long = external.filter(rules.documents_valid_q(today + timedelta(days=31)))
    assert valid_long.count() == external.count() - 2
    # Nobody without valid documents got past the candidates.
    assert (
        not external.exclude(status=MentorStatus.CANDIDATE)
        .filter(rules.missing_documents_q(today))
        .exists()
    )


def test_the_commission_scored_on_its_own_and_decided(demo):
    commission = CommissionMember.objects.filter(programme=demo).select_related("user")
    chair = commission.get(is_chair=True)
    assert commission.count() == 4
    assert chair.user.memberships.filter(role=Role.DIRECTOR).exists()
    assert commission.filter(user__memberships__role=Role.CURATOR).exists()

    statuses = Counter(Mentor.objects.filter(programme=demo).values_list("status", flat=True))
    assert statuses[MentorStatus.SELECTION] == 2
    # Two candidates wait to be put forward; the demo's campaigns may add candidates of
    # their own through the feeds.
    assert statuses[MentorStatus.CANDIDATE] >= 2
    assert statuses[MentorStatus.REJECTED] == 2
    assert statuses[MentorStatus.REGISTERED] >= 15
    for mentor in Mentor.objects.filter(programme=demo).exclude(decided_on=None):
        assert mentor.scores.count() >= DECISION_MIN_SCORES
    for mentor in Mentor.objects.filter(programme=demo, status=MentorStatus.SELECTION):
        assert mentor.scores.count() < DECISION_MIN_SCORES
    # Nobody scored their own candidacy; the scores vary.
    for score in SelectionScore.objects.filter(mentor__programme=demo).select_related(
        "member", "mentor__person"
    ):
        assert score.member.user_id != score.mentor.person.user_id
    totals = set(SelectionScore.objects.filter(mentor__programme=demo).values_list("experience"))
    assert len(totals) >= 3


def test_the_registry_order_is_signed_and_prints_the_registry(demo):
    order = Order.objects.get(organisation=demo.organisation, kind=OrderKind.MENTOR_REGISTRY)
    registered = Mentor.objects.filter(programme=demo, status=MentorStatus.REGISTERED)

    assert order.status == OrderStatus.SIGNED
    assert set(registered.values_list("registry_order", flat=True)) == {order.pk}
    text = docx_text(order.document.read())
    assert "Об утверждении реестра наставников" in text
    for mentor in registered.select_related("person")[:5]:
        assert mentor.person.full_name in text


def test_the_mentor_school_follows_the_plan_with_attendance_of_past_events(demo):
    today = timezone.localdate()
    events = TrainingEvent.objects.filter(programme=demo)

    assert events.count() == 11
    assert not Attendance.objects.filter(event__programme=demo, event__held_on__gt=today).exists()
    if events.filter(held_on__lte=today, required=True).exists():
        assert Attendance.objects.filter(event__programme=demo).exists()
    assert Mentor.objects.filter(programme=demo, training_marked_on__isnull=False).count() == 1


def test_portfolios_are_published_only_with_the_consent(demo):
    mentor = Person.objects.get(organisation=demo.organisation, user__email="mentor@school5.demo")
    items = PortfolioItem.objects.filter(organisation=demo.organisation)

    assert items.filter(person=mentor).count() == 3
    assert items.public().filter(person=mentor).count() == 2
    assert items.values("person").distinct().count() >= 3
    published = items.filter(published=True)
    assert set(published) == set(items.public())


def test_the_demo_curator_walks_stages_3_and_4(demo, client):
    from nastavnik.accounts.models import User

    client.force_login(User.objects.get(email="curator@school5.demo"))

    for name in ("list", "selection", "registry", "training"):
        response = client.get(reverse(f"mentors:{name}", kwargs={"org_slug": "school-5"}))
        assert response.status_code == 200, name
    dashboard = client.get(reverse("orgs:dashboard", kwargs={"org_slug": "school-5"}))
    assert len(dashboard.context["mentor_documents_expiring"]) == 1
    client.force_login(User.objects.get(email="mentor@school5.demo"))
    own = client.get(reverse("mentors:my_portfolio", kwargs={"org_slug": "school-5"}))
    assert len(own.context["items"]) == 3
