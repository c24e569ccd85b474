"""The indicators of a programme year (DESIGN §5): coverage of students and teachers against the
year's target, pairs and groups by form and role model and by kind of mentoring, the share of
completed mentorships, the mean satisfaction, overdue roadmap events and missing consents.

A mentorship counts for an academic year when it ran during it — started before the year ended
and did not end (or, still open, was not planned to end) before it began — whichever programme
formed it. The people counted are the organisation's own students and staff: a mentor or a
mentee of such a mentorship is in mentoring that year.

A half-year snapshot is computed *as of* its day (`as_of`): only the mentorships started by
then count, each with the status it had that day (one that ended later was still working);
people are in mentoring from the day their pair started, a mentor from the day they took it
over; ratings count when submitted by then and a roadmap event is overdue when it was due
before that day and not done by it. The head counts and the missing consents are today's: the
data keep no history of enrolment or of consents by day.

`indicators_for` runs a fixed number of queries whatever the size of the organisation; the
coverage of every year of the organisation (for the chart) takes three.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from nastavnik.catalogue.models import MentoringKind
from nastavnik.consents.access import people_missing_consents
from nastavnik.core.access import OrgContext
from nastavnik.indicators.targets import Target, targets_of
from nastavnik.mentorships.models import (
    MentorAssignment,
    Mentorship,
    MentorshipMentee,
    MentorshipStatus,
)
from nastavnik.monitoring.quality import mean_satisfaction
from nastavnik.orgs.models import AcademicYear, Organisation
from nastavnik.people.models import Person, PersonKind
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import Programme, RoadmapEvent

COUNTED_KINDS = (PersonKind.STUDENT, PersonKind.STAFF)


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.part / self.whole, 1) if self.whole else None


@dataclass(frozen=True)
class Coverage:
    students: Share
    teachers: Share
    students_target: int | None
    teachers_target: int | None

    @property
    def students_met(self) -> bool | None:
        return _met(self.students, self.students_target)

    @property
    def teachers_met(self) -> bool | None:
        return _met(self.teachers, self.teachers_target)


def _met(share: Share, target: int | None) -> bool | None:
    if target is None or share.percent is None:
        return None
    return share.percent >= target


@dataclass(frozen=True)
class FormRow:
    form: str
    role_model: str
    pairs: int
    groups: int


@dataclass(frozen=True)
class KindRow:
    # The value of `MentoringKind`: the label is read in the reader's language.
    kind: str
    pairs: int
    groups: int

    @property
    def label(self) -> str:
        return str(MentoringKind(self.kind).label) if self.kind in MentoringKind.values else ""


@dataclass(frozen=True)
class Indicators:
    programme_id: int
    start_year: int
    computed_on: date
    coverage: Coverage
    by_form: tuple[FormRow, ...]
    active: int
    completed: int
    completed_early: int
    terminated: int
    mean_satisfaction: float | None
    overdue_events: int
    consents_missing: int
    # Empty in snapshots taken before mentorships had kinds.
    by_kind: tuple[KindRow, ...] = ()

    @property
    def year_label(self) -> str:
        return f"{self.start_year}/{self.start_year + 1}"

    @property
    def pairs(self) -> int:
        return sum(row.pairs for row in self.by_form)

    @property
    def groups(self) -> int:
        return sum(row.groups for row in self.by_form)

    @property
    def ended(self) -> int:
        return self.completed + self.completed_early + self.terminated

    @property
    def completion(self) -> Share:
        """Completed as planned among those that ended (early ends and terminations are not)."""
        return Share(self.completed, self.ended)

    @property
    def is_empty(self) -> bool:
        return not self.by_form and self.coverage.students.whole == 0

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["computed_on"] = self.computed_on.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Indicators:
        coverage = data["coverage"]
        return cls(
            programme_id=data["programme_id"],
            start_year=data["start_year"],
            computed_on=date.fromisoformat(data["computed_on"]),
            coverage=Coverage(
                students=Share(**coverage["students"]),
                teachers=Share(**coverage["teachers"]),
                students_target=coverage["students_target"],
                teachers_target=coverage["teachers_target"],
            ),
            by_form=tuple(FormRow(**row) for row in data["by_form"]),
            active=data["active"],
            completed=data["completed"],
            completed_early=data["completed_early"],
            terminated=data["terminated"],
            mean_satisfaction=data["mean_satisfaction"],
            overdue_events=data["overdue_events"],
            consents_missing=data["consents_missing"],
            by_kind=tuple(KindRow(**row) for row in data.get("by_kind", ())),
        )


# --- Coverage --------------------------------------------------------------------------------


def ran_during(start_year: int, as_of: date | None = None) -> Q:
    """For `_mentorships`, whose `last_day` is the end, or the planned end of an open one. As
    of a day: only what had started by then, and nothing when the year had not begun."""
    year = AcademicYear(start_year=start_year)
    last = year.ends_on if as_of is None else min(year.ends_on, as_of)
    if last < year.starts_on:
        return Q(pk__in=[])
    return Q(started_on__lte=last) & Q(last_day__gte=year.starts_on)


def _mentorships(organisation: Organisation) -> Any:
    return Mentorship.objects.for_org(organisation).annotate(
        last_day=Coalesce("ended_on", "planned_end")
    )


@dataclass(frozen=True)
class _Participation:
    """Who of the organisation's students and staff took part in which mentorship, when."""

    totals: dict[str, int]
    # (person pk, kind, first day, last day) of every participation.
    spans: list[tuple[int, str, date, date]] = field(default_factory=list)

    def covered(self, start_year: int) -> dict[str, int]:
        year = AcademicYear(start_year=start_year)
        people: dict[str, set[int]] = defaultdict(set)
        for person, kind, first, last in self.spans:
            if first <= year.ends_on and last >= year.starts_on:
                people[kind].add(person)
        return {kind: len(people[kind]) for kind in COUNTED_KINDS}


