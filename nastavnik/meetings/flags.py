"""Pairs and groups the curator should look at, for the dashboard (Perm.MENTORSHIPS_VIEW).

Three signals, each about active pairs and groups only:

- **no meetings**: no meeting held for the organisation's number of weeks (3 by default,
  `MeetingSettings`), counted from the pair's start (or its current mentor's taking over)
  when none was held, and not counting the days of a recorded absence;
- **falling ratings**: the average rating (both sides together) of the pair's latest rated
  meeting is at least 2 points below that of the rated meeting before it — a simple signal a
  curator can check by opening the two meetings, rather than a trend line that hides why
  (only the current mentor's meetings: the old mentor's ratings stay with the old mentor);
- **overdue plan items**: items of the pair's individual development plan past their date
  and not done (the plans app's `PlanItem.objects.overdue(today)`).

The number of queries does not grow with the number of pairs.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from nastavnik.meetings.models import Feedback, Meeting, MeetingStatus
from nastavnik.meetings.services import settings_of
from nastavnik.mentorships.access import with_people
from nastavnik.mentorships.models import (
    MentorAssignment,
    Mentorship,
    MentorshipExtension,
    MentorshipStatus,
)
from nastavnik.orgs.models import Organisation

FALL = 2  # points between two consecutive meetings' average ratings
RATINGS_WINDOW = timedelta(days=120)  # older ratings say little about how the pair goes now
DASHBOARD_LIMIT = 10


@dataclass(frozen=True)
class StalePair:
    mentorship: Mentorship
    last_held: datetime | None


@dataclass(frozen=True)
class FallingPair:
    mentorship: Mentorship
    previous: float
    last: float


@dataclass(frozen=True)
class OverduePlanPair:
    mentorship: Mentorship
    items: int


@dataclass
class PairFlags:
    weeks: int
    stale: list[StalePair] = field(default_factory=list)
    falling: list[FallingPair] = field(default_factory=list)
    overdue_plan: list[OverduePlanPair] = field(default_factory=list)
    stale_total: int = 0
    falling_total: int = 0
    overdue_plan_total: int = 0

    @property
    def any(self) -> bool:
        return bool(self.stale_total or self.falling_total or self.overdue_plan_total)


def _absent_days(absences: list[tuple[date, date]], first: date, last: date) -> int:
    """The days of the recorded absences within [first, last] (they never overlap: the
    service refuses an overlapping one)."""
    return sum(max(0, (min(to, last) - max(start, first)).days + 1) for start, to in absences)


def _stale(organisation: Organisation, now: datetime, today: date, weeks: int) -> dict:
    """Pairs silent for `weeks`: counted from the last meeting their current mentor held, or
    from when that mentor took over (a new mentor is not flagged for the old one's silence),
    and without the days of a recorded absence of either side (seed 002 §2.7): an absence
    extends the term, so it does not make the pair silent."""
    span = timedelta(weeks=weeks)
    taken_over = MentorAssignment.objects.filter(
        mentorship=OuterRef("pk"), released_on__isnull=True
    ).values("assigned_on")[:1]
    # A subquery per pair rather than a join grouped by pair: grouping by `since` ran its
    # subquery once per meeting (7,500 times in a large school) instead of once per pair.
    last_held = (
        Meeting.objects.filter(
            mentorship=OuterRef("pk"), mentor=OuterRef("mentor"), status=MeetingStatus.HELD
        )
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    rows = list(
        Mentorship.objects.for_org(organisation)
        .active()
        .annotate(
            last_held=Subquery(last_held),
            since=Coalesce(Subquery(taken_over), F("started_on")),
        )
        .filter(Q(last_held__lt=now - span) | Q(last_held__isnull=True, since__lte=today - span))
        .order_by("last_held", "since", "pk")
        .values_list("pk", "last_held", "since")
    )
    absences: dict[int, list[tuple[date, date]]] = {}
    for pk, start, to in MentorshipExtension.objects.filter(
        mentorship__in=[row[0] for row in rows], absent_from__lte=today
    ).values_list("mentorship", "absent_from", "absent_to"):
        absences.setdefault(pk, []).append((start, to))
    zone = zoneinfo.ZoneInfo(organisation.timezone)
    found = {}
    for pk, last_held, since in rows:
        first = timezone.localtime(last_held, zone).date() if last_held else since
        away = timedelta(days=_absent_days(absences.get(pk, []), first, today))
        silent = (now - last_held) if last_held else timedelta(days=(today - since).days)
        if (silent - away > span) if last_held else (silent - away >= span):
            found[pk] = last_held
    return found


def _falling(organisation: Organisation, now: datetime) -> dict[int, tuple[float, float]]:
    averages = (
        Feedback.objects.filter(
            organisation=organisation,
            meeting__status=MeetingStatus.HELD,
            meeting__mentorship__status=MentorshipStatus.ACTIVE,
            # The current mentor's meetings only: the old mentor's ratings stay theirs.
            meeting__mentor=F("meeting__mentorship__mentor"),
            meeting__starts_at__gte=now - RATINGS_WINDOW,
        )
        .values("meeting_id", "meeting__mentorship_id", "meeting__starts_at")
        .annotate(average=Avg("rating"))
        .order_by("meeting__mentorship_id", "-meeting__starts_at", "-meeting_id")
    )
    latest: dict[int, list[float]] = {}
    for row in averages:
        pair = latest.setdefault(row["meeting__mentorship_id"], [])
        if len(pair) < 2:
            pair.append(float(row["average"]))
    return {
        pk: (pair[1], pair[0])
        for pk, pair in latest.items()
        if len(pair) == 2 and pair[1] - pair[0] >= FALL
    }


def _overdue_plan(organisation: Organisation, today: date) -> dict[int, int]:
    # The plans app is built alongside this one; without its model there is nothing to flag.
    try:
        from nastavnik.plans.models import PlanItem
    except ImportError:
        return {}
    overdue = getattr(PlanItem.objects, "overdue", None)
    if overdue is None:
        return {}
    rows = (
        overdue(today)
        .filter(
            plan__mentorship__organisation=organisation,
            plan__mentorship__status=MentorshipStatus.ACTIVE,
        )
        .values("plan__mentorship")
        .annotate(items=Count("pk"))
        .order_by("-items", "plan__mentorship")
        .values_list("plan__mentorship", "items")
    )
    return dict(rows)


def pair_flags(
    organisation: Organisation, now: datetime, today: date, limit: int = DASHBOARD_LIMIT
) -> PairFlags:
    weeks = settings_of(organisation).weeks_without_meeting
    stale = _stale(organisation, now, today, weeks)
    falling = _falling(organisation, now)
    overdue = _overdue_plan(organisation, today)
    shown = [*list(stale)[:limit], *list(falling)[:limit], *list(overdue)[:limit]]
    pairs = {m.pk: m for m in with_people(Mentorship.objects.filter(pk__in=shown))}
    return PairFlags(
        weeks=weeks,
        stale=[StalePair(pairs[pk], last) for pk, last in list(stale.items())[:limit]],
        falling=[
            FallingPair(pairs[pk], previous, last)
            for pk, (previous, last) in list(falling.items())[:limit]
        ],
        overdue_plan=[OverduePlanPair(pairs[pk], n) for pk, n in list(overdue.items())[:limit]],
        stale_total=len(stale),
        falling_total=len(falling),
        overdue_plan_total=len(overdue),
    )


def flags_for_dashboard(organisation: Organisation, now: datetime, today: date) -> dict:
    return {"pair_flags": pair_flags(organisation, now, today)}
