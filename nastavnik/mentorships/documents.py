"""The orders about pairs and groups (named in `orders.kinds`): fixing them (template
``order_pairs.docx`` in ``documents/build_templates.py``), replacing a mentor and completing early
(``order_mentor_replacement.docx``, ``order_early_completion.docx`` in
``documents/templates_mentorships.py``) — what each prints, from the mentorships it concerns."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from nastavnik.matching.models import UnmatchedMentee
from nastavnik.mentorships.models import MentorAssignment, Mentorship, MentorshipMentee
from nastavnik.orders.documents import lower_first
from nastavnik.orders.models import Order
from nastavnik.programmes.documents import join_quoted


def mentorships_of_order(order: Order) -> list[Mentorship]:
    return list(
        Mentorship.objects.filter(
            organisation=order.organisation, pk__in=order.subject_pks(Mentorship)
        )
        .select_related(
            "mentor__person", "form", "role_model", "programme__academic_year", "programme__curator"
        )
        .prefetch_related(
            Prefetch(
                "members",
                queryset=MentorshipMentee.objects.select_related("mentee__person").order_by(
                    "mentee__person__name_key", "pk"
                ),
            ),
            Prefetch(
                "assignments", queryset=MentorAssignment.objects.order_by("assigned_on", "pk")
            ),
        )
        .order_by("form__order", "mentor__person__name_key", "pk")
    )


def class_of(person: Any) -> str:
    """«8 «А» класс» for a student, empty for anyone else. `person` is anything with a grade
    and a class letter: a person (today's class) or a pair's mentee (the class of its time)."""
    if not person.grade:
        return ""
    letter = f" «{person.class_letter}»" if person.class_letter else ""
    return f"{person.grade}{letter} класс"


def person_line(person: Any, member: MentorshipMentee | MentorAssignment | None = None) -> str:
    """«Петров Илья Андреевич, 8 «А» класс» for a student, «…, учитель математики» for staff.
    With the pair's `member` (a mentee, or a mentor's assignment), the class is the one of the
    pair's time, not today's."""
    school = member if member is not None else person
    if school.grade:
        return f"{person.full_name}, {class_of(school)}"
    if person.position:
        return f"{person.full_name}, {lower_first(person.position)}"
    return person.full_name


def member_line(member: MentorshipMentee) -> str:
    return person_line(member.mentee.person, member)


def mentor_line(mentorship: Mentorship) -> str:
    """The pair's mentor with the class of when they took it (assignments prefetched)."""
    mine = [a for a in mentorship.assignments.all() if a.mentor_id == mentorship.mentor_id]
    return person_line(mentorship.mentor.person, mine[-1] if mine else None)


def _term(mentorship: Mentorship) -> str:
    return f"с {mentorship.started_on:%d.%m.%Y} по {mentorship.planned_end:%d.%m.%Y}"


def pairs_order_context(order: Order) -> dict[str, Any]:
    mentorships = mentorships_of_order(order)
    first = mentorships[0] if mentorships else None
    programme = first.programme if first else None
    forms = list(dict.fromkeys(m.form.name for m in mentorships))
    mentors = list(dict.fromkeys(m.mentor.person for m in mentorships))
    curator = programme.curator if programme else None
    runs = {m.matching_run_id for m in mentorships if m.matching_run_id}
    support = (
        UnmatchedMentee.objects.filter(run__in=runs, mentee__support_needed=True)
        .values("mentee")
        .distinct()
        .count()
    )
    return {
        "academic_year": programme.academic_year.label if programme else "",
        "forms_list": join_quoted(forms),
        "several_forms": len(forms) > 1,
        "pairs": sum(1 for m in mentorships if not m.is_group),
        "groups": sum(1 for m in mentorships if m.is_group),
        "started_on": min((m.started_on for m in mentorships), default=None),
        "planned_end": max((m.planned_end for m in mentorships), default=None),
        "curator": curator,
        "support_count": support,
        "rows": [
            {
                "number": number,
                "mentor": mentor_line(m),
                "mentees": "\n".join(member_line(x) for x in m.members.all()),
                "form": m.form.name,
                "role_model": m.role_model.name if m.role_model else "—",
                "term": _term(m),
            }
            for number, m in enumerate(mentorships, start=1)
        ],
        "acquainted": ([curator] if curator else []) + [p for p in mentors if p != curator],
    }