def _as_of(
    spans: list[tuple[int, str, date, date]], as_of: date | None
) -> list[tuple[int, str, date, date]]:
    """The participations as they stood on `as_of`: begun by then, and not past it."""
    if as_of is None:
        return spans
    return [(p, k, first, min(last, as_of)) for p, k, first, last in spans if first <= as_of]


def _participation(
    organisation: Organisation, start_years: Iterable[int], as_of: date | None = None
) -> _Participation:
    """Four queries: the head counts, the mentors (current and replaced) and the mentees of the
    mentorships that ran in any of `start_years` (as of a day, when given)."""
    totals = dict(
        Person.objects.for_org(organisation)
        .filter(kind__in=COUNTED_KINDS)
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    ran = Q()
    for start_year in start_years:
        ran |= ran_during(start_year, as_of)
    mentorships = _mentorships(organisation).filter(ran) if ran else Mentorship.objects.none()
    # The current mentor is in mentoring from the day they took the pair over.
    took_over = MentorAssignment.objects.filter(
        mentorship=OuterRef("pk"), released_on__isnull=True
    ).values("assigned_on")[:1]
    spans = list(
        mentorships.filter(mentor__person__kind__in=COUNTED_KINDS)
        .annotate(mentor_from=Coalesce(Subquery(took_over), "started_on"))
        .values_list("mentor__person_id", "mentor__person__kind", "mentor_from", "last_day")
    )
    # Mentors replaced during the pair's term were in mentoring too, up to their release.
    spans += list(
        MentorAssignment.objects.filter(
            mentorship__in=mentorships.values("pk"),
            released_on__isnull=False,
            mentor__person__kind__in=COUNTED_KINDS,
        ).values_list("mentor__person_id", "mentor__person__kind", "assigned_on", "released_on")
    )
    spans += list(
        MentorshipMentee.objects.filter(
            mentorship__in=mentorships.values("pk"), mentee__person__kind__in=COUNTED_KINDS
        ).values_list(
            "mentee__person_id",
            "mentee__person__kind",
            "mentorship__started_on",
            Coalesce("mentorship__ended_on", "mentorship__planned_end"),
        )
    )
    return _Participation(
        totals={k: totals.get(k, 0) for k in COUNTED_KINDS}, spans=_as_of(spans, as_of)
    )


def _coverage(participation: _Participation, start_year: int, target: Target | None) -> Coverage:
    covered = participation.covered(start_year)
    totals = participation.totals
    return Coverage(
        students=Share(covered[PersonKind.STUDENT], totals[PersonKind.STUDENT]),
        teachers=Share(covered[PersonKind.STAFF], totals[PersonKind.STAFF]),
        students_target=target.students_percent if target else None,
        teachers_target=target.teachers_percent if target else None,
    )


@dataclass(frozen=True)
class YearCoverage:
    start_year: int
    coverage: Coverage

    @property
    def label(self) -> str:
        return f"{self.start_year}/{self.start_year + 1}"


def coverage_by_year(organisation: Organisation) -> list[YearCoverage]:
    """The coverage of every programme year of the organisation, oldest first (four queries)."""
    years = sorted(
        Programme.objects.for_org(organisation).values_list("academic_year__start_year", flat=True)
    )
    if not years:
        return []
    participation = _participation(organisation, years)
    targets = targets_of(organisation)
    return [
        YearCoverage(year, _coverage(participation, year, targets.for_year(year))) for year in years
    ]


# --- The rest --------------------------------------------------------------------------------


def _by_form(mentorships: Any) -> tuple[FormRow, ...]:
    rows = (
        mentorships.values("form__name", "form__order", "role_model__name")
        .annotate(
            pairs=Count("pk", filter=Q(is_group=False)), groups=Count("pk", filter=Q(is_group=True))
        )
        .order_by("form__order", "form__name", F("role_model__name").asc(nulls_last=True))
    )
    return tuple(
        FormRow(r["form__name"], r["role_model__name"] or "", r["pairs"], r["groups"]) for r in rows
    )


def _by_kind(mentorships: Any) -> tuple[KindRow, ...]:
    counts = {
        r["kind"]: r
        for r in mentorships.order_by()
        .values("kind")
        .annotate(
            pairs=Count("pk", filter=Q(is_group=False)), groups=Count("pk", filter=Q(is_group=True))
        )
    }
    # In the order of the glossary, not of the letters.
    return tuple(
        KindRow(kind, counts[kind]["pairs"], counts[kind]["groups"])
        for kind in MentoringKind.values
        if kind in counts
    )


def _statuses(mentorships: Any, as_of: date | None) -> dict[str, int]:
    """How many mentorships had each status; as of a day, one that ended later was active."""
    if as_of is None:
        rows = mentorships.order_by().values("status").annotate(n=Count("pk"))
        return {row["status"]: row["n"] for row in rows}
    ended = Q(ended_on__isnull=False, ended_on__lte=as_of)
    counts = mentorships.order_by().aggregate(
        still_active=Count("pk", filter=~ended),
        **{
            status: Count("pk", filter=ended & Q(status=status))
            for status in MentorshipStatus.values
            if status != MentorshipStatus.ACTIVE
        },
    )
    counts[MentorshipStatus.ACTIVE] = counts.pop("still_active")
    return counts


def _overdue(programme: Programme, today: date, as_of: date | None) -> int:
    events = RoadmapEvent.objects.for_org(programme.organisation).filter(programme=programme)
    if as_of is None:
        return events.overdue(today).count()
    # What was late on that day, whatever was done since or became of the programme.
    return (
        events.filter(due_on__lt=as_of)
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=as_of))
        .count()
    )


