"""The stage view: where a programme stands in the seven stages and what is open in each.

Each stage shows what it asks for (done or open, with a link to where it is done), the
figures that tell how far it is (the people registry now; later modules add theirs through
`register_indicators`), and its roadmap events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nastavnik.core.dates import years_later
from nastavnik.people.models import Person, PersonKind
from nastavnik.programmes.models import Programme, ProgrammeStatus, RoadmapEvent, Stage

# Eligible mentees among students are 10 and older (seed 002 §2.3).
MENTEE_MIN_AGE = 10

SUMMARIES: dict[int, Promise] = {
    1: _("Forms and role models of the year, the curator and the team, goals, the roadmap."),
    2: _("Informing, applications, consents, third-party input, entry assessment."),
    3: _("Questionnaires of potential mentors: students, staff, parents, graduates, partners."),
    4: _("Selection criteria, interviews, the commission, the mentor school, the registry."),
    5: _("A group meeting, preferences, matching, the order fixing the pairs."),
    6: _("Individual development plans, meetings, feedback."),
    7: _("Results, final surveys, awards, best practices, monitoring."),
}


@dataclass(frozen=True)
class Check:
    """Something a stage asks for, and whether it is there."""

    label: str | Promise
    done: bool
    detail: str = ""
    href: str = ""


@dataclass(frozen=True)
class Indicator:
    label: str | Promise
    value: int | str
    href: str = ""


IndicatorSource = Callable[[Programme, date], Iterable[Indicator]]
_SOURCES: dict[int, list[IndicatorSource]] = defaultdict(list)
CheckSource = Callable[[Programme, date], Iterable[Check]]
_CHECKS: dict[int, list[CheckSource]] = defaultdict(list)
# `(programme, today) -> stage`: the furthest stage the data show the programme has reached
# (pairs at work are stage 6 whatever the roadmap's calendar says).
ReachedSource = Callable[[Programme, date], int]
_REACHED: list[ReachedSource] = []


def register_indicators(stage: int, source: IndicatorSource) -> None:
    """Add figures to a stage (mentees with consent, approved mentors, pairs…). Call it from
    the app's ``AppConfig.ready``."""
    if source not in _SOURCES[stage]:
        _SOURCES[stage].append(source)


def register_checks(stage: int, source: CheckSource) -> None:
    """Add what a stage asks for, checked against the data (pairs fixed by an order, plans,
    results…). Called from above the stage apps, which the programme may not import."""
    if source not in _CHECKS[stage]:
        _CHECKS[stage].append(source)


def register_reached(source: ReachedSource) -> None:
    """Add a reading of the stage the data show the programme has reached."""
    if source not in _REACHED:
        _REACHED.append(source)


def reached_stage(programme: Programme, today: date) -> int:
    """The furthest stage the data and the signed orders show: an approved programme is past
    its preparation; later stages are read by the sources registered from above."""
    reached: int = Stage.PREPARATION if programme.is_draft else Stage.MENTEE_BASE
    for source in _REACHED:
        reached = max(reached, source(programme, today))
    return reached


@dataclass
class StageView:
    number: int
    title: str | Promise
    summary: str | Promise
    checks: list[Check] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    events: list[RoadmapEvent] = field(default_factory=list)
    overdue: int = 0
    is_current: bool = False

    @property
    def done(self) -> int:
        return sum(1 for event in self.events if event.is_done)

    @property
    def open(self) -> int:
        return len(self.events) - self.done

    @property
    def complete(self) -> bool:
        return bool(self.events) and self.open == 0 and all(c.done for c in self.checks)


def current_stage(
    programme: Programme, events: Iterable[RoadmapEvent], today: date, reached: int = 0
) -> int:
    """The stage of the work at hand: what the data show reached (`reached`: pairs at work
    are stage 6, results recorded stage 7), or, if the roadmap's calendar is further, the
    lowest stage with an open event under way today (between its start and its due date);
    between events, the stage of the next one.

    Overdue work does not hold the stage back: it is listed as overdue where it belongs.
    """
    if programme.status == ProgrammeStatus.FINISHED:
        return Stage.COMPLETION
    return max(reached, _calendar_stage(events, today))


def _calendar_stage(events: Iterable[RoadmapEvent], today: date) -> int:
    events = list(events)
    open_events = [e for e in events if not e.is_done]
    under_way = [e.stage for e in open_events if e.window_start <= today <= e.due_on]
    if under_way:
        return min(under_way)
    ahead = [e for e in open_events if e.due_on >= today]
    if ahead:
        return min(ahead, key=lambda e: (e.window_start, e.stage)).stage
    return max((e.stage for e in events), default=Stage.PREPARATION)


