"""The library of best-practice cases: search and filters, the case, writing one (on its own or
from a pair), publishing it, the library as XLSX."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.cases import services
from nastavnik.cases.access import case_for, cases_of
from nastavnik.cases.exports import cases_xlsx
from nastavnik.cases.forms import CaseForm, LibraryFilter
from nastavnik.cases.models import Case
from nastavnik.cases.prefill import initial_from
from nastavnik.cases.rules import attach_shown_people, lacking_consent, with_pair
from nastavnik.core.access import OrgRequest, org_view
from nastavnik.core.outcomes import download, refuse, submit
from nastavnik.documents.spreadsheet import XLSX_CONTENT_TYPE
from nastavnik.mentorships.access import mentorship_for
from nastavnik.orgs.policy import Perm
from nastavnik.people.validators import org_today
from nastavnik.programmes.access import current_programme, programme_for, programmes_of
from nastavnik.programmes.models import Programme
from nastavnik.programmes.views import no_programme

PAGE_SIZE = 30


def _url(request: OrgRequest, name: str, **kwargs: Any) -> str:
    return reverse(f"cases:{name}", kwargs={"org_slug": request.org.organisation.slug, **kwargs})


def _case_url(request: OrgRequest, case: Case) -> str:
    return _url(request, "detail", case_pk=case.pk)


def _library(request: OrgRequest) -> tuple[LibraryFilter, Any]:
    ctx = request.org
    filters = LibraryFilter(
        request.GET or None,
        organisation=ctx.organisation,
        managing=ctx.can(Perm.CASES_MANAGE),
    )
    found = filters.narrow(cases_of(ctx)).order_by("-published_at", "-created_at", "-pk")
    return filters, found


@org_view(Perm.CASES_VIEW)
def case_list(request: OrgRequest) -> HttpResponse:
    filters, found = _library(request)
    page = Paginator(with_pair(found), PAGE_SIZE).get_page(request.GET.get("page"))
    attach_shown_people(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "can_manage": request.org.can(Perm.CASES_MANAGE),
        },
    )


@org_view(Perm.CASES_VIEW)
def case_export(request: OrgRequest) -> HttpResponseBase:
    _filters, found = _library(request)
    content = cases_xlsx(list(with_pair(found)))
    return download(content, "Кейсы лучших практик наставничества.xlsx", XLSX_CONTENT_TYPE)


@org_view(Perm.CASES_VIEW)
def case_detail(request: OrgRequest, case_pk: int) -> HttpResponse:
    ctx = request.org
    case = case_for(ctx, case_pk)
    attach_shown_people([case])
    can_manage = ctx.can(Perm.CASES_MANAGE)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "can_manage": can_manage,
            # Who stands between the case and its names on the site: for those who write it.
            "lacking": lacking_consent(case) if can_manage and not case.without_names else [],
        },
    )


def _programme_of_request(request: OrgRequest) -> Programme | None:
    ctx = request.org
    chosen = request.GET.get("programme")
    if chosen:
        try:
            return programme_for(ctx, int(chosen))
        except ValueError:
            raise Http404 from None
    found = current_programme(ctx, org_today(ctx.organisation)) or programmes_of(ctx).first()
    return found


def _form_page(
    request: OrgRequest,
    form: CaseForm,
    write: Callable[[], Case],
    *,
    success: str,
    title: str,
    back: str,
    mentorship: Any = None,
) -> HttpResponse:
    """The case's form: saved, the user lands on the case."""
    return submit(
        request,
        form,
        write,
        success=success,
        redirect_to=lambda case: _case_url(request, case),
        template="cases/form.html",
        context={"title": title, "back": back, "mentorship": mentorship},
    )


@org_view(Perm.CASES_MANAGE)
def case_create(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    programme = _programme_of_request(request)
    if programme is None:
        return no_programme(request)
    form = CaseForm(request.POST or None, organisation=ctx.organisation)
    return _form_page(
        request,
        form,
        lambda: services.case_create(programme, form.cleaned_data, by=request.user),
        success=_("The case is saved as a draft."),
        title=_("New case"),
        back=_url(request, "list"),
    )


@org_view(Perm.CASES_MANAGE)
def case_from_mentorship(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx = request.org
    mentorship = mentorship_for(ctx, mentorship_pk)
    form = CaseForm(
        request.POST or None, organisation=ctx.organisation, initial=initial_from(mentorship)
    )
    return _form_page(
        request,
        form,
        lambda: services.case_create(
            mentorship.programme, form.cleaned_data, by=request.user, mentorship=mentorship
        ),
        success=_("The case is saved as a draft."),
        title=_("New case of a pair or group"),
        back=mentorship.get_absolute_url(),
        mentorship=mentorship,
    )


@org_view(Perm.CASES_MANAGE)
def case_edit(request: OrgRequest, case_pk: int) -> HttpResponse:
    ctx = request.org
    case = case_for(ctx, case_pk)
    initial = {field: getattr(case, field) for field in services.FIELDS}
    form = CaseForm(request.POST or None, organisation=ctx.organisation, initial=initial)
    return _form_page(
        request,
        form,
        lambda: services.case_update(case, form.cleaned_data, by=request.user),
        success=_("The case is saved."),
        title=_("Edit the case"),
        back=_case_url(request, case),
        mentorship=case.mentorship,
    )


@org_view(Perm.CASES_MANAGE)
@require_POST
def case_publish(request: OrgRequest, case_pk: int) -> HttpResponse:
    ctx = request.org
    case = case_for(ctx, case_pk)
    action = request.POST.get("action")
    if action not in ("publish", "unpublish"):
        raise Http404
    try:
        if action == "publish":
            services.case_publish(case, by=request.user, on=org_today(ctx.organisation))
            messages.success(request, _("The case is published on the organisation's page."))
        else:
            services.case_unpublish(case, by=request.user)
            messages.success(request, _("The case is taken off the organisation's page."))
    except ValidationError as error:
        refuse(request, error)
    return redirect(_case_url(request, case))


@org_view(Perm.CASES_MANAGE)
@require_POST
def case_delete(request: OrgRequest, case_pk: int) -> HttpResponse:
    case = case_for(request.org, case_pk)
    services.case_delete(case, by=request.user)
    messages.success(request, _("The case is deleted."))
    return redirect(_url(request, "list"))
