"""The people registry through the browser: list, card, create, edit, guardians, access."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from nastavnik.orgs.models import Role
from nastavnik.orgs.tests.factories import UserFactory
from nastavnik.people.forms import GuardianPickForm
from nastavnik.people.models import GuardianLink, Person, PersonKind
from nastavnik.people.tests.data import as_post, born, fio, person_data
from nastavnik.people.tests.factories import (
    GuardianLinkFactory,
    ParentFactory,
    PersonFactory,
    StaffFactory,
)
from nastavnik.people.validators import GUARDIAN_MESSAGES, MESSAGES, REQUIRED

pytestmark = pytest.mark.django_db


def url(name, org="school-a", **kwargs):
    return reverse(f"people:{name}", kwargs={"org_slug": org, **kwargs})


def names(response):
    return [p.full_name for p in response.context["page"].object_list]


# List: search


@pytest.fixture
def people_a(tenant_a):
    org = tenant_a.organisation
    return {
        "ivanov": PersonFactory(
            organisation=org, last_name="Иванов", first_name="Петр", middle_name="Сергеевич"
        ),
        "alyona": PersonFactory(organisation=org, **fio("Смирнова Алёна Игоревна"), gender="f"),
        "ivanova": PersonFactory(
            organisation=org,
            **fio("Иванова Мария Петровна"),
            gender="f",
            grade=9,
            class_letter="Б",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("иванов", ["Иванов Петр Сергеевич", "Иванова Мария Петровна"]),
        ("алена", ["Смирнова Алёна Игоревна"]),
        ("АЛЁНА", ["Смирнова Алёна Игоревна"]),
        ("ИВАНОВ ПЁТР", ["Иванов Петр Сергеевич", "Иванова Мария Петровна"]),
        ("петр  иванов сергеевич", ["Иванов Петр Сергеевич"]),
        ("иванов мария", ["Иванова Мария Петровна"]),
        ("иванов алена", []),
    ],
)
def test_search_finds_every_word_in_any_case_with_yo_as_ye(
    curator_client, people_a, tenant_b, query, expected
):
    # A namesake in the other organisation must never show up.
    PersonFactory(organisation=tenant_b.organisation, last_name="Иванов", first_name="Пётр")

    response = curator_client.get(url("list"), {"q": query})

    assert names(response) == expected
    assert response.context["page"].paginator.count == len(expected)


def test_search_shows_the_result_count_and_links_to_cards(curator_client, people_a):
    response = curator_client.get(url("list"), {"q": "алена"})

    content = response.content.decode()
    assert url("detail", person_pk=people_a["alyona"].pk) in content
    assert "Смирнова Алёна Игоревна" in content
    assert response.context["page"].paginator.count == 1


def test_nothing_found_says_so(curator_client, people_a):
    response = curator_client.get(url("list"), {"q": "Кузнецов"})

    assert names(response) == []
    assert "<table" not in response.content.decode()


def test_htmx_search_returns_only_the_results(curator_client, people_a):
    response = curator_client.get(url("list"), {"q": "алена"}, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert response.templates[0].name == "people/_results.html"
    assert "<html" not in content
    assert "Смирнова Алёна Игоревна" in content
    assert "HX-Request" in response["Vary"]


# List: filters


def test_filter_by_kind(curator_client, tenant_a, people_a):
    teacher = StaffFactory(organisation=tenant_a.organisation, last_name="Учителева")

    response = curator_client.get(url("list"), {"kind": "staff"})

    assert names(response) == [teacher.full_name]
    assert response.context["kind"] == "staff"


def test_filter_by_grade_and_class_letter(curator_client, people_a):
    response = curator_client.get(url("list"), {"grade": "9", "class_letter": "б"})

    assert names(response) == ["Иванова Мария Петровна"]


def test_filter_by_gender(curator_client, people_a):
    response = curator_client.get(url("list"), {"gender": "f"})

    assert names(response) == ["Иванова Мария Петровна", "Смирнова Алёна Игоревна"]


def test_filter_by_account(curator_client, tenant_a, people_a):
    people_a["alyona"].user = UserFactory()
    people_a["alyona"].save()

    with_account = curator_client.get(url("list"), {"account": "yes"})
    without = curator_client.get(url("list"), {"account": "no"})

    assert names(with_account) == ["Смирнова Алёна Игоревна"]
    assert names(without) == ["Иванов Петр Сергеевич", "Иванова Мария Петровна"]


def test_a_bad_filter_value_is_reported_not_a_crash(curator_client, people_a):
    response = curator_client.get(url("list"), {"grade": "12"})

    assert "grade" in response.context["filter"].form.errors
    assert len(names(response)) == 3


@pytest.mark.parametrize(
    ("kind", "headers"),
    [
        ("student", [_("Class"), _("Birth date"), _("Legal guardians")]),
        ("staff", [_("Position"), _("Subjects"), _("Years of experience")]),
        ("parent", [_("Children"), _("Phone"), _("E-mail")]),
        ("graduate", [_("Graduation year"), _("Place of work or study")]),
        ("external", [_("Who the person is"), _("Place of work or study")]),
        ("", [_("Category"), _("Class or position"), _("Birth date")]),
    ],
)
def test_columns_fit_the_kind(curator_client, tenant_a, kind, headers):
    PersonFactory(organisation=tenant_a.organisation, kind=kind or "student")

    response = curator_client.get(url("list"), {"kind": kind} if kind else {})

    content = response.content.decode()
    header_row = content[content.index("<thead>") : content.index("</thead>")]
    for header in headers:
        assert f">{escape(str(header))}</th>" in header_row


def test_student_list_shows_class_and_guardians(curator_client, tenant_a):
    link = GuardianLinkFactory(
        guardian__organisation=tenant_a.organisation,
        guardian__last_name="Орлова",
        guardian__first_name="Ольга",
        guardian__middle_name="Олеговна",
        child__grade=5,
        child__class_letter="В",
    )

    response = curator_client.get(url("list"), {"kind": "student"})

    content = response.content.decode()
    assert "5В" in content
    assert "Орлова О. О." in content
    assert names(response) == [link.child.full_name]


# List: pagination and query counts


def test_list_is_paginated_by_50_and_page_links_keep_the_filters(curator_client, tenant_a):
    PersonFactory.create_batch(120, organisation=tenant_a.organisation, grade=8)

    first = curator_client.get(url("list"), {"kind": "student", "grade": "8"})
    third = curator_client.get(url("list"), {"kind": "student", "grade": "8", "page": "3"})

    assert len(names(first)) == 50
    assert len(names(third)) == 20
    assert first.context["page"].paginator.count == 120
    assert "?kind=student&amp;grade=8&amp;page=2" in first.content.decode()
    assert set(names(first)).isdisjoint(names(third))


@pytest.mark.parametrize("kind", ["", "student", "parent"])
def test_list_query_count_does_not_grow_with_rows(
    client, tenant_a, django_assert_num_queries, kind
):
    org = tenant_a.organisation
    client.force_login(tenant_a.user(Role.CURATOR))
    params = {"kind": kind} if kind else {}

    def add_row():
        link = GuardianLinkFactory(guardian__organisation=org)
        link.child.user = UserFactory()
        link.child.save()

    add_row()
    with django_assert_num_queries(7 if kind else 6):
        response = client.get(url("list"), params)
    assert len(names(response)) == (1 if kind else 2)

    add_row()
    add_row()
    with django_assert_num_queries(7 if kind else 6):
        response = client.get(url("list"), params)
    assert len(names(response)) == (3 if kind else 6)


# Card


def test_card_of_a_student_shows_facts_and_guardians(curator_client, tenant_a):
    link = GuardianLinkFactory(
        guardian__organisation=tenant_a.organisation,
        guardian__phone="+7 912 000-00-01",
        child__grade=7,
        child__class_letter="А",
    )
    child = link.child
    child.user = UserFactory(email="pupil@school-a.ru")
    child.save()

    response = curator_client.get(url("detail", person_pk=child.pk))

    content = response.content.decode()
    assert response.context["person"] == child
    assert child.full_name in content
    assert "7А" in content
    assert "pupil@school-a.ru" in content
    assert url("detail", person_pk=link.guardian.pk) in content
    assert link.guardian.full_name in content
    assert url("edit", person_pk=child.pk) in content
    assert url("guardian_add", person_pk=child.pk) in content
    assert url("guardian_remove", person_pk=child.pk, link_pk=link.pk) in content


def test_card_of_a_guardian_lists_the_children(curator_client, tenant_a):
    link = GuardianLinkFactory(guardian__organisation=tenant_a.organisation)

    response = curator_client.get(url("detail", person_pk=link.guardian.pk))

    content = response.content.decode()
    assert list(response.context["children_links"]) == [link]
    assert url("detail", person_pk=link.child.pk) in content


def test_card_warns_when_a_student_has_no_guardian(curator_client, tenant_a):
    child = PersonFactory(organisation=tenant_a.organisation)

    response = curator_client.get(url("detail", person_pk=child.pk))

    assert list(response.context["guardian_links"]) == []
    assert str(_("No legal guardian is recorded.")) in response.content.decode()


def test_a_specialist_sees_the_card_without_edit_links(client, tenant_a):
    person = PersonFactory(organisation=tenant_a.organisation)
    client.force_login(tenant_a.user(Role.SPECIALIST))

    response = client.get(url("detail", person_pk=person.pk))

    content = response.content.decode()
    assert response.context["person"] == person
    assert response.context["can_edit"] is False
    assert url("edit", person_pk=person.pk) not in content
    assert url("guardian_add", person_pk=person.pk) not in content


# Create


def test_create_form_preselects_the_kind(curator_client):
    response = curator_client.get(url("create"), {"kind": "staff"})

    form = response.context["form"]
    assert form["kind"].value() == "staff"
    assert form.current_kind == "staff"


def test_create_form_falls_back_to_student_for_an_unknown_kind(curator_client):
    response = curator_client.get(url("create"), {"kind": "alien"})

    assert response.context["form"]["kind"].value() == "student"


@pytest.mark.parametrize("kind", PersonKind.values)
def test_create_adds_a_person_and_opens_the_card(curator_client, tenant_a, kind):
    response = curator_client.post(url("create"), as_post(person_data(kind)))

    person = Person.objects.get()
    assert person.organisation == tenant_a.organisation
    assert person.kind == kind
    assert response.status_code == 302
    assert response["Location"] == url("detail", person_pk=person.pk)


THIS_YEAR = timezone.localdate().year
BAD_INPUTS = [
    ({"last_name": ""}, "last_name", REQUIRED, {}),
    ({"first_name": "  "}, "first_name", REQUIRED, {}),
    ({"last_name": "Иванов1"}, "last_name", MESSAGES["name_format"], {}),
    ({"middle_name": "Иванович!"}, "middle_name", MESSAGES["name_format"], {}),
    ({"birth_date": born(-1)}, "birth_date", MESSAGES["future"], {}),
    ({"birth_date": born(3)}, "birth_date", MESSAGES["student_age"], {"min": 6, "max": 20}),
    ({"birth_date": ""}, "birth_date", REQUIRED, {}),
    ({"grade": "12"}, "grade", MESSAGES["grade"], {"min": 1, "max": 11}),
    ({"grade": ""}, "grade", REQUIRED, {}),
    ({"class_letter": "Q"}, "class_letter", MESSAGES["class_letter"], {}),
    ({"phone": "+7 (912) 12"}, "phone", MESSAGES["phone_digits"], {"min": 10, "max": 15}),
    ({"phone": "8 912 abc 45 67"}, "phone", MESSAGES["phone_chars"], {}),
    (
        {"kind": "parent", "birth_date": born(17)},
        "birth_date",
        MESSAGES["too_young"],
        {"min": 18},
    ),
    (
        {"kind": "staff", "position": "Учитель", "birth_date": born(101)},
        "birth_date",
        MESSAGES["too_old"],
        {"max": 100},
    ),
    (
        {"kind": "staff", "position": "Учитель", "birth_date": born(30), "experience_years": 20},
        "experience_years",
        MESSAGES["experience_age"],
        {"max": 16},
    ),
    (
        {"kind": "staff", "position": "Учитель", "experience_years": 61},
        "experience_years",
        MESSAGES["experience_range"],
        {"max": 60},
    ),
    (
        {"kind": "graduate", "birth_date": born(90), "graduation_year": 1949},
        "graduation_year",
        MESSAGES["graduation_year"],
        {"min": 1950, "max": THIS_YEAR},
    ),
]


@pytest.mark.parametrize(("overrides", "field", "message", "params"), BAD_INPUTS)
def test_create_refuses_bad_input_with_a_message_and_saves_nothing(
    curator_client, overrides, field, message, params
):
    response = curator_client.post(url("create"), as_post(person_data(**overrides)))

    expected = str(message) % params if params else str(message)
    assert response.context["form"].errors[field] == [expected]
    assert escape(expected) in response.content.decode()
    assert not Person.objects.exists()


def test_create_refuses_a_bad_email(curator_client):
    response = curator_client.post(url("create"), as_post(person_data(email="ivanov@")))

    assert response.context["form"].errors["email"]
    assert not Person.objects.exists()


def test_create_refuses_a_duplicate_and_links_to_the_existing_card(curator_client, tenant_a):
    existing = PersonFactory(
        organisation=tenant_a.organisation,
        last_name="Семёнова",
        first_name="Алёна",
        middle_name="",
        gender="f",
        birth_date=born(12),
    )
    data = person_data(last_name="СЕМЕНОВА ", first_name="алена", middle_name="", gender="f")
    data["birth_date"] = existing.birth_date

    response = curator_client.post(url("create"), as_post(data))

    assert response.context["form"].duplicate == existing
    assert url("detail", person_pk=existing.pk) in response.content.decode()
    assert Person.objects.count() == 1


# Edit


def test_edit_changes_the_record(curator_client, tenant_a):
    person = PersonFactory(organisation=tenant_a.organisation, grade=7, class_letter="А")
    data = as_post(
        person_data(
            last_name=person.last_name,
            first_name=person.first_name,
            middle_name=person.middle_name,
            birth_date=person.birth_date,
            grade=8,
            class_letter="б",
        )
    )

    response = curator_client.post(url("edit", person_pk=person.pk), data)

    person.refresh_from_db()
    assert (person.grade, person.class_letter) == (8, "Б")
    assert response["Location"] == url("detail", person_pk=person.pk)


def test_edit_with_bad_input_changes_nothing(curator_client, tenant_a):
    person = PersonFactory(organisation=tenant_a.organisation, grade=7)
    before = snapshot()

    response = curator_client.post(
        url("edit", person_pk=person.pk), as_post(person_data(last_name="Новиков", grade=12))
    )

    assert response.context["form"].errors["grade"] == [
        str(MESSAGES["grade"]) % {"min": 1, "max": 11}
    ]
    assert snapshot() == before


def test_edit_refuses_to_become_a_duplicate_and_links_to_the_other_card(curator_client, tenant_a):
    org = tenant_a.organisation
    first = PersonFactory(organisation=org, last_name="Орлов", first_name="Илья", middle_name="")
    second = PersonFactory(
        organisation=org,
        last_name="Орлов",
        first_name="Олег",
        middle_name="",
        birth_date=first.birth_date,
    )
    data = person_data(
        last_name="Орлов", first_name="илья", middle_name="", birth_date=first.birth_date
    )

    response = curator_client.post(url("edit", person_pk=second.pk), as_post(data))

    assert url("detail", person_pk=first.pk) in response.content.decode()
    second.refresh_from_db()
    assert second.first_name == "Олег"


# Guardians


@pytest.fixture
def child(tenant_a):
    return PersonFactory(organisation=tenant_a.organisation, birth_date=born(10))


def test_guardian_page_suggests_adults_with_the_childs_last_name(curator_client, tenant_a):
    org = tenant_a.organisation
    child = PersonFactory(organisation=org, last_name="Соколова", first_name="Анна", gender="f")
    father = ParentFactory(organisation=org, last_name="Соколов")
    ParentFactory(organisation=org, last_name="Зайцев")
    PersonFactory(organisation=org, last_name="Соколов")  # a student: never a guardian

    response = curator_client.get(url("guardian_add", person_pk=child.pk))

    assert response.context["candidates"] == [father]
    assert response.context["suggested"] is True


def test_guardian_page_searches_the_organisations_adults(curator_client, tenant_a, tenant_b, child):
    teacher = StaffFactory(
        organisation=tenant_a.organisation, last_name="Белова", first_name="Алёна"
    )
    StaffFactory(organisation=tenant_b.organisation, last_name="Белова", first_name="Алёна")

    response = curator_client.get(url("guardian_add", person_pk=child.pk), {"q": "белова алена"})

    assert response.context["candidates"] == [teacher]


def test_pick_an_existing_guardian(curator_client, tenant_a, child):
    mother = ParentFactory(organisation=tenant_a.organisation, gender="f")

    response = curator_client.post(
        url("guardian_add", person_pk=child.pk),
        {"action": "pick", "guardian": mother.pk, "relation": "mother"},
    )

    assert response["Location"] == url("detail", person_pk=child.pk)
    assert list(GuardianLink.objects.values_list("guardian", "child", "relation")) == [
        (mother.pk, child.pk, "mother")
    ]


def test_a_person_of_another_organisation_cannot_be_picked(curator_client, tenant_b, child):
    outsider = ParentFactory(organisation=tenant_b.organisation)

    response = curator_client.post(
        url("guardian_add", person_pk=child.pk),
        {"action": "pick", "guardian": outsider.pk, "relation": "father"},
    )

    assert response.context["pick_form"].errors["guardian"] == [
        str(GuardianPickForm.base_fields["guardian"].error_messages["invalid_choice"])
    ]
    assert outsider.full_name not in response.content.decode()
    assert not GuardianLink.objects.exists()


@pytest.mark.parametrize("who", ["child", "student"])
def test_the_child_or_another_student_cannot_be_picked(curator_client, tenant_a, child, who):
    guardian = child if who == "child" else PersonFactory(organisation=tenant_a.organisation)

    response = curator_client.post(
        url("guardian_add", person_pk=child.pk),
        {"action": "pick", "guardian": guardian.pk, "relation": "guardian"},
    )

    assert response.context["pick_form"].errors["guardian"]
    assert not GuardianLink.objects.exists()


def test_the_relation_must_be_chosen(curator_client, tenant_a, child):
    parent = ParentFactory(organisation=tenant_a.organisation)

    response = curator_client.post(
        url("guardian_add", person_pk=child.pk),
        {"action": "pick", "guardian": parent.pk, "relation": ""},
    )

    assert response.context["pick_form"].errors["relation"] == [str(REQUIRED)]
    # The choice survives the error: the picked person stays on the page, checked.
    assert response.context["chosen"] == str(parent.pk)
    assert parent in response.context["candidates"]
    assert not GuardianLink.objects.exists()


def test_linked_guardians_are_not_offered_again(curator_client, tenant_a, child):
    link = GuardianLinkFactory(guardian__organisation=tenant_a.organisation, child=child)

    response = curator_client.get(
        url("guardian_add", person_pk=child.pk), {"q": link.guardian.last_name}
    )

    assert link.guardian not in response.context["candidates"]


def test_the_same_guardian_cannot_be_picked_twice(curator_client, tenant_a, child):
    link = GuardianLinkFactory(guardian__organisation=tenant_a.organisation, child=child)

    response = curator_client.post(
        url("guardian_add", person_pk=child.pk),
        {"action": "pick", "guardian": link.guardian.pk, "relation": "guardian"},
    )

    assert response.context["pick_form"].errors["guardian"] == [
        str(GUARDIAN_MESSAGES["duplicate"]) % {"name": link.guardian.full_name}
    ]
    assert GuardianLink.objects.get() == link


def test_add_a_new_parent_in_the_same_step(curator_client, tenant_a, child):
    data = as_post(
        person_data(PersonKind.PARENT, last_name="Новикова", first_name="Ольга", gender="f"),
        prefix="new",
    )
    data.update({"action": "new", "new-relation": "mother"})

    response = curator_client.post(url("guardian_add", person_pk=child.pk), data)

    mother = Person.objects.get(last_name="Новикова")
    assert mother.kind == PersonKind.PARENT
    assert mother.organisation == tenant_a.organisation
    assert GuardianLink.objects.filter(child=child, guardian=mother, relation="mother").exists()
    assert response["Location"] == url("detail", person_pk=child.pk)


def test_a_new_parent_with_bad_input_is_not_created(curator_client, child):
    data = as_post(person_data(PersonKind.PARENT, birth_date=born(15)), prefix="new")
    data.update({"action": "new", "new-relation": "father"})

    response = curator_client.post(url("guardian_add", person_pk=child.pk), data)

    assert response.context["new_form"].errors["birth_date"] == [
        str(MESSAGES["too_young"]) % {"min": 18}
    ]
    assert Person.objects.count() == 1
    assert not GuardianLink.objects.exists()


def test_guardians_cannot_be_added_to_an_adult(curator_client, tenant_a):
    teacher = StaffFactory(organisation=tenant_a.organisation)
    parent = ParentFactory(organisation=tenant_a.organisation)

    response = curator_client.post(
        url("guardian_add", person_pk=teacher.pk),
        {"action": "pick", "guardian": parent.pk, "relation": "father"},
    )

    assert response["Location"] == url("detail", person_pk=teacher.pk)
    assert not GuardianLink.objects.exists()


def test_remove_a_guardian_link(curator_client, tenant_a, child):
    link = GuardianLinkFactory(guardian__organisation=tenant_a.organisation, child=child)

    response = curator_client.post(url("guardian_remove", person_pk=child.pk, link_pk=link.pk))

    assert response["Location"] == url("detail", person_pk=child.pk)
    assert not GuardianLink.objects.exists()
    assert Person.objects.filter(pk=link.guardian_id).exists()


def test_remove_needs_post(curator_client, tenant_a, child):
    link = GuardianLinkFactory(guardian__organisation=tenant_a.organisation, child=child)

    response = curator_client.get(url("guardian_remove", person_pk=child.pk, link_pk=link.pk))

    assert response.status_code == 405
    assert GuardianLink.objects.filter(pk=link.pk).exists()


def test_remove_a_link_through_another_childs_card_is_404(curator_client, tenant_a, child):
    link = GuardianLinkFactory(guardian__organisation=tenant_a.organisation)

    response = curator_client.post(url("guardian_remove", person_pk=child.pk, link_pk=link.pk))

    assert response.status_code == 404
    assert GuardianLink.objects.filter(pk=link.pk).exists()


# Permissions and tenancy


@pytest.fixture
def rows(tenant_a, tenant_b):
    """A child with a guardian in each organisation: data that could leak."""
    return {
        slug: GuardianLinkFactory(guardian__organisation=tenant.organisation)
        for slug, tenant in (("a", tenant_a), ("b", tenant_b))
    }


def row_urls(link, org="school-a"):
    """Every address that names a row, read and write."""
    child = link.child.pk
    return [
        ("get", url("detail", org, person_pk=child)),
        ("get", url("edit", org, person_pk=child)),
        ("post", url("edit", org, person_pk=child)),
        ("get", url("guardian_add", org, person_pk=child)),
        ("post", url("guardian_add", org, person_pk=child)),
        ("post", url("guardian_remove", org, person_pk=child, link_pk=link.pk)),
    ]


def all_urls(link, org="school-a"):
    return [
        ("get", url("list", org)),
        ("get", url("create", org)),
        ("post", url("create", org)),
        *row_urls(link, org),
    ]


def snapshot():
    return (
        list(Person.objects.order_by("pk").values_list("pk", "last_name", "grade")),
        list(GuardianLink.objects.order_by("pk").values_list("pk", "guardian", "child")),
    )


def hit(client, method, address):
    if method == "post":
        data = as_post(person_data(last_name="Взломов"))
        return client.post(address, {**data, "action": "pick", "relation": "father"})
    return client.get(address)


@pytest.mark.parametrize("role", [Role.CURATOR, Role.DIRECTOR])
def test_curator_and_director_can_edit(client, tenant_a, rows, role):
    client.force_login(tenant_a.user(role))
    child = rows["a"].child

    response = client.post(
        url("edit", person_pk=child.pk),
        as_post(
            person_data(
                last_name="Редактированный",
                first_name=child.first_name,
                birth_date=child.birth_date,
            )
        ),
    )

    child.refresh_from_db()
    assert child.last_name == "Редактированный"
    assert response["Location"] == url("detail", person_pk=child.pk)


def test_specialist_reads_but_cannot_edit(client, tenant_a, rows):
    client.force_login(tenant_a.user(Role.SPECIALIST))
    before = snapshot()
    child = rows["a"].child

    listing = client.get(url("list"))
    card = client.get(url("detail", person_pk=child.pk))
    assert child.full_name in listing.content.decode()
    assert card.context["person"] == child
    assert listing.context["can_edit"] is False
    assert url("create") not in listing.content.decode()

    edit_urls = [
        ("get", url("create")),
        ("post", url("create")),
        ("get", url("edit", person_pk=child.pk)),
        ("post", url("edit", person_pk=child.pk)),
        ("get", url("guardian_add", person_pk=child.pk)),
        ("post", url("guardian_add", person_pk=child.pk)),
        ("post", url("guardian_remove", person_pk=child.pk, link_pk=rows["a"].pk)),
    ]
    for method, address in edit_urls:
        assert hit(client, method, address).status_code == 403, (method, address)
    assert snapshot() == before


@pytest.mark.parametrize("role", [Role.MENTEE, Role.MENTOR, Role.GUARDIAN, Role.COMMISSION_MEMBER])
def test_other_roles_are_refused_the_registry(client, tenant_a, rows, role):
    client.force_login(tenant_a.user(role))
    before = snapshot()

    for method, address in all_urls(rows["a"]):
        response = hit(client, method, address)
        assert response.status_code == 403, (method, address)
        assert rows["a"].child.full_name not in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("rows_of", ["a", "b"])
def test_a_user_of_another_organisation_gets_404_everywhere(client, tenant_b, rows, rows_of):
    client.force_login(tenant_b.user(Role.CURATOR))
    before = snapshot()

    for method, address in all_urls(rows[rows_of], org="school-a"):
        response = hit(client, method, address)
        assert response.status_code == 404, (method, address)
        assert rows[rows_of].child.full_name not in response.content.decode()
    assert snapshot() == before


def test_rows_of_another_organisation_are_404_inside_ones_own(client, tenant_a, rows):
    client.force_login(tenant_a.user(Role.CURATOR))
    before = snapshot()
    foreign = rows["b"]

    for method, address in row_urls(foreign, org="school-a"):
        response = hit(client, method, address)
        assert response.status_code == 404, (method, address)
        assert foreign.child.full_name not in response.content.decode()
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_login(client, rows):
    response = client.get(url("list"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_card_offers_an_invitation_to_log_in_to_those_who_manage_members(client, tenant_a):
    person = PersonFactory(organisation=tenant_a.organisation)
    invite_url = reverse("orgs:member_invite", kwargs={"org_slug": "school-a"})
    card_url = reverse("people:detail", kwargs={"org_slug": "school-a", "person_pk": person.pk})

    client.force_login(tenant_a.user(Role.CURATOR))
    assert f"{invite_url}?person={person.pk}" in client.get(card_url).content.decode()

    client.force_login(tenant_a.user(Role.SPECIALIST))
    assert invite_url not in client.get(card_url).content.decode()
