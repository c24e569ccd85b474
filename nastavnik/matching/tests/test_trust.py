"""Matching the curator can trust: missing data shown before a run, unknown time failing the
«common time» rule with a reason, the organisation's synonym list, and what a run proved."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from nastavnik.matching.compute import FULL_GRAPH_PAIRS, engine_options, scored_over_all_pairs
from nastavnik.matching.models import MatchingRun, SynonymList
from nastavnik.matching.profiles import build_inputs
from nastavnik.matching.tests.data import mentee, mentor, snapshot, world
from nastavnik.matching.tests.test_views import weights_post
from nastavnik.matching.texts import missing_label, reason_text
from nastavnik.matching_engine.model import RunOptions
from nastavnik.orgs.models import Role
from nastavnik.people.validators import org_today
from nastavnik.programmes.tests.data import builtin_form


def url(name: str, org, **kwargs) -> str:
    return reverse(f"matching:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def curator(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))
    return client


def test_the_curator_sees_missing_data_before_the_run(curator, tenant_a):
    org = tenant_a.organisation
    w = world(org, mentees=1, mentors=1)
    silent = mentee(w.programme, availability=[], request_text="", topics=[])
    page = curator.get(url("run_new", org, programme_form_pk=w.chosen_pk()))
    assert page.status_code == 200
    gaps = {gap.name: gap.missing for gap in page.context["gaps"]}
    assert gaps[silent.person.full_name] == [
        missing_label("mentee_time"),
        missing_label("role_model"),
        missing_label("mentee_request"),
    ]
    assert missing_label("mentee_time") in page.content.decode()
    assert gettext("mentee's time not given") == missing_label("mentee_time")


def test_a_mentee_without_time_is_left_alone_with_the_reason(curator, tenant_a):
    org = tenant_a.organisation
    w = world(org, mentees=0, mentors=1)
    silent = mentee(w.programme, availability=[])
    response = curator.post(
        url("run_new", org, programme_form_pk=w.chosen_pk()), weights_post(), follow=True
    )
    run = MatchingRun.objects.get()
    assert run.summary["matched"] == 0
    assert run.unmatched.get().mentee == silent
    assert run.unmatched.get().reason == "no_time_given"
    assert reason_text("no_time_given") in response.content.decode()


def test_a_run_says_what_it_checked(curator, tenant_a):
    org = tenant_a.organisation
    w = world(org)
    curator.post(url("run_new", org, programme_form_pk=w.chosen_pk()), weights_post())
    curator.post(url("run_new", org, programme_form_pk=w.chosen_pk()), weights_post(mode="stable"))
    optimal, stable = MatchingRun.objects.order_by("number")
    assert optimal.summary["most_matched"]["proven"] is True
    assert stable.summary["stability"]["all_admissible"] is True
    assert stable.summary["blocking_pairs"] == 0
    assert optimal.summary["scored_over_all_pairs"] is True
    page = curator.get(stable.get_absolute_url()).content.decode()
    checked = gettext("Checked only in part: the lists could not be completed")
    assert checked not in page
    assert str(stable.summary["stability"]["pairs_checked"]) in page
    page = curator.get(optimal.get_absolute_url()).content.decode()
    assert gettext("The total score is the highest over every pair the rules allow") in page


def test_a_run_too_large_to_score_every_pair_says_over_which_lists_it_is_best(curator, tenant_a):
    # Over 2,000,000 pairs the lists are cut to each mentee's 30 best, and the engine adds
    # admissible pairs so that nobody who could be paired is left alone: the page names both.
    # (Such a run is too large for a test: its stored summary says what it would.)
    org = tenant_a.organisation
    w = world(org)
    curator.post(url("run_new", org, programme_form_pk=w.chosen_pk()), weights_post())
    run = MatchingRun.objects.get()
    run.summary["scored_over_all_pairs"] = False
    run.save(update_fields=["summary"])
    page = curator.get(run.get_absolute_url()).content.decode()
    assert (
        gettext(
            "The total score is the highest over the candidate lists: each mentee's 30 best, and "
            "the pairs added so that nobody who could be paired is left alone (a run too large to "
            "score every pair)"
        )
        in page
    )
    assert gettext("The total score is the highest over every pair the rules allow") not in page


def test_an_organisation_run_keeps_every_pair_a_region_run_the_best_lists():
    school = engine_options("optimal", "mentee", mentees=1_000, mentors=300)
    assert school.top_k == 300 and school.pool_limit >= 300
    assert scored_over_all_pairs(school, 300)
    region = engine_options("optimal", "mentee", mentees=200_000, mentors=80_000)
    assert region.top_k == RunOptions().top_k
    assert not scored_over_all_pairs(region, 80_000)
    # The limit itself: pairs up to it are all kept, one mentor more and lists are cut.
    edge = FULL_GRAPH_PAIRS // 1_000
    assert engine_options("stable", "mentor", mentees=1_000, mentors=edge).top_k == edge
    assert engine_options("stable", "mentor", mentees=1_000, mentors=edge + 1).top_k == 30


def test_the_synonym_page_starts_with_the_defaults_and_saves_groups(curator, tenant_a):
    org = tenant_a.organisation
    page = curator.get(url("synonyms", org))
    assert page.status_code == 200
    assert "3D = трёхмерный" in page.content.decode()
    response = curator.post(
        url("synonyms", org), {"text": "3D = трёхмерный\nробототехника = мехатроника"}
    )
    assert response.status_code == 302
    assert SynonymList.objects.get(organisation=org).text.endswith("мехатроника")


def test_a_group_of_one_word_is_refused_and_nothing_changes(curator, tenant_a):
    org = tenant_a.organisation
    before = snapshot()
    response = curator.post(url("synonyms", org), {"text": "3D = трёхмерный\nробототехника"})
    assert response.status_code == 200
    assert "2" in " ".join(response.context["form"].non_field_errors())
    assert snapshot() == before


def test_the_organisation_s_synonyms_reach_the_run(curator, tenant_a, tenant_b):
    org = tenant_a.organisation
    w = world(org, mentees=0, mentors=0)
    mentor(w.programme, competencies="Робототехника", subjects="")
    mentee(w.programme, request_text="мехатроника", subjects="", topics=[])
    curator.post(url("synonyms", org), {"text": "робототехника = мехатроника"})
    inputs = build_inputs(w.programme, builtin_form("student-student"), org_today(org))
    assert inputs.constraints.synonyms == (("робототехника", "мехатроника"),)
    # Another organisation keeps the defaults.
    other = world(tenant_b.organisation, mentees=0, mentors=0)
    theirs = build_inputs(
        other.programme, builtin_form("student-student"), org_today(tenant_b.organisation)
    )
    assert ("3D", "трёхмерный") in theirs.constraints.synonyms
    curator.post(url("run_new", org, programme_form_pk=w.chosen_pk()), weights_post())
    proposal = MatchingRun.objects.get(organisation=org).proposals.get()
    assert proposal.breakdown["terms"] == ["робототехника"]


def test_a_named_sibling_is_reported_as_an_impossible_choice(curator, tenant_a):
    from nastavnik.matching.tests.data import parent_of
    from nastavnik.matching.texts import impossible_text
    from nastavnik.people.models import GuardianLink

    org = tenant_a.organisation
    w = world(org, mentees=0, mentors=1)
    brother = mentor(w.programme)
    sister = mentee(w.programme)
    mother = parent_of(sister.person)
    GuardianLink.objects.create(
        organisation=org, guardian=mother, child=brother.person, relation="mother"
    )
    sister.preferences = [brother.person_id]
    sister.save(update_fields=["preferences"])
    response = curator.post(
        url("run_new", org, programme_form_pk=w.chosen_pk()), weights_post(), follow=True
    )
    run = MatchingRun.objects.get()
    assert run.proposals.get().mentor != brother
    line = impossible_text(1, brother.person.full_name, "family")
    assert line in response.content.decode()


def test_a_proposal_names_the_data_it_could_not_use(curator, tenant_a):
    org = tenant_a.organisation
    w = world(org, mentees=1, mentors=1)
    response = curator.post(
        url("run_new", org, programme_form_pk=w.chosen_pk()), weights_post(), follow=True
    )
    proposal = MatchingRun.objects.get().proposals.get()
    assert proposal.mentee.role_model is None
    assert "role_model" in proposal.breakdown["missing"]
    assert proposal.breakdown["criteria"]["role_model"]["value"] == 0
    assert missing_label("role_model") in response.content.decode()
    assert gettext("mentee's role model not given") == "ролевая модель наставляемого не указана"
