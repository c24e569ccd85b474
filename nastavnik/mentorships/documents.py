"""The order fixing pairs and groups (named in `orders.kinds`): what its template
(``documents/build_templates.py``, ``order_pairs.docx``) prints, from the mentorships the order
concerns."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch

from nastavnik.matching.models import UnmatchedMentee
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.orders.documents import lower_first
from nastavnik.orders.models import Order
from nastavnik.programmes.documents import join_quoted


def mentorships_of_order(order: Order) -> list[Mentorship]:
    pks = order.subjects.filter(
        content_type=ContentType.objects.get_for_model(Mentorship)
    ).values_list("object_id", flat=True)
    return list(
        Mentorship.objects.filter(organisation=order.organisation, pk__in=pks)
        .select_related(
            "mentor__person", "form", "role_model", "programme__academic_year", "programme__curator"
        )
        .prefetch_related(
            Prefetch(
                "members",
                queryset=MentorshipMentee.objects.select_related("mentee__person").order_by(
                    "mentee__person__name_key", "pk"
                ),
            )
        )
        .order_by("form__order", "mentor__person__name_key", "pk")
    )


def person_line(person: Any) -> str:
    """«Петров Илья Андреевич, 8 «А» класс» for a student, «…, учитель математики» for staff."""
    if person.grade:
        letter = f" «{person.class_letter}»" if person.class_letter else ""
        return f"{person.full_name}, {person.grade}{letter} класс"
    if person.position:
        return f"{person.full_name}, {lower_first(person.position)}"
    return person.full_name


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
                "mentor": person_line(m.mentor.person),
                "mentees": "\n".join(person_line(x.mentee.person) for x in m.members.all()),
                "form": m.form.name,
                "role_model": m.role_model.name if m.role_model else "—",
                "term": _term(m),
            }
            for number, m in enumerate(mentorships, start=1)
        ],
        "acquainted": ([curator] if curator else []) + [p for p in mentors if p != curator],
    }
