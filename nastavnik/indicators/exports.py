"""The indicators of a year as the municipality asks for them, one table a sheet: coverage
against the targets over the years, pairs and groups by form and role model, completion,
satisfaction, the summary (with overdue events and missing consents) and the half-year
snapshots.

Numbers are numbers (a percentage as 34.5, not text), so the receiver can add them up. Text
a spreadsheet would run as a formula (a form named «=…» by a curator) is written as text with
Excel's quote prefix, as the other exports do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from nastavnik.documents.spreadsheet import table_sheet, workbook_bytes
from nastavnik.indicators.compute import Coverage
from nastavnik.indicators.figures import FIGURES
from nastavnik.indicators.year import Snapshot, YearData


def _sheet(
    workbook: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    table_sheet(workbook, title, header, list(rows) or [[_("No data for this year")]])


def _coverage_row(label: str, coverage: Coverage) -> list[Any]:
    return [
        label,
        coverage.students.whole,
        coverage.students.part,
        coverage.students.percent,
        coverage.students_target,
        coverage.teachers.whole,
        coverage.teachers.part,
        coverage.teachers.percent,
        coverage.teachers_target,
    ]


def indicators_xlsx(data: YearData, snapshots: Sequence[Snapshot]) -> bytes:
    indicators = data.indicators
    workbook = Workbook(write_only=True)
    _sheet(
        workbook,
        _("Summary"),
        [_("Indicator"), indicators.year_label],
        [(str(f.label), f.number(indicators)) for f in FIGURES],
    )
    _sheet(
        workbook,
        _("Coverage"),
        [
            _("Academic year"),
            _("Students"),
            _("Students in mentoring"),
            _("Students in mentoring, %"),
            _("Target for students, %"),
            _("Teachers"),
            _("Teachers in mentoring"),
            _("Teachers in mentoring, %"),
            _("Target for teachers, %"),
        ],
        [_coverage_row(y.label, y.coverage) for y in data.years],
    )
    _sheet(
        workbook,
        _("Pairs and groups"),
        [_("Form"), _("Role model"), _("Pairs"), _("Groups")],
        [(row.form, row.role_model, row.pairs, row.groups) for row in indicators.by_form],
    )
    _sheet(
        workbook,
        _("By kind"),
        [_("Kind of mentoring"), _("Pairs"), _("Groups")],
        [(row.label, row.pairs, row.groups) for row in indicators.by_kind],
    )
    _sheet(
        workbook,
        _("Completion"),
        [
            _("Working now"),
            _("Completed"),
            _("Completed early"),
            _("Terminated"),
            _("Completed of those ended, %"),
        ],
        [
            (
                indicators.active,
                indicators.completed,
                indicators.completed_early,
                indicators.terminated,
                indicators.completion.percent,
            )
        ]
        if indicators.ended or indicators.active
        else [],
    )
    _sheet(
        workbook,
        _("Satisfaction"),
        [_("Form"), _("Mean satisfaction (1–10)"), _("Ratings"), _("Respondents")],
        [(row.label, row.mean, row.answers, row.respondents) for row in data.satisfaction],
    )
    _sheet(
        workbook,
        _("Entry and exit"),
        [
            _("Parameter"),
            _("Participants"),
            _("Mean at entry"),
            _("Mean at exit"),
            pgettext("difference", "Change"),
        ],
        [(r.label, r.n, r.before, r.after, r.change) for r in data.impact],
    )
    _sheet(
        workbook,
        _("Half-year assessments"),
        [_("Taken on"), _("Academic year"), *(str(f.label) for f in FIGURES)],
        [
            (s.taken_on, s.programme_label, *(f.number(s.indicators) for f in FIGURES))
            for s in snapshots
        ],
    )
    return workbook_bytes(workbook)
