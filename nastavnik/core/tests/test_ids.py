"""An id no database can hold is a form error, a 404 or an empty list, never a 500.

SQLite's driver raises OverflowError for such an integer in a query; PostgreSQL does not. The
tests run on either (the CI runs both), and the lookups in core/ids.py make the answer the same.
"""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from nastavnik.core.ids import INT64_MAX, INT64_MIN, possible_id
from nastavnik.mentors.models import Attendance, CommissionMember
from nastavnik.mentors.tests import data as mentor_data
from nastavnik.mentors.tests.factories import MentorFactory, TrainingEventFactory
from nastavnik.orgs.models import Membership, Role
from nastavnik.people.models import GuardianLink, Person
from nastavnik.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def curator(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))
    return client


def url(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"org_slug": "school-a", **kwargs})


@pytest.mark.parametrize("value", [HUGE, f"-{HUGE}", str(INT64_MAX + 1), str(INT64_MIN - 1)])
def test_a_multiple_choice_of_an_impossible_id_is_a_choice_error(tenant_a, value):
    field = forms.ModelMultipleChoiceField(queryset=Person.objects.all())

    with pytest.raises(forms.ValidationError) as caught:
        field.clean([value])

    assert caught.value.code == "invalid_choice"


def test_lookups_by_impossible_ids_find_nothing_and_keep_the_rest(tenant_a):
    person = PersonFactory(organisation=tenant_a.organisation)
    huge = int(HUGE)

    assert list(Person.objects.filter(pk__in=[huge, person.pk])) == [person]
    assert not Person.objects.filter(pk__in=[huge]).exists()
    assert not Person.objects.filter(organisation_id=huge).exists()
    assert not Person.objects.filter(organisation__in=[huge]).exists()
    assert Person.objects.exclude(organisation_id=huge).count() == Person.objects.count()
    assert list(Person.objects.filter(pk__in=[INT64_MAX, person.pk])) == [person]


def test_possible_id_reads_only_what_can_name_a_row():
    assert possible_id(" 12 ") == 12
    assert possible_id(str(INT64_MAX)) == INT64_MAX
    assert [possible_id(v) for v in (HUGE, str(INT64_MIN - 1), "12a", "", None, "Я" * 100)] == [
        None
    ] * 6


def test_the_commission_refuses_an_impossible_member_and_changes_nothing(curator, tenant_a):
    programme = mentor_data.programme(tenant_a.organisation)
    director = Membership.objects.get(organisation=tenant_a.organisation, role=Role.DIRECTOR)

    response = curator.post(
        url("mentors:commission", programme_pk=programme.pk),
        {"members": [str(director.user_id), HUGE], "chair": str(director.user_id)},
    )

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["members"][0].code == "invalid_choice"
    assert not CommissionMember.objects.exists()


def test_attendance_refuses_an_impossible_mentor_and_changes_nothing(curator, tenant_a):
    programme = mentor_data.programme(tenant_a.organisation)
    event = TrainingEventFactory(programme=programme)
    MentorFactory(programme=programme)

    response = curator.post(
        url("mentors:attendance", training_event_pk=event.pk), {"mentors": [HUGE]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["mentors"]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("value", [HUGE, "Я" * 10_000, "1'; --"])
def test_a_guardian_picked_by_an_impossible_id_is_a_form_error(curator, tenant_a, value):
    child = PersonFactory(organisation=tenant_a.organisation)

    response = curator.post(
        url("people:guardian_add", person_pk=child.pk),
        {"action": "pick", "guardian": value, "relation": "mother"},
    )

    assert response.status_code == 200
    assert response.context["pick_form"].errors["guardian"]
    assert not GuardianLink.objects.exists()


@pytest.mark.parametrize(
    "name,kwarg",
    [
        ("people:detail", "person_pk"),
        ("mentors:detail", "mentor_pk"),
        ("mentors:commission", "programme_pk"),
        ("programmes:detail", "programme_pk"),
    ],
)
@pytest.mark.parametrize("pk", [int(HUGE), INT64_MAX + 1, INT64_MAX])
def test_an_impossible_id_in_an_address_is_not_found(curator, name, kwarg, pk):
    response = curator.get(url(name, **{kwarg: pk}))
    assert response.status_code == 404


@pytest.mark.parametrize("value", [HUGE, "abc", "Я" * 10_000])
def test_an_impossible_id_in_a_query_string_is_no_error(curator, tenant_a, value):
    PersonFactory(organisation=tenant_a.organisation)
    for name in ("people:list", "mentors:list", "mentors:my_portfolio", "audit:log"):
        response = curator.get(
            url(name), {"programme": value, "person": value, "item": value, "page": value}
        )
        assert response.status_code < 500, name


def test_a_search_with_a_nul_character_is_no_error_on_any_database(curator, tenant_a):
    child = PersonFactory(organisation=tenant_a.organisation)

    response = curator.get(url("people:guardian_add", person_pk=child.pk), {"q": "Ив\x00ан"})

    assert response.status_code == 200
