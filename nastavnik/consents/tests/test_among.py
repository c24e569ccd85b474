"""`hidden_among` and `participation_withdrawn_among` (the consent rule read from a few people's
rows) answer exactly what `hidden_q` and `participation_withdrawn_q` answer, for every mix of
consents a person can have: given, withdrawn, expired, not yet given, given again."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from nastavnik.consents.models import Depersonalisation, Purpose
from nastavnik.consents.rules import (
    hidden_among,
    hidden_q,
    participation_withdrawn_among,
    participation_withdrawn_q,
)
from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.people.models import Person
from nastavnik.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

# One consent of a purpose, by the days it starts and ends around today and whether it was
# withdrawn; None: no consent of that purpose.
KINDS = (
    None,
    (-10, 100, False),  # valid
    (-10, 100, True),  # withdrawn
    (-100, -1, False),  # expired
    (5, 100, False),  # given for a day still to come
)


def _consent(person: Person, purpose: str, kind: tuple[int, int, bool], today) -> None:
    starts, ends, withdrawn = kind
    ConsentFactory(
        subject=person,
        purpose=purpose,
        given_on=today + timedelta(days=starts),
        valid_until=today + timedelta(days=ends),
        withdrawn_at=timezone.now() if withdrawn else None,
    )


def test_the_rows_answer_what_the_subqueries_answer(tenant_a, today):
    people = []
    # Every pair of consents of a purpose (a withdrawn one given again, say) for processing and
    # for participation: 15 × 15 people.
    pairs = list(itertools.combinations_with_replacement(KINDS, 2))
    for processing, participation in itertools.product(pairs, pairs):
        person = StaffFactory(organisation=tenant_a.organisation)
        for purpose, kinds in (
            (Purpose.PROCESSING, processing),
            (Purpose.PARTICIPATION, participation),
        ):
            for kind in kinds:
                if kind is not None:
                    _consent(person, purpose, kind, today)
        people.append(person.pk)
    # Depersonalised: hidden whatever the consents say.
    Depersonalisation.objects.create(organisation=tenant_a.organisation, person_id=people[0])
    Depersonalisation.objects.create(organisation=tenant_a.organisation, person_id=people[-1])
    everyone = Person.objects.filter(pk__in=people)

    for day in (today, today + timedelta(days=10), today + timedelta(days=150)):
        hidden = set(everyone.filter(hidden_q(day)).values_list("pk", flat=True))
        withdrawn = set(
            everyone.filter(participation_withdrawn_q(day)).values_list("pk", flat=True)
        )
        # Neither answer is trivial: each rule holds for some and not for others.
        assert hidden and hidden != set(people)
        assert withdrawn and withdrawn != set(people)
        assert hidden_among(people, day) == hidden
        assert participation_withdrawn_among(people, day) == withdrawn
        # Asked about some of them, the answer is about those only.
        assert hidden_among(people[:7], day) == hidden & set(people[:7])
    assert hidden_among([]) == set() and participation_withdrawn_among([]) == set()


def test_a_few_people_cost_one_query_each(tenant_a, django_assert_num_queries):
    person = StaffFactory(organisation=tenant_a.organisation)
    with django_assert_num_queries(1):
        participation_withdrawn_among([person.pk])
    # Its consent rows and whether it was depersonalised.
    with django_assert_num_queries(2):
        hidden_among([person.pk])
    with django_assert_num_queries(0):
        hidden_among(set())
