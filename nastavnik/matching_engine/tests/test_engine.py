"""A run from profiles: candidates, proposals, explanations a curator can read."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nastavnik.matching_engine import (
    CRITERIA,
    Constraints,
    Criterion,
    Impossible,
    MeetingFormat,
    MenteeProfile,
    MentorProfile,
    Mode,
    RoleModelRules,
    RunOptions,
    Strictness,
    UnmatchedReason,
    Weights,
    run_matching,
)
from nastavnik.matching_engine.engine import prepare_run
from nastavnik.matching_engine.scoring import score_pairs
from nastavnik.matching_engine.tests.instances import (
    TEST_CONSTRAINTS,
    UNDERACHIEVER,
    mentees_and_mentors,
)

FORM = "teacher-teacher"


#: Everyone can meet on Monday evening unless a test says otherwise: unknown time fails the
#: «common time» rule.
SLOT = frozenset({"пн-вечер"})


def mentee(id_: str, org: str = "o1", **fields) -> MenteeProfile:
    fields.setdefault("availability", SLOT)
    return MenteeProfile(
        id_, fields.pop("form", FORM), organisation=org, municipality="m", **fields
    )


def mentor(id_: str, org: str = "o1", **fields) -> MentorProfile:
    fields.setdefault("availability", SLOT)
    return MentorProfile(
        id_, fields.pop("form", FORM), organisation=org, municipality="m", **fields
    )


def reasons(result) -> dict[str, UnmatchedReason]:
    return {u.mentee_id: u.reason for u in result.unmatched}


def test_a_proposal_explains_itself():
    mentees = [
        mentee(
            "e1",
            request_text="Хочу подготовиться по математике к ОГЭ",
            subjects=frozenset({"Математика"}),
            availability=frozenset({"пн-вечер", "ср-вечер"}),
            preferences=("r1",),
        )
    ]
    mentors = [
        mentor(
            "r1",
            competencies=("Математика", "подготовка к ОГЭ"),
            subjects=frozenset({"математика"}),
            availability=frozenset({"Пн-вечер"}),
            experience_years=20,
            preferences=("e1",),
        )
    ]
    result = run_matching(mentees, mentors)
    (pair,) = result.assignments
    assert (pair.mentee_id, pair.mentor_id, pair.mentee_rank, pair.mentor_rank) == (
        "e1",
        "r1",
        1,
        1,
    )
    score = pair.score
    assert set(score.matched_terms) == {"математика", "ОГЭ"}
    assert score.matched_subjects == ("математика",)
    assert score.common_slots == ("пн-вечер",)
    by_criterion = {c.criterion: c for c in score.contributions()}
    assert by_criterion[Criterion.PREFERENCES].value == 1.0
    assert by_criterion[Criterion.SUBJECTS].value == 1.0
    assert by_criterion[Criterion.TIME].value == 0.5  # one common slot of the two wanted
    assert sum(c.points for c in score.contributions()) == score.points
    assert result.summary.mean_mentee_rank == 1.0


def test_every_reason_for_a_mentee_left_alone():
    mentees = [
        mentee("no-form-mentor", form="student-student", grade=5),
        mentee("no-consent", consent_valid=False),
        mentee("no-documents", documents_valid=False),
        mentee("not-eligible", eligible=False),
        mentee("family", form="family-form", family="F"),
        mentee("no-time", form="time-form", availability=frozenset({"сб-утро"})),
        mentee("excluded", form="excluded-form"),
        mentee("no-mentor-taking-part", form="lonely-form"),
    ]
    mentors = [
        mentor("r-family", form="family-form", family="F"),
        mentor("r-time", form="time-form", availability=frozenset({"пн-вечер"})),
        mentor("r-excluded", form="excluded-form"),
        mentor("r-no-consent", form="lonely-form", consent_valid=False),
    ]
    constraints = Constraints(exclusions=frozenset({("excluded", "r-excluded")}))
    found = reasons(run_matching(mentees, mentors, constraints=constraints))
    assert found == {
        "no-form-mentor": UnmatchedReason.NO_MENTOR_OF_FORM,
        "no-consent": UnmatchedReason.CONSENT_MISSING,
        "no-documents": UnmatchedReason.DOCUMENTS_MISSING,
        "not-eligible": UnmatchedReason.NOT_ELIGIBLE,
        "family": UnmatchedReason.RULES_EXCLUDE_ALL,
        "no-time": UnmatchedReason.NO_COMMON_TIME,
        "excluded": UnmatchedReason.EXCLUDED_BY_CURATOR,
        "no-mentor-taking-part": UnmatchedReason.NO_ELIGIBLE_MENTOR,
    }


@pytest.mark.parametrize("mode", list(Mode))
def test_all_mentors_full_lists_the_closest_and_who_took_their_places(mode):
    mentees = [
        mentee(f"e{k}", request_text=text)
        for k, text in enumerate(["математика", "математика ОГЭ", "физика", "математика", "ИКТ"])
    ]
    mentors = [
        mentor("math", capacity=1, competencies=("математика", "ОГЭ")),
        mentor("physics", capacity=1, competencies=("физика",)),
        mentor("ict", capacity=1, competencies=("ИКТ",)),
        mentor("any", capacity=1),
    ]
    result = run_matching(mentees, mentors, options=RunOptions(mode=mode))
    assert result.summary.matched == 4
    (alone,) = result.unmatched
    assert alone.reason == UnmatchedReason.ALL_MENTORS_FULL
    assert len(alone.closest) == 3
    taken = {a.mentor_id: a.mentee_id for a in result.assignments}
    for closest in alone.closest:
        assert [t.mentee_id for t in closest.taken_by] == [taken[closest.mentor_id]]
    points = [c.points for c in alone.closest]
    if mode == Mode.OPTIMAL:
        assert points == sorted(points, reverse=True)
    assert alone.funnel["candidates"] == 4


def test_shared_mentors_serve_the_municipality_and_named_pairs_cross_organisations():
    mentees = [mentee("e1", org="o1"), mentee("e2", org="o2"), mentee("e3", org="o3")]
    mentors = [
        mentor("shared", org="o9", shared=True),
        mentor("own", org="o2", capacity=1),
        mentor("named", org="o8", capacity=1, preferences=("e3",)),
    ]
    run = prepare_run(mentees, mentors, Weights(), Constraints(), RunOptions(), {})
    pop, graph = run.population, run.graph
    edges = {
        (pop.mentees.ids[i], pop.mentors.ids[j])
        for i, j in zip(graph.mentee.tolist(), graph.mentor.tolist(), strict=True)
    }
    assert edges == {
        ("e1", "shared"),
        ("e2", "shared"),
        ("e2", "own"),
        ("e3", "shared"),
        ("e3", "named"),
    }


def test_a_large_pool_is_searched_by_shared_terms_only():
    mentees = [mentee("e1", request_text="робототехника"), mentee("e2", request_text="шахматы")]
    mentors = [
        mentor("r1", competencies=("робототехника",)),
        mentor("r2", competencies=("история",)),
        mentor("r3", subjects=frozenset({"Физика"})),
    ]
    options = RunOptions(pool_limit=2)
    run = prepare_run(mentees, mentors, Weights(), Constraints(), options, {})
    assert list(zip(run.graph.mentee.tolist(), run.graph.mentor.tolist(), strict=True)) == [(0, 0)]
    # The lists leave e2 with nobody, but the rules allow every mentor: the run extends its
    # list rather than leave alone a mentee the full graph can match.
    result = run_matching(mentees, mentors, options=options)
    assert result.summary.matched == 2
    assert result.matching_certificate is not None
    assert result.matching_certificate.most_matched_proven
    # e2's pairs with the mentors of its block were checked one by one and one was kept.
    assert result.matching_certificate.outside_pairs_checked >= 1


def test_top_k_candidates_per_mentee():
    mentees = [mentee(f"e{i}") for i in range(3)]
    mentors = [mentor(f"r{j}", experience_years=j) for j in range(10)]
    run = prepare_run(mentees, mentors, Weights(), Constraints(), RunOptions(top_k=4), {})
    assert np.bincount(run.graph.mentee).tolist() == [4, 4, 4]
    # the four most experienced, best first
    assert run.graph.mentor[:4].tolist() == [9, 8, 7, 6]


@settings(max_examples=25, deadline=None)
@given(mentees_and_mentors(max_mentees=30, max_mentors=15), st.integers(1, 5))
def test_the_candidate_search_scores_like_a_pair_alone(people, pool_limit):
    """The sparse product's packed counts give the same points as scoring a pair by itself."""
    mentees, mentors = people
    options = RunOptions(pool_limit=pool_limit)
    run = prepare_run(mentees, mentors, Weights(), TEST_CONSTRAINTS, options, {})
    graph = run.graph
    again = score_pairs(run.population, graph.mentee, graph.mentor, Weights())
    assert (again == graph.points).all()


