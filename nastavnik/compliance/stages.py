"""The stage of a programme read from its data and signed orders, and what stages 5–7 ask for,
checked against the data (`programmes.stages` asks these through its registries: the programme
may not import the stage apps).

Reached: mentors in the base → 3; candidates before the commission → 4; a signed registry
order or a matching run → 5; pairs at work → 6; results recorded or exit measures taken → 7.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nastavnik.assessments.models import Measure, Phase
from nastavnik.matching.models import MatchingRun
from nastavnik.meetings.models import Meeting, MeetingKind, MeetingStatus
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentors.models import Mentor, MentorStatus
from nastavnik.mentorships.models import (
    RESULT_FIELDS,
    Mentorship,
    MentorshipResult,
    MentorshipStatus,
)
from nastavnik.orders.models import OrderStatus
from nastavnik.plans.models import DevelopmentPlan
from nastavnik.programmes.models import Programme, Stage
from nastavnik.programmes.stages import Check, register_checks, register_reached

COMPLETED = (MentorshipStatus.COMPLETED, MentorshipStatus.COMPLETED_EARLY)


def _url(programme: Programme, name: str, **kwargs: int) -> str:
    return reverse(name, kwargs={"org_slug": programme.organisation.slug, **kwargs})


def _recorded_result() -> Q:
    """A results row with something written in it."""
    filled = Q()
    for name in RESULT_FIELDS:
        filled |= ~Q(**{name: ""})
    return filled


def reached(programme: Programme, today: date) -> int:
    """Four queries at most, the furthest stage first."""
    pairs = Mentorship.objects.filter(programme=programme)
    results = MentorshipResult.objects.filter(mentorship__programme=programme).filter(
        _recorded_result()
    )
    if results.exists() or Measure.objects.filter(programme=programme, phase=Phase.EXIT).exists():
        return Stage.COMPLETION
    if pairs.filter(status=MentorshipStatus.ACTIVE).exists():
        return Stage.WORK
    mentors = Mentor.objects.filter(programme=programme)
    if (
        mentors.filter(
            status=MentorStatus.REGISTERED, registry_order__status=OrderStatus.SIGNED
        ).exists()
        or MatchingRun.objects.filter(programme=programme).exists()
    ):
        return Stage.MATCHING
    steps = mentors.aggregate(
        total=Count("pk"), forward=Count("pk", filter=~Q(status=MentorStatus.CANDIDATE))
    )
    if steps["forward"]:
        return Stage.SELECTION
    if steps["total"]:
        return Stage.MENTOR_BASE
    return Stage.PREPARATION


def matching_checks(programme: Programme, today: date) -> list[Check]:
    pairs = Mentorship.objects.filter(programme=programme).exclude(
        status=MentorshipStatus.TERMINATED
    )
    counts = pairs.aggregate(
        total=Count("pk"),
        ordered=Count("pk", filter=Q(pairs_order__status=OrderStatus.SIGNED)),
    )
    waiting = Mentee.objects.filter(programme=programme, status=MenteeStatus.IN_BASE).count()
    return [
        Check(
            _("Pairs and groups are formed"),
            counts["total"] > 0,
            str(counts["total"]),
            _url(programme, "matching:index"),
        ),
        Check(
            _("Every pair and group is fixed by a signed order"),
            counts["total"] > 0 and counts["ordered"] == counts["total"],
            f"{counts['ordered']}/{counts['total']}",
            _url(programme, "orders:list"),
        ),
        Check(
            _("Every mentee of the base has a mentor"),
            counts["total"] > 0 and waiting == 0,
            str(waiting),
            _url(programme, "mentees:list"),
        ),
    ]


def work_checks(programme: Programme, today: date) -> list[Check]:
    active = Mentorship.objects.filter(programme=programme, status=MentorshipStatus.ACTIVE)
    counts = active.aggregate(
        total=Count("pk"),
        planned=Count(
            "pk",
            filter=Q(
                Exists(
                    DevelopmentPlan.objects.filter(mentorship=OuterRef("pk"), items__isnull=False)
                )
            ),
        ),
        met=Count(
            "pk",
            filter=Q(
                Exists(
                    Meeting.objects.filter(
                        mentorship=OuterRef("pk"),
                        kind=MeetingKind.FIRST,
                        status=MeetingStatus.HELD,
                    )
                )
            ),
        ),
    )
    total = counts["total"]
    return [
        Check(
            _("Every pair at work has an individual development plan"),
            total > 0 and counts["planned"] == total,
            f"{counts['planned']}/{total}",
            _url(programme, "plans:overview"),
        ),
        Check(
            _("Every pair at work has held its first meeting"),
            total > 0 and counts["met"] == total,
            f"{counts['met']}/{total}",
            _url(programme, "meetings:calendar"),
        ),
    ]


def completion_checks(programme: Programme, today: date) -> list[Check]:
    ended = Mentorship.objects.filter(programme=programme, status__in=COMPLETED)
    counts = ended.aggregate(
        total=Count("pk"),
        with_results=Count(
            "pk",
            filter=Q(
                Exists(
                    MentorshipResult.objects.filter(mentorship=OuterRef("pk")).filter(
                        _recorded_result()
                    )
                )
            ),
        ),
    )
    exit_taken = Measure.objects.filter(programme=programme, phase=Phase.EXIT).count()
    return [
        Check(
            _("Every completed pair has its results recorded"),
            counts["total"] > 0 and counts["with_results"] == counts["total"],
            f"{counts['with_results']}/{counts['total']}",
            _url(programme, "mentorships:list"),
        ),
        Check(
            _("The exit assessment of participants is recorded"),
            exit_taken > 0,
            str(exit_taken),
            _url(programme, "assessments:list"),
        ),
    ]


register_reached(reached)
register_checks(Stage.MATCHING, matching_checks)
register_checks(Stage.WORK, work_checks)
register_checks(Stage.COMPLETION, completion_checks)
