"""Monitoring of a programme year: stage 1 (quality of the process, with the SWOT workspace) and
stage 2 (impact on the participants)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.core.access import OrgContext, OrgRequest, org_view
from nastavnik.core.outcomes import attempt, refuse
from nastavnik.monitoring import services
from nastavnik.monitoring.access import swot_item_for
from nastavnik.monitoring.forms import CandidateForm, SwotItemForm
from nastavnik.monitoring.impact import MIN_N, impact_results
from nastavnik.monitoring.models import Quadrant, SwotAnalysis, SwotItem
from nastavnik.monitoring.quality import quality_results
from nastavnik.monitoring.swot import candidates
from nastavnik.orgs.policy import Perm
from nastavnik.programmes.access import current_programme, programme_for, programmes_of
from nastavnik.programmes.models import Programme
from nastavnik.programmes.views import programme_page


def _years(ctx: OrgContext) -> list[Programme]:
    return list(
        programmes_of(ctx).select_related("academic_year").order_by("-academic_year__start_year")
    )


@org_view(Perm.MONITORING_VIEW)
def index(request: OrgRequest) -> HttpResponse:
    """The monitoring of the year running today, or of the latest year there is."""
    ctx = request.org
    programme = current_programme(ctx, timezone.localdate()) or next(iter(_years(ctx)), None)
    return programme_page(request, programme, "monitoring:quality")


def _grouped_results(
    request: OrgRequest,
    programme_pk: int,
    tab: str,
    results_of: Callable[[Programme], Any],
    groupings: list[tuple[str, str, str]],
    **extra: Any,
) -> HttpResponse:
    """A results tab of the monitoring, whole or grouped as the reader chose: `groupings` are
    (the choice in the URL, the attribute of the results it shows, the label); the first one,
    with no choice, is the whole."""
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    attributes = {code: attribute for code, attribute, _label in groupings if code}
    grouping = request.GET.get("group", "")
    results = results_of(programme)
    return render(
        request,
        f"monitoring/{tab}.html",
        {
            "programme": programme,
            "programmes": _years(ctx),
            "tab": tab,
            "results": results,
            "grouping": grouping if grouping in attributes else "",
            "groupings": [(code, label) for code, _attribute, label in groupings],
            "groups": getattr(results, attributes[grouping]) if grouping in attributes else (),
            **extra,
        },
    )


@org_view(Perm.MONITORING_VIEW)
def quality(request: OrgRequest, programme_pk: int) -> HttpResponse:
    return _grouped_results(
        request,
        programme_pk,
        "quality",
        quality_results,
        [
            ("", "", _("Whole programme")),
            ("form", "by_form", _("By form")),
            ("role_model", "by_role_model", _("By role model")),
            ("pair", "by_pair", _("By pair or group")),
        ],
    )


# --- SWOT -----------------------------------------------------------------------------------


def _swot_url(ctx: OrgContext, programme: Programme) -> str:
    return reverse(
        "monitoring:swot", kwargs={"org_slug": ctx.organisation.slug, "programme_pk": programme.pk}
    )


def _swot_page(
    request: OrgRequest,
    programme: Programme,
    form: SwotItemForm | None = None,
    status: int = 200,
) -> HttpResponse:
    ctx = request.org
    analysis = SwotAnalysis.objects.filter(programme=programme).first()
    items = list(analysis.items.all()) if analysis else []
    quadrants = [
        {
            "code": code,
            "label": label,
            "items": [i for i in items if i.quadrant == code],
        }
        for code, label in Quadrant.choices
    ]
    can_edit = ctx.can(Perm.MONITORING_EDIT)
    offered = candidates(programme, analysis=analysis) if can_edit else []
    return render(
        request,
        "monitoring/swot.html",
        {
            "programme": programme,
            "programmes": _years(ctx),
            "tab": "swot",
            "analysis": analysis,
            "quadrants": quadrants,
            "candidates": offered,
            "quadrant_choices": Quadrant.choices,
            "form": form or SwotItemForm(),
            "can_edit": can_edit,
        },
        status=status,
    )


@org_view(Perm.MONITORING_VIEW)
def swot(request: OrgRequest, programme_pk: int) -> HttpResponse:
    """The four quadrants; for those who may edit, the form adding an item and the candidates
    the data suggest."""
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    if request.method != "POST":
        return _swot_page(request, programme)
    if not ctx.can(Perm.MONITORING_EDIT):
        return HttpResponse(status=403)
    form = SwotItemForm(request.POST)
    if form.is_valid() and attempt(
        form,
        lambda: services.item_add(
            programme, form.cleaned_data["quadrant"], form.cleaned_data["text"], by=request.user
        ),
    ):
        messages.success(request, _("The item is added."))
        return redirect(_swot_url(ctx, programme))
    return _swot_page(request, programme, form, status=400)


@org_view(Perm.MONITORING_EDIT)
def swot_item_edit(request: OrgRequest, swot_item_pk: int) -> HttpResponse:
    ctx = request.org
    item: SwotItem = swot_item_for(ctx, swot_item_pk)
    programme = item.analysis.programme
    if request.method == "POST":
        form = SwotItemForm(request.POST)
        if form.is_valid() and attempt(
            form,
            lambda: services.item_update(
                item, form.cleaned_data["quadrant"], form.cleaned_data["text"], by=request.user
            ),
        ):
            messages.success(request, _("The item is saved."))
            return redirect(_swot_url(ctx, programme))
        status = 400
    else:
        form = SwotItemForm(initial={"quadrant": item.quadrant, "text": item.text})
        status = 200
    return render(
        request,
        "monitoring/swot_item_form.html",
        {"item": item, "programme": programme, "form": form},
        status=status,
    )


@org_view(Perm.MONITORING_EDIT)
@require_POST
def swot_item_delete(request: OrgRequest, swot_item_pk: int) -> HttpResponse:
    ctx = request.org
    item = swot_item_for(ctx, swot_item_pk)
    programme = item.analysis.programme
    services.item_delete(item, by=request.user)
    messages.success(request, _("The item is deleted."))
    return redirect(_swot_url(ctx, programme))


@org_view(Perm.MONITORING_EDIT)
@require_POST
def swot_candidate(request: OrgRequest, programme_pk: int) -> HttpResponse:
    """Accept a candidate into a quadrant, or set it aside (`discard` in the form)."""
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    form = CandidateForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(services.MESSAGES["candidate_gone"]))
        return redirect(_swot_url(ctx, programme))
    key = form.cleaned_data["key"]
    try:
        if "discard" in request.POST:
            services.candidate_discard(programme, key, by=request.user)
            messages.success(
                request, _("The suggestion is set aside and will not be offered again.")
            )
        else:
            services.candidate_accept(
                programme,
                key,
                form.cleaned_data["quadrant"],
                form.cleaned_data["text"] if "text" in request.POST else None,
                by=request.user,
            )
            messages.success(request, _("The suggestion is added to the analysis."))
    except ValidationError as error:
        refuse(request, error)
    return redirect(_swot_url(ctx, programme))


# --- Stage 2 --------------------------------------------------------------------------------


@org_view(Perm.MONITORING_VIEW)
def impact(request: OrgRequest, programme_pk: int) -> HttpResponse:
    return _grouped_results(
        request,
        programme_pk,
        "impact",
        impact_results,
        [
            ("", "", _("Each participant")),
            ("form", "by_form", _("By form")),
            ("role_model", "by_role_model", _("By role model")),
            ("strategy", "by_strategy", _("By matching run")),
            ("mode", "by_mode", _("By matching mode")),
            ("pair", "by_pair", _("By pair or group")),
        ],
        min_n=MIN_N,
    )
