"""Properties that hold for every run, on random small regions (hypothesis)."""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nastavnik.matching_engine import (
    CRITERIA,
    Mode,
    Proposer,
    RunOptions,
    Weights,
    run_matching,
)
from nastavnik.matching_engine.engine import prepare_run
from nastavnik.matching_engine.population import build_population
from nastavnik.matching_engine.scoring import score_pairs
from nastavnik.matching_engine.tests.instances import (
    TEST_CONSTRAINTS,
    allowed,
    assert_capacities_kept,
    feasible_locks,
    mentees_and_mentors,
    rank_list_blocking_pairs,
    stable_blocking_pairs,
)

# A modest number keeps the engine's tests fast; raise it to hunt for bugs.
EXAMPLES = settings(
    max_examples=int(os.environ.get("MATCHING_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
modes = st.sampled_from(
    [
        RunOptions(mode=Mode.OPTIMAL, workers=1),
        RunOptions(mode=Mode.STABLE, proposer=Proposer.MENTEE),
        RunOptions(mode=Mode.STABLE, proposer=Proposer.MENTOR),
    ]
)
weights = st.builds(
    Weights,
    requests=st.integers(0, 5),
    subjects=st.integers(0, 5),
    time=st.integers(0, 5),
    format=st.integers(0, 5),
    preferences=st.integers(0, 5),
    role_model=st.integers(0, 5),
    experience=st.integers(1, 5),
)
lock_wishes = st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), max_size=3)
exclusion_wishes = st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), max_size=3)


def _with_curator_choices(people, lock_picks, exclusion_picks):
    mentees, mentors = people
    if not mentees or not mentors:
        return TEST_CONSTRAINTS
    exclusions = frozenset(
        (mentees[i % len(mentees)].id, mentors[j % len(mentors)].id) for i, j in exclusion_picks
    )
    constraints = replace(TEST_CONSTRAINTS, exclusions=exclusions)
    return replace(constraints, locks=feasible_locks(mentees, mentors, constraints, lock_picks))


@EXAMPLES
@given(mentees_and_mentors(), modes, weights, lock_wishes, exclusion_wishes)
def test_every_run_keeps_the_hard_rules(people, options, weights, lock_picks, exclusion_picks):
    mentees, mentors = people
    constraints = _with_curator_choices(people, lock_picks, exclusion_picks)
    result = run_matching(mentees, mentors, weights, constraints, options)

    assert_capacities_kept(result, mentors, constraints)
    by_mentee = {m.id: m for m in mentees}
    by_mentor = {m.id: m for m in mentors}
    proposed = {(a.mentee_id, a.mentor_id) for a in result.assignments}
    assert constraints.locks <= proposed, "locks are kept"
    for a in result.assignments:
        if (a.mentee_id, a.mentor_id) not in constraints.locks:
            assert allowed(by_mentee[a.mentee_id], by_mentor[a.mentor_id], constraints)
        assert a.locked == ((a.mentee_id, a.mentor_id) in constraints.locks)
    matched = {a.mentee_id for a in result.assignments}
    assert {u.mentee_id for u in result.unmatched} == set(by_mentee) - matched
    assert result.summary.matched + result.summary.unmatched == len(mentees)


@EXAMPLES
@given(mentees_and_mentors(), modes, weights)
def test_explanations_add_up_to_the_score(people, options, weights):
    mentees, mentors = people
    result = run_matching(mentees, mentors, weights, TEST_CONSTRAINTS, options)
    pop = build_population(mentees, mentors, TEST_CONSTRAINTS)
    for a in result.assignments:
        score = a.score
        assert sum(score.criterion_points) == score.points
        assert all(0.0 <= v <= 1.0 for v in score.criterion_values)
        assert [c.criterion for c in score.contributions()] == list(CRITERIA)
        # The bulk scoring of the candidate search gives the very same points.
        i = np.array([pop.mentee_index[a.mentee_id]])
        j = np.array([pop.mentor_index[a.mentor_id]])
        assert score_pairs(pop, i, j, weights)[0] == score.points
    assert result.summary.total_points == sum(a.score.points for a in result.assignments)


@EXAMPLES
@given(mentees_and_mentors(), st.sampled_from(list(Proposer)), lock_wishes)
def test_stable_mode_leaves_no_blocking_pair(people, proposer, lock_picks):
    mentees, mentors = people
    constraints = _with_curator_choices(people, lock_picks, [])
    options = RunOptions(mode=Mode.STABLE, proposer=proposer)
    result = run_matching(mentees, mentors, Weights(), constraints, options)
    assert result.certificate is not None
    assert result.certificate.blocking_pairs == 0

    # The same check by the definition, one pair at a time, on the rank lists the engine used.
    run = prepare_run(mentees, mentors, Weights(), constraints, options, {})
    assert rank_list_blocking_pairs(run, result.assignments, without_locked=True) == []
    assert constraints.locks <= {(a.mentee_id, a.mentor_id) for a in result.assignments}


def test_blocking_pair_reference_finds_a_blocking_pair():
    # mentee 0 and mentor 1 prefer each other to what they got
    mentee_lists = {0: [1, 0], 1: [1]}
    mentor_lists = {0: [0], 1: [0, 1]}
    blocking = stable_blocking_pairs(mentee_lists, mentor_lists, {0: 1, 1: 1}, {0: 0, 1: 1})
    assert blocking == [(0, 1)]
