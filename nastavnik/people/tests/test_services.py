"""The rules of a person's record and of guardian links, enforced by the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from nastavnik.orgs.tests.factories import OrganisationFactory
from nastavnik.people.models import GuardianLink, Person, PersonKind
from nastavnik.people.services import (
    guardian_add_new,
    guardian_link_add,
    guardian_link_remove,
    person_create,
    person_update,
)
from nastavnik.people.tests.data import born, person_data
from nastavnik.people.tests.factories import (
    GuardianLinkFactory,
    ParentFactory,
    PersonFactory,
    StaffFactory,
)
from nastavnik.people.validators import GUARDIAN_MESSAGES, MESSAGES, REQUIRED

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory()


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def msg(key: str, **params) -> str:
    return str(MESSAGES[key]) % params if params else str(MESSAGES[key])


def assert_rejected(org, data, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        person_create(org, data, by=None)
    assert message in errors_of(excinfo)[field]
    assert not Person.objects.filter(organisation=org).exists()


# Creating: the happy paths


@pytest.mark.parametrize("kind", PersonKind.values)
def test_person_create_accepts_a_valid_record_of_each_kind(org, kind):
    person = person_create(org, person_data(kind), by=None)

    person.refresh_from_db()
    assert person.organisation == org
    assert person.kind == kind
    assert person.full_name == "Иванов Пётр Сергеевич"
    assert person.name_key == "иванов петр сергеевич"


def test_person_create_tidies_names_letters_and_contacts(org):
    person = person_create(
        org,
        person_data(
            last_name="  Римский -  Корсаков ",
            first_name="Пётр  ",
            middle_name="",
            class_letter="б",
            email=" Petr@Example.RU ",
            phone=" +7 (912)  345-67-89 ",
        ),
        by=None,
    )

    person.refresh_from_db()
    assert person.last_name == "Римский-Корсаков"
    assert person.first_name == "Пётр"
    assert person.class_letter == "Б"
    assert person.email == "petr@example.ru"
    assert person.phone == "+7 (912) 345-67-89"


def test_person_create_keeps_only_the_fields_of_its_kind(org):
    data = person_data(PersonKind.STAFF, grade=7, class_letter="А", graduation_year=2000)

    person = person_create(org, data, by=None)

    person.refresh_from_db()
    assert (person.grade, person.class_letter, person.graduation_year) == (None, "", None)
    assert person.position == "Учитель физики"


@pytest.mark.parametrize(
    "name", ["Д'Артаньян", "Мамедов оглы", "O'Neil", "Müller", "Анна-Мария", "Мар’яна"]
)
def test_names_with_hyphens_apostrophes_spaces_and_latin_letters_are_accepted(org, name):
    person = person_create(org, person_data(first_name=name), by=None)

    assert person.first_name == name


# Creating: every bad input is refused and nothing is written


@pytest.mark.parametrize("field", ["last_name", "first_name"])
@pytest.mark.parametrize("value", ["", "   "])
def test_last_and_first_name_are_required(org, field, value):
    assert_rejected(org, person_data(**{field: value}), field, str(REQUIRED))


@pytest.mark.parametrize("field", ["last_name", "first_name", "middle_name"])
@pytest.mark.parametrize("value", ["Иванов2", "Иван!", "-Иван", "Иван--Петров", "Ivan_", "И.И."])
def test_names_with_other_characters_are_refused(org, field, value):
    assert_rejected(org, person_data(**{field: value}), field, msg("name_format"))


@pytest.mark.parametrize("field", ["last_name", "first_name", "middle_name"])
def test_names_longer_than_80_characters_are_refused(org, field):
    assert_rejected(org, person_data(**{field: "Я" * 81}), field, msg("name_length", max=80))


def test_a_word_mixing_cyrillic_and_latin_letters_is_refused(org):
    # 'Иванoв' with a Latin 'o': it would never be found by a search for 'Иванов'.
    assert_rejected(org, person_data(last_name="Иванoв"), "last_name", msg("name_mixed"))


def test_birth_date_in_the_future_is_refused(org):
    tomorrow = timezone.localdate() + timedelta(days=2)
    assert_rejected(org, person_data(birth_date=tomorrow), "birth_date", msg("future"))


@pytest.mark.parametrize("years", [3, 5, 21, 40])
def test_a_student_must_be_from_6_to_20_years_old(org, years):
    assert_rejected(
        org,
        person_data(birth_date=born(years)),
        "birth_date",
        msg("student_age", min=6, max=20),
    )


@pytest.mark.parametrize("years", [6, 20])
def test_a_student_of_6_or_20_is_accepted(org, years):
    assert person_create(org, person_data(birth_date=born(years)), by=None).pk


def test_a_student_needs_a_birth_date_and_a_grade(org):
    with pytest.raises(ValidationError) as excinfo:
        person_create(org, person_data(birth_date=None, grade=None), by=None)

    errors = errors_of(excinfo)
    assert str(REQUIRED) in errors["birth_date"]
    assert str(REQUIRED) in errors["grade"]
    assert not Person.objects.exists()


@pytest.mark.parametrize("grade", [0, 12, 99])
def test_a_grade_outside_1_to_11_is_refused(org, grade):
    assert_rejected(org, person_data(grade=grade), "grade", msg("grade", min=1, max=11))


@pytest.mark.parametrize("letter", ["АБ", "A", "1", "Ё", "-"])
def test_a_class_letter_must_be_one_cyrillic_letter(org, letter):
    assert_rejected(org, person_data(class_letter=letter), "class_letter", msg("class_letter"))


def test_an_empty_class_letter_is_accepted(org):
    assert person_create(org, person_data(class_letter=""), by=None).class_name == "6"


@pytest.mark.parametrize(
    ("kind", "years", "minimum"),
    [(PersonKind.STAFF, 15, 16), (PersonKind.PARENT, 17, 18), (PersonKind.EXTERNAL, 15, 16)],
)
def test_adults_have_a_minimum_age(org, kind, years, minimum):
    assert_rejected(
        org,
        person_data(kind, birth_date=born(years)),
        "birth_date",
        msg("too_young", min=minimum),
    )


@pytest.mark.parametrize("kind", [PersonKind.STAFF, PersonKind.PARENT, PersonKind.EXTERNAL])
def test_nobody_is_older_than_100(org, kind):
    assert_rejected(
        org, person_data(kind, birth_date=born(101)), "birth_date", msg("too_old", max=100)
    )


@pytest.mark.parametrize("years", [-1, 61])
def test_experience_must_be_from_0_to_60_years(org, years):
    assert_rejected(
        org,
        person_data(PersonKind.STAFF, birth_date=born(90), experience_years=years),
        "experience_years",
        msg("experience_range", max=60),
    )


def test_experience_cannot_exceed_what_the_age_allows(org):
    # 25 years old: working since 14 at the earliest gives 11 years at most.
    assert_rejected(
        org,
        person_data(PersonKind.STAFF, birth_date=born(25), experience_years=12),
        "experience_years",
        msg("experience_age", max=11),
    )
    assert (
        person_create(
            org, person_data(PersonKind.STAFF, birth_date=born(25), experience_years=11), by=None
        ).experience_years
        == 11
    )


@pytest.mark.parametrize("year_offset", ["1949", "next"])
def test_graduation_year_from_1950_to_this_year(org, year_offset):
    this_year = timezone.localdate().year
    year = 1949 if year_offset == "1949" else this_year + 1
    assert_rejected(
        org,
        person_data(PersonKind.GRADUATE, birth_date=born(30), graduation_year=year),
        "graduation_year",
        msg("graduation_year", min=1950, max=this_year),
    )


def test_graduation_year_must_fit_the_birth_date(org):
    birth_date = born(30)
    assert_rejected(
        org,
        person_data(
            PersonKind.GRADUATE, birth_date=birth_date, graduation_year=birth_date.year + 10
        ),
        "graduation_year",
        msg("graduation_age"),
    )


def test_a_graduate_needs_a_graduation_year(org):
    assert_rejected(
        org,
        person_data(PersonKind.GRADUATE, graduation_year=None),
        "graduation_year",
        str(REQUIRED),
    )


def test_staff_need_a_position_and_external_people_a_category(org):
    assert_rejected(org, person_data(PersonKind.STAFF, position=" "), "position", str(REQUIRED))
    assert_rejected(
        org,
        person_data(PersonKind.EXTERNAL, external_category=""),
        "external_category",
        str(REQUIRED),
    )


def test_an_unknown_external_category_is_refused(org):
    assert_rejected(
        org,
        person_data(PersonKind.EXTERNAL, external_category="astronaut"),
        "external_category",
        msg("choice"),
    )


@pytest.mark.parametrize("gender", ["", "x"])
def test_gender_must_be_given(org, gender):
    with pytest.raises(ValidationError) as excinfo:
        person_create(org, person_data(gender=gender), by=None)
    assert "gender" in errors_of(excinfo)
    assert not Person.objects.exists()


@pytest.mark.parametrize("email", ["ivanov", "ivanov@", "@mail.ru", "a b@mail.ru"])
def test_a_bad_email_is_refused(org, email):
    assert_rejected(org, person_data(email=email), "email", msg("email"))


@pytest.mark.parametrize("phone", ["+7 912 345 67 89 доб. 5", "8-912-ABC-67-89", "8_912_345_67_89"])
def test_a_phone_with_other_characters_is_refused(org, phone):
    assert_rejected(org, person_data(phone=phone), "phone", msg("phone_chars"))


@pytest.mark.parametrize("phone", ["345-67-89", "+7 912 345 67 89 12345 6"])
def test_a_phone_needs_10_to_15_digits(org, phone):
    assert_rejected(org, person_data(phone=phone), "phone", msg("phone_digits", min=10, max=15))


def test_an_unknown_kind_is_refused(org):
    with pytest.raises(ValidationError) as excinfo:
        person_create(org, person_data(kind="alien"), by=None)
    assert "kind" in errors_of(excinfo)
    assert not Person.objects.exists()


def test_all_errors_are_reported_at_once(org):
    with pytest.raises(ValidationError) as excinfo:
        person_create(org, person_data(last_name="", grade=12, phone="123", email="x"), by=None)
    assert set(errors_of(excinfo)) >= {"last_name", "grade", "phone", "email"}


# Duplicates


@pytest.mark.parametrize(
    ("last", "first", "middle"),
    [
        ("Иванов", "Пётр", "Сергеевич"),
        ("ИВАНОВ", "ПЕТР", "СЕРГЕЕВИЧ"),
        ("иванов ", " петр", "сергеевич"),
    ],
)
def test_the_same_person_cannot_be_added_twice(org, last, first, middle):
    existing = person_create(org, person_data(), by=None)

    with pytest.raises(ValidationError) as excinfo:
        person_create(
            org,
            person_data(last_name=last, first_name=first, middle_name=middle),
            by=None,
        )

    [error] = excinfo.value.error_dict[NON_FIELD_ERRORS]
    assert error.code == "duplicate"
    assert error.params["person"] == existing
    assert Person.objects.count() == 1


def test_namesakes_with_other_birth_dates_or_in_other_organisations_are_not_duplicates(org):
    person_create(org, person_data(), by=None)

    person_create(org, person_data(birth_date=born(13)), by=None)
    person_create(OrganisationFactory(), person_data(), by=None)

    assert Person.objects.count() == 3


def test_an_edited_person_is_not_a_duplicate_of_itself(org):
    person = person_create(org, person_data(), by=None)

    person_update(person, {"notes": "Любит шахматы"}, by=None)

    person.refresh_from_db()
    assert person.notes == "Любит шахматы"


def test_editing_into_another_persons_name_and_birth_date_is_refused(org):
    first = person_create(org, person_data(), by=None)
    second = person_create(org, person_data(first_name="Алексей"), by=None)

    with pytest.raises(ValidationError) as excinfo:
        person_update(second, {"first_name": "Петр"}, by=None)

    assert excinfo.value.error_dict[NON_FIELD_ERRORS][0].params["person"] == first
    second.refresh_from_db()
    assert second.first_name == "Алексей"


# Updating


def test_person_update_changes_only_the_given_fields(org):
    person = person_create(org, person_data(), by=None)

    person_update(person, {"grade": 7, "class_letter": "в"}, by=None)

    person.refresh_from_db()
    assert (person.grade, person.class_letter) == (7, "В")
    assert person.last_name == "Иванов"


def test_person_update_with_bad_data_changes_nothing(org):
    person = person_create(org, person_data(), by=None)

    with pytest.raises(ValidationError):
        person_update(person, {"grade": 12, "last_name": "Петров"}, by=None)

    person.refresh_from_db()
    assert (person.grade, person.last_name) == (6, "Иванов")


def test_a_student_who_becomes_a_graduate_loses_the_class(org):
    person = person_create(org, person_data(birth_date=born(18), grade=11), by=None)

    this_year = timezone.localdate().year

    person_update(person, {"kind": PersonKind.GRADUATE, "graduation_year": this_year}, by=None)

    person.refresh_from_db()
    assert person.kind == PersonKind.GRADUATE
    assert (person.grade, person.class_letter, person.graduation_year) == (None, "", this_year)


def test_a_guardian_cannot_become_a_student(org):
    link = GuardianLinkFactory(guardian__organisation=org, guardian__birth_date=born(19))

    with pytest.raises(ValidationError) as excinfo:
        person_update(link.guardian, {"kind": PersonKind.STUDENT, "grade": 11}, by=None)

    assert msg("guardian_student") in errors_of(excinfo)["kind"]
    link.guardian.refresh_from_db()
    assert link.guardian.kind == PersonKind.PARENT


# Guardian links


def g_msg(key: str, **params) -> str:
    return str(GUARDIAN_MESSAGES[key]) % params if params else str(GUARDIAN_MESSAGES[key])


@pytest.fixture
def child(org):
    return PersonFactory(organisation=org, birth_date=born(10))


def test_a_parent_is_linked_to_a_child(org, child):
    parent = ParentFactory(organisation=org, gender="f")

    link = guardian_link_add(child, parent, "mother", by=None)

    assert link.organisation == org
    assert list(child.guardian_links.values_list("guardian", "relation")) == [(parent.pk, "mother")]


def test_staff_and_external_adults_can_be_guardians(org, child):
    teacher = StaffFactory(organisation=org)

    guardian_link_add(child, teacher, "guardian", by=None)

    assert GuardianLink.objects.filter(child=child, guardian=teacher).exists()


def assert_link_refused(child, guardian, relation, field, message):
    with pytest.raises(ValidationError) as excinfo:
        guardian_link_add(child, guardian, relation, by=None)
    assert message in errors_of(excinfo)[field]
    assert not GuardianLink.objects.filter(child=child, guardian=guardian).exists()


def test_a_child_cannot_be_its_own_guardian(child):
    assert_link_refused(child, child, "guardian", "guardian", g_msg("self"))


def test_a_student_cannot_be_a_guardian(org, child):
    other_student = PersonFactory(organisation=org, birth_date=born(19))
    assert_link_refused(child, other_student, "guardian", "guardian", g_msg("guardian_student"))


def test_a_person_of_another_organisation_cannot_be_a_guardian(child):
    outsider = ParentFactory(organisation=OrganisationFactory())
    assert_link_refused(child, outsider, "father", "guardian", g_msg("other_organisation"))


def test_guardians_are_recorded_for_students_only(org):
    teacher = StaffFactory(organisation=org)
    parent = ParentFactory(organisation=org)
    assert_link_refused(teacher, parent, "father", NON_FIELD_ERRORS, g_msg("child_kind"))


def test_a_guardian_must_be_an_adult(org, child):
    young_staff = StaffFactory(organisation=org, birth_date=born(17), experience_years=0)
    assert_link_refused(child, young_staff, "guardian", "guardian", g_msg("guardian_age", min=18))


def test_the_same_guardian_cannot_be_linked_twice(org, child):
    parent = ParentFactory(organisation=org)
    guardian_link_add(child, parent, "father", by=None)

    with pytest.raises(ValidationError) as excinfo:
        guardian_link_add(child, parent, "guardian", by=None)

    assert g_msg("duplicate", name=parent.full_name) in errors_of(excinfo)["guardian"]
    assert GuardianLink.objects.filter(child=child).count() == 1


def test_relation_must_fit_the_gender(org, child):
    father = ParentFactory(organisation=org, gender="m")
    mother = ParentFactory(organisation=org, gender="f")
    assert_link_refused(child, father, "mother", "relation", g_msg("mother_gender"))
    assert_link_refused(child, mother, "father", "relation", g_msg("father_gender"))
    assert_link_refused(child, mother, "aunt", "relation", g_msg("relation"))


def test_a_new_parent_is_created_and_linked_in_one_step(org, child):
    link = guardian_add_new(
        child,
        person_data(PersonKind.STAFF, first_name="Мария", gender="f", position=""),
        "mother",
        by=None,
    )

    assert link.guardian.kind == PersonKind.PARENT
    assert link.guardian.first_name == "Мария"
    assert link.child == child


def test_a_new_parent_with_a_bad_relation_is_not_created_either(org, child):
    with pytest.raises(ValidationError):
        guardian_add_new(child, person_data(PersonKind.PARENT, gender="m"), "mother", by=None)

    assert not Person.objects.filter(kind=PersonKind.PARENT).exists()
    assert not GuardianLink.objects.exists()


def test_removing_a_link_keeps_both_people(org, child):
    link = GuardianLinkFactory(guardian__organisation=org, child=child)

    guardian_link_remove(link, by=None)

    assert not GuardianLink.objects.exists()
    assert Person.objects.filter(pk__in=[child.pk, link.guardian_id]).count() == 2
