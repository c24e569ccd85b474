"""The forms parse what people type and show the rules' messages next to the fields."""

import pytest

from nastavnik.orgs.tests.factories import OrganisationFactory
from nastavnik.people.forms import GuardianNewForm, GuardianPickForm, PersonForm
from nastavnik.people.models import PersonKind
from nastavnik.people.services import person_create
from nastavnik.people.tests.data import as_post, born, person_data
from nastavnik.people.tests.factories import ParentFactory, PersonFactory, StaffFactory
from nastavnik.people.validators import GUARDIAN_MESSAGES, MESSAGES, REQUIRED

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory()


def bound(org, instance=None, **overrides):
    return PersonForm(as_post(person_data(**overrides)), organisation=org, instance=instance)


def test_a_valid_student_form_gives_clean_data(org):
    form = bound(org, last_name="  Петрова ", first_name="Алёна", gender="f", class_letter="а")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["last_name"] == "Петрова"
    assert form.cleaned_data["class_letter"] == "А"
    assert form.cleaned_data["grade"] == 6


def test_rule_errors_show_on_their_fields(org):
    form = bound(org, birth_date=born(3), grade="12", phone="12-34")

    assert not form.is_valid()
    assert form.errors["birth_date"] == [str(MESSAGES["student_age"]) % {"min": 6, "max": 20}]
    assert form.errors["grade"] == [str(MESSAGES["grade"]) % {"min": 1, "max": 11}]
    assert form.errors["phone"] == [str(MESSAGES["phone_digits"]) % {"min": 10, "max": 15}]


def test_fields_that_do_not_parse_get_one_message_each(org):
    form = bound(org, birth_date="31.02.2010", grade="седьмой")

    assert not form.is_valid()
    assert set(form.errors) == {"birth_date", "grade"}
    assert len(form.errors["birth_date"]) == len(form.errors["grade"]) == 1


def test_rules_report_on_the_other_fields_at_the_same_time(org):
    form = bound(org, first_name="", grade="12", phone="12")

    assert not form.is_valid()
    assert form.errors["first_name"] == [str(REQUIRED)]
    assert form.errors["grade"] == [str(MESSAGES["grade"]) % {"min": 1, "max": 11}]
    assert form.errors["phone"] == [str(MESSAGES["phone_digits"]) % {"min": 10, "max": 15}]


def test_a_required_field_of_the_kind_is_required(org):
    form = bound(org, kind=PersonKind.STAFF, position="")

    assert not form.is_valid()
    assert form.errors["position"] == [str(REQUIRED)]


def test_fields_of_other_kinds_are_not_checked(org):
    # A staff member's form posted with a stray grade: the grade is dropped, not refused.
    form = bound(org, kind=PersonKind.STAFF, grade="99", position="Учитель")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["grade"] is None


def test_the_duplicate_is_offered(org):
    existing = person_create(org, person_data(), by=None)

    form = bound(org, last_name="ИВАНОВ", first_name="петр")

    assert not form.is_valid()
    assert form.duplicate == existing
    assert form.non_field_errors()


def test_the_edited_person_is_not_its_own_duplicate(org):
    existing = person_create(org, person_data(), by=None)

    form = bound(org, instance=existing, notes="Новая заметка")

    assert form.is_valid(), form.errors
    assert form.duplicate is None


def test_the_form_shows_the_fields_of_the_chosen_kind(org):
    form = PersonForm(organisation=org, initial={"kind": PersonKind.STAFF})

    visible = {s["field"].name for s in form.kind_sections() if s["visible"]}

    assert visible == {"position", "subjects", "experience_years"}


def test_the_edit_form_starts_from_the_record(org):
    person = person_create(org, person_data(PersonKind.STAFF), by=None)

    form = PersonForm(organisation=org, instance=person)

    assert form["position"].value() == "Учитель физики"
    assert form.current_kind == PersonKind.STAFF


# Guardian forms


def test_pick_form_offers_only_adults_of_the_childs_organisation(org):
    child = PersonFactory(organisation=org)
    parent = ParentFactory(organisation=org)
    teacher = StaffFactory(organisation=org)
    PersonFactory(organisation=org)  # another student
    ParentFactory(organisation=OrganisationFactory())

    form = GuardianPickForm(child=child)

    assert set(form.fields["guardian"].queryset) == {parent, teacher}


def test_pick_form_refuses_a_pk_of_another_organisation(org):
    child = PersonFactory(organisation=org)
    outsider = ParentFactory(organisation=OrganisationFactory())

    form = GuardianPickForm({"guardian": outsider.pk, "relation": "father"}, child=child)

    assert not form.is_valid()
    assert form.errors["guardian"] == [
        str(GuardianPickForm.base_fields["guardian"].error_messages["invalid_choice"])
    ]


def test_pick_form_shows_the_rule_errors(org):
    child = PersonFactory(organisation=org)
    father = ParentFactory(organisation=org, gender="m")

    form = GuardianPickForm({"guardian": father.pk, "relation": "mother"}, child=child)

    assert not form.is_valid()
    assert form.errors["relation"] == [str(GUARDIAN_MESSAGES["mother_gender"])]


def test_new_guardian_form_is_always_a_parent(org):
    child = PersonFactory(organisation=org)
    data = as_post(person_data(PersonKind.PARENT), prefix="new")
    # A disabled field ignores what is posted: nobody can turn the new guardian into staff.
    data.update({"new-kind": PersonKind.STAFF, "new-relation": "father"})

    form = GuardianNewForm(data, child=child)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["kind"] == PersonKind.PARENT
    assert "grade" not in form.fields
