"""Writes to the catalogue: an organisation adds and edits its own forms and role models.

Built-in rows (no organisation) come from the seeds and are read-only.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import RestrictedError
from django.utils.translation import gettext as _

from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.core.text import clean_name_part, fold
from nastavnik.orgs.models import Organisation


def _require_own(entry: MentoringForm | RoleModel, organisation: Organisation) -> None:
    if entry.organisation_id != organisation.pk:
        raise ValidationError(_("Built-in entries of the catalogue cannot be changed."))


def _check_form_name_free(
    organisation: Organisation, name: str, exclude_pk: int | None = None
) -> None:
    taken = MentoringForm.objects.available_to(organisation).exclude(pk=exclude_pk)
    if any(fold(other) == fold(name) for other in taken.values_list("name", flat=True)):
        raise ValidationError({"name": _("A form with this name already exists.")})


def _check_role_model_name_free(
    form: MentoringForm, organisation: Organisation, name: str, exclude_pk: int | None = None
) -> None:
    taken = RoleModel.objects.available_to(organisation).filter(form=form).exclude(pk=exclude_pk)
    if any(fold(other) == fold(name) for other in taken.values_list("name", flat=True)):
        raise ValidationError({"name": _("This form already has a role model with this name.")})


@transaction.atomic
def form_create(
    organisation: Organisation, *, name: str, goal: str, **details: str
) -> MentoringForm:
    name = clean_name_part(name)
    _check_form_name_free(organisation, name)
    form = MentoringForm(
        organisation=organisation,
        code=f"own-{uuid.uuid4().hex[:12]}",
        name=name,
        goal=goal.strip(),
        **details,
    )
    form.full_clean()
    form.save()
    return form


@transaction.atomic
def form_update(form: MentoringForm, organisation: Organisation, **fields: str) -> MentoringForm:
    _require_own(form, organisation)
    if "name" in fields:
        fields["name"] = clean_name_part(fields["name"])
        _check_form_name_free(organisation, fields["name"], exclude_pk=form.pk)
    for field, value in fields.items():
        setattr(form, field, value.strip())
    form.full_clean()
    form.save(update_fields=list(fields))
    return form


@transaction.atomic
def role_model_create(
    form: MentoringForm, organisation: Organisation, *, name: str, goal: str
) -> RoleModel:
    name = clean_name_part(name)
    _check_role_model_name_free(form, organisation, name)
    role_model = RoleModel(form=form, organisation=organisation, name=name, goal=goal.strip())
    role_model.full_clean()
    role_model.save()
    return role_model


@transaction.atomic
def role_model_update(
    role_model: RoleModel, organisation: Organisation, *, name: str, goal: str
) -> RoleModel:
    _require_own(role_model, organisation)
    name = clean_name_part(name)
    _check_role_model_name_free(role_model.form, organisation, name, exclude_pk=role_model.pk)
    role_model.name, role_model.goal = name, goal.strip()
    role_model.full_clean()
    role_model.save(update_fields=["name", "goal"])
    return role_model


@transaction.atomic
def catalogue_entry_delete(entry: MentoringForm | RoleModel, organisation: Organisation) -> None:
    _require_own(entry, organisation)
    try:
        with transaction.atomic():
            entry.delete()
    except RestrictedError as error:
        raise ValidationError(
            _("A mentoring programme uses this entry, so it cannot be deleted.")
        ) from error
