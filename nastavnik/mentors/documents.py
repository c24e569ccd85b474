"""The order on the mentor registry (named in `orders.kinds`) and what its appendix lists.

A mentor's line in the registry says who the mentor is in the organisation's words: a teacher's
position, a student's class, a graduate's year, an external mentor's position and workplace.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from nastavnik.catalogue.models import MentoringForm
from nastavnik.catalogue.profile import MentorCategory
from nastavnik.core.language import reads_english
from nastavnik.mentors.models import Mentor
from nastavnik.mentors.services import mentors_of_order, registry_orders
from nastavnik.orders.documents import lower_first
from nastavnik.orders.models import Order, OrderStatus
from nastavnik.programmes.documents import join_quoted
from nastavnik.programmes.services import programme_of_order

# Russian content of the document, not interface text.
CATEGORY_DOCUMENT_NAMES: dict[str, str] = {
    MentorCategory.STUDENT: "обучающийся",
    MentorCategory.STAFF: "педагогический работник",
    MentorCategory.PARENT: "родитель (законный представитель) обучающегося",
    MentorCategory.GRADUATE: "выпускник",
    MentorCategory.EMPLOYER: "представитель предприятия-партнёра",
    MentorCategory.ENTREPRENEUR: "предприниматель",
    MentorCategory.UNIVERSITY_STUDENT: "студент",
    MentorCategory.PARTNER: "представитель организации-партнёра",
}


# The same words for an English page; the document itself is always Russian.
CATEGORY_ENGLISH_NAMES: dict[str, str] = {
    MentorCategory.STUDENT: "student",
    MentorCategory.STAFF: "teaching staff member",
    MentorCategory.PARENT: "parent (legal representative) of a student",
    MentorCategory.GRADUATE: "graduate",
    MentorCategory.EMPLOYER: "representative of a partner company",
    MentorCategory.ENTREPRENEUR: "entrepreneur",
    MentorCategory.UNIVERSITY_STUDENT: "college or university student",
    MentorCategory.PARTNER: "representative of a partner organisation",
}


def who_is(mentor: Mentor, *, english: bool = False) -> str:
    """«учитель математики», «обучающийся 10А класса», «выпускник 2019 года, УрФУ» …; with
    `english`, the words the system adds are English (the person's position and workplace are
    the organisation's own and stay as entered)."""
    person = mentor.person
    if mentor.category == MentorCategory.STUDENT and person.class_name:
        if english:
            return f"student of class {person.class_name}"
        return f"обучающийся {person.class_name} класса"
    if mentor.category == MentorCategory.GRADUATE and person.graduation_year:
        if english:
            text = f"graduate of {person.graduation_year}"
        else:
            text = f"выпускник {person.graduation_year} года"
        return f"{text}, {person.workplace}" if person.workplace else text
    if person.position:
        position = lower_first(person.position)
        return f"{position}, {person.workplace}" if person.workplace else position
    names = CATEGORY_ENGLISH_NAMES if english else CATEGORY_DOCUMENT_NAMES
    name = names.get(mentor.category, "")
    return f"{name}, {person.workplace}" if person.workplace else name


def registry_rows(mentors: Any, *, page: bool = False) -> list[dict[str, Any]]:
    """The lines of the registry: number, the person, who they are, their forms. On a `page`
    they read in the reader's language; in the document, in Russian."""
    english = page and reads_english()
    mentors = mentors.select_related("person").prefetch_related(
        Prefetch("forms", queryset=MentoringForm.objects.order_by("order", "name"))
    )
    return [
        {
            "number": number,
            "person": mentor.person,
            "who": who_is(mentor, english=english),
            "forms": ", ".join(
                form.shown_name if page else form.name for form in mentor.forms.all()
            ),
            "mentor": mentor,
        }
        for number, mentor in enumerate(
            sorted(mentors, key=lambda m: (m.person.name_key, m.pk)), start=1
        )
    ]


def registry_order_context(order: Order) -> dict[str, Any]:
    programme = programme_of_order(order)
    rows = registry_rows(mentors_of_order(order))
    forms = sorted(
        {form.name: form.order for row in rows for form in row["mentor"].forms.all()}.items(),
        key=lambda item: (item[1], item[0]),
    )
    # An order issued after the registry was approved adds to it rather than approving anew.
    supplement = (
        registry_orders(programme).filter(status=OrderStatus.SIGNED).exclude(pk=order.pk).exists()
    )
    curator = programme.curator
    return {
        "academic_year": programme.academic_year.label,
        "supplement": supplement,
        "mentors": rows,
        "count": len(rows),
        "forms_list": join_quoted([name for name, _order in forms]),
        "curator": curator,
        "curator_position": lower_first(curator.position) if curator else "",
    }
