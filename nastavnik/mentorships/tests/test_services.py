"""Pairs and groups as the services make them: the one-year rule, one active pair per mentee,
a group only for a group mentor, the order's document."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from nastavnik.matching.tests.data import approved_programme, mentee, mentor
from nastavnik.mentorships import services
from nastavnik.mentorships.documents import person_line
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.people.validators import org_today
from nastavnik.programmes.tests.data import builtin_form


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 10, 15), date(2027, 5, 31)),
        (date(2027, 1, 10), date(2027, 5, 31)),
        (date(2027, 6, 10), date(2028, 5, 31)),
        (date(2028, 2, 29), date(2028, 5, 31)),
    ],
)
def test_the_default_end_is_the_next_end_of_may_within_a_year(start, end):
    assert services.default_planned_end(start) == end
    services.check_term(start, end)


def test_the_one_year_rule_counts_calendar_years():
    assert services.latest_end(date(2028, 2, 29)) == date(2029, 2, 28)
    services.check_term(date(2026, 10, 1), date(2027, 10, 1))
    with pytest.raises(ValidationError) as caught:
        services.check_term(date(2026, 10, 1), date(2027, 10, 2))
    assert (
        gettext(
            "A mentorship lasts at most one year: the planned end can be %(latest)s at the latest."
        )
        % {"latest": "01.10.2027"}
        in caught.value.messages
    )
    with pytest.raises(ValidationError):
        services.check_term(date(2026, 10, 1), date(2026, 10, 1))


def _create(programme, the_mentor, members, **kwargs):
    today = org_today(programme.organisation)
    return services.mentorship_create(
        programme,
        form=builtin_form("student-student"),
        mentor=the_mentor,
        members=[services.NewMember(m) for m in members],
        started_on=today,
        planned_end=today + timedelta(days=100),
        by=None,
        **kwargs,
    )


def test_a_pair_has_one_mentee_unless_the_mentor_leads_a_group(tenant_a):
    programme = approved_programme(tenant_a.organisation)
    pair_mentor = mentor(programme)
    two = [mentee(programme), mentee(programme)]

    with pytest.raises(ValidationError):
        _create(programme, pair_mentor, two)
    assert not Mentorship.objects.exists()

    group = _create(programme, mentor(programme, leads_group=True, capacity=5), two, is_group=True)
    assert group.members.count() == 2


def test_a_mentee_is_in_one_active_pair_at_a_time(tenant_a):
    programme = approved_programme(tenant_a.organisation)
    one = mentee(programme)
    _create(programme, mentor(programme), [one])

    with pytest.raises(ValidationError) as caught:
        _create(programme, mentor(programme), [one])
    assert one.person.full_name in " ".join(caught.value.messages)
    assert MentorshipMentee.objects.count() == 1


def test_places_are_counted_across_the_mentors_pairs(tenant_a):
    from collections import Counter

    programme = approved_programme(tenant_a.organisation)
    busy = mentor(programme, capacity=2)
    _create(programme, busy, [mentee(programme)])
    locked = services.lock_mentors([busy.pk])

    services.check_places(locked, Counter({busy.pk: 1}))
    with pytest.raises(ValidationError) as caught:
        services.check_places(locked, Counter({busy.pk: 2}))
    assert busy.person.full_name in " ".join(caught.value.messages)


def test_a_student_is_listed_with_the_class_in_the_order(tenant_a):
    programme = approved_programme(tenant_a.organisation)
    student = mentee(programme, grade=8).person
    student.class_letter = "Б"
    assert person_line(student) == f"{student.full_name}, 8 «Б» класс"
