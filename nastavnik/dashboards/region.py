"""The figures of a municipality or a region for its operator: per organisation and in total.

Everything is counted by the database, grouped by organisation — a fixed number of queries
whatever the number of organisations (never a query per organisation), so the page of a region
of 2,000 organisations costs what the page of one municipality does. Only counts and means leave
this module; the pages and the exports pass them through `suppression` before showing them.

The year is the academic year of today. The rules are those of the organisation's own
indicators (`indicators.compute`): a mentorship counts when it ran during the year; a student or
a staff member is covered when they were a mentee, the current mentor or a replaced mentor of
such a mentorship; the target of a year is the organisation's own row, else the default rows —
which are the region's own target here (seed 004: 10 → 70 %).

The compliance count of each organisation is the one kept when it was last counted
(`compliance.models.ComplianceTally`: the organisation's own pages and a daily command count
it); running the registry's checks on every organisation of a region while its operator waits
would take minutes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from nastavnik.assessments.models import Measure, Phase
from nastavnik.catalogue.models import MentoringForm, MentoringKind, RoleModel
from nastavnik.compliance.models import ComplianceTally
from nastavnik.dashboards.suppression import is_small

# A region's rows by form and by kind are those of one organisation's indicators, summed.
from nastavnik.indicators.compute import COUNTED_KINDS, FormRow, KindRow, ran_during
from nastavnik.indicators.deadlines import deadline_counted, deadline_on_or_after, previous_deadline
from nastavnik.indicators.models import HalfYearSnapshot
from nastavnik.indicators.targets import Target, Targets, default_targets, targets_of_many
from nastavnik.mentees.models import Mentee
from nastavnik.mentors.models import Mentor
from nastavnik.mentorships.models import (
    MentorAssignment,
    Mentorship,
    MentorshipMentee,
    MentorshipStatus,
)
from nastavnik.monitoring.quality import SATISFACTION_KINDS
from nastavnik.orgs.models import (
    AcademicYear,
    Municipality,
    Organisation,
    OrganisationKind,
    RegionalOperator,
)
from nastavnik.people.models import Person, PersonKind
from nastavnik.programmes.models import Programme, RoadmapEvent
from nastavnik.questionnaires.models import Answer, QuestionType

#: The organisations a figure is counted over: their pks as a subquery (`QuerySet.values("pk")`).
Chosen = QuerySet[Organisation, Any]

# --- Whom the operator covers ---------------------------------------------------------------


@dataclass(frozen=True)
class OperatorScope:
    """The municipalities an operator answers for (a region's operator: all of its own)."""

    operators: tuple[RegionalOperator, ...]
    municipalities: tuple[Municipality, ...]

    @property
    def label(self) -> str:
        return ", ".join(str(o.municipality or o.region) for o in self.operators)

    def organisations(
        self, municipality: Municipality | None = None, kind: str = ""
    ) -> QuerySet[Organisation]:
        chosen = [municipality] if municipality is not None else self.municipalities
        found = Organisation.objects.filter(municipality__in=chosen)
        return found.filter(kind=kind) if kind else found


def operator_scope(user: Any) -> OperatorScope | None:
    """The scope of the account's operator roles; None for an account that holds none (two
    queries)."""
    if not user.is_authenticated:
        return None
    operators = tuple(
        RegionalOperator.objects.filter(user=user).select_related("region", "municipality")
    )
    if not operators:
        return None
    query = Q(pk__in=[])
    for operator in operators:
        if operator.municipality_id:
            query |= Q(pk=operator.municipality_id)
        else:
            query |= Q(region_id=operator.region_id)
    municipalities = tuple(Municipality.objects.filter(query).order_by("name"))
    return OperatorScope(operators, municipalities)


# --- The figures ----------------------------------------------------------------------------


@dataclass
class OrgFigures:
    """Raw counts of one organisation (or of a total): never shown as they are."""

    pk: int
    name: str
    municipality: str
    kind: str
    students: int = 0
    staff: int = 0
    students_covered: int = 0
    staff_covered: int = 0
    students_target: int | None = None
    teachers_target: int | None = None
    pairs: int = 0
    groups: int = 0
    active: int = 0
    completed: int = 0
    ended: int = 0
    rating_sum: float = 0.0
    ratings: int = 0
    respondents: int = 0
    overdue_events: int = 0
    half_year_missed: bool = False
    # None: never counted yet.
    compliance: int | None = None

    @property
    def kind_label(self) -> str:
        known = self.kind in OrganisationKind.values
        return str(OrganisationKind(self.kind).label) if known else ""

    @property
    def satisfaction(self) -> float | None:
        return self.rating_sum / self.ratings if self.ratings else None

    def add(self, other: OrgFigures) -> None:
        for name in (
            "students",
            "staff",
            "students_covered",
            "staff_covered",
            "pairs",
            "groups",
            "active",
            "completed",
            "ended",
            "rating_sum",
            "ratings",
            "respondents",
            "overdue_events",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.compliance is not None:
            self.compliance = (self.compliance or 0) + other.compliance


@dataclass(frozen=True)
class ImpactFigures:
    """A parameter measured at entry and at exit: people measured both times, mean change."""

    parameter: str
    people: int
    mean_change: float | None


@dataclass(frozen=True)
class TrendPoint:
    """The coverage of the organisations that assessed a half-year, summed (seed 002 §7.2)."""

    deadline: date
    organisations: int
    students_covered: int
    students: int
    staff_covered: int
    staff: int


@dataclass
class RegionFigures:
    start_year: int
    today: date
    organisations: list[OrgFigures]
    total: OrgFigures
    region_target: Target | None
    by_form: list[FormRow] = field(default_factory=list)
    by_kind: list[KindRow] = field(default_factory=list)
    impact: list[ImpactFigures] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    half_year_deadline: date | None = None
    # The oldest of the compliance counts shown, and how many organisations have none yet.
    compliance_counted_at: datetime | None = None
    compliance_missing: int = 0

    @property
    def year_label(self) -> str:
        return f"{self.start_year}/{self.start_year + 1}"

    @property
    def missed_half_year(self) -> int:
        return sum(1 for o in self.organisations if o.half_year_missed)


def _mentorships(ids: Chosen, start_year: int) -> QuerySet[Mentorship]:
    return (
        Mentorship.objects.filter(organisation_id__in=ids)
        .annotate(last_day=Coalesce("ended_on", "planned_end"))
        .filter(ran_during(start_year))
    )


def _people(ids: Chosen, mentorships: QuerySet[Mentorship]) -> Iterable[Mapping[str, Any]]:
    """Head counts and the covered, by organisation and kind: one query."""
    ran = mentorships.values("pk")
    in_mentoring = (
        Q(pk__in=MentorshipMentee.objects.filter(mentorship__in=ran).values("mentee__person_id"))
        | Q(pk__in=mentorships.values("mentor__person_id"))
        | Q(pk__in=MentorAssignment.objects.filter(mentorship__in=ran).values("mentor__person_id"))
    )
    return (
        Person.objects.filter(organisation_id__in=ids, kind__in=COUNTED_KINDS)
        .values("organisation_id", "kind")
        .annotate(total=Count("pk"), covered=Count("pk", filter=in_mentoring))
        .order_by()
    )


def _counted(mentorships: QuerySet[Mentorship]) -> Sequence[Mapping[str, Any]]:
    """The year's pairs and groups counted by organisation, form, role model and kind in one
    hashed aggregate over the mentorships alone (no join, no sort of 40,000 rows); the
    statuses, the form table and the kind table are summed from these rows, a few per
    organisation, instead of counting the mentorships three times."""
    ended = ~Q(status=MentorshipStatus.ACTIVE)
    return list(
        mentorships.values("organisation_id", "form_id", "role_model_id", "kind")
        .annotate(
            pairs=Count("pk", filter=Q(is_group=False)),
            groups=Count("pk", filter=Q(is_group=True)),
            active=Count("pk", filter=Q(status=MentorshipStatus.ACTIVE)),
            completed=Count("pk", filter=Q(status=MentorshipStatus.COMPLETED)),
            ended=Count("pk", filter=ended),
        )
        .order_by()
    )


_STATUS_COUNTS = ("pairs", "groups", "active", "completed", "ended")


def _statuses(rows: Sequence[Mapping[str, Any]]) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = {}
    for r in rows:
        counts = found.setdefault(r["organisation_id"], dict.fromkeys(_STATUS_COUNTS, 0))
        for name in _STATUS_COUNTS:
            counts[name] += r[name]
    return found


def _by_form(rows: Sequence[Mapping[str, Any]]) -> list[FormRow]:
    """By form and role model, in the order of the forms, then of the role models' names (none
    last), as the database sorts them (two small queries for the names)."""
    forms = MentoringForm.objects.filter(pk__in={r["form_id"] for r in rows})
    form_rank = {
        pk: (rank, name)
        for rank, (pk, name) in enumerate(forms.order_by("order", "name").values_list("pk", "name"))
    }
    roles = RoleModel.objects.filter(pk__in={r["role_model_id"] for r in rows} - {None})
    role_rank = {
        pk: (rank, name)
        for rank, (pk, name) in enumerate(roles.order_by("name").values_list("pk", "name"))
    }
    none = (len(role_rank), "")

    def rank(r: Mapping[str, Any]) -> tuple[int, int]:
        return form_rank[r["form_id"]][0], role_rank.get(r["role_model_id"], none)[0]

    # Forms an organisation added under the same name as a built-in one read as one row.
    merged: dict[tuple[str, str], list[int]] = {}
    for r in sorted(rows, key=rank):
        key = (form_rank[r["form_id"]][1], role_rank.get(r["role_model_id"], none)[1])
        counts = merged.setdefault(key, [0, 0])
        counts[0] += r["pairs"]
        counts[1] += r["groups"]
    return [FormRow(form, role, p, g) for (form, role), (p, g) in merged.items()]


def _by_kind(rows: Sequence[Mapping[str, Any]]) -> list[KindRow]:
    counts: dict[str, list[int]] = {}
    for r in rows:
        kind = counts.setdefault(r["kind"], [0, 0])
        kind[0] += r["pairs"]
        kind[1] += r["groups"]
    return [
        KindRow(kind, counts[kind][0], counts[kind][1])
        for kind in MentoringKind.values
        if kind in counts
    ]


def _satisfaction(ids: Chosen, start_year: int) -> Iterable[Mapping[str, Any]]:
    """The 1–10 ratings of the year's satisfaction questionnaires, by organisation."""
    return (
        Answer.objects.filter(
            organisation_id__in=ids,
            response__campaign__programme__academic_year__start_year=start_year,
            response__campaign__questionnaire__kind__in=SATISFACTION_KINDS,
            question__type=QuestionType.SCALE,
            number__isnull=False,
        )
        .values("organisation_id")
        .annotate(
            total=Sum("number"),
            ratings=Count("pk"),
            respondents=Count("response", distinct=True),
        )
        .order_by()
    )


def _impact(ids: Chosen, start_year: int) -> list[ImpactFigures]:
    """Each parameter measured at entry and exit of the year's programmes: one query."""
    entry = Measure.objects.filter(
        programme=OuterRef("programme"),
        person=OuterRef("person"),
        parameter=OuterRef("parameter"),
        phase=Phase.ENTRY,
    ).values("value")[:1]
    rows = (
        Measure.objects.filter(
            organisation_id__in=ids,
            programme__academic_year__start_year=start_year,
            phase=Phase.EXIT,
        )
        .annotate(before=Subquery(entry))
        .filter(before__isnull=False)
        .values("parameter__name")
        .annotate(people=Count("person", distinct=True), change=Avg(F("value") - F("before")))
        .order_by("parameter__name")
    )
    return [ImpactFigures(r["parameter__name"], r["people"], _float(r["change"])) for r in rows]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _overdue(ids: Chosen, today: date) -> dict[int, int]:
    return dict(
        RoadmapEvent.objects.filter(organisation_id__in=ids)
        .overdue(today)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("organisation_id", "n")
    )


def _missed_half_year(ids: Chosen, today: date) -> tuple[date, set[int]]:
    """The last half-year deadline before today, and the organisations that ran a programme
    in its year and took no snapshot within its window (two queries; `deadlines`' rule)."""
    last = previous_deadline(deadline_on_or_after(today))
    year = AcademicYear.start_year_for(last)
    running = set(
        Programme.objects.filter(
            organisation_id__in=ids, academic_year__start_year__in=(year, year - 1)
        ).values_list("organisation_id", flat=True)
    )
    assessed = {
        organisation
        for organisation, taken_on in HalfYearSnapshot.objects.filter(
            organisation_id__in=ids, taken_on__year__in=(last.year, last.year + 1)
        ).values_list("organisation_id", "taken_on")
        if deadline_counted(taken_on) == last
    }
    return last, running - assessed


def _trend(ids: Chosen) -> list[TrendPoint]:
    """The half-year snapshots summed by the deadline they assess: one query. An organisation
    that took two snapshots for one deadline counts with its later one."""
    latest: dict[tuple[date, int], dict[str, Any]] = {}
    rows = (
        HalfYearSnapshot.objects.filter(organisation_id__in=ids)
        .order_by("taken_on")
        .values_list("organisation_id", "taken_on", "figures__coverage")
    )
    for organisation, taken_on, coverage in rows:
        deadline = deadline_counted(taken_on)
        if deadline is not None and isinstance(coverage, dict):
            latest[(deadline, organisation)] = coverage
    sums: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for (deadline, _organisation), coverage in latest.items():
        point = sums[deadline]
        point[0] += 1
        point[1] += int(coverage["students"]["part"])
        point[2] += int(coverage["students"]["whole"])
        point[3] += int(coverage["teachers"]["part"])
        point[4] += int(coverage["teachers"]["whole"])
    return [TrendPoint(deadline, *sums[deadline]) for deadline in sorted(sums)]


def region_figures(organisations: QuerySet[Organisation], today: date) -> RegionFigures:
    """The figures of `organisations` for the academic year of `today`: fourteen queries,
    whatever their number."""
    start_year = AcademicYear.start_year_for(today)
    rows = list(
        organisations.order_by("municipality__name", "short_name", "pk").values_list(
            "pk", "short_name", "municipality__name", "kind"
        )
    )
    figures = {pk: OrgFigures(pk, name, town, kind) for pk, name, town, kind in rows}
    # The organisations as a subquery, not a list of 1,000 ids sent again with every query.
    ids: Chosen = organisations.values("pk")
    mentorships = _mentorships(ids, start_year)
    for r in _people(ids, mentorships):
        o = figures[r["organisation_id"]]
        if r["kind"] == PersonKind.STUDENT:
            o.students, o.students_covered = r["total"], r["covered"]
        else:
            o.staff, o.staff_covered = r["total"], r["covered"]
    counted = _counted(mentorships)
    for pk, r in _statuses(counted).items():
        o = figures[pk]
        o.pairs, o.groups, o.active = r["pairs"], r["groups"], r["active"]
        o.completed, o.ended = r["completed"], r["ended"]
    for r in _satisfaction(ids, start_year):
        o = figures[r["organisation_id"]]
        o.rating_sum, o.ratings, o.respondents = float(r["total"]), r["ratings"], r["respondents"]
    for pk, n in _overdue(ids, today).items():
        figures[pk].overdue_events = n
    deadline, missed = _missed_half_year(ids, today)
    targets: dict[int, Targets] = targets_of_many(list(figures))
    for pk, o in figures.items():
        o.half_year_missed = pk in missed
        target = targets[pk].for_year(start_year)
        o.students_target = target.students_percent if target else None
        o.teachers_target = target.teachers_percent if target else None
    tallies = list(
        ComplianceTally.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "broken", "counted_at"
        )
    )
    for pk, broken, _counted_at in tallies:
        figures[pk].compliance = broken
    total = OrgFigures(0, "", "", "")
    for o in figures.values():
        total.add(o)
    region_target = default_targets().for_year(start_year)
    if region_target is not None:
        total.students_target = region_target.students_percent
        total.teachers_target = region_target.teachers_percent
    return RegionFigures(
        start_year=start_year,
        today=today,
        organisations=list(figures.values()),
        total=total,
        region_target=region_target,
        by_form=_by_form(counted),
        by_kind=_by_kind(counted),
        impact=_impact(ids, start_year),
        trend=_trend(ids),
        half_year_deadline=deadline,
        compliance_counted_at=min((at for _pk, _n, at in tallies), default=None),
        compliance_missing=len(figures) - len(tallies),
    )


# --- Head-counts for the API ----------------------------------------------------------------

# What the API's regional endpoint gives for each organisation (`api.endpoints`).
HEADCOUNTS = ("students", "staff", "mentees", "mentors", "active_pairs")


def _grouped(queryset: QuerySet[Any], ids: list[int], distinct: str = "pk") -> dict[int, int]:
    return dict(
        queryset.filter(organisation_id__in=ids)
        .values("organisation_id")
        .annotate(n=Count(distinct, distinct=True))
        .values_list("organisation_id", "n")
    )


def headcounts(organisations: list[Organisation]) -> dict[int, dict[str, int]]:
    """Each organisation's head-counts, five grouped queries for the whole list."""
    ids = [o.pk for o in organisations]
    people = Person.objects.all()
    counted = {
        "students": _grouped(people.filter(kind=PersonKind.STUDENT), ids),
        "staff": _grouped(people.filter(kind=PersonKind.STAFF), ids),
        "mentees": _grouped(Mentee.objects.all(), ids, "person_id"),
        "mentors": _grouped(Mentor.objects.all(), ids, "person_id"),
        "active_pairs": _grouped(Mentorship.objects.filter(status=MentorshipStatus.ACTIVE), ids),
    }
    return {pk: {name: counted[name].get(pk, 0) for name in HEADCOUNTS} for pk in ids}


def suppressed(counts: dict[str, int]) -> tuple[dict[str, int | None], list[str]]:
    """The counts with the small cells (`suppression.is_small`) blanked, and their names."""
    hidden = [name for name, n in counts.items() if is_small(n)]
    return {name: None if name in hidden else n for name, n in counts.items()}, hidden
