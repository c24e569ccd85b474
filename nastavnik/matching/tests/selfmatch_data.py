"""A form with self-match open: an approved programme, a mentee of 15 who chooses for
themselves, a child of 12 whose parent chooses, and three mentors who agreed to show why they
suit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from nastavnik.matching import selfmatch
from nastavnik.matching.tests.data import approved_programme, mentee, mentor, student
from nastavnik.mentees.models import Mentee
from nastavnik.mentors.models import Mentor
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import GuardianLink, Person
from nastavnik.people.tests.factories import GuardianLinkFactory, ParentFactory
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import Programme, ProgrammeForm


@dataclass
class SelfMatchWorld:
    org: Organisation
    programme: Programme
    chosen: ProgrammeForm
    teen: Mentee  # 15: acts for self
    child: Mentee  # 12: the parent acts
    parent: Person
    mentors: list[Mentor]


def selfmatch_world(org: Organisation, *, mentors: int = 3, capacity: int = 1) -> SelfMatchWorld:
    programme = approved_programme(org)
    chosen = programme.chosen_forms.get(form__code="student-student")
    today = org_today(org)
    selfmatch.window_save(
        chosen,
        enabled=True,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
        suggestions=3,
        answer_days=5,
        by=None,
    )
    made = [mentor(programme, capacity=capacity, grade=11) for _ in range(mentors)]
    for row in made:
        selfmatch.mentor_settings_save(row, paused=False, shows_reasons=True, by=None)
    teen = mentee(programme, person=student(org, grade=9))
    child = mentee(programme, person=student(org, grade=6))
    parent = ParentFactory(organisation=org)
    GuardianLinkFactory(guardian=parent, child=child.person, organisation=org)
    assert GuardianLink.objects.filter(guardian=parent, child=child.person).exists()
    return SelfMatchWorld(org, programme, chosen, teen, child, parent, made)
