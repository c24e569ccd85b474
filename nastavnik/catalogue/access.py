"""The one way views fetch catalogue rows: readable ones include the built-ins, editable ones
are the organisation's own. Anything else is 404."""

from django.shortcuts import get_object_or_404

from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.orgs.models import Organisation


def form_readable(organisation: Organisation, pk: int) -> MentoringForm:
    return get_object_or_404(MentoringForm.objects.available_to(organisation), pk=pk)


def form_editable(organisation: Organisation, pk: int) -> MentoringForm:
    return get_object_or_404(MentoringForm, organisation=organisation, pk=pk)


def role_model_editable(organisation: Organisation, pk: int) -> RoleModel:
    return get_object_or_404(RoleModel, organisation=organisation, pk=pk)
