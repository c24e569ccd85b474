"""The indicators of a programme year with their charts, the half-year snapshots and their
comparison, the coverage targets, and the monitoring report (DOCX) and indicators (XLSX)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.core.access import OrgRequest, org_view
from nastavnik.core.outcomes import attempt, perform
from nastavnik.documents.spreadsheet import XLSX_CONTENT_TYPE
from nastavnik.indicators import services
from nastavnik.indicators.deadlines import half_year_state
from nastavnik.indicators.exports import indicators_xlsx as build_xlsx
from nastavnik.indicators.figures import FIGURES
from nastavnik.indicators.forms import TargetForm
from nastavnik.indicators.report import DOCX_TYPE, monitoring_report
from nastavnik.indicators.targets import targets_of
from nastavnik.indicators.year import snapshots_of, year_data
from nastavnik.orgs.policy import Perm
from nastavnik.people.validators import org_today
from nastavnik.programmes.access import current_programme, programme_for, programmes_of

# The comparison shows the latest snapshots side by side; older ones stay in the XLSX.
COMPARED_SNAPSHOTS = 8


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    ascii_name = name.encode("ascii", "ignore").decode() or "report"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@org_view(Perm.MONITORING_VIEW)
def index(request: OrgRequest) -> HttpResponse:
    """The running year's indicators, else the latest year's."""
    ctx = request.org
    programme = current_programme(ctx, org_today(ctx.organisation)) or programmes_of(ctx).first()
    if programme is None:
        return render(request, "indicators/no_programme.html")
    return redirect(
        "indicators:programme", org_slug=ctx.organisation.slug, programme_pk=programme.pk
    )


@org_view(Perm.MONITORING_VIEW)
def programme_indicators(request: OrgRequest, programme_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    data = year_data(programme)
    # Drawn by us with every text as paths: the markup holds no text from the data.
    charts = {key: mark_safe(chart.svg()) for key, chart in data.charts().items()}
    return render(
        request,
        "indicators/programme.html",
        {
            "programme": programme,
            "programmes": programmes_of(ctx).order_by("-academic_year__start_year"),
            "data": data,
            "figures": [(f.label, f.text(data.indicators)) for f in FIGURES],
            "charts": charts,
            "half_year": half_year_state(ctx.organisation, data.today),
            "can_edit": ctx.can(Perm.MONITORING_EDIT),
        },
    )


@org_view(Perm.MONITORING_EDIT)
@require_POST
def snapshot_take(request: OrgRequest, programme_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    today = org_today(ctx.organisation)
    return perform(
        request,
        lambda: services.snapshot_take(programme, today=today, by=request.user),
        success=_("The half-year assessment of %(date)s is saved.") % {"date": f"{today:%d.%m.%Y}"},
        redirect_to=redirect(
            "indicators:programme", org_slug=ctx.organisation.slug, programme_pk=programme.pk
        ),
    )


@org_view(Perm.MONITORING_VIEW)
def snapshots(request: OrgRequest) -> HttpResponse:
    """The half-year snapshots side by side, the latest last."""
    ctx = request.org
    taken = snapshots_of({"organisation": ctx.organisation})[-COMPARED_SNAPSHOTS:]
    rows = [
        (figure.label, [figure.text(snapshot.indicators) for snapshot in taken])
        for figure in FIGURES
    ]
    return render(
        request,
        "indicators/snapshots.html",
        {
            "snapshots": taken,
            "rows": rows,
            "half_year": half_year_state(ctx.organisation, org_today(ctx.organisation)),
        },
    )


def _targets_page(request: OrgRequest, form: TargetForm, status: int = 200) -> HttpResponse:
    ctx = request.org
    return render(
        request,
        "indicators/targets.html",
        {
            "targets": targets_of(ctx.organisation).rows,
            "form": form,
            "can_edit": ctx.can(Perm.MONITORING_EDIT),
        },
        status=status,
    )


@org_view(Perm.MONITORING_VIEW)
def targets(request: OrgRequest) -> HttpResponse:
    return _targets_page(request, TargetForm())


@org_view(Perm.MONITORING_EDIT)
@require_POST
def target_set(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    form = TargetForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        saved = attempt(
            form,
            lambda: services.target_set(
                ctx.organisation,
                data["year"],
                students_percent=data["students_percent"],
                teachers_percent=data["teachers_percent"],
                by=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("The target of %(year)s is saved.") % {"year": saved.year})
            return redirect("indicators:targets", org_slug=ctx.organisation.slug)
    return _targets_page(request, form, status=400)


@org_view(Perm.MONITORING_EDIT)
@require_POST
def target_reset(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    year = request.POST.get("year", "")
    back = reverse("indicators:targets", kwargs={"org_slug": ctx.organisation.slug})
    if not year.isdigit():
        return redirect(back)
    return perform(
        request,
        lambda: services.target_reset(ctx.organisation, int(year), by=request.user),
        success=_("The target of %(year)s is the default again.") % {"year": year},
        redirect_to=back,
    )


@org_view(Perm.MONITORING_VIEW)
def report_docx(request: OrgRequest, programme_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    # A Russian document: the monitoring's readings of the statistics are written in Russian.
    with translation.override("ru"):
        content = monitoring_report(year_data(programme))
    label = programme.academic_year.label.replace("/", "-")
    return _download(content, DOCX_TYPE, f"Мониторинг_{label}.docx")


@org_view(Perm.MONITORING_VIEW)
def indicators_xlsx(request: OrgRequest, programme_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    content = build_xlsx(year_data(programme), snapshots_of({"organisation": ctx.organisation}))
    label = programme.academic_year.label.replace("/", "-")
    return _download(content, XLSX_CONTENT_TYPE, f"Показатели_{label}.xlsx")
