"""The figures of a year, checked against numbers counted by hand."""

from __future__ import annotations

from datetime import date

import pytest

from nastavnik.consents.rules import REQUIRED_PURPOSES
from nastavnik.indicators.compute import Share, coverage_by_year, indicators_for
from nastavnik.indicators.tests import data
from nastavnik.mentees.tests.factories import consent
from nastavnik.mentors.tests.factories import MentorFactory
from nastavnik.mentorships.models import MentorAssignment, MentorshipStatus
from nastavnik.monitoring.tests.data import campaign, respond
from nastavnik.people.models import PersonKind
from nastavnik.people.tests.factories import PersonFactory
from nastavnik.programmes.models import RoadmapEvent, Stage

TODAY = date(2026, 3, 15)


@pytest.fixture
def world(tenant_a, tenant_b):
    """10 students and 5 staff; in 2025/2026 seven students and four staff take part."""
    org = tenant_a.organisation
    s = data.students(org, 10)
    t = data.staff(org, 5)
    last, this = data.programme(org, 2024), data.programme(org, 2025)
    data.pair(this, t[0], [s[0]])
    data.pair(this, s[1], [s[2]], status=MentorshipStatus.COMPLETED, ended_on=date(2026, 3, 1))
    data.pair(
        this,
        t[1],
        [s[3], s[4]],
        form="teacher-student",
        status=MentorshipStatus.COMPLETED_EARLY,
        ended_on=date(2026, 1, 20),
    )
    data.pair(
        this,
        t[2],
        [t[3]],
        form="teacher-teacher",
        status=MentorshipStatus.TERMINATED,
        ended_on=date(2025, 12, 1),
        role_model=False,
    )
    # A parent mentors a student: the student counts, the parent is not staff.
    data.pair(this, PersonFactory(organisation=org, kind=PersonKind.PARENT), [s[7]])
    # Last year's: one ended before this year began, one still ran into it.
    data.pair(
        last,
        t[0],
        [s[5]],
        status=MentorshipStatus.COMPLETED,
        started_on=date(2024, 10, 1),
        ended_on=date(2025, 5, 30),
    )
    data.pair(last, t[0], [s[6]], started_on=date(2025, 4, 1))
    # The other organisation's pair of the same year must not count here.
    other = data.programme(tenant_b.organisation, 2025)
    data.pair(
        other, data.staff(tenant_b.organisation, 1)[0], data.students(tenant_b.organisation, 1)
    )
    return org, this, last, s


def test_coverage_and_completion_match_the_hand_count(world, django_assert_max_num_queries):
    _org, this, _last, _s = world
    with django_assert_max_num_queries(12):
        found = indicators_for(this, TODAY)
    # s0, s2, s3, s4, s7 (this year's), s1 (a student mentor), s6 (last year's pair still ran).
    assert found.coverage.students == Share(7, 10)
    assert found.coverage.students.percent == 70.0
    # t0, t1, t2, t3 of the five.
    assert found.coverage.teachers == Share(4, 5)
    assert found.coverage.teachers.percent == 80.0
    # From 2024 on the seed's 70 % holds.
    assert (found.coverage.students_target, found.coverage.teachers_target) == (70, 70)
    assert found.coverage.students_met is True
    assert (found.active, found.completed, found.completed_early, found.terminated) == (3, 1, 1, 1)
    assert found.completion == Share(1, 3)
    assert found.completion.percent == 33.3
    assert (found.pairs, found.groups) == (5, 1)


def test_a_mentor_replaced_during_the_year_counts_too(world):
    org, this, _last, s = world
    replaced, successor = data.staff(org, 2)
    mentorship = data.pair(this, successor, [s[8]])
    MentorAssignment.objects.create(
        organisation=org,
        mentorship=mentorship,
        mentor=MentorFactory(programme=this, person=replaced),
        assigned_on=date(2025, 10, 1),
        released_on=date(2025, 11, 15),
        ground=MentorAssignment.Ground.REQUEST,
    )

    found = indicators_for(this, TODAY)

    # t0-t3 as before, the successor, and the mentor replaced in November; of seven.
    assert found.coverage.teachers == Share(6, 7)


def test_pairs_are_counted_by_form_and_role_model(world):
    _org, this, _last, _s = world
    rows = {
        (r.form, r.role_model): (r.pairs, r.groups) for r in indicators_for(this, TODAY).by_form
    }
    assert sum(p for p, _g in rows.values()) == 5
    teacher_teacher = [key for key in rows if key[1] == ""]
    assert len(teacher_teacher) == 1 and rows[teacher_teacher[0]] == (1, 0)
    assert sorted(g for _p, g in rows.values()) == [0, 0, 1]


def test_every_year_of_the_organisation_has_its_coverage(world):
    org, _this, _last, _s = world
    years = {y.start_year: y.coverage for y in coverage_by_year(org)}
    assert set(years) == {2024, 2025}
    # 2024/2025: s5 and s6 with t0.
    assert years[2024].students == Share(2, 10)
    assert years[2024].teachers == Share(1, 5)
    assert years[2024].students_target == 70
    assert years[2024].students_met is False


def test_overdue_events_missing_consents_and_satisfaction(world):
    org, this, _last, s = world
    for person in s[:3]:
        consent(person)
    RoadmapEvent.objects.create(
        organisation=org, programme=this, stage=Stage.WORK, title="Встреча", due_on=date(2026, 2, 1)
    )
    RoadmapEvent.objects.create(
        organisation=org,
        programme=this,
        stage=Stage.WORK,
        title="Сделано",
        due_on=date(2026, 2, 1),
        done_on=date(2026, 2, 1),
    )
    RoadmapEvent.objects.create(
        organisation=org,
        programme=this,
        stage=Stage.COMPLETION,
        title="Позже",
        due_on=date(2026, 5, 1),
    )
    made = campaign(this, "mentee-satisfaction")
    respond(made, s[0], {"effectiveness": 8, "comfort": 10})
    respond(made, None, {"effectiveness": 6})

    found = indicators_for(this, TODAY)
    assert found.overdue_events == 1
    # Ten students, three with both consents every participant needs.
    assert len(REQUIRED_PURPOSES) == 2
    assert found.consents_missing == 7
    assert found.mean_satisfaction == 8.0


def test_an_empty_year_has_no_shares_and_no_error(tenant_a):
    found = indicators_for(data.programme(tenant_a.organisation, 2025), TODAY)
    assert found.is_empty
    assert found.coverage.students.percent is None
    assert found.completion.percent is None
    assert found.mean_satisfaction is None


def test_the_figures_survive_their_json(world):
    _org, this, _last, _s = world
    found = indicators_for(this, TODAY)
    assert type(found).from_json(found.as_json()) == found
