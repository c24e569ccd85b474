"""Two curators approving self-matches at once never put a second mentee on a mentor's last
place: the approval goes through the run's confirmation, which locks the mentor row and counts
the places again.

Real threads with their own connections, on PostgreSQL (SQLite ignores row locks)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from nastavnik.matching import selfmatch, services
from nastavnik.matching.models import SelfMatchRequest, SelfMatchStatus
from nastavnik.matching.tests.selfmatch_data import selfmatch_world
from nastavnik.mentors.models import Mentor
from nastavnik.mentorships.models import MentorshipMentee
from nastavnik.orders.services import default_signatory
from nastavnik.people.validators import org_today

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; SQLite serialises every writer on the whole file",
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_approvals_at_once_never_overfill_a_mentor(tenant_a):
    w = selfmatch_world(tenant_a.organisation, mentors=1, capacity=2)
    (mentor,) = w.mentors
    requests = [
        SelfMatchRequest.objects.create(
            organisation=w.org,
            programme=w.programme,
            form=w.chosen.form,
            mentee=mentee,
            mentor=mentor,
            message="Здравствуйте",
            status=SelfMatchStatus.ACCEPTED,
            answer_by=timezone.now() + timedelta(days=3),
        )
        for mentee in (w.teen, w.child)
    ]
    # Both were accepted with two places; one place is left now.
    Mentor.objects.filter(pk=mentor.pk).update(capacity=1)
    today = org_today(w.org)
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def approve(pk: int, number: str) -> None:
        try:
            barrier.wait(timeout=10)
            selfmatch.request_approve(
                SelfMatchRequest.objects.get(pk=pk),
                order=services.OrderDetails(number, today, default_signatory(w.org)),
                started_on=today,
                planned_end=today + timedelta(days=200),
                by=None,
            )
            outcomes[pk] = "approved"
        except ValidationError as error:
            outcomes[pk] = " ".join(error.messages)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(r.pk, f"{n}-н")) for n, r in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert list(outcomes.values()).count("approved") == 1, outcomes
    assert MentorshipMentee.objects.filter(mentorship__mentor=mentor, active=True).count() == 1
    statuses = sorted(SelfMatchRequest.objects.values_list("status", flat=True))
    assert statuses == [SelfMatchStatus.ACCEPTED, SelfMatchStatus.APPROVED]
