"""The municipal and regional operator's pages: the figures of the organisations they cover
(aggregates only, small cells suppressed), and the regional report made in the background.

An account without an operator role gets 404 here, as an outsider does on an organisation's
page: the pages exist for nobody else.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.core.access import AccountRequest, account_view
from nastavnik.core.client import current_address
from nastavnik.dashboards.models import (
    RegionReport,
    RegionReportDownload,
    ReportFormat,
    ReportStatus,
)
from nastavnik.dashboards.region import (
    OperatorScope,
    OrgFigures,
    RegionFigures,
    operator_scope,
    region_figures,
)
from nastavnik.dashboards.suppression import count_cell, mean_cell, percent_cell
from nastavnik.dashboards.tasks import report_settle_if_lost, report_start
from nastavnik.indicators.charts import Chart, CoveragePoint, coverage_chart
from nastavnik.orgs.models import Municipality, OrganisationKind

PER_PAGE = 100


class RegionFilter(forms.Form):
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=gettext_lazy("All municipalities"),
        error_messages={"invalid_choice": gettext_lazy("Choose a municipality you cover.")},
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of organisation"),
        choices=[("", gettext_lazy("All kinds")), *OrganisationKind.choices],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a kind from the list.")},
    )

    def __init__(self, scope: OperatorScope, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [m.pk for m in scope.municipalities]
        self.fields["municipality"].queryset = Municipality.objects.filter(pk__in=ids)  # type: ignore[attr-defined]


def _scope(request: AccountRequest) -> OperatorScope:
    scope = operator_scope(request.user)
    if scope is None:
        raise Http404
    return scope


def _filtered(scope: OperatorScope, data: Any) -> tuple[RegionFilter, Municipality | None, str]:
    form = RegionFilter(scope, data or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["municipality"], form.cleaned_data["kind"]
    return form, None, ""


def shown(o: OrgFigures) -> dict[str, Any]:
    """An organisation's (or a total's) figures as the page shows them: small cells suppressed."""
    return {
        "name": o.name,
        "municipality": o.municipality,
        "kind": o.kind_label,
        "students": count_cell(o.students),
        "students_covered": count_cell(o.students_covered),
        "students_percent": percent_cell(o.students_covered, o.students),
        "students_target": o.students_target,
        "staff": count_cell(o.staff),
        "staff_covered": count_cell(o.staff_covered),
        "staff_percent": percent_cell(o.staff_covered, o.staff),
        "teachers_target": o.teachers_target,
        "pairs": count_cell(o.pairs),
        "groups": count_cell(o.groups),
        "completion": percent_cell(o.completed, o.ended),
        "satisfaction": mean_cell(o.satisfaction, o.respondents),
        "overdue": o.overdue_events,
        "half_year_missed": o.half_year_missed,
        "compliance": o.compliance,
    }


def _percent(part: int, whole: int) -> float | None:
    cell = percent_cell(part, whole)
    return cell if isinstance(cell, float) else None


def _charts(figures: RegionFigures) -> list[Chart]:
    """Coverage against the target by municipality, and over the half-year assessments;
    suppressed cells are left out of the drawing rather than drawn as nought."""
    labels = {
        "students": _("students"),
        "teachers": _("teachers"),
        "target": _("target"),
        "percent": "%",
    }
    total = figures.total
    towns: dict[str, OrgFigures] = {}
    for o in figures.organisations:
        towns.setdefault(o.municipality, OrgFigures(0, o.municipality, o.municipality, "")).add(o)
    points = [
        CoveragePoint(
            name,
            _percent(t.students_covered, t.students),
            _percent(t.staff_covered, t.staff),
            total.students_target,
            total.teachers_target,
        )
        for name, t in towns.items()
    ]
    charts = []
    if points:
        charts.append(
            coverage_chart(points[:12], {**labels, "title": _("Coverage by municipality")})
        )
    trend = [
        CoveragePoint(
            f"{p.deadline:%d.%m.%Y}",
            _percent(p.students_covered, p.students),
            _percent(p.staff_covered, p.staff),
            total.students_target,
            total.teachers_target,
        )
        for p in figures.trend
    ]
    if trend:
        charts.append(
            coverage_chart(
                trend[-8:], {**labels, "title": _("Coverage at the half-year assessments")}
            )
        )
    return charts


def _latest_report(request: AccountRequest) -> RegionReport | None:
    return RegionReport.objects.filter(created_by=request.user).first()


@account_view
def region_dashboard(request: AccountRequest) -> HttpResponse:
    """The figures of the organisations the operator covers, filtered by municipality and kind."""
    scope = _scope(request)
    form, municipality, kind = _filtered(scope, request.GET)
    latest = _latest_report(request)
    figures = region_figures(scope.organisations(municipality, kind), timezone.localdate())
    page = Paginator(figures.organisations, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboards/region.html",
        {
            "scope": scope,
            "form": form,
            "figures": figures,
            "total": shown(figures.total),
            "rows": [shown(o) for o in page],
            "page": page,
            "query": query.urlencode(),
            "charts": [(chart.title, chart.svg()) for chart in _charts(figures)],
            "by_form": [
                (f.form, f.role_model, count_cell(f.pairs), count_cell(f.groups))
                for f in figures.by_form
            ],
            "by_kind": [
                (k.label, count_cell(k.pairs), count_cell(k.groups)) for k in figures.by_kind
            ],
            "impact": [
                (i.parameter, count_cell(i.people), mean_cell(i.mean_change, i.people))
                for i in figures.impact
            ],
            "latest": latest,
        },
    )


@account_view
@require_POST
def report_new(request: AccountRequest) -> HttpResponse:
    """Start the regional report of what the filter shows."""
    scope = _scope(request)
    form = RegionFilter(scope, request.POST)
    if not form.is_valid():
        latest = _latest_report(request)
        return render(
            request,
            "dashboards/region_report.html",
            {"scope": scope, "form": form, "report": latest},
            status=400,
        )
    municipality = form.cleaned_data["municipality"]
    report = report_start(
        request.user,
        municipality_id=municipality.pk if municipality else None,
        kind=form.cleaned_data["kind"],
        language=get_language() or "",
    )
    return redirect("region:report", report_pk=report.pk)


def _report_for(request: AccountRequest, report_pk: int) -> RegionReport:
    """The operator's own report; anybody else's is not found."""
    _scope(request)
    report = RegionReport.objects.filter(pk=report_pk, created_by=request.user).first()
    if report is None:
        raise Http404
    return report


@account_view
def report(request: AccountRequest, report_pk: int) -> HttpResponse:
    """The report's progress (polled by htmx while it runs) and, when ready, its files."""
    scope = _scope(request)
    found = report_settle_if_lost(_report_for(request, report_pk))
    context = {"scope": scope, "report": found, "form": RegionFilter(scope)}
    if getattr(request, "htmx", None) and found.is_running:
        return render(request, "dashboards/_report_progress.html", context)
    return render(request, "dashboards/region_report.html", context)


@account_view
def report_download(request: AccountRequest, report_pk: int, fmt: str) -> FileResponse:
    found = _report_for(request, report_pk)
    if fmt not in ReportFormat.values or found.status != ReportStatus.DONE:
        raise Http404
    stored = found.docx if fmt == ReportFormat.DOCX else found.xlsx
    if not stored:
        raise Http404
    RegionReportDownload.objects.create(
        report=found, user=request.user, format=fmt, ip=current_address.get()
    )
    name = f"region-report-{found.created_at:%Y-%m-%d}.{fmt}"
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name)
