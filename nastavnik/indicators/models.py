"""Coverage targets of the years and the half-year assessments of the programme.

Targets (seed 004: students and teachers in mentoring at least 10 % in 2020 … 70 % in 2024) are
data: rows without an organisation are the defaults every organisation starts from (a data
migration writes the seed's), rows with one are that organisation's own. A year without a row
takes the latest year before it (so 70 % holds from 2024 on until someone writes another).

The efficiency of the model is assessed twice a year, not later than 30 September and 30 March
(seed 002 §7.2): a `HalfYearSnapshot` freezes the indicators of a programme on the day it is
taken, so later changes to the data never rewrite what was reported.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nastavnik.core.tenancy import TenantModel, account_link
from nastavnik.orgs.models import Organisation
from nastavnik.programmes.models import Programme

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class CoverageTarget(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the default of every organisation."),
    )
    # The calendar year an academic year starts in: 2024 holds for 2024/2025, as the seed's
    # «в 2024 году» is reported in the autumn of that year.
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    students_percent = models.PositiveSmallIntegerField(
        _("students, %"), validators=PERCENT_VALIDATORS
    )
    teachers_percent = models.PositiveSmallIntegerField(
        _("teachers, %"), validators=PERCENT_VALIDATORS
    )
    updated_by = account_link()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("coverage target")
        verbose_name_plural = _("coverage targets")
        ordering = ["year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                condition=Q(organisation__isnull=False),
                name="coverage_target_once_a_year",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(organisation__isnull=True),
                name="coverage_target_default_once_a_year",
            ),
            models.CheckConstraint(
                condition=Q(students_percent__lte=100) & Q(teachers_percent__lte=100),
                name="coverage_target_percent_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.students_percent} % / {self.teachers_percent} %"


class HalfYearSnapshot(TenantModel):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="half_year_snapshots",
        verbose_name=_("programme"),
    )
    taken_on = models.DateField(_("taken on"))
    # `Indicators.as_json()` on the day: read back with `Indicators.from_json`.
    figures = models.JSONField(_("indicators"))
    taken_by = account_link()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("half-year assessment")
        verbose_name_plural = _("half-year assessments")
        ordering = ["-taken_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "taken_on"], name="half_year_snapshot_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.taken_on:%d.%m.%Y}"


class HalfYearReminder(TenantModel):
    """A reminder mailed to the curators before a deadline, so a daily run mails each once."""

    deadline = models.DateField()
    days_left = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "deadline", "days_left"], name="half_year_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline:%d.%m.%Y} − {self.days_left}"