def consents_missing(organisation: Organisation) -> int:
    """Students who lack a consent every participant needs — the list the consents page shows
    by default, counted."""
    ctx = OrgContext(organisation=organisation, roles=frozenset())
    people, _purposes = people_missing_consents(ctx, {})
    return people.order_by().count()


def indicators_for(
    programme: Programme, today: date | None = None, *, as_of: date | None = None
) -> Indicators:
    """The indicators computed on `today`; with `as_of`, from the data of that day (see the
    module's note) — what a half-year snapshot of that day records."""
    organisation = programme.organisation
    today = today or org_today(organisation)
    start_year = programme.academic_year.start_year
    mentorships = _mentorships(organisation).filter(ran_during(start_year, as_of))
    statuses = _statuses(mentorships, as_of)
    target = targets_of(organisation).for_year(start_year)
    return Indicators(
        programme_id=programme.pk,
        start_year=start_year,
        computed_on=as_of or today,
        coverage=_coverage(_participation(organisation, [start_year], as_of), start_year, target),
        by_form=_by_form(mentorships),
        by_kind=_by_kind(mentorships),
        active=statuses.get(MentorshipStatus.ACTIVE, 0),
        completed=statuses.get(MentorshipStatus.COMPLETED, 0),
        completed_early=statuses.get(MentorshipStatus.COMPLETED_EARLY, 0),
        terminated=statuses.get(MentorshipStatus.TERMINATED, 0),
        mean_satisfaction=_rounded(mean_satisfaction(programme, as_of=as_of)),
        overdue_events=_overdue(programme, today, as_of),
        consents_missing=consents_missing(organisation),
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)
