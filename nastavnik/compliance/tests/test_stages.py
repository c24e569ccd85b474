"""The stage of a programme read from its data and signed orders, and the checklists of stages
5–7, as the stage view shows them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from nastavnik.assessments.models import Measure, Parameter, Phase
from nastavnik.compliance.tests.data import pair, signed_order
from nastavnik.matching.tests.data import mentor
from nastavnik.mentors.models import MentorStatus
from nastavnik.mentorships.models import MentorshipResult, MentorshipStatus
from nastavnik.orgs.models import Role
from nastavnik.plans.models import DevelopmentPlan, PlanItem
from nastavnik.programmes.models import Stage
from nastavnik.programmes.stages import reached_stage, stage_views

pytestmark = pytest.mark.django_db


def checks(programme, today, number):
    view = next(v for v in stage_views(programme, today) if v.number == number)
    return {str(check.label): check for check in view.checks}


def test_the_data_move_the_stage_on(programme, today):
    assert reached_stage(programme, today) == Stage.MENTEE_BASE  # approved, nothing else yet
    candidate = mentor(programme, status=MentorStatus.CANDIDATE)
    assert reached_stage(programme, today) == Stage.MENTOR_BASE
    candidate.status = MentorStatus.SELECTION
    candidate.save(update_fields=["status"])
    assert reached_stage(programme, today) == Stage.SELECTION
    registered = mentor(
        programme, registry_order=signed_order(programme.organisation, "mentor_registry")
    )
    assert reached_stage(programme, today) == Stage.MATCHING
    the_pair = pair(programme, the_mentor=registered)
    assert reached_stage(programme, today) == Stage.WORK
    the_pair.status, the_pair.ended_on = MentorshipStatus.COMPLETED, today
    the_pair.save(update_fields=["status", "ended_on"])
    MentorshipResult.objects.create(
        organisation=programme.organisation, mentorship=the_pair, summary="Проект защищён"
    )
    assert reached_stage(programme, today) == Stage.COMPLETION


def test_an_empty_results_row_does_not_complete_the_programme(programme, today):
    the_pair = pair(programme, status=MentorshipStatus.COMPLETED, ended_on=today)
    MentorshipResult.objects.create(organisation=programme.organisation, mentorship=the_pair)
    assert reached_stage(programme, today) < Stage.COMPLETION


def test_the_stage_view_says_six_while_pairs_are_at_work(client, tenant_a, programme, today):
    pair(programme, started_on=today - timedelta(days=40))
    client.force_login(tenant_a.user(Role.DIRECTOR))
    page = client.get(
        reverse(
            "programmes:stages",
            kwargs={"org_slug": tenant_a.organisation.slug, "programme_pk": programme.pk},
        )
    )
    assert page.context["current"].number == Stage.WORK
    assert 'id="stage-6"' in page.content.decode()


def test_stage_five_asks_for_pairs_fixed_by_a_signed_order(programme, today):
    pair(programme, pairs_order=signed_order(programme.organisation))
    unsigned = pair(programme)
    found = checks(programme, today, Stage.MATCHING)
    assert found[gettext("Pairs and groups are formed")].done
    order = found[gettext("Every pair and group is fixed by a signed order")]
    assert (order.done, order.detail) == (False, "1/2")
    unsigned.pairs_order = signed_order(programme.organisation, number="2")
    unsigned.save(update_fields=["pairs_order"])
    assert checks(programme, today, Stage.MATCHING)[
        gettext("Every pair and group is fixed by a signed order")
    ].done


def test_stage_six_asks_for_plans_and_first_meetings(programme, today):
    planned = pair(programme)
    pair(programme)
    plan = DevelopmentPlan.objects.create(organisation=programme.organisation, mentorship=planned)
    PlanItem.objects.create(
        organisation=programme.organisation, plan=plan, section="goal", text="Цель"
    )
    found = checks(programme, today, Stage.WORK)
    plans = found[gettext("Every pair at work has an individual development plan")]
    assert (plans.done, plans.detail) == (False, "1/2")
    assert not found[gettext("Every pair at work has held its first meeting")].done


def test_stage_seven_asks_for_results_and_the_exit_assessment(programme, today):
    done = pair(programme, status=MentorshipStatus.COMPLETED, ended_on=today)
    MentorshipResult.objects.create(
        organisation=programme.organisation, mentorship=done, summary="Итоги"
    )
    found = checks(programme, today, Stage.COMPLETION)
    assert found[gettext("Every completed pair has its results recorded")].done
    assert not found[gettext("The exit assessment of participants is recorded")].done
    parameter = (
        Parameter.objects.filter(organisation__isnull=True).first() or Parameter.objects.first()
    )
    Measure.objects.create(
        organisation=programme.organisation,
        programme=programme,
        person=done.members.first().mentee.person,
        parameter=parameter,
        phase=Phase.EXIT,
        value=3,
        measured_on=today,
    )
    assert checks(programme, today, Stage.COMPLETION)[
        gettext("The exit assessment of participants is recorded")
    ].done