#: The grounds of seed 002 §2.8 as the order states them (after «ПРИКАЗЫВАЮ» comes the decision;
#: the ground goes into the preamble).
GROUND_PHRASES: dict[str, str] = {
    MentorAssignment.Ground.LEFT_ORGANISATION: "в связи с прекращением наставником трудовых "
    "отношений с образовательной организацией",
    MentorAssignment.Ground.INCOMPATIBILITY: "в связи с психологической несовместимостью "
    "наставника и наставляемого",
    MentorAssignment.Ground.NON_FULFILMENT: "в связи с систематическим неисполнением "
    "наставником своих обязанностей",
    MentorAssignment.Ground.DISCIPLINARY: "в связи с привлечением наставника к "
    "дисциплинарной ответственности",
    MentorAssignment.Ground.REQUEST: "на основании обоснованной просьбы наставника или "
    "наставляемого",
}


def _position(person: Any) -> str:
    return lower_first(person.position) if person.position else ""


def _mentee(member: MentorshipMentee) -> dict[str, Any]:
    return {"person": member.mentee.person, "class_name": class_of(member)}


def _common(mentorship: Mentorship, people: list[Any]) -> dict[str, Any]:
    members = list(mentorship.members.all())
    curator = mentorship.programme.curator
    acquainted = ([curator] if curator else []) + [p for p in people if p != curator]
    return {
        "mentees": [_mentee(m) for m in members],
        "group": len(members) > 1,
        "minors": any(m.grade or m.mentee.person.grade for m in members),
        "form": mentorship.form.name,
        "started_on": mentorship.started_on,
        "planned_end": mentorship.planned_end,
        "curator": curator,
        "acquainted": list(dict.fromkeys(acquainted)),
    }


def _the_mentorship(order: Order) -> Mentorship:
    found = mentorships_of_order(order)
    if not found:
        raise LookupError(f"order {order.pk} names no mentorship")
    return found[0]


def replacement_order_context(order: Order) -> dict[str, Any]:
    """Who is relieved, who is appointed, from when and on what ground. The assignment is the
    one the order is linked to; while the order is being made (not linked yet), the current
    one."""
    mentorship = _the_mentorship(order)
    assignments = list(
        MentorAssignment.objects.filter(mentorship=mentorship)
        .select_related("mentor__person")
        .order_by("assigned_on", "pk")
    )
    new = next((a for a in assignments if a.order_id == order.pk), None)
    if new is None:
        new = next(a for a in reversed(assignments) if a.released_on is None)
    before = [a for a in assignments if a.pk != new.pk and a.assigned_on <= new.assigned_on]
    old = before[-1] if before else None
    old_person = old.mentor.person if old else None
    new_person = new.mentor.person
    context = _common(mentorship, [p for p in (old_person, new_person) if p is not None])
    context.update(
        {
            "ground": GROUND_PHRASES.get(new.ground, ""),
            "note": new.note,
            "on": new.assigned_on,
            "old_mentor": old_person,
            "old_position": _position(old_person) if old_person else "",
            "new_mentor": new_person,
            "new_position": _position(new_person),
        }
    )
    return context


def early_completion_order_context(order: Order) -> dict[str, Any]:
    mentorship = _the_mentorship(order)
    mentor = mentorship.mentor.person
    context = _common(mentorship, [mentor])
    context.update(
        {
            "mentor": mentor,
            "mentor_position": _position(mentor),
            "ended_on": mentorship.ended_on,
            "reason": mentorship.end_reason,
        }
    )
    return context
