"""Stage 6 of the demo year: individual development plans of the pairs.

Every active pair of the programme drew up its plan from the typical plan of its form in the
week the pairs were fixed, and added a first item of its own. What fell due before today is
done, with its result, except in the demo mentor's pair, which has one item overdue (so the
mentor's cabinet and the curator's flags have something to show). The curator shared the
demo mentor's contacts and left a comment. Built through the services a click goes through.
"""

from __future__ import annotations

from datetime import date, timedelta

from nastavnik.mentorships.access import Side
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.people.models import Person
from nastavnik.plans import services
from nastavnik.plans.models import PlanItem, PlanItemStatus, ResponsibleSide
from nastavnik.programmes.models import PlanSection, Programme

#: The pair's own first items: (text, days after the start, responsible).
OWN_ITEMS = (
    ("Встреча-знакомство: интересы, ожидания, удобное время встреч", 7, ResponsibleSide.BOTH),
    ("Составить перечень профессий, о которых хочется узнать больше", 28, ResponsibleSide.MENTEE),
)

#: Results of done items, in turn.
RESULTS = (
    "Договорились встречаться по средам после уроков; заполнена анкета интересов.",
    "Пройдены тесты Климова и «Профориентатор», результаты обсуждены с наставником.",
    "Составлен список из 5 профессий: инженер-робототехник, программист, архитектор, "
    "врач, журналист.",
    "Выполнено, итоги обсуждены на встрече.",
)

CONTACT = "Электронная почта {email}; консультации по средам после 7-го урока, каб. 21."
COMMENT = (
    "Хороший старт. Уточните тему проекта в квантуме и добавьте в план участие в конкурсе "
    "«Большие вызовы»."
)


def _due(mentorship: Mentorship, days: int) -> date:
    day = mentorship.started_on + timedelta(days=days)
    return min(max(day, mentorship.started_on), mentorship.planned_end)


def _values(item: PlanItem, **changes: object) -> dict[str, object]:
    return {**services.item_values(item), **changes}


def _build_plan(mentorship: Mentorship, today: date, *, leave_overdue: bool) -> None:
    by = mentorship.mentor.person.user
    plan = services.plan_start(mentorship, by=by, on=mentorship.started_on)
    for text, days, responsible in OWN_ITEMS:
        services.item_create(
            plan,
            {
                "section": PlanSection.ACTIVITY,
                "text": text,
                "due_on": _due(mentorship, days),
                "responsible": responsible,
            },
            by=by,
        )
    due = [
        item
        for item in plan.items.order_by("due_on", "position")
        if item.due_on is not None and item.due_on < today
    ]
    overdue = due[-1] if leave_overdue and due else None
    for number, item in enumerate(due):
        if item == overdue:
            services.item_update(item, _values(item, status=PlanItemStatus.IN_PROGRESS), by=by)
            continue
        services.item_update(
            item,
            _values(item, status=PlanItemStatus.DONE, result=RESULTS[number % len(RESULTS)]),
            by=by,
        )
    # What is under way now: the next item is begun.
    upcoming = plan.items.filter(status=PlanItemStatus.PLANNED, due_on__gte=today).first()
    if upcoming is not None and upcoming.section == PlanSection.ACTIVITY:
        services.item_update(upcoming, _values(upcoming, status=PlanItemStatus.IN_PROGRESS), by=by)


def build_plans(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    demo_mentor = accounts.get("mentor")
    curator = accounts.get("curator")
    pairs = (
        Mentorship.objects.filter(programme=programme, status=MentorshipStatus.ACTIVE)
        .select_related("mentor__person__user", "organisation")
        .order_by("pk")
    )
    for mentorship in pairs:
        if mentorship.started_on > today:
            continue
        ours = demo_mentor is not None and mentorship.mentor.person_id == demo_mentor.pk
        _build_plan(mentorship, today, leave_overdue=ours)
        if ours:
            plan = mentorship.plan
            by = curator.user if curator is not None else None
            email = demo_mentor.email or "mentor@school5.demo"
            services.contact_set(plan, CONTACT.format(email=email), side=Side.CURATOR, by=by)
            services.comment_add(plan, COMMENT, side=Side.CURATOR, by=by)
