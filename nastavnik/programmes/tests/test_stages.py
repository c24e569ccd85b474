"""Where a programme stands: the current stage by the roadmap's calendar and the work done."""

from datetime import date

import pytest
from django.utils.translation import gettext

from nastavnik.people.tests.factories import PersonFactory
from nastavnik.programmes import services
from nastavnik.programmes.models import Stage
from nastavnik.programmes.stages import Indicator, current_stage, register_indicators, stage_views
from nastavnik.programmes.tests import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(tenant_a):
    return data.programme(tenant_a.organisation)


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (date(2025, 8, 20), Stage.PREPARATION),  # before the year: the first work ahead
        (date(2025, 9, 5), Stage.PREPARATION),
        (date(2025, 10, 15), Stage.MENTEE_BASE),  # mentor questionnaires begin too, later
        (date(2025, 11, 10), Stage.MENTOR_BASE),
        (date(2025, 12, 10), Stage.SELECTION),  # the mentor school runs into December
        (date(2026, 1, 20), Stage.WORK),
        (date(2026, 6, 15), Stage.COMPLETION),
        (date(2026, 9, 15), Stage.COMPLETION),  # after the year
    ],
)
def test_current_stage_follows_the_calendar_of_the_roadmap(programme, today, stage):
    assert current_stage(programme, programme.events.all(), today) == stage


def test_work_done_moves_the_stage_on_and_overdue_work_does_not_hold_it(programme):
    november = date(2025, 11, 10)
    for event in programme.events.filter(stage=Stage.MENTOR_BASE):
        services.event_complete(event, done_on=date(2025, 11, 5), by=None)

    assert current_stage(programme, programme.events.all(), november) == Stage.SELECTION
    # Stage 2's October events are all still open, and overdue: they do not hold it back.
    assert programme.events.filter(stage=2, done_on__isnull=True).count() == 4


def test_a_finished_programme_is_at_completion(tenant_a):
    programme = data.approved_programme(tenant_a.organisation)
    services.programme_finish(programme, by=None)
    assert current_stage(programme, [], date(2025, 10, 1)) == Stage.COMPLETION


def test_stage_views_count_events_overdue_and_people(programme, tenant_a):
    PersonFactory(organisation=tenant_a.organisation, birth_date=date(2012, 1, 1))
    PersonFactory(organisation=tenant_a.organisation, birth_date=date(2019, 1, 1))

    views = stage_views(programme, date(2025, 10, 15))

    assert [v.number for v in views] == list(Stage.values)
    first = views[0]
    assert first.overdue == 7  # all of September
    assert first.done == 0 and not first.complete
    assert [v.number for v in views if v.is_current] == [2]
    students = {str(i.label): i.value for i in views[1].indicators}
    assert students[gettext("Students in the registry")] == 2
    assert students[gettext("Of them aged 10 and over")] == 1


def test_other_modules_add_their_figures_to_a_stage(programme):
    def pairs(prog, today):
        return [Indicator("Pairs", 5)]

    register_indicators(Stage.MATCHING, pairs)
    register_indicators(Stage.MATCHING, pairs)  # once is enough
    try:
        views = stage_views(programme, date(2025, 12, 10))
        assert [(i.label, i.value) for i in views[4].indicators] == [("Pairs", 5)]
    finally:
        from nastavnik.programmes.stages import _SOURCES

        _SOURCES[Stage.MATCHING].remove(pairs)
