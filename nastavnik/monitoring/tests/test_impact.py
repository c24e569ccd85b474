"""Stage 2 over a programme: who counts, the change per participant, per pair and by form,
role model and matching strategy; the page; the assessment rules the data come through."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from nastavnik.assessments import services as assessment_services
from nastavnik.assessments.models import Measure, Phase
from nastavnik.consents.models import Consent, Purpose
from nastavnik.mentees.tests.factories import programme_of, student, this_year
from nastavnik.monitoring.impact import MIN_N, impact_results
from nastavnik.monitoring.tests import data
from nastavnik.orgs.models import Role

pytestmark = pytest.mark.django_db

# Entry and exit of engagement for eight mentees: the hand-worked example of test_statistics.
ENTRY = [5, 5, 6, 3, 2, 2, 1, 1]
EXIT = [6, 7, 3, 7, 7, 8, 8, 9]


@pytest.fixture
def world(programme):
    """Six pairs formed by run 1 and two formed by hand, one mentee each, all measured."""
    first_run = data.run(programme, number=1)
    pairs = [data.pair(programme, run=first_run) for _ in range(6)]
    pairs += [data.pair(programme, role=None) for _ in range(2)]
    people = [data.mentee_people(p)[0] for p in pairs]
    for person, entry, exit_value in zip(people, ENTRY, EXIT, strict=True):
        data.measure(programme, person, "engagement", entry, exit_value)
    data.measure(programme, people[0], "anxiety", 8)  # an entry without an exit
    return {"pairs": pairs, "people": people, "run": first_run}


def test_the_whole_programme_matches_the_hand_worked_example(programme, world):
    results = impact_results(programme)
    engagement = next(p for p in results.overall if p.parameter.code == "engagement")
    assert engagement.n == 8
    assert engagement.mean_change == pytest.approx(3.75)
    assert engagement.median_change == pytest.approx(4.5)
    assert engagement.p_value == pytest.approx(10 / 256)
    assert engagement.effect_size == pytest.approx(30 / 36)
    assert engagement.share_improved == pytest.approx(7 / 8)
    anxiety = next(p for p in results.overall if p.parameter.code == "anxiety")
    assert anxiety.n == 0 and anxiety.p_value is None


def test_each_participant_has_the_change_of_each_parameter(programme, world):
    results = impact_results(programme)
    assert len(results.participants) == 8
    first = next(p for p in results.participants if p.person_id == world["people"][0].pk)
    codes = [p.code for p in results.parameters]
    cells = dict(zip(codes, first.changes, strict=True))
    assert (cells["engagement"].entry, cells["engagement"].exit) == (Decimal(5), Decimal(6))
    assert cells["engagement"].change == 1 and cells["engagement"].better
    assert cells["anxiety"].change is None
    assert first.pairs == (str(world["pairs"][0]),)  # «Соколов С. И. — Иванов И. П.»


def test_groups_by_strategy_form_role_model_and_pair(programme, world):
    results = impact_results(programme)

    by_strategy = {g.key: g for g in results.by_strategy}
    assert set(by_strategy) == {f"run:{world['run'].pk}", "manual"}
    run_group = by_strategy[f"run:{world['run'].pk}"]
    assert run_group.participants == 6
    engagement = next(p for p in run_group.parameters if p.parameter.code == "engagement")
    # The first six changes: 1, 2, −3, 4, 5, 6 — ranks 1…6, W− = 3, W+ = 18.
    assert engagement.n == 6
    assert engagement.effect_size == pytest.approx((18 - 3) / 21)
    # Exact: subsets of {1…6} with sum ≤ 3 — {}, {1}, {2}, {3}, {1,2}: 2·5/64.
    assert engagement.p_value == pytest.approx(10 / 64)
    assert "1" in run_group.label and "4" in run_group.label  # the run number and a weight

    manual = by_strategy["manual"]
    manual_engagement = next(p for p in manual.parameters if p.parameter.code == "engagement")
    assert manual_engagement.n == 2 < MIN_N
    assert manual_engagement.p_value is None
    assert manual_engagement.reading == gettext(
        "Too few participants with both measures to draw conclusions: %(n)s, at least "
        "%(min)s are needed."
    ) % {"n": 2, "min": MIN_N}

    (form,) = results.by_form
    assert form.participants == 8
    (role,) = results.by_role_model
    assert role.participants == 6
    assert len(results.by_pair) == 8
    assert {g.label for g in results.by_mode} == {
        gettext("Best total score"),
        gettext("Formed by hand"),
    }


def test_hidden_people_and_mentees_who_left_are_left_out(programme, world):
    hidden = world["people"][0]
    Consent.objects.filter(subject=hidden, purpose=Purpose.PROCESSING).update(
        withdrawn_at="2026-10-01T00:00Z"
    )
    results = impact_results(programme)
    engagement = next(p for p in results.overall if p.parameter.code == "engagement")
    assert engagement.n == 7
    assert hidden.pk not in {p.person_id for p in results.participants}


def test_the_queries_do_not_grow_with_the_participants(programme, world):
    with CaptureQueriesContext(connection) as few:
        impact_results(programme)
    for _ in range(3):
        person = data.mentee_people(data.pair(programme))[0]
        data.measure(programme, person, "motivation", 4, 6)
    with CaptureQueriesContext(connection) as many:
        impact_results(programme)
    assert len(many) == len(few) <= 7


def test_the_page_shows_the_statistic_and_each_grouping(tenant_a, curator_client, programme, world):
    page = reverse(
        "monitoring:impact",
        kwargs={"org_slug": tenant_a.organisation.slug, "programme_pk": programme.pk},
    )
    shown = curator_client.get(page).content.decode()
    assert "0,039" in shown  # p of the eight, in Russian digits
    assert world["people"][1].last_name in shown
    for grouping in ("form", "role_model", "strategy", "mode", "pair"):
        response = curator_client.get(page, {"group": grouping})
        assert response.status_code == 200


def test_the_quality_page_and_the_index(tenant_a, curator_client, programme, world):
    org = tenant_a.organisation
    index = curator_client.get(reverse("monitoring:index", kwargs={"org_slug": org.slug}))
    assert index.status_code == 302
    campaign = data.campaign(programme, "mentee-satisfaction", title="Итоги года")
    data.respond(campaign, world["people"][0], {"comfort": 8})
    quality = index.url
    shown = curator_client.get(quality).content.decode()
    assert "Итоги года" in shown
    for grouping in ("form", "role_model", "pair", "nonsense"):
        assert curator_client.get(quality, {"group": grouping}).status_code == 200


def test_a_mentor_may_not_see_monitoring(tenant_a, client, programme):
    client.force_login(tenant_a.user(Role.MENTOR))
    page = reverse(
        "monitoring:impact",
        kwargs={"org_slug": tenant_a.organisation.slug, "programme_pk": programme.pk},
    )
    assert client.get(page).status_code == 403


# --- The measures come through the assessment rules ---------------------------------------


def test_a_second_entry_an_exit_before_the_entry_and_a_value_off_the_scale_are_refused(
    tenant_a,
):
    org = tenant_a.organisation
    last_year = programme_of(org, this_year() - 1)
    person = student(org)
    parameter = data.parameter("engagement")
    day = last_year.academic_year.starts_on + timedelta(days=30)
    assessment_services.measure_record(last_year, person, parameter, Phase.ENTRY, 5, day, by=None)
    before = (list(Measure.objects.values()), impact_results(last_year).overall)

    for phase, value, on in (
        (Phase.ENTRY, 6, day),  # a second entry
        (Phase.EXIT, 7, day - timedelta(days=1)),  # exit before the entry
        (Phase.EXIT, 11, day + timedelta(days=5)),  # off the 1–10 scale
    ):
        with pytest.raises(ValidationError):
            assessment_services.measure_record(
                last_year, person, parameter, phase, value, on, by=None
            )
    assert (list(Measure.objects.values()), impact_results(last_year).overall) == before


def test_the_r_in_the_table_has_the_sign_of_the_r_in_the_reading(
    tenant_a, curator_client, programme, world
):
    """Anxiety falls for everyone: an improvement with r < 0. The reading and the r column
    both show the signed r (the reading once said «r = 1,00» beside «-1,00»)."""
    from lxml import html

    for person in world["people"][1:]:  # the first has an entry already
        data.measure(programme, person, "anxiety", 9, 2)
    page = reverse(
        "monitoring:impact",
        kwargs={"org_slug": tenant_a.organisation.slug, "programme_pk": programme.pk},
    )
    document = html.fromstring(curator_client.get(page).content)
    # The one row marked «lower is better» is anxiety.
    (row,) = document.xpath(
        "//section[@aria-labelledby='overall-heading']//tbody/tr[th/span[contains(@class, 'muted')]]"
    )
    cells = row.xpath("td")
    r_cell, reading = cells[-2].text_content().strip(), cells[-1].text_content()
    assert r_cell.startswith("-") and r_cell != "—"
    assert f"r = {r_cell})" in reading
