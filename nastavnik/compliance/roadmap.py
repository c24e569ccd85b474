"""What fulfils each recognised event of the roadmap template, read from the data
(`programmes.fulfilment`). An event is done when its act is there and reopens when it is gone:
the registry order signed with mentors in the registry, the pairs' order signed, the meetings
of a kind held by every pair, the half-year snapshot taken in its window, the entry and exit
measures recorded.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, Max, OuterRef

from nastavnik.assessments.models import Measure
from nastavnik.indicators.deadlines import half_year_of
from nastavnik.indicators.models import HalfYearSnapshot
from nastavnik.meetings.models import Meeting, MeetingKind, MeetingStatus
from nastavnik.mentees.models import Mentee
from nastavnik.mentors.models import Mentor, MentorStatus
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.orders.models import Order, OrderStatus
from nastavnik.programmes import english
from nastavnik.programmes.fulfilment import Fulfilled, Fulfilment, register_fulfilment
from nastavnik.programmes.models import Programme


def _order_note(order: Order) -> str:
    return english.ORDER_NOTE.format(date=order.date, number=order.number)


def mentor_registry(programme: Programme, today: date) -> Fulfilled | None:
    """The registry is approved by an order and someone is in it. A mentor enters the registry
    only when the order is signed (its sign hook, which asks this while the order is being
    marked signed), so the registered mentors' order is a signed one."""
    order = (
        Order.objects.filter(
            pk__in=Mentor.objects.filter(
                programme=programme, status=MentorStatus.REGISTERED
            ).values("registry_order")
        )
        .order_by("date", "pk")
        .first()
    )
    return Fulfilled(order.date, _order_note(order)) if order else None


def pairs_order(programme: Programme, today: date) -> Fulfilled | None:
    """The pairs and groups are fixed by a signed order."""
    order = (
        Order.objects.filter(
            status=OrderStatus.SIGNED,
            pk__in=Mentorship.objects.filter(programme=programme).values("pairs_order"),
        )
        .order_by("date", "pk")
        .first()
    )
    return Fulfilled(order.date, _order_note(order)) if order else None


def _meetings_held(kind: str) -> Fulfilment:
    def fulfilled(programme: Programme, today: date) -> Fulfilled | None:
        """Every pair and group of the programme (terminated ones aside) held this meeting."""
        pairs = Mentorship.objects.filter(programme=programme).exclude(
            status=MentorshipStatus.TERMINATED
        )
        held = Meeting.objects.filter(
            mentorship=OuterRef("pk"), kind=kind, status=MeetingStatus.HELD
        )
        if not pairs.exists() or pairs.filter(~Exists(held)).exists():
            return None
        last = Meeting.objects.filter(
            mentorship__in=pairs, kind=kind, status=MeetingStatus.HELD
        ).aggregate(last=Max("starts_at"))["last"]
        return Fulfilled(last.date(), english.HELD_BY_ALL)

    return fulfilled


def _half_year(month: int) -> Fulfilment:
    def fulfilled(programme: Programme, today: date) -> Fulfilled | None:
        """A half-year snapshot taken within the days that count for the deadline."""
        start_year = programme.academic_year.start_year
        deadline = date(start_year if month == 9 else start_year + 1, month, 30)
        first, last = half_year_of(deadline)
        taken = (
            HalfYearSnapshot.objects.filter(
                organisation=programme.organisation_id, taken_on__gte=first, taken_on__lte=last
            )
            .order_by("taken_on")
            .values_list("taken_on", flat=True)
            .first()
        )
        return Fulfilled(taken, english.SNAPSHOT_TAKEN) if taken else None

    return fulfilled


def _measures(phase: str, of_mentees: bool) -> Fulfilment:
    def fulfilled(programme: Programme, today: date) -> Fulfilled | None:
        """Measures of this phase recorded for the programme's mentees (or mentors)."""
        people = (Mentee if of_mentees else Mentor).objects.filter(programme=programme)
        last = Measure.objects.filter(
            programme=programme, phase=phase, person__in=people.values("person")
        ).aggregate(last=Max("measured_on"))["last"]
        return Fulfilled(last, english.MEASURES_RECORDED) if last else None

    return fulfilled


register_fulfilment("mentor_registry", mentor_registry)
register_fulfilment("pairs_order", pairs_order)
register_fulfilment("mentor_entry_assessment", _measures("entry", False))
register_fulfilment("first_meeting", _meetings_held(MeetingKind.FIRST))
register_fulfilment("trial_meeting", _meetings_held(MeetingKind.TRIAL))
register_fulfilment("planning_meeting", _meetings_held(MeetingKind.PLANNING))
register_fulfilment("final_meeting", _meetings_held(MeetingKind.FINAL))
register_fulfilment("assessment_autumn", _half_year(9))
register_fulfilment("assessment_spring", _half_year(3))
register_fulfilment("mentee_entry_assessment", _measures("entry", True))
register_fulfilment("exit_assessment", _measures("exit", True))