def test_group_meeting_format_and_experience_count():
    mentees = [mentee("e1", meeting_format=MeetingFormat.REMOTE)]
    mentors = [
        mentor("in-person", meeting_format=MeetingFormat.IN_PERSON, experience_years=30),
        mentor("remote", meeting_format=MeetingFormat.BOTH),
    ]
    only_format = Weights(0, 0, 0, 1, 0, 0, 0)
    (pair,) = run_matching(mentees, mentors, weights=only_format).assignments
    assert pair.mentor_id == "remote"
    must_fit = Constraints(format_must_fit=True)
    result = run_matching(mentees, mentors[:1], constraints=must_fit)
    assert reasons(result) == {"e1": UnmatchedReason.NO_COMMON_TIME}


def test_a_rerun_keeps_the_locks_and_fills_the_rest():
    mentees = [mentee(f"e{i}", request_text="математика") for i in range(3)]
    mentors = [
        mentor("r1", capacity=1, competencies=("математика",)),
        mentor("r2", capacity=2),
    ]
    first = run_matching(mentees, mentors)
    keep = next(a for a in first.assignments if a.mentor_id == "r2")
    locks = frozenset({(keep.mentee_id, keep.mentor_id)})
    second = run_matching(mentees, mentors, constraints=Constraints(locks=locks))
    assert locks <= {(a.mentee_id, a.mentor_id) for a in second.assignments}
    assert [a.locked for a in second.assignments].count(True) == 1
    assert second.summary.matched == 3


