"""Rows behind the catalogue URLs, for the project-wide isolation test."""

from nastavnik.catalogue.services import form_create, role_model_create
from nastavnik.orgs.models import Organisation


def _own_form(org: Organisation) -> int:
    return form_create(org, name=f"Своя форма {org.slug}", goal="Цель").pk


def _own_role_model(org: Organisation) -> int:
    form = form_create(org, name=f"Форма для модели {org.slug}", goal="Цель")
    return role_model_create(form, org, name="Старший – младший", goal="Цель").pk


ROW_MAKERS = {"form_pk": _own_form, "role_model_pk": _own_role_model}
