"""Optimal mode finds the best total: against brute force on small instances and against an
integer program (scipy's HiGHS) on medium ones."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, sparse

from nastavnik.matching_engine import (
    Constraints,
    MenteeProfile,
    MentorProfile,
    RunOptions,
    Weights,
    run_matching,
)
from nastavnik.matching_engine import optimal as optimal_module
from nastavnik.matching_engine.candidates import CandidateGraph
from nastavnik.matching_engine.engine import prepare_run
from nastavnik.matching_engine.model import SCORE_SCALE
from nastavnik.matching_engine.optimal import UNMATCHED, solve_optimal
from nastavnik.matching_engine.tests.instances import brute_force_best

SLOT = frozenset({"пн-вечер"})


def random_graph(
    rng: np.random.Generator, n_mentees: int, n_mentors: int, density: float
) -> tuple[CandidateGraph, np.ndarray]:
    mask = rng.random((n_mentees, n_mentors)) < density
    mi, mj = np.nonzero(mask)
    points = rng.integers(0, SCORE_SCALE + 1, mi.size)
    order = np.lexsort((mj, -points, mi))
    graph = CandidateGraph(
        n_mentees,
        n_mentors,
        mi[order].astype(np.int32),
        mj[order].astype(np.int32),
        points[order].astype(np.int32),
    )
    return graph, rng.integers(1, 4, n_mentors)


def lexicographic_bonus(graph: CandidateGraph) -> int:
    """A bonus per matched mentee larger than any difference of two totals of points (each
    pair scores 0…1000), so that best by (points + bonus) is best by (matched, points)."""
    return SCORE_SCALE * graph.n_mentees + 1


def total(graph: CandidateGraph, mentor_of: np.ndarray, bonus: int | None = None) -> int:
    """(matched, points) as one number, to compare with the references."""
    bonus = lexicographic_bonus(graph) if bonus is None else bonus
    used = mentor_of[graph.mentee] == graph.mentor
    return int((graph.points[used].astype(np.int64) + bonus).sum())


def assert_feasible(graph: CandidateGraph, capacity: np.ndarray, mentor_of: np.ndarray) -> None:
    matched = np.flatnonzero(mentor_of != UNMATCHED)
    edges = set(zip(graph.mentee.tolist(), graph.mentor.tolist(), strict=True))
    assert all((i, int(mentor_of[i])) in edges for i in matched)
    assert (np.bincount(mentor_of[matched], minlength=capacity.size) <= capacity).all()


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_mentees=st.integers(1, 6),
    n_mentors=st.integers(1, 4),
    density=st.floats(0.2, 1.0),
)
def test_optimal_equals_brute_force_on_small_graphs(seed, n_mentees, n_mentors, density):
    """Brute force over every assignment, ranked by (matched, total points)."""
    graph, capacity = random_graph(np.random.default_rng(seed), n_mentees, n_mentors, density)
    capacity = np.minimum(capacity, 2)
    mentor_of = solve_optimal(graph, capacity, workers=1)
    assert_feasible(graph, capacity, mentor_of)
    bonus = lexicographic_bonus(graph)
    assert total(graph, mentor_of) == brute_force_best(graph, capacity, bonus)


def integer_program_best(graph: CandidateGraph, capacity: np.ndarray, bonus: int) -> int:
    """max Σ (points + bonus)·x over edges, each mentee ≤ 1 edge, each mentor ≤ capacity."""
    edges = np.arange(graph.size)
    one_mentor = sparse.csr_matrix((np.ones(graph.size), (graph.mentee, edges)))
    places = sparse.csr_matrix((np.ones(graph.size), (graph.mentor, edges)))
    found = optimize.milp(
        c=-(graph.points.astype(float) + bonus),
        constraints=[
            optimize.LinearConstraint(one_mentor, ub=np.ones(graph.n_mentees)),
            optimize.LinearConstraint(places, ub=capacity.astype(float)),
        ],
        integrality=np.ones(graph.size),
        bounds=optimize.Bounds(0, 1),
    )
    assert found.success
    return round(-found.fun)


@pytest.mark.parametrize("seed", range(4))
def test_optimal_matches_an_integer_program_on_medium_graphs(seed):
    graph, capacity = random_graph(np.random.default_rng(seed), 60, 30, 0.15)
    mentor_of = solve_optimal(graph, capacity, workers=1)
    assert_feasible(graph, capacity, mentor_of)
    assert total(graph, mentor_of) == integer_program_best(
        graph, capacity, lexicographic_bonus(graph)
    )


def test_a_matched_mentee_counts_more_than_a_better_pair():
    # Mentee 0 likes mentor 0 a lot (900) and mentor 1 a little (100); mentee 1 can only have
    # mentor 0 (500). Pure score would give 900 and leave mentee 1 alone; both are matched.
    graph = CandidateGraph(
        2, 2, np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([900, 100, 500])
    )
    mentor_of = solve_optimal(graph, np.array([1, 1]), workers=1)
    assert mentor_of.tolist() == [1, 0]


def test_three_mentees_who_can_all_be_matched_are_all_matched():
    """The issue's counterexample: a bonus of 1,000 per matched mentee (the old objective)
    matched two, since two excellent pairs (1,000 + 1,000) outweigh three poor ones
    (0 + 0 + 0) by more than one bonus. Lexicographic: three matched, then the best total."""
    # mentee a: X 1000, Z 0; mentee b: Y 1000, X 0; mentee c: Y 0. Mentors X, Y, Z: one place.
    graph = CandidateGraph(
        3,
        3,
        np.array([0, 0, 1, 1, 2]),
        np.array([0, 2, 1, 0, 1]),
        np.array([1000, 0, 1000, 0, 0]),
    )
    capacity = np.array([1, 1, 1])
    old_objective = brute_force_best(graph, capacity, SCORE_SCALE)
    assert old_objective == 4000  # two matched: a–X and b–Y
    mentor_of = solve_optimal(graph, capacity, workers=1)
    assert mentor_of.tolist() == [2, 0, 1]  # a–Z, b–X, c–Y


def test_among_the_most_matched_the_best_total_wins():
    # Both assignments match two; the one with more points is chosen.
    graph = CandidateGraph(
        2, 2, np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([700, 600, 650, 100])
    )
    mentor_of = solve_optimal(graph, np.array([1, 1]), workers=1)
    assert mentor_of.tolist() == [1, 0]  # 600 + 650 beats 700 + 100


def test_locks_take_their_places_first_and_the_rest_is_optimal():
    graph, capacity = random_graph(np.random.default_rng(7), 6, 4, 0.8)
    capacity = np.array([1, 1, 2, 1])
    lock_mentee, lock_mentor = np.array([0]), np.array([graph.mentor[graph.mentee == 0][-1]])
    mentor_of = solve_optimal(
        graph, capacity, lock_mentee=lock_mentee, lock_mentor=lock_mentor, workers=1
    )
    assert mentor_of[0] == lock_mentor[0]
    # The others: brute force over the graph without mentee 0 and with the lock's place gone.
    rest = graph.mentee != 0
    rest_graph = CandidateGraph(6, 4, graph.mentee[rest], graph.mentor[rest], graph.points[rest])
    places = capacity.copy()
    places[lock_mentor[0]] -= 1
    others = mentor_of.copy()
    others[0] = UNMATCHED
    bonus = lexicographic_bonus(rest_graph)
    assert total(rest_graph, others) == brute_force_best(rest_graph, places, bonus)


def test_the_order_of_the_edges_does_not_matter():
    graph, capacity = random_graph(np.random.default_rng(4), 40, 12, 0.3)
    shuffled = np.random.default_rng(5).permutation(graph.size)
    mixed = CandidateGraph(
        40, 12, graph.mentee[shuffled], graph.mentor[shuffled], graph.points[shuffled]
    )
    best = integer_program_best(graph, capacity, lexicographic_bonus(graph))
    assert total(mixed, solve_optimal(mixed, capacity, workers=1)) == best


def test_excluded_edges_are_never_used():
    graph, capacity = random_graph(np.random.default_rng(3), 20, 8, 0.5)
    excluded = np.zeros(graph.size, dtype=bool)
    excluded[::3] = True
    mentor_of = solve_optimal(graph, capacity, excluded=excluded, workers=1)
    struck = set(zip(graph.mentee[excluded].tolist(), graph.mentor[excluded].tolist(), strict=True))
    assert not any((i, int(mentor_of[i])) in struck for i in range(20) if mentor_of[i] >= 0)


def test_processes_give_the_same_total_as_one_process(monkeypatch):
    # Small bundles, so that a medium graph is split over the workers.
    monkeypatch.setattr(optimal_module, "BUNDLE_EDGES", 40)
    rng = np.random.default_rng(11)
    blocks = [random_graph(rng, 30, 10, 0.3) for _ in range(6)]
    mentee = np.concatenate([g.mentee + 30 * b for b, (g, _) in enumerate(blocks)])
    mentor = np.concatenate([g.mentor + 10 * b for b, (g, _) in enumerate(blocks)])
    points = np.concatenate([g.points for g, _ in blocks])
    graph = CandidateGraph(180, 60, mentee, mentor, points)
    capacity = np.concatenate([c for _, c in blocks])
    alone = solve_optimal(graph, capacity, workers=1)
    together = solve_optimal(graph, capacity, workers=2)
    assert_feasible(graph, capacity, together)
    assert total(graph, together) == total(graph, alone)
    assert total(graph, alone) == integer_program_best(graph, capacity, lexicographic_bonus(graph))


def test_optimal_run_equals_brute_force_over_every_allowed_pair():
    """From profiles: the engine's proposal is the best over all pairs the rules allow."""
    mentees = [
        MenteeProfile(
            f"e{i}", "teacher-teacher", organisation="o1", request_text=text, availability=SLOT
        )
        for i, text in enumerate(
            ["классное руководство", "ОГЭ по математике", "цифровые инструменты", "проекты"]
        )
    ]
    mentors = [
        MentorProfile(
            "r0",
            "teacher-teacher",
            organisation="o1",
            about_text="готовлю к ОГЭ",
            availability=SLOT,
        ),
        MentorProfile(
            "r1",
            "teacher-teacher",
            organisation="o1",
            capacity=1,
            competencies=("Классное руководство", "проекты"),
            availability=SLOT,
        ),
        MentorProfile(
            "r2",
            "teacher-teacher",
            organisation="o1",
            capacity=1,
            experience_years=9,
            availability=SLOT,
        ),
    ]
    run = prepare_run(mentees, mentors, Weights(), Constraints(), RunOptions(), {})
    assert run.graph.size == len(mentees) * len(mentors)
    bonus = lexicographic_bonus(run.graph)
    best = brute_force_best(run.graph, run.population.capacity, bonus)
    summary = run_matching(mentees, mentors).summary
    assert summary.total_points + bonus * summary.matched == best