def test_the_summary_compares_runs():
    mentees = [mentee(f"e{i}", preferences=("r1", "r2")) for i in range(2)]
    mentors = [mentor("r1", capacity=1), mentor("r2", capacity=1)]
    optimal = run_matching(mentees, mentors).summary
    stable = run_matching(mentees, mentors, options=RunOptions(mode=Mode.STABLE)).summary
    for summary in (optimal, stable):
        assert summary.matched == 2
        assert summary.mean_mentee_rank == 1.5
        assert summary.ranked_pairs == 2
        assert summary.total_score == summary.total_points / 1000


@settings(max_examples=10, deadline=None)
@given(mentees_and_mentors(max_mentees=20, max_mentors=10))
def test_inputs_are_not_changed_and_runs_repeat(people):
    mentees, mentors = people
    first = run_matching(mentees, mentors, constraints=TEST_CONSTRAINTS)
    again = run_matching(list(mentees), list(mentors), constraints=TEST_CONSTRAINTS)
    assert first.assignments == again.assignments
    assert first.unmatched == again.unmatched


def test_the_results_rule_hard_forbids_and_soft_lowers_the_score():
    mentees = [mentee("e1", role_model=UNDERACHIEVER, results=4.5)]
    mentors = [mentor("weaker", results=4.0)]
    hard = run_matching(mentees, mentors)
    assert reasons(hard) == {"e1": UnmatchedReason.RULES_EXCLUDE_ALL}
    soft_rule = {UNDERACHIEVER: RoleModelRules(mentor_results_higher=Strictness.SOFT)}
    soft = run_matching(mentees, mentors, constraints=Constraints(role_models=soft_rule))
    (pair,) = soft.assignments
    by_criterion = {c.criterion: c for c in pair.score.contributions()}
    assert by_criterion[Criterion.ROLE_MODEL].value == 0.0
    stronger = [mentor("stronger", results=4.8)]
    (better,) = run_matching(
        mentees, stronger, constraints=Constraints(role_models=soft_rule)
    ).assignments
    assert better.score.points > pair.score.points


