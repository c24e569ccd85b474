"""Two curators confirming at once never put a third mentee on a mentor of capacity 2.

Real threads, each with its own database connection, on PostgreSQL: SQLite takes one writer at
a time for the whole file and ignores row locks, so it proves nothing about them (CI runs the
suite on PostgreSQL too).
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from nastavnik.matching import services
from nastavnik.matching.models import MatchingRun, RunStatus
from nastavnik.matching.tests.data import approved_programme, mentee, mentor
from nastavnik.mentees.tests.factories import consent, young_teacher
from nastavnik.mentorships.models import MentorshipMentee
from nastavnik.orders.services import default_signatory
from nastavnik.people.tests.factories import StaffFactory
from nastavnik.people.validators import org_today
from nastavnik.programmes.tests.data import builtin_form

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; SQLite serialises every writer on the whole file",
)


def _start(programme, code: str) -> MatchingRun:
    return services.run_start(programme, builtin_form(code), services.RunSettings(), by=None)


def _confirm(run: MatchingRun, number: str) -> MatchingRun:
    org = run.organisation
    today = org_today(org)
    return services.run_confirm(
        run,
        order=services.OrderDetails(number, today, default_signatory(org)),
        started_on=today,
        planned_end=today + timedelta(days=200),
        by=None,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_confirmations_at_once_never_overfill_a_mentor(tenant_a):
    org = tenant_a.organisation
    programme = approved_programme(org)  # «Ученик – ученик» and «Учитель – учитель»
    teacher = mentor(
        programme,
        person=StaffFactory(organisation=org, experience_years=20),
        category="staff",
        forms=("student-student", "teacher-teacher"),
        capacity=2,
    )
    consent(teacher.person)
    # The mentor already holds one mentee of an earlier run.
    mentee(programme)
    _confirm(_start(programme, "student-student"), "1-н")
    assert MentorshipMentee.objects.filter(mentorship__mentor=teacher, active=True).count() == 1

    # Two runs of two forms, each proposing a different mentee for the mentor's last place.
    mentee(programme)
    mentee(programme, person=young_teacher(org), form="teacher-teacher", topics=[])
    run_a, run_b = _start(programme, "student-student"), _start(programme, "teacher-teacher")
    assert run_a.proposals.get().mentor == teacher
    assert run_b.proposals.get().mentor == teacher

    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def confirm(run: MatchingRun, number: str) -> None:
        try:
            barrier.wait(timeout=10)
            _confirm(MatchingRun.objects.get(pk=run.pk), number)
            outcomes[number] = "confirmed"
        except ValidationError as error:
            outcomes[number] = " ".join(error.messages)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=confirm, args=(run_a, "2-н")),
        threading.Thread(target=confirm, args=(run_b, "3-н")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values()).count("confirmed") == 1, outcomes
    assert MentorshipMentee.objects.filter(mentorship__mentor=teacher, active=True).count() == 2
    statuses = set(
        MatchingRun.objects.filter(pk__in=(run_a.pk, run_b.pk)).values_list("status", flat=True)
    )
    assert statuses == {RunStatus.CONFIRMED, RunStatus.PROPOSED}
