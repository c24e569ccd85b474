from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms import ModelForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.catalogue import access, services
from nastavnik.catalogue.forms import MentoringFormForm, RoleModelForm
from nastavnik.catalogue.models import MentoringForm, MentoringKind, RoleModel
from nastavnik.core.access import OrgRequest, org_view
from nastavnik.orgs.policy import Perm


def _to_list(request: OrgRequest) -> HttpResponse:
    return redirect("catalogue:forms", org_slug=request.org.organisation.slug)


def _save(form: ModelForm, write: object) -> bool:
    """Runs a service with the form's data; service errors land on the form."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)  # type: ignore[operator]
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@org_view(Perm.CATALOGUE_VIEW)
def forms(request: OrgRequest) -> HttpResponse:
    organisation = request.org.organisation
    mentoring_forms = MentoringForm.objects.available_to(organisation).prefetch_related(
        Prefetch(
            "role_models",
            queryset=RoleModel.objects.available_to(organisation),
            to_attr="visible_role_models",
        )
    )
    return render(
        request,
        "catalogue/forms.html",
        {
            "mentoring_forms": mentoring_forms,
            "kinds": MentoringKind.choices,
            "edit_allowed": request.org.can(Perm.CATALOGUE_EDIT),
        },
    )


@org_view(Perm.CATALOGUE_EDIT)
def form_create(request: OrgRequest) -> HttpResponse:
    organisation = request.org.organisation
    form = MentoringFormForm(request.POST or None)
    if request.method == "POST" and _save(
        form, lambda data: services.form_create(organisation, **data)
    ):
        messages.success(request, _("The form has been added to the catalogue."))
        return _to_list(request)
    return render(request, "catalogue/entry_form.html", {"form": form, "title": _("New form")})


@org_view(Perm.CATALOGUE_EDIT)
def form_edit(request: OrgRequest, form_pk: int) -> HttpResponse:
    organisation = request.org.organisation
    mentoring_form = access.form_editable(organisation, form_pk)
    form = MentoringFormForm(request.POST or None, instance=mentoring_form)
    if request.method == "POST" and _save(
        form, lambda data: services.form_update(mentoring_form, organisation, **data)
    ):
        messages.success(request, _("The form has been saved."))
        return _to_list(request)
    return render(
        request,
        "catalogue/entry_form.html",
        {"form": form, "title": mentoring_form.name, "entry": mentoring_form},
    )


@org_view(Perm.CATALOGUE_EDIT)
def role_model_create(request: OrgRequest, form_pk: int) -> HttpResponse:
    organisation = request.org.organisation
    mentoring_form = access.form_readable(organisation, form_pk)
    form = RoleModelForm(request.POST or None)
    if request.method == "POST" and _save(
        form, lambda data: services.role_model_create(mentoring_form, organisation, **data)
    ):
        messages.success(request, _("The role model has been added."))
        return _to_list(request)
    title = _("New role model of the form «%(form)s»") % {"form": mentoring_form.name}
    return render(request, "catalogue/entry_form.html", {"form": form, "title": title})


@org_view(Perm.CATALOGUE_EDIT)
def role_model_edit(request: OrgRequest, role_model_pk: int) -> HttpResponse:
    organisation = request.org.organisation
    role_model = access.role_model_editable(organisation, role_model_pk)
    form = RoleModelForm(request.POST or None, instance=role_model)
    if request.method == "POST" and _save(
        form, lambda data: services.role_model_update(role_model, organisation, **data)
    ):
        messages.success(request, _("The role model has been saved."))
        return _to_list(request)
    return render(
        request,
        "catalogue/entry_form.html",
        {"form": form, "title": role_model.name, "entry": role_model},
    )


@require_POST
@org_view(Perm.CATALOGUE_EDIT)
def form_delete(request: OrgRequest, form_pk: int) -> HttpResponse:
    organisation = request.org.organisation
    try:
        services.catalogue_entry_delete(access.form_editable(organisation, form_pk), organisation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The form has been deleted."))
    return _to_list(request)


@require_POST
@org_view(Perm.CATALOGUE_EDIT)
def role_model_delete(request: OrgRequest, role_model_pk: int) -> HttpResponse:
    organisation = request.org.organisation
    role_model = access.role_model_editable(organisation, role_model_pk)
    try:
        services.catalogue_entry_delete(role_model, organisation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role model has been deleted."))
    return _to_list(request)
