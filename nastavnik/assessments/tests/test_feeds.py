"""Questionnaire answers that are entry or exit measures."""

from datetime import timedelta

import pytest

from nastavnik.assessments.feeds import measure
from nastavnik.assessments.models import Measure, MeasureSource, Phase
from nastavnik.assessments.services import MESSAGES
from nastavnik.mentees.tests.factories import student
from nastavnik.questionnaires.feeds import FeedSkipped, feed_for
from nastavnik.questionnaires.tests.data import feed_context

pytestmark = pytest.mark.django_db


def context(programme, person, code, phase, day):
    return feed_context(programme, person, phase=phase, answered_on=day, argument=code)


@pytest.fixture
def day(programme):
    return programme.academic_year.starts_on + timedelta(days=30)


def test_an_answer_becomes_a_measure_of_its_phase(tenant_a, programme, day):
    pupil = student(tenant_a.organisation)
    feed, argument = feed_for("assessment.self_esteem")

    feed.apply(context(programme, pupil, argument, Phase.ENTRY, day), 6)
    feed.apply(context(programme, pupil, argument, Phase.EXIT, day + timedelta(days=90)), 8)

    values = dict(Measure.objects.values_list("phase", "value"))
    assert values == {Phase.ENTRY: 6, Phase.EXIT: 8}
    assert set(Measure.objects.values_list("source", flat=True)) == {MeasureSource.QUESTIONNAIRE}


@pytest.mark.parametrize(
    ("code", "phase", "value"),
    [
        ("astrology", Phase.ENTRY, 5),
        ("engagement", "", 5),
        ("engagement", Phase.ENTRY, 11),
        ("engagement", Phase.EXIT, 5),
    ],
)
def test_what_cannot_be_a_measure_is_skipped_with_a_reason(
    tenant_a, programme, day, code, phase, value
):
    pupil = student(tenant_a.organisation)

    with pytest.raises(FeedSkipped) as caught:
        measure(context(programme, pupil, code, phase, day), value)

    assert caught.value.reason
    assert not Measure.objects.exists()


def test_an_out_of_scale_answer_says_the_scale(tenant_a, programme, day):
    pupil = student(tenant_a.organisation)

    with pytest.raises(FeedSkipped) as caught:
        measure(context(programme, pupil, "engagement", Phase.ENTRY, day), 11)

    assert caught.value.reason == str(MESSAGES["value_range"]) % {
        "parameter": "Вовлечённость",
        "min": "1",
        "max": "10",
    }


def test_a_respondent_without_consent_is_skipped(tenant_a, programme, day):
    pupil = student(tenant_a.organisation, with_consent=False)

    with pytest.raises(FeedSkipped) as caught:
        measure(context(programme, pupil, "engagement", Phase.ENTRY, day), 5)

    assert caught.value.reason == str(MESSAGES["no_consent"]) % {"name": pupil.full_name}
