"""The built-in catalogue reads in English when the interface is English; an organisation's
own entries read as entered; every built-in row has its English texts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from nastavnik.catalogue import english
from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.catalogue.services import form_create
from nastavnik.orgs.models import Role

pytestmark = pytest.mark.django_db
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def test_every_built_in_row_has_english_texts():
    for form in MentoringForm.objects.filter(organisation=None):
        assert set(english.FORMS[form.code]) == {
            "name",
            "goal",
            "mentor_description",
            "mentee_description",
        }
    for role_model in RoleModel.objects.filter(organisation=None).select_related("form"):
        assert (role_model.form.code, role_model.name) in english.ROLE_MODELS
    texts = [
        t
        for entry in (*english.FORMS.values(), *english.ROLE_MODELS.values())
        for t in entry.values()
    ]
    assert not [t for t in texts if CYRILLIC.search(t)]


def test_the_catalogue_page_in_english_shows_the_built_in_rows_in_english(client, tenant_a):
    form_create(tenant_a.organisation, name="Родитель – ученик", goal="Поддержка семьи")
    client.force_login(tenant_a.user(Role.SPECIALIST))
    page = reverse("catalogue:forms", kwargs={"org_slug": tenant_a.organisation.slug})

    english_page = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    russian_page = client.get(page, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "Teacher – teacher" in english_page and "Учитель – учитель" not in english_page
    assert "High achiever – low achiever" in english_page
    assert "Родитель – ученик" in english_page  # the organisation's own, as entered
    assert "Учитель – учитель" in russian_page and "Teacher – teacher" not in russian_page