def test_the_student_form_needs_an_older_mentor():
    mentees = [mentee("e1", form="student-student", grade=8)]
    mentors = [
        mentor("younger", form="student-student", grade=7),
        mentor("older", form="student-student", grade=10),
    ]
    (pair,) = run_matching(mentees, mentors).assignments
    assert pair.mentor_id == "older"


def test_a_mentee_without_time_fails_the_common_time_rule_and_says_why():
    mentees = [mentee("silent", availability=frozenset()), mentee("given")]
    mentors = [mentor("r1", capacity=2)]
    result = run_matching(mentees, mentors)
    assert [(a.mentee_id, a.mentor_id) for a in result.assignments] == [("given", "r1")]
    assert reasons(result) == {"silent": UnmatchedReason.NO_TIME_GIVEN}


def test_unknown_time_and_role_model_score_nothing_and_are_named():
    mentees = [mentee("e1", availability=frozenset())]
    mentors = [mentor("r1", role_models=frozenset())]
    constraints = Constraints(require_common_slot=False)
    (pair,) = run_matching(mentees, mentors, constraints=constraints).assignments
    values = dict(zip(CRITERIA, pair.score.criterion_values, strict=True))
    assert values[Criterion.TIME] == 0.0
    assert values[Criterion.ROLE_MODEL] == 0.0
    assert {"mentee_time", "role_model"} <= set(pair.score.missing)


def test_a_known_role_model_the_mentor_takes_scores_fully():
    mentees = [mentee("e1", role_model="Лидер")]
    mentors = [mentor("r1", role_models=frozenset({"Лидер"})), mentor("r2")]
    result = run_matching(mentees, mentors)
    (pair,) = result.assignments
    values = dict(zip(CRITERIA, pair.score.criterion_values, strict=True))
    assert values[Criterion.ROLE_MODEL] == 1.0
    assert "role_model" not in pair.score.missing


def test_3d_modelling_meets_three_dimensional_modelling_in_a_run():
    mentees = [mentee("e1", request_text="3D-моделирование")]
    mentors = [
        mentor("r1", competencies=("обучаю трёхмерному моделированию",)),
        mentor("r2", competencies=("методика работы, участие в смене",)),
    ]
    (pair,) = run_matching(mentees, mentors).assignments
    assert pair.mentor_id == "r1"
    assert set(pair.score.matched_terms) == {"3D", "моделирование"}


def test_an_organisation_s_synonyms_reach_the_score():
    mentees = [mentee("e1", request_text="мехатроника")]
    mentors = [mentor("r1", competencies=("робототехника",))]
    alone = run_matching(mentees, mentors).assignments[0]
    assert alone.score.matched_terms == ()
    constraints = Constraints(synonyms=(("робототехника", "мехатроника"),))
    together = run_matching(mentees, mentors, constraints=constraints).assignments[0]
    assert together.score.matched_terms == ("робототехника",)


def test_a_named_choice_the_rules_rule_out_is_reported_with_the_reason():
    mentees = [mentee("e1", family="F", preferences=("sister", "silent", "fine"))]
    mentors = [
        mentor("sister", family="F"),
        mentor("silent", availability=frozenset()),
        mentor("fine"),
    ]
    result = run_matching(mentees, mentors)
    assert [(a.mentee_id, a.mentor_id) for a in result.assignments] == [("e1", "fine")]
    assert {(c.mentor_id, c.rank, c.reason) for c in result.impossible_choices} == {
        ("sister", 1, Impossible.FAMILY),
        ("silent", 2, Impossible.TIME_NOT_GIVEN),
    }
