"""Everything the indicators page, the monitoring report and the XLSX show of one programme
year, gathered once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from nastavnik.indicators.charts import (
    Chart,
    CoveragePoint,
    bar_chart,
    before_after_chart,
    coverage_chart,
)
from nastavnik.indicators.compute import Indicators, YearCoverage, coverage_by_year, indicators_for
from nastavnik.indicators.deadlines import deadline_counted
from nastavnik.indicators.models import HalfYearSnapshot
from nastavnik.indicators.monitoring_data import (
    ImpactRow,
    SatisfactionRow,
    impact_rows,
    satisfaction_by_form,
)
from nastavnik.monitoring.impact import impact_results
from nastavnik.monitoring.pairs import pair_index
from nastavnik.monitoring.quality import quality_results
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import Programme


@dataclass(frozen=True)
class Snapshot:
    pk: int
    taken_on: date
    programme_label: str
    taken_by: str
    indicators: Indicators

    @property
    def counts_for(self) -> date | None:
        """The deadline this snapshot is the assessment of; None outside every window."""
        return deadline_counted(self.taken_on)


@dataclass(frozen=True)
class YearData:
    programme: Programme
    today: date
    indicators: Indicators
    years: tuple[YearCoverage, ...]
    satisfaction: tuple[SatisfactionRow, ...]
    impact: tuple[ImpactRow, ...]
    snapshots: tuple[Snapshot, ...]

    def charts(self) -> dict[str, Chart]:
        """The charts there are data for, titled in the active language."""
        charts: dict[str, Chart] = {}
        if any(y.coverage.students.whole or y.coverage.teachers.whole for y in self.years):
            charts["coverage"] = coverage_chart(
                [
                    CoveragePoint(
                        y.label,
                        y.coverage.students.percent,
                        y.coverage.teachers.percent,
                        y.coverage.students_target,
                        y.coverage.teachers_target,
                    )
                    for y in self.years
                ],
                {
                    "title": _("Coverage against the target"),
                    "students": _("students"),
                    "teachers": _("teachers"),
                    "target": _("target"),
                    "percent": "%",
                },
            )
        if self.satisfaction:
            charts["satisfaction"] = bar_chart(
                _("Mean satisfaction by form (1–10)"),
                [(row.label, row.mean) for row in self.satisfaction],
                scale_max=10,
            )
        if self.impact:
            charts["impact"] = before_after_chart(
                _("Entry and exit, share of the scale"),
                [(row.label, row.before_share, row.after_share) for row in self.impact],
                (_("entry"), _("exit")),
            )
        return charts


def snapshots_of(programme_or_org_filter: dict[str, object]) -> tuple[Snapshot, ...]:
    rows = (
        HalfYearSnapshot.objects.filter(**programme_or_org_filter)
        .select_related("programme__academic_year", "taken_by")
        .order_by("taken_on", "pk")
    )
    return tuple(
        Snapshot(
            pk=row.pk,
            taken_on=row.taken_on,
            programme_label=row.programme.academic_year.label,
            taken_by=row.taken_by.get_full_name() if row.taken_by else "",
            indicators=Indicators.from_json(row.figures),
        )
        for row in rows
    )


def year_data(programme: Programme, today: date | None = None) -> YearData:
    today = today or org_today(programme.organisation)
    # Both stages of monitoring group by pair: the pairs are read once for the two.
    pairs = pair_index(programme)
    return YearData(
        programme=programme,
        today=today,
        indicators=indicators_for(programme, today),
        years=tuple(coverage_by_year(programme.organisation)),
        satisfaction=tuple(satisfaction_by_form(quality_results(programme, pairs))),
        impact=tuple(impact_rows(impact_results(programme, pairs))),
        snapshots=snapshots_of({"programme": programme}),
    )
