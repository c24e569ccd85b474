from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.catalogue import access, services
from nastavnik.catalogue.forms import MentoringFormForm, RoleModelForm
from nastavnik.catalogue.models import MentoringForm, MentoringKind, RoleModel
from nastavnik.core.access import OrgRequest, org_view
from nastavnik.core.outcomes import perform, submit
from nastavnik.orgs.policy import Perm


def _to_list(request: OrgRequest) -> HttpResponse:
    return redirect("catalogue:forms", org_slug=request.org.organisation.slug)


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
    return submit(
        request,
        form,
        lambda: services.form_create(organisation, **form.cleaned_data),
        success=_("The form has been added to the catalogue."),
        redirect_to=_to_list(request),
        template="catalogue/entry_form.html",
        context={"title": _("New form")},
    )


@org_view(Perm.CATALOGUE_EDIT)
def form_edit(request: OrgRequest, form_pk: int) -> HttpResponse:
    organisation = request.org.organisation
    mentoring_form = access.form_editable(organisation, form_pk)
    form = MentoringFormForm(request.POST or None, instance=mentoring_form)
    return submit(
        request,
        form,
        lambda: services.form_update(mentoring_form, organisation, **form.cleaned_data),
        success=_("The form has been saved."),
        redirect_to=_to_list(request),
        template="catalogue/entry_form.html",
        context={"title": mentoring_form.name, "entry": mentoring_form},
    )


@org_view(Perm.CATALOGUE_EDIT)
def role_model_create(request: OrgRequest, form_pk: int) -> HttpResponse:
    organisation = request.org.organisation
    mentoring_form = access.form_readable(organisation, form_pk)
    form = RoleModelForm(request.POST or None)
    return submit(
        request,
        form,
        lambda: services.role_model_create(mentoring_form, organisation, **form.cleaned_data),
        success=_("The role model has been added."),
        redirect_to=_to_list(request),
        template="catalogue/entry_form.html",
        context={
            "title": _("New role model of the form «%(form)s»") % {"form": mentoring_form.name}
        },
    )


@org_view(Perm.CATALOGUE_EDIT)
def role_model_edit(request: OrgRequest, role_model_pk: int) -> HttpResponse:
    organisation = request.org.organisation
    role_model = access.role_model_editable(organisation, role_model_pk)
    form = RoleModelForm(request.POST or None, instance=role_model)
    return submit(
        request,
        form,
        lambda: services.role_model_update(role_model, organisation, **form.cleaned_data),
        success=_("The role model has been saved."),
        redirect_to=_to_list(request),
        template="catalogue/entry_form.html",
        context={"title": role_model.name, "entry": role_model},
    )


@require_POST
@org_view(Perm.CATALOGUE_EDIT)
def form_delete(request: OrgRequest, form_pk: int) -> HttpResponse:
    organisation = request.org.organisation
    mentoring_form = access.form_editable(organisation, form_pk)
    return perform(
        request,
        lambda: services.catalogue_entry_delete(mentoring_form, organisation),
        success=_("The form has been deleted."),
        redirect_to=_to_list(request),
    )


@require_POST
@org_view(Perm.CATALOGUE_EDIT)
def role_model_delete(request: OrgRequest, role_model_pk: int) -> HttpResponse:
    organisation = request.org.organisation
    role_model = access.role_model_editable(organisation, role_model_pk)
    return perform(
        request,
        lambda: services.catalogue_entry_delete(role_model, organisation),
        success=_("The role model has been deleted."),
        redirect_to=_to_list(request),
    )
