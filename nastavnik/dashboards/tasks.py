"""The regional report runs in the background (`manage.py db_worker`), holding a lease while it
runs (core.jobs); its page polls the progress through the steps: the figures (a fixed number of
queries for the whole region), the DOCX, the XLSX. A report whose worker died is marked failed:
it wrote nothing but its own row, so the operator simply starts another.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.files.base import ContentFile
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from nastavnik.accounts.models import User
from nastavnik.core.jobs import is_lost, lease_kept, task_mark_lost
from nastavnik.dashboards.models import RegionReport, ReportStatus
from nastavnik.dashboards.region import operator_scope, region_figures
from nastavnik.dashboards.report import region_docx, region_xlsx
from nastavnik.orgs.models import Organisation

logger = logging.getLogger(__name__)

STEPS = 3  # the figures, the DOCX, the XLSX


def _organisations(report: RegionReport) -> QuerySet[Organisation] | None:
    """The organisations of the report, as its operator covers them now (None: no longer)."""
    scope = operator_scope(report.created_by)
    if scope is None:
        return None
    if report.municipality is not None and report.municipality not in scope.municipalities:
        return None
    return scope.organisations(report.municipality, report.kind)


def _step(report: RegionReport, done: int) -> None:
    # Outside any transaction of the work, so the page polling the report sees it move.
    RegionReport.objects.filter(pk=report.pk).update(steps_done=done, updated_at=timezone.now())


def report_build(report: RegionReport) -> RegionReport:
    """Compute and write the report's files; the row says how it went."""
    RegionReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, steps_total=STEPS, steps_done=0
    )
    organisations = _organisations(report)
    if organisations is None:
        # The operator's role was taken away while the report waited.
        RegionReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.FAILED,
            error=_("You no longer cover these organisations."),
            finished_at=timezone.now(),
        )
        report.refresh_from_db()
        return report
    figures = region_figures(organisations, timezone.localdate())
    _step(report, 1)
    title = f"Отчёт о внедрении целевой модели наставничества за {figures.year_label} учебный год"
    docx = region_docx(figures, title)
    _step(report, 2)
    xlsx = region_xlsx(figures)
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    report.refresh_from_db()
    report.docx.save(f"region-report-{stamp}.docx", ContentFile(docx), save=False)
    report.xlsx.save(f"region-report-{stamp}.xlsx", ContentFile(xlsx), save=False)
    report.status = ReportStatus.DONE
    report.steps_done = STEPS
    report.finished_at = timezone.now()
    report.lease_until = None
    report.save()
    logger.info("regional report %s: %s organisations", report.pk, len(figures.organisations))
    return report


@task()
def region_report_task(report_id: int) -> str:
    report = (
        RegionReport.objects.select_related("created_by", "municipality")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.status != ReportStatus.QUEUED:
        return report.status if report else "gone"
    with translation.override(report.language or None), lease_kept(RegionReport, report.pk):
        return report_build(report).status


def report_start(
    by: User, *, municipality_id: int | None, kind: str, language: str
) -> RegionReport:
    """Queue a report of the operator's scope narrowed as chosen (checked by the caller)."""
    report = RegionReport.objects.create(
        created_by=by, municipality_id=municipality_id, kind=kind, language=language
    )
    queued = region_report_task.enqueue(report.pk)
    RegionReport.objects.filter(pk=report.pk, status=ReportStatus.QUEUED).update(
        task_id=str(queued.id)
    )
    report.refresh_from_db()
    return report


def report_settle_if_lost(report: RegionReport) -> RegionReport:
    """A report nobody runs any more is marked failed with the reason."""
    if report.is_running and is_lost(
        lease_until=report.lease_until,
        since=report.updated_at,
        task=region_report_task,
        task_id=report.task_id,
    ):
        lease = (
            Q(lease_until=report.lease_until) if report.lease_until else Q(lease_until__isnull=True)
        )
        ended = RegionReport.objects.filter(lease, pk=report.pk, status=report.status).update(
            status=ReportStatus.FAILED,
            error=_("The report stopped before it was ready. Please start it again."),
            finished_at=timezone.now(),
            lease_until=None,
        )
        if ended:
            task_mark_lost(report.task_id)
        report.refresh_from_db()
    return report


def region_reports_sweep(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    lost = 0
    for report in RegionReport.objects.filter(
        status__in=(ReportStatus.QUEUED, ReportStatus.RUNNING)
    ).filter(Q(lease_until__lt=now) | Q(lease_until__isnull=True)):
        if report_settle_if_lost(report).status == ReportStatus.FAILED:
            lost += 1
    return {"lost": lost}
