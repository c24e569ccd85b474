"""The figures of `Indicators` as people read them, one list for the page, the comparison of
snapshots and the XLSX, so the three never disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nastavnik.indicators.compute import Indicators, Share
from nastavnik.indicators.numbers import number_text


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{number_text(value, 1)} %"


def share_text(share: Share) -> str:
    if not share.whole:
        return "—"
    return f"{percent_text(share.percent)} ({share.part} / {share.whole})"


def target_text(value: int | None) -> str:
    return "—" if value is None else f"{value} %"


def mean_text(value: float | None) -> str:
    return "—" if value is None else number_text(value, 1)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    text: Callable[[Indicators], str]
    # The bare number for a spreadsheet cell (None: empty).
    number: Callable[[Indicators], float | int | None]


FIGURES: tuple[Figure, ...] = (
    Figure(
        "students",
        _("Students in mentoring"),
        lambda i: share_text(i.coverage.students),
        lambda i: i.coverage.students.percent,
    ),
    Figure(
        "students_target",
        _("Target for students"),
        lambda i: target_text(i.coverage.students_target),
        lambda i: i.coverage.students_target,
    ),
    Figure(
        "teachers",
        _("Teachers in mentoring"),
        lambda i: share_text(i.coverage.teachers),
        lambda i: i.coverage.teachers.percent,
    ),
    Figure(
        "teachers_target",
        _("Target for teachers"),
        lambda i: target_text(i.coverage.teachers_target),
        lambda i: i.coverage.teachers_target,
    ),
    Figure("pairs", _("Pairs"), lambda i: str(i.pairs), lambda i: i.pairs),
    Figure("groups", _("Groups"), lambda i: str(i.groups), lambda i: i.groups),
    Figure("active", _("Working now"), lambda i: str(i.active), lambda i: i.active),
    Figure(
        "completion",
        _("Completed of those ended"),
        lambda i: share_text(i.completion),
        lambda i: i.completion.percent,
    ),
    Figure(
        "satisfaction",
        _("Mean satisfaction (1–10)"),
        lambda i: mean_text(i.mean_satisfaction),
        lambda i: i.mean_satisfaction,
    ),
    Figure(
        "overdue",
        _("Overdue roadmap events"),
        lambda i: str(i.overdue_events),
        lambda i: i.overdue_events,
    ),
    Figure(
        "consents",
        _("Students without the consents they need"),
        lambda i: str(i.consents_missing),
        lambda i: i.consents_missing,
    ),
)
