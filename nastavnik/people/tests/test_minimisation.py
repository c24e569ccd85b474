"""Data minimisation per role (orgs.policy.PERSON_FIELDS) through the pages: the person card,
the registry list, the mentee card and the XLSX export show each role only the fields the
policy gives it. The psychologist (a specialist) sees the child's birth date, class and family,
never a parent's birth date, e-mail or phone."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from openpyxl import load_workbook

from nastavnik.matching.tests.data import approved_programme
from nastavnik.matching.tests.data import mentee as make_mentee
from nastavnik.orgs.models import Role
from nastavnik.orgs.policy import PERSON_FIELDS, FieldGroup, visible_fields
from nastavnik.people.models import GuardianLink, GuardianRelation, PersonKind
from nastavnik.people.tests.factories import ParentFactory, PersonFactory, StaffFactory
from nastavnik.people.transfer.export import people_export_xlsx

pytestmark = pytest.mark.django_db

PARENT_EMAIL = "mama-unikalnaya-7731@example.ru"
PARENT_PHONE = "+7 912 777-31-31"
PARENT_BORN = datetime.date(1979, 3, 17)
CHILD_BORN = datetime.date(2013, 11, 23)
NOTE = "Заметка-о-ребёнке-5521"


def _family(tenant):
    org = tenant.organisation
    child = PersonFactory(
        organisation=org,
        last_name="Громова",
        first_name="Вера",
        grade=5,
        class_letter="А",
        birth_date=CHILD_BORN,
        notes=NOTE,
    )
    parent = ParentFactory(
        organisation=org,
        last_name="Громова",
        first_name="Ирина",
        email=PARENT_EMAIL,
        phone=PARENT_PHONE,
        birth_date=PARENT_BORN,
    )
    GuardianLink.objects.create(
        organisation=org, guardian=parent, child=child, relation=GuardianRelation.MOTHER
    )
    return child, parent


def _card(client, tenant, person) -> str:
    url = reverse(
        "people:detail", kwargs={"org_slug": tenant.organisation.slug, "person_pk": person.pk}
    )
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _list(client, tenant, kind: str) -> str:
    url = reverse("people:list", kwargs={"org_slug": tenant.organisation.slug})
    response = client.get(url, {"kind": kind})
    assert response.status_code == 200
    return response.content.decode()


def _shows(day: datetime.date, page: str) -> bool:
    """The date as the card or the list prints it, in Russian."""
    with translation.override("ru"):
        printed = {date_format(day, "DATE_FORMAT"), date_format(day, "SHORT_DATE_FORMAT")}
    return any(text in page for text in printed)


def test_the_policy_declares_every_role():
    assert set(PERSON_FIELDS) == set(Role)
    assert visible_fields([Role.SPECIALIST], PersonKind.PARENT) == {
        FieldGroup.IDENTITY,
        FieldGroup.SCHOOL,
        FieldGroup.FAMILY,
    }
    assert visible_fields([Role.CURATOR], PersonKind.PARENT) == set(FieldGroup)
    # Roles add up: a specialist who is also the curator sees all.
    assert visible_fields([Role.SPECIALIST, Role.CURATOR], PersonKind.PARENT) == set(FieldGroup)


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.CURATOR])
def test_those_who_run_the_programme_see_the_whole_card(client, tenant_a, role):
    child, parent = _family(tenant_a)
    client.force_login(tenant_a.user(role))
    card = _card(client, tenant_a, parent)
    assert PARENT_EMAIL in card and PARENT_PHONE in card
    assert _shows(PARENT_BORN, card)
    child_card = _card(client, tenant_a, child)
    assert PARENT_PHONE in child_card and NOTE in child_card
    assert _shows(CHILD_BORN, child_card)
    listed = _list(client, tenant_a, PersonKind.PARENT)
    assert PARENT_EMAIL in listed and PARENT_PHONE in listed


def test_the_psychologist_sees_the_child_not_the_parents_contacts(client, tenant_a):
    child, parent = _family(tenant_a)
    client.force_login(tenant_a.user(Role.SPECIALIST))

    parent_card = _card(client, tenant_a, parent)
    assert "Ирина" in parent_card  # the name stays: who the family is
    assert PARENT_EMAIL not in parent_card and PARENT_PHONE not in parent_card
    assert not _shows(PARENT_BORN, parent_card)
    assert "Вера" in parent_card  # the children the parent is the guardian of

    child_card = _card(client, tenant_a, child)
    assert _shows(CHILD_BORN, child_card) and NOTE in child_card
    assert "Ирина" in child_card and PARENT_PHONE not in child_card

    for kind in (PersonKind.PARENT, ""):
        listed = _list(client, tenant_a, kind)
        assert "Громова" in listed
        assert PARENT_EMAIL not in listed and PARENT_PHONE not in listed
        assert not _shows(PARENT_BORN, listed)
    students = _list(client, tenant_a, PersonKind.STUDENT)
    assert _shows(CHILD_BORN, students)


@pytest.mark.parametrize("role", [Role.MENTOR, Role.MENTEE, Role.GUARDIAN, Role.COMMISSION_MEMBER])
def test_roles_without_the_registry_do_not_open_the_card(client, tenant_a, role):
    _child, parent = _family(tenant_a)
    client.force_login(tenant_a.user(role))
    url = reverse(
        "people:detail", kwargs={"org_slug": tenant_a.organisation.slug, "person_pk": parent.pk}
    )
    response = client.get(url)
    assert response.status_code in (403, 404)
    assert PARENT_EMAIL not in response.content.decode()


def test_the_export_follows_the_policy(client, tenant_a):
    child, parent = _family(tenant_a)
    url = reverse("people:export", kwargs={"org_slug": tenant_a.organisation.slug})

    client.force_login(tenant_a.user(Role.SPECIALIST))
    refused = client.get(url, {"kind": PersonKind.PARENT})
    assert refused.status_code in (403, 404)

    client.force_login(tenant_a.user(Role.CURATOR))
    full = client.get(url, {"kind": PersonKind.PARENT})
    assert full.status_code == 200
    cells = _cells(full.content)
    assert PARENT_EMAIL in cells and PARENT_PHONE in cells

    # Should a role that may not see contacts ever export, its file has the columns, empty.
    mixed = [child, parent]
    for person in mixed:
        person.refresh_from_db()
    limited = _cells(people_export_xlsx(mixed, "", [Role.SPECIALIST]))
    assert PARENT_EMAIL not in limited and PARENT_PHONE not in limited
    assert PARENT_BORN not in limited and CHILD_BORN in limited and NOTE in limited


def _cells(content: bytes) -> set:
    sheet = load_workbook(BytesIO(content)).active
    values = set()
    for row in sheet.iter_rows(values_only=True):
        for value in row:
            values.add(value.date() if isinstance(value, datetime.datetime) else value)
    return values


def test_the_mentee_card_shows_an_adults_birth_date_only_to_those_who_run_it(client, tenant_a):
    programme = approved_programme(tenant_a.organisation)
    born = datetime.date(1996, 5, 14)
    adult = make_mentee(
        programme,
        person=StaffFactory(organisation=tenant_a.organisation, birth_date=born),
        form=None,
    )
    url = reverse(
        "mentees:detail", kwargs={"org_slug": tenant_a.organisation.slug, "mentee_pk": adult.pk}
    )
    for role, sees in ((Role.CURATOR, True), (Role.SPECIALIST, False)):
        client.force_login(tenant_a.user(role))
        response = client.get(url)
        assert response.status_code == 200
        assert _shows(born, response.content.decode()) is sees, role
