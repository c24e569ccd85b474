"""The printable individual development plan (``development_plan.docx``, built by
``documents/templates_plans.py``): what its template prints, from the pair and its plan."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from nastavnik.documents.render import render_docx
from nastavnik.mentorships.documents import member_line, person_line
from nastavnik.mentorships.models import MentorAssignment, Mentorship
from nastavnik.plans.models import DevelopmentPlan, PlanItemStatus, ResponsibleSide
from nastavnik.programmes.models import PlanSection

# Russian content of the document, not interface text.
SECTION_TITLES = {
    PlanSection.GOAL: "Цели",
    PlanSection.TASK: "Задачи",
    PlanSection.ACTIVITY: "Мероприятия",
}
RESPONSIBLE_NAMES = {
    ResponsibleSide.MENTOR: "Наставник",
    ResponsibleSide.MENTEE: "Наставляемый",
    ResponsibleSide.BOTH: "Наставник и наставляемый",
    ResponsibleSide.CURATOR: "Куратор",
}
STATUS_NAMES = {
    PlanItemStatus.PLANNED: "запланировано",
    PlanItemStatus.IN_PROGRESS: "выполняется",
    PlanItemStatus.DONE: "выполнено",
    PlanItemStatus.DROPPED: "отменено",
}


GROUP_RESPONSIBLE_NAMES = {
    **RESPONSIBLE_NAMES,
    ResponsibleSide.MENTEE: "Наставляемые",
    ResponsibleSide.BOTH: "Наставник и наставляемые",
}


def in_plan_order(plan: DevelopmentPlan) -> Any:
    """The items as a plan reads: by due date, undated last, then as they were added."""
    return plan.items.order_by(F("due_on").asc(nulls_last=True), "position", "pk")


def _sections(plan: DevelopmentPlan, *, group: bool) -> list[dict[str, Any]]:
    names = GROUP_RESPONSIBLE_NAMES if group else RESPONSIBLE_NAMES
    items = list(in_plan_order(plan))
    number = 0
    sections = []
    for section in PlanSection:
        rows = []
        for item in (i for i in items if i.section == section):
            number += 1
            rows.append(
                {
                    "number": number,
                    "text": item.text,
                    "due_on": item.due_on,
                    "responsible": names[ResponsibleSide(item.responsible)],
                    "status": STATUS_NAMES[PlanItemStatus(item.status)],
                    "result": item.result,
                }
            )
        if rows:
            sections.append({"title": SECTION_TITLES[section], "rows": rows})
    return sections


def _mentor_line(mentorship: Mentorship) -> str:
    """The mentor, and for a replaced one since when and who mentored before (who, when)."""
    periods = list(
        MentorAssignment.objects.filter(mentorship=mentorship)
        .select_related("mentor__person")
        .order_by("assigned_on", "pk")
    )
    # A pupil mentor's class of the pair's time, kept with the assignment.
    line = person_line(mentorship.mentor.person, periods[-1] if periods else None)
    if len(periods) < 2:
        return line
    earlier = "; ".join(
        f"{a.mentor.person.full_name} с {a.assigned_on:%d.%m.%Y}"
        + (f" по {a.released_on:%d.%m.%Y}" if a.released_on else "")
        for a in periods[:-1]
    )
    return f"{line} (с {periods[-1].assigned_on:%d.%m.%Y}; ранее — {earlier})"


def plan_context(mentorship: Mentorship, plan: DevelopmentPlan) -> dict[str, Any]:
    programme = mentorship.programme
    # All of an ended pair's mentees, with their class of the pair's time.
    members = mentorship.roster
    mentees = [m.mentee.person for m in members]
    return {
        "org": mentorship.organisation,
        "academic_year": programme.academic_year.label,
        "form": mentorship.form.name,
        "role_model": mentorship.role_model.name if mentorship.role_model else "",
        "is_group": mentorship.is_group,
        "mentor": mentorship.mentor.person,
        "mentor_line": _mentor_line(mentorship),
        "mentees": mentees,
        "mentee_lines": [member_line(member) for member in members],
        "started_on": mentorship.started_on,
        "planned_end": mentorship.planned_end,
        "curator": programme.curator,
        "signers": [{"role": "Наставник", "person": mentorship.mentor.person}]
        + [{"role": "Наставляемый", "person": person} for person in mentees],
        "sections": _sections(plan, group=len(mentees) > 1),
    }


def render_plan(mentorship: Mentorship, plan: DevelopmentPlan) -> bytes:
    return render_docx("development_plan.docx", plan_context(mentorship, plan))
