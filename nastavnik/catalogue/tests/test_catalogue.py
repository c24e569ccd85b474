import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.catalogue.services import form_create, role_model_create
from nastavnik.orgs.models import Role


def url(name, slug="school-a", **kwargs):
    return reverse(f"catalogue:{name}", kwargs={"org_slug": slug, **kwargs})


@pytest.mark.django_db
def test_builtin_catalogue_holds_the_forms_and_role_models_of_the_seeds():
    names = set(MentoringForm.objects.filter(organisation=None).values_list("name", flat=True))
    assert {
        "Ученик – ученик",
        "Учитель – учитель",
        "Учитель – ученик",
        "Студент – ученик",
        "Работодатель – ученик",
        "Работодатель – студент",
    } <= names
    student_student = MentoringForm.objects.get(organisation=None, code="student-student")
    role_models = set(student_student.role_models.values_list("name", flat=True))
    assert {
        "Успевающий – неуспевающий",
        "Лидер – пассивный",
        "Равный – равному",
        "Адаптированный – неадаптированный",
    } == role_models
    assert all(rm.goal for rm in RoleModel.objects.filter(organisation=None))


@pytest.mark.django_db
def test_list_shows_builtins_and_own_entries_but_not_another_organisations(
    client, tenant_a, tenant_b
):
    form_create(tenant_a.organisation, name="Родитель – ученик", goal="Поддержка семьи")
    form_create(tenant_b.organisation, name="Чужая форма", goal="Секрет школы Б")
    client.force_login(tenant_a.user(Role.SPECIALIST))

    response = client.get(url("forms"))

    content = response.content.decode()
    assert "Ученик – ученик" in content
    assert "Родитель – ученик" in content
    assert "Чужая форма" not in content
    assert response.context["edit_allowed"] is False


@pytest.mark.django_db
def test_curator_adds_a_form_and_a_role_model_to_a_builtin_form(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))

    response = client.post(
        url("form_create"), {"name": " Родитель  –  ученик ", "goal": "Поддержка"}
    )

    assert response.status_code == 302
    own = MentoringForm.objects.get(organisation=tenant_a.organisation)
    assert own.name == "Родитель – ученик"
    builtin = MentoringForm.objects.get(organisation=None, code="student-student")
    client.post(
        url("role_model_create", form_pk=builtin.pk),
        {"name": "Наставник проекта – автор", "goal": "Проект"},
    )
    added = RoleModel.objects.get(organisation=tenant_a.organisation)
    assert added.form == builtin
    # The built-in form itself is unchanged and still shared.
    assert builtin.organisation is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "goal": "Цель"}, "name"),
        ({"name": "Форма", "goal": ""}, "goal"),
        ({"name": "x" * 121, "goal": "Цель"}, "name"),
    ],
)
def test_bad_form_input_is_refused_and_nothing_saved(client, tenant_a, data, field):
    client.force_login(tenant_a.user(Role.CURATOR))

    response = client.post(url("form_create"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not MentoringForm.objects.filter(organisation=tenant_a.organisation).exists()


@pytest.mark.django_db
def test_a_form_named_like_a_builtin_one_is_refused(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))

    response = client.post(url("form_create"), {"name": "ученик – УЧЕНИК", "goal": "Цель"})

    assert response.context["form"].errors["name"] == [_("A form with this name already exists.")]
    assert not MentoringForm.objects.filter(organisation=tenant_a.organisation).exists()


@pytest.mark.django_db
def test_a_duplicate_role_model_name_in_one_form_is_refused(client, tenant_a):
    builtin = MentoringForm.objects.get(organisation=None, code="student-student")
    client.force_login(tenant_a.user(Role.CURATOR))

    response = client.post(
        url("role_model_create", form_pk=builtin.pk), {"name": "лидер – пассивный", "goal": "x"}
    )

    assert response.context["form"].errors["name"] == [
        _("This form already has a role model with this name.")
    ]
    assert not RoleModel.objects.filter(organisation=tenant_a.organisation).exists()


@pytest.mark.django_db
def test_builtin_entries_cannot_be_edited_or_deleted(client, tenant_a):
    builtin = MentoringForm.objects.get(organisation=None, code="student-student")
    role_model = builtin.role_models.first()
    client.force_login(tenant_a.user(Role.DIRECTOR))

    assert client.get(url("form_edit", form_pk=builtin.pk)).status_code == 404
    assert client.post(url("form_delete", form_pk=builtin.pk)).status_code == 404
    assert (
        client.post(
            url("role_model_edit", role_model_pk=role_model.pk), {"name": "X", "goal": "Y"}
        ).status_code
        == 404
    )
    builtin.refresh_from_db()
    role_model.refresh_from_db()
    assert builtin.name == "Ученик – ученик"
    assert role_model.name != "X"


@pytest.mark.django_db
def test_curator_edits_and_deletes_own_entries(client, tenant_a):
    own = form_create(tenant_a.organisation, name="Родитель – ученик", goal="Цель")
    rm = role_model_create(own, tenant_a.organisation, name="Старший – младший", goal="Цель")
    client.force_login(tenant_a.user(Role.CURATOR))

    client.post(
        url("form_edit", form_pk=own.pk), {"name": "Родитель – ребёнок", "goal": "Новая цель"}
    )
    client.post(
        url("role_model_edit", role_model_pk=rm.pk), {"name": "Старший – младший", "goal": "Другая"}
    )
    own.refresh_from_db()
    rm.refresh_from_db()
    assert (own.name, own.goal, rm.goal) == ("Родитель – ребёнок", "Новая цель", "Другая")

    client.post(url("form_delete", form_pk=own.pk))
    assert not MentoringForm.objects.filter(pk=own.pk).exists()
    assert not RoleModel.objects.filter(pk=rm.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.MENTOR, Role.COMMISSION_MEMBER])
def test_members_without_edit_right_cannot_add(client, tenant_a, role):
    client.force_login(tenant_a.user(role))

    response = client.post(url("form_create"), {"name": "Форма", "goal": "Цель"})

    assert response.status_code == 403
    assert not MentoringForm.objects.filter(organisation=tenant_a.organisation).exists()


@pytest.mark.django_db
def test_another_organisations_own_form_is_not_found(client, tenant_a, tenant_b):
    foreign = form_create(tenant_b.organisation, name="Форма Б", goal="Цель")
    client.force_login(tenant_a.user(Role.CURATOR))

    assert client.get(url("form_edit", form_pk=foreign.pk)).status_code == 404
    assert (
        client.post(
            url("role_model_create", form_pk=foreign.pk), {"name": "A", "goal": "B"}
        ).status_code
        == 404
    )
    assert not RoleModel.objects.filter(form=foreign).exists()
