"""Who a case names, and whether it may name them now.

The people of a case are the people of its pair or group: the mentor and every mentee who was
in it. A case shows their names only while each of them has a valid consent to publication
today (processing and publication; a minor's from the legal guardian — `consents.rules`
decides) and nobody's data are hidden. One withdrawal takes every name off the case at once,
wherever it is shown; the case itself stays, as a depersonalised one, because its text never
names anybody.

What may be published is what the consent names (`consents.texts`, publication): the last and
the first name, the class or the position, participation and achievements — no patronymic. A
mentor is named so, «Петрова Анна», as in the registry on the site. A mentee is named more
sparingly, by the first name and the initial of the last name («Мария И.»): cases are often
about a child's difficulties, and that is enough for the family to recognise the story without
handing the child's name to search engines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from nastavnik.cases.models import Case, CaseQuerySet
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import hidden_q, valid_consent_q
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.people.models import Person


def with_pair(cases: CaseQuerySet) -> CaseQuerySet:
    """Cases with their pair's people loaded: two more queries, however many cases."""
    return cases.select_related(
        "form", "role_model", "programme__academic_year", "author"
    ).prefetch_related(
        Prefetch(
            "mentorship",
            queryset=Mentorship.objects.select_related("mentor__person").prefetch_related(
                Prefetch(
                    "members",
                    queryset=MentorshipMentee.objects.select_related("mentee__person").order_by(
                        "mentee__person__name_key", "pk"
                    ),
                )
            ),
        )
    )


def people_of_pair(mentorship: Mentorship | None) -> list[Person]:
    """The mentor first, then the mentees."""
    if mentorship is None:
        return []
    return [
        mentorship.mentor.person,
        *(member.mentee.person for member in mentorship.members.all()),
    ]


def named_people(case: Case) -> list[Person]:
    """Whom the case names: its pair's people; nobody for a case without a pair."""
    return people_of_pair(case.mentorship)


def publishable(people: Iterable[Person], on: date | None = None) -> set[int]:
    """The pks of those among `people` whose names may be published today: one query."""
    pks = {person.pk for person in people}
    if not pks:
        return set()
    return set(
        Person.objects.filter(pk__in=pks)
        .filter(valid_consent_q(Purpose.PUBLICATION, on))
        .exclude(hidden_q(on))
        .values_list("pk", flat=True)
    )


def lacking_consent(case: Case, on: date | None = None) -> list[Person]:
    """The people the case would name who have no valid consent to publication today."""
    return pair_lacking_consent(case.mentorship, on)


def pair_lacking_consent(mentorship: Mentorship | None, on: date | None = None) -> list[Person]:
    people = people_of_pair(mentorship)
    allowed = publishable(people, on)
    return [person for person in people if person.pk not in allowed]


def public_name(person: Person) -> str:
    """«Петрова Анна»: the name the consent to publication allows."""
    return f"{person.last_name} {person.first_name}".strip()


def public_mentee_name(person: Person) -> str:
    initial = f" {person.last_name[:1]}." if person.last_name else ""
    return f"{person.first_name}{initial}"


@dataclass(frozen=True)
class ShownPeople:
    mentor: str
    mentees: list[str]


def shown_people(case: Case, allowed: set[int]) -> ShownPeople | None:
    """The names a case shows, given the publishable pks; None when it shows none."""
    people = named_people(case)
    if case.without_names or not people or any(p.pk not in allowed for p in people):
        return None
    mentor, *mentees = people
    return ShownPeople(mentor=public_name(mentor), mentees=[public_mentee_name(p) for p in mentees])


def attach_shown_people(cases: list[Case], on: date | None = None) -> list[Case]:
    """Set `case.shown` on each case of a list, with one consent query for the whole list."""
    people = [p for case in cases if not case.without_names for p in named_people(case)]
    allowed = publishable(people, on)
    for case in cases:
        case.shown = shown_people(case, allowed)  # type: ignore[attr-defined]
    return cases
