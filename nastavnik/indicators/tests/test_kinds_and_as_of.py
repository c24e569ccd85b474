"""Pairs and groups by kind of mentoring in the figures, the page, the XLSX and the report; and
a half-year snapshot computed as of its own day from the data of that day."""

from __future__ import annotations

from datetime import date, timedelta

from nastavnik.catalogue.models import MentoringKind
from nastavnik.indicators import services
from nastavnik.indicators.compute import Indicators, KindRow, indicators_for
from nastavnik.indicators.tests import data
from nastavnik.mentorships.models import MentorAssignment, MentorshipStatus
from nastavnik.programmes.models import RoadmapEvent, Stage

TODAY = date(2026, 3, 15)


def test_pairs_and_groups_are_counted_by_kind_in_the_order_of_the_glossary(tenant_a):
    org = tenant_a.organisation
    programme = data.programme(org, 2025)
    s, t = data.students(org, 8), data.staff(org, 5)
    data.pair(programme, t[0], [s[0]], kind=MentoringKind.VIRTUAL)
    data.pair(programme, t[1], [s[1]], kind=MentoringKind.VIRTUAL)
    data.pair(programme, t[2], [s[2]])
    data.pair(programme, t[3], [s[3], s[4]])
    data.pair(programme, t[4], [s[5], s[6]], kind=MentoringKind.VIRTUAL)
    # Another year's pair is not this year's.
    data.pair(data.programme(org, 2023), t[0], [s[7]], kind=MentoringKind.FLASH)

    figures = indicators_for(programme, TODAY)

    assert figures.by_kind == (
        KindRow(MentoringKind.TRADITIONAL, 1, 0),
        KindRow(MentoringKind.GROUP, 0, 1),
        KindRow(MentoringKind.VIRTUAL, 2, 1),
    )
    assert figures.by_kind[2].label == str(MentoringKind.VIRTUAL.label)
    assert sum(r.pairs for r in figures.by_kind) == figures.pairs == 3
    assert sum(r.groups for r in figures.by_kind) == figures.groups == 2
    # Kept in a snapshot and read back.
    assert Indicators.from_json(figures.as_json()) == figures


def test_a_snapshot_taken_before_kinds_reads_back_without_them(tenant_a):
    org = tenant_a.organisation
    programme = data.programme(org, 2025)
    data.pair(programme, data.staff(org, 1)[0], data.students(org, 1))
    old = indicators_for(programme, TODAY).as_json()
    del old["by_kind"]
    assert Indicators.from_json(old).by_kind == ()


def test_a_snapshot_as_of_a_past_day_leaves_out_what_came_later(tenant_a):
    org = tenant_a.organisation
    programme = data.programme(org, 2025)
    s, t = data.students(org, 6), data.staff(org, 4)
    data.pair(programme, t[0], [s[0]], started_on=date(2025, 10, 1))
    # Started after the day: not in the snapshot, its people not in mentoring yet.
    data.pair(programme, t[1], [s[1]], started_on=date(2026, 2, 1), kind=MentoringKind.FLASH)
    # Completed after the day: still working on it.
    data.pair(
        programme,
        t[2],
        [s[2]],
        started_on=date(2025, 10, 1),
        status=MentorshipStatus.COMPLETED,
        ended_on=date(2026, 3, 1),
    )
    # Terminated before the day: counted so.
    data.pair(
        programme,
        s[3],
        [s[4]],
        started_on=date(2025, 10, 1),
        status=MentorshipStatus.TERMINATED,
        ended_on=date(2025, 12, 1),
    )
    # Its mentor took over after the day: the first mentor was the one in mentoring then.
    replaced = data.pair(programme, t[3], [s[5]], started_on=date(2025, 10, 1))
    MentorAssignment.objects.create(
        organisation=org,
        mentorship=replaced,
        mentor=replaced.mentor,
        assigned_on=date(2026, 2, 10),
    )
    # Late on the day, done since: overdue then.
    RoadmapEvent.objects.create(
        organisation=org,
        programme=programme,
        stage=Stage.WORK,
        title="Промежуточная встреча",
        due_on=date(2026, 1, 10),
        done_on=date(2026, 2, 1),
    )
    day = date(2026, 1, 15)

    then = services.snapshot_take(programme, today=day, by=None)
    frozen = Indicators.from_json(then.figures)

    assert frozen.computed_on == day
    assert frozen.pairs == 4
    assert MentoringKind.FLASH not in [row.kind for row in frozen.by_kind]
    assert (frozen.active, frozen.completed, frozen.terminated) == (3, 0, 1)
    # s0, s2, s4, s5 and the pupil-mentor s3; of staff t0 and t2 (t3 took over later).
    assert frozen.coverage.students.part == 5
    assert frozen.coverage.teachers.part == 2
    assert frozen.overdue_events == 1

    now = indicators_for(programme, TODAY)
    assert now.pairs == 5 and now.completed == 1 and now.active == 3
    assert now.coverage.students.part == 6 and now.coverage.teachers.part == 4
    assert now.overdue_events == 0


def test_a_snapshot_before_the_year_began_counts_no_pair_of_it(tenant_a):
    org = tenant_a.organisation
    programme = data.programme(org, 2025)
    data.pair(programme, data.staff(org, 1)[0], data.students(org, 1))
    frozen = indicators_for(programme, as_of=programme.academic_year.starts_on - timedelta(days=1))
    assert frozen.pairs == 0 and frozen.coverage.students.part == 0
