"""The regional report: a job an operator starts, run in the background, and its downloads.

The report holds aggregates only (suppressed small cells, no names), so its files are kept
until the operator starts another; each download is recorded (`RegionReportDownload`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.orgs.models import Municipality, OrganisationKind


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting in the queue")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Not prepared")


def _report_path(report: RegionReport, filename: str) -> str:
    return f"region-reports/{report.created_by_id}/{uuid.uuid4().hex}-{filename}"


class RegionReport(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # What the operator chose: a municipality of their scope (or all of it) and a kind; the
    # scope itself is read from the operator's roles when the report runs.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=OrganisationKind.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    # The steps of the work (`tasks.STEPS`) and how many are done, for the progress bar.
    steps_total = models.PositiveSmallIntegerField(default=0)
    steps_done = models.PositiveSmallIntegerField(default=0)
    docx = models.FileField(upload_to=_report_path, blank=True)
    xlsx = models.FileField(upload_to=_report_path, blank=True)
    error = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # While it runs: until when it counts as alive (core.jobs), and its task in the queue.
    lease_until = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("regional report")
        verbose_name_plural = _("regional reports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_by_id} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def percent(self) -> int:
        if not self.steps_total:
            return 0
        return min(100, round(100 * self.steps_done / self.steps_total))


class ReportFormat(models.TextChoices):
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"


class RegionReportDownload(models.Model):
    """Who downloaded which regional report, when and from where."""

    report = models.ForeignKey(RegionReport, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    format = models.CharField(max_length=8, choices=ReportFormat.choices)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("download of a regional report")
        verbose_name_plural = _("downloads of regional reports")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.format} {self.at:%Y-%m-%d %H:%M}"