def _url(programme: Programme, name: str) -> str:
    return reverse(
        f"programmes:{name}",
        kwargs={"org_slug": programme.organisation.slug, "programme_pk": programme.pk},
    )


def _preparation_checks(
    programme: Programme, events: list[RoadmapEvent], pending_order: str
) -> list[Check]:
    chosen = list(programme.chosen_forms.annotate(models=Count("role_models", distinct=True)))
    with_plan = set(
        programme.chosen_forms.filter(plan_items__isnull=False).values_list("pk", flat=True)
    )
    team = programme.team.count()
    partners = programme.partners.count()
    forms_url = _url(programme, "detail") + "#forms"
    approved = programme.status != ProgrammeStatus.DRAFT
    return [
        Check(
            _("Forms and role models of the year are chosen"),
            bool(chosen) and all(c.models for c in chosen),
            str(len(chosen)),
            forms_url,
        ),
        Check(
            _("Goal, tasks and expected results are stated"),
            bool(programme.goal.strip() and programme.task_list),
            href=_url(programme, "edit"),
        ),
        Check(
            _("The curator is appointed"),
            programme.curator_id is not None,
            programme.curator.full_name if programme.curator else "",
            _url(programme, "edit"),
        ),
        Check(_("The team is listed"), team > 0, str(team), _url(programme, "team")),
        Check(
            _("Social partners are listed"),
            partners > 0,
            str(partners),
            _url(programme, "partners"),
        ),
        Check(
            _("Every form has a typical development plan"),
            bool(chosen) and all(c.pk in with_plan for c in chosen),
            f"{len(with_plan)}/{len(chosen)}",
            forms_url,
        ),
        Check(
            _("The roadmap is generated"),
            bool(events),
            str(len(events)),
            _url(programme, "roadmap"),
        ),
        Check(
            _("The programme and the roadmap are approved by an order"),
            approved,
            f"№ {programme.approval_order.number}"
            if approved and programme.approval_order
            else pending_order,
            _url(programme, "detail"),
        ),
    ]


def _people_indicators(programme: Programme, today: date) -> dict[int, list[Indicator]]:
    ten_years_ago = years_later(today, -MENTEE_MIN_AGE)
    counts = Person.objects.for_org(programme.organisation).aggregate(
        students=Count("pk", filter=Q(kind=PersonKind.STUDENT)),
        eligible=Count("pk", filter=Q(kind=PersonKind.STUDENT, birth_date__lte=ten_years_ago)),
        staff=Count("pk", filter=Q(kind=PersonKind.STAFF)),
        graduates=Count("pk", filter=Q(kind=PersonKind.GRADUATE)),
        external=Count("pk", filter=Q(kind=PersonKind.EXTERNAL)),
        parents=Count("pk", filter=Q(kind=PersonKind.PARENT)),
    )
    people = reverse("people:list", kwargs={"org_slug": programme.organisation.slug})
    return {
        2: [
            Indicator(_("Students in the registry"), counts["students"], f"{people}?kind=student"),
            Indicator(_("Of them aged 10 and over"), counts["eligible"]),
            Indicator(_("Parents and guardians"), counts["parents"], f"{people}?kind=parent"),
        ],
        3: [
            Indicator(_("Staff"), counts["staff"], f"{people}?kind=staff"),
            Indicator(_("Graduates"), counts["graduates"], f"{people}?kind=graduate"),
            Indicator(_("External people"), counts["external"], f"{people}?kind=external"),
        ],
    }


def stage_views(programme: Programme, today: date, pending_order: str = "") -> list[StageView]:
    events = list(programme.events.select_related("responsible_person"))
    current = current_stage(programme, events, today, reached_stage(programme, today))
    people = _people_indicators(programme, today)
    views = []
    for number, title in Stage.choices:
        stage_events = [e for e in events if e.stage == number]
        view = StageView(
            number=number,
            title=title,
            summary=SUMMARIES[number],
            events=stage_events,
            overdue=sum(1 for e in stage_events if e.is_overdue(today)),
            is_current=number == current,
            indicators=list(people.get(number, [])),
        )
        if number == Stage.PREPARATION:
            view.checks = _preparation_checks(programme, events, pending_order)
        for check_source in _CHECKS.get(number, []):
            view.checks.extend(check_source(programme, today))
        for source in _SOURCES.get(number, []):
            view.indicators.extend(source(programme, today))
        views.append(view)
    return views
