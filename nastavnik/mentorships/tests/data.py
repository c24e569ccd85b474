"""Active pairs and groups as matching's confirmation leaves them: made by the service, the
mentees marked paired, the first mentor in the history."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from nastavnik.matching.tests.data import approved_programme, mentee, mentor
from nastavnik.mentees.models import MenteeStatus
from nastavnik.mentees.services import mentee_set_status
from nastavnik.mentors.models import Mentor
from nastavnik.mentorships import services
from nastavnik.mentorships.models import Mentorship
from nastavnik.orgs.models import Organisation
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import Programme
from nastavnik.programmes.tests.data import builtin_form


def active_pair(
    programme: Programme,
    *,
    the_mentor: Mentor | None = None,
    mentees: int = 1,
    started_on: date | None = None,
    planned_end: date | None = None,
    **mentee_fields: Any,
) -> Mentorship:
    today = org_today(programme.organisation)
    started_on = started_on or today - timedelta(days=30)
    planned_end = planned_end or started_on + timedelta(days=200)
    group = mentees > 1
    the_mentor = the_mentor or mentor(programme, leads_group=group, capacity=5 if group else 2)
    members = [mentee(programme, **mentee_fields) for _ in range(mentees)]
    made = services.mentorship_create(
        programme,
        form=builtin_form("student-student"),
        mentor=the_mentor,
        members=[services.NewMember(m) for m in members],
        started_on=started_on,
        planned_end=planned_end,
        is_group=group,
        by=None,
    )
    for member in members:
        mentee_set_status(member, MenteeStatus.PAIRED, by=None)
    return made


def pair_in(org: Organisation) -> Mentorship:
    return active_pair(approved_programme(org))


def due_pair(programme: Programme, **fields: Any) -> Mentorship:
    """An active pair whose planned end is today: it may be completed as planned."""
    today = org_today(programme.organisation)
    return active_pair(
        programme, started_on=today - timedelta(days=200), planned_end=today, **fields
    )
