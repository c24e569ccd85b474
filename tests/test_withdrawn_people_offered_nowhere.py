"""A person whose processing consent is withdrawn is offered by name nowhere: the walk.

Every page of the organisation (the URL patterns, as in test_isolation and test_form_crawl) is
opened as a member who may use it; then

- every choice of every Django form field on the page (ModelChoiceField and its kin, of any
  model: people, mentors, mentees, members of a pair, accounts) is read, and none may name a
  withdrawn person;
- every ``<select>`` option and checkbox/radio label of the rendered page is read, likewise;
- every filter form (method GET with a text field) is sent with the withdrawn person's surname,
  and the answer may not name them.

The withdrawn people: an adult teacher who is also a mentor of the programme and holds an account
(a scorer), a pupil who is a mentee, whose guardian withdrew for them (a minor's processing rests
on the guardian's consent), and a parent. Only the consent register and the consent pages of a
person (which exist to show withdrawals) are left out, as `consents.rules` says.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from lxml import html

from conftest import make_tenant
from nastavnik.consents.models import Purpose
from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.matching.tests.data import mentee as make_mentee
from nastavnik.matching.tests.data import mentor as make_mentor
from nastavnik.mentees.models import Mentee
from nastavnik.mentors.models import Mentor
from nastavnik.orgs.models import Membership, Role
from nastavnik.orgs.tests.factories import UserFactory
from nastavnik.people.models import PersonKind
from nastavnik.people.tests.factories import (
    GuardianLinkFactory,
    ParentFactory,
    PersonFactory,
    StaffFactory,
)
from tests.test_form_crawl import _django_fields, _opened, _same_site, _send, forms_of
from tests.test_isolation import ORG_ROUTES, ROW_MAKERS

# Surnames no factory makes, so a hit is the withdrawn person and nobody else.
PEOPLE = (("Отозванова", "Ксения"), ("Скрытников", "Глеб"), ("Невидимова", "Ольга"))
SURNAMES = tuple(surname for surname, _first in PEOPLE)
# A name as pages write it: «Отозванова Ксения …», «Отозванова К. …», «Ксения Отозванова». A
# filter echoes the surname typed into it; that alone is not the person.
NAMED = [
    (surname, re.compile(rf"{surname}\s+{first[0]}|{first}\s+{surname}", re.IGNORECASE))
    for surname, first in PEOPLE
]
# The pages that exist to show withdrawals (the consent register and a person's consents).
EXEMPT = ("consents:",)


@dataclass
class WalkWorld:
    slug: str
    rows: dict[str, int]
    users: dict[str, Any]


def _withdrawn(person, given_by=None, *purposes: Purpose) -> None:
    now = timezone.now()
    for purpose in purposes or (Purpose.PROCESSING, Purpose.PARTICIPATION):
        ConsentFactory(
            subject=person,
            given_by=given_by or person,
            organisation=person.organisation,
            purpose=purpose,
            withdrawn_at=now if purpose == Purpose.PROCESSING else None,
        )


@pytest.fixture(scope="module")
def walk_world(django_db_setup, django_db_blocker) -> Iterator[WalkWorld]:
    with django_db_blocker.unblock(), transaction.atomic():
        tenant = make_tenant("school-a")
        org = tenant.organisation
        rows = {kwarg: make(org) for kwarg, make in ROW_MAKERS.items()}
        programme = Mentor.objects.get(pk=rows["mentor_pk"]).programme
        # The adult: a teacher with an account of a commission member, a mentor in the base.
        account = UserFactory(
            email="otozvanova@school-a.ru", last_name=SURNAMES[0], first_name="Ксения"
        )
        Membership.objects.create(organisation=org, user=account, role=Role.COMMISSION_MEMBER)
        teacher = StaffFactory(
            organisation=org, last_name=SURNAMES[0], first_name="Ксения", user=account
        )
        _withdrawn(teacher)
        make_mentor(programme, person=teacher, with_consent=False)
        # The pupil, whose guardian withdrew; a mentee in the base of the mentees' programme.
        pupil = PersonFactory(
            organisation=org,
            last_name=SURNAMES[1],
            first_name="Глеб",
            birth_date=datetime.date.today().replace(year=datetime.date.today().year - 13),
        )
        guardian = ParentFactory(organisation=org, last_name="Обычная", first_name="Мария")
        GuardianLinkFactory(organisation=org, guardian=guardian, child=pupil)
        _withdrawn(pupil, guardian)
        make_mentee(Mentee.objects.get(pk=rows["mentee_pk"]).programme, person=pupil)
        # A parent with no other part, withdrawn.
        parent = ParentFactory(organisation=org, last_name=SURNAMES[2], first_name="Ольга")
        _withdrawn(parent, None, Purpose.PROCESSING)
        assert parent.kind == PersonKind.PARENT
        yield WalkWorld("school-a", rows, tenant.users)
        transaction.set_rollback(True)


def _leaks(text: str) -> list[str]:
    return [surname for surname, pattern in NAMED if pattern.search(text)]


def _choice_labels(django_field: Any) -> Iterator[str]:
    if getattr(django_field, "queryset", None) is None:
        return
    for _value, label in django_field.choices:
        yield str(label)


def _rendered_choices(page: str) -> Iterator[str]:
    tree = html.fromstring(page)
    for option in tree.iter("option"):
        yield option.text_content()
    for label in tree.iter("label"):
        if label.xpath(".//input[@type='checkbox' or @type='radio']") or label.get("for"):
            yield label.text_content()


WALKED = [
    r
    for r in ORG_ROUTES
    if not r.name.endswith(("_file", "_scan", "export", "docx", "xlsx"))
    and not r.name.startswith(EXEMPT)
]


@pytest.mark.django_db
@pytest.mark.parametrize("route", WALKED, ids=lambda r: r.name)
def test_no_withdrawn_person_is_offered_in_any_form_or_filter(client, walk_world, route):
    _role, url, page = _opened(client, walk_world, route)
    if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
        return
    problems = []
    for name, django_field in _django_fields(page).items():
        for label in _choice_labels(django_field):
            if _leaks(label):
                problems.append(f"{url}: field {name} offers {label!r}")
    content = page.content.decode()
    for label in _rendered_choices(content):
        if _leaks(label):
            problems.append(f"{url}: the page offers {label.strip()!r}")
    for page_form in forms_of(content, url):
        if page_form.method != "get" or not _same_site(page_form.action):
            continue
        for text_field in (f for f in page_form.fields if f.kind in {"text", "search"}):
            for surname in SURNAMES:
                data = {**page_form.data(), text_field.name: [surname]}
                response, error = _send(client, "get", page_form.action, data)
                assert error is None, f"GET {page_form.action} {text_field.name}: {error}"
                found = _leaks(response.content.decode())
                if found:
                    problems.append(
                        f"{page_form.action}?{text_field.name}={surname}: the result names {found}"
                    )
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
def test_the_walk_would_see_a_withdrawn_person_if_one_were_offered(client, walk_world):
    """The walk is not blind: the consent register (left out above) does name them, through the
    same readers."""
    client.force_login(walk_world.users[Role.CURATOR])
    page = client.get(reverse("consents:register", kwargs={"org_slug": walk_world.slug}))
    assert page.status_code == 200
    assert set(_leaks(page.content.decode())) == set(SURNAMES)
    form = next(f for f in forms_of(page.content.decode(), "/") if f.method == "get")
    assert any(f.name == "q" for f in form.fields)
