"""A matching run from profiles to proposals: validate, index, find candidates, score, solve,
explain."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from nastavnik.matching_engine.candidates import CandidateGraph, Funnel, Reach, candidate_graph
from nastavnik.matching_engine.complete import (
    MAX_ROUNDS,
    GrowingLists,
    blocking_outside,
    complete_for_matching,
)
from nastavnik.matching_engine.explain import Outcome, explain_unmatched, impossible_choices
from nastavnik.matching_engine.model import (
    Assignment,
    Constraints,
    MatchingCertificate,
    MatchResult,
    MenteeProfile,
    MentorProfile,
    Mode,
    RunOptions,
    StabilityCertificate,
    Summary,
    Weights,
)
from nastavnik.matching_engine.optimal import solve_optimal
from nastavnik.matching_engine.population import UNMATCHED, Lists, Population, build_population
from nastavnik.matching_engine.scoring import pair_keys, pair_scores
from nastavnik.matching_engine.stable import (
    RankedPreferences,
    blocking_pairs,
    deferred_acceptance,
    ranked_preferences,
)
from nastavnik.matching_engine.validate import check_lock_rules, validate_run


@contextmanager
def _timed(timings: dict[str, float], step: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[step] = time.perf_counter() - start


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A run builds millions of small acyclic objects (profiles' columns, scores, reasons);
    Python's cyclic collector would rescan the whole heap again and again meanwhile, which
    costs more than the run itself. Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class Locks:
    mentee: np.ndarray
    mentor: np.ndarray

    def places_left(self, capacity: np.ndarray) -> np.ndarray:
        return capacity - np.bincount(self.mentor, minlength=capacity.size).astype(capacity.dtype)

    def mentee_mask(self, n_mentees: int) -> np.ndarray:
        mask = np.zeros(n_mentees, dtype=np.bool_)
        mask[self.mentee] = True
        return mask


def _locks(pop: Population, constraints: Constraints) -> Locks:
    pairs = sorted(constraints.locks, key=repr)
    return Locks(
        np.array([pop.mentee_index[a] for a, _ in pairs], dtype=np.int32),
        np.array([pop.mentor_index[b] for _, b in pairs], dtype=np.int32),
    )


def _excluded_keys(pop: Population, constraints: Constraints) -> np.ndarray:
    keys = [
        pop.mentee_index[a] * pop.pair_base + pop.mentor_index[b] for a, b in constraints.exclusions
    ]
    return np.sort(np.array(keys, dtype=np.int64))


def _ranks_on(pop: Population, mi: np.ndarray, mj: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keys = pair_keys(pop, mi, mj)
    return pop.mentee_ranks.lookup(keys), pop.mentor_ranks.lookup(keys)


def stable_preferences(
    pop: Population, graph: CandidateGraph, locks: Locks, capacity: np.ndarray
) -> RankedPreferences:
    """Rank lists over the candidates still open: locked mentees and full mentors drop out."""
    open_edge = ~locks.mentee_mask(graph.n_mentees)[graph.mentee] & (capacity[graph.mentor] > 0)
    open_graph = CandidateGraph(
        graph.n_mentees,
        graph.n_mentors,
        graph.mentee[open_edge],
        graph.mentor[open_edge],
        graph.points[open_edge],
    )
    mentee_given, mentor_given = _ranks_on(pop, open_graph.mentee, open_graph.mentor)
    return ranked_preferences(open_graph, mentee_given, mentor_given)


def _solve_stable_once(
    pop: Population, graph: CandidateGraph, locks: Locks, options: RunOptions
) -> tuple[np.ndarray, RankedPreferences, int]:
    places = locks.places_left(pop.capacity)
    prefs = stable_preferences(pop, graph, locks, places)
    mentor_of = deferred_acceptance(prefs, places, options.proposer)
    blocking = blocking_pairs(prefs, places, mentor_of)
    mentor_of[locks.mentee] = locks.mentor
    return mentor_of, prefs, int(blocking.size)


def _solve_stable(
    lists: GrowingLists, locks: Locks, options: RunOptions
) -> tuple[np.ndarray, RankedPreferences, StabilityCertificate]:
    """Deferred acceptance on the lists, then the check over every admissible pair; where it
    finds a blocking pair outside the lists, those mentees' lists are completed and deferred
    acceptance runs again."""
    pop = lists.pop
    places = locks.places_left(pop.capacity)
    locked = locks.mentee_mask(pop.mentees.size)
    for _ in range(MAX_ROUNDS):
        mentor_of, prefs, inside = _solve_stable_once(pop, lists.graph, locks, options)
        outside = blocking_outside(lists, mentor_of, places, locked)
        if outside.blocking_pairs == 0:
            break
        lists.extend(outside.blocking_mentees, outside.found)
    mi, mj, _ = outside.found
    in_lists = np.isin(
        pair_keys(pop, mi, mj), pair_keys(pop, lists.graph.mentee, lists.graph.mentor)
    )
    beyond = int((~in_lists).sum())
    certificate = StabilityCertificate(
        options.proposer,
        inside + outside.blocking_pairs,
        prefs.size + beyond,
        outside_pairs_checked=beyond,
        lists_extended=lists.extended_mentees,
        all_admissible=outside.blocking_pairs == 0,
    )
    return mentor_of, prefs, certificate


def _assignments(
    pop: Population, mentor_of: np.ndarray, locked: np.ndarray, weights: Weights
) -> tuple[list[Assignment], np.ndarray]:
    mi = np.flatnonzero(mentor_of != UNMATCHED).astype(np.int32)
    mj = mentor_of[mi]
    scores = pair_scores(pop, mi, mj, weights)
    mentee_rank, mentor_rank = _ranks_on(pop, mi, mj)
    points_of = np.zeros(mentor_of.size, dtype=np.int32)
    points_of[mi] = [s.points for s in scores]
    assignments = [
        Assignment(
            mentee_id=pop.mentees.ids[i],
            mentor_id=pop.mentors.ids[j],
            score=score,
            mentee_rank=given_by_mentee or None,
            mentor_rank=given_by_mentor or None,
            locked=is_locked,
        )
        for i, j, score, given_by_mentee, given_by_mentor, is_locked in zip(
            mi.tolist(),
            mj.tolist(),
            scores,
            mentee_rank.tolist(),
            mentor_rank.tolist(),
            locked[mi].tolist(),
            strict=True,
        )
    ]
    return assignments, points_of


def _mean_of_given(ranks: list[int | None]) -> float | None:
    given = [r for r in ranks if r is not None]
    return sum(given) / len(given) if given else None


def summarise(mode: Mode, assignments: Sequence[Assignment], n_mentees: int) -> Summary:
    total = sum(a.score.points for a in assignments)
    matched = len(assignments)
    return Summary(
        mode=mode,
        matched=matched,
        unmatched=n_mentees - matched,
        total_points=total,
        mean_points=total / matched if matched else 0.0,
        mean_mentee_rank=_mean_of_given([a.mentee_rank for a in assignments]),
        mean_mentor_rank=_mean_of_given([a.mentor_rank for a in assignments]),
        ranked_pairs=sum(1 for a in assignments if a.mentee_rank or a.mentor_rank),
    )


@dataclass(frozen=True, slots=True)
class PreparedRun:
    """Everything before the solver: the people as arrays, the locks and the candidates."""

    population: Population
    locks: Locks
    graph: CandidateGraph
    funnel: Funnel
    reach: Reach
    excluded_keys: np.ndarray


def prepare_run(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    weights: Weights,
    constraints: Constraints,
    options: RunOptions,
    timings: dict[str, float],
) -> PreparedRun:
    """Validate, index and search candidates; what both modes (and the benchmark) start from.
    Each step's seconds go into ``timings``."""
    with _timed(timings, "validate"):
        validate_run(mentees, mentors, weights, constraints, options)
    with _timed(timings, "index"):
        pop = build_population(mentees, mentors, constraints)
        locks = _locks(pop, constraints)
        check_lock_rules(pop, locks.mentee, locks.mentor, constraints)
    with _timed(timings, "candidates"):
        excluded = _excluded_keys(pop, constraints)
        graph, funnel, reach = candidate_graph(pop, weights, constraints, options, excluded)
    return PreparedRun(pop, locks, graph, funnel, reach, excluded)


def run_matching(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    weights: Weights | None = None,
    constraints: Constraints | None = None,
    options: RunOptions | None = None,
    executor: Executor | None = None,
) -> MatchResult:
    """Propose pairs (groups, in group forms) for one run. Raises EngineInputError for bad
    input before computing anything; never changes its arguments.

    A large optimal run solves its flow problems in worker processes: started for the run, or
    taken from ``executor`` (see ``optimal.start_pool``) when the caller keeps one.
    """
    with _collector_paused():
        return _run(
            mentees,
            mentors,
            weights or Weights(),
            constraints or Constraints(),
            options or RunOptions(),
            executor,
        )


def _run(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    weights: Weights,
    constraints: Constraints,
    options: RunOptions,
    executor: Executor | None,
) -> MatchResult:
    timings: dict[str, float] = {}
    run = prepare_run(mentees, mentors, weights, constraints, options, timings)
    pop, locks = run.population, run.locks
    certificate = matching_certificate = None
    lists = GrowingLists(
        pop,
        weights,
        constraints,
        run.excluded_keys,
        run.reach,
        run.graph,
        run.reach.complete.copy(),
    )
    with _timed(timings, "solve"):
        if options.mode == Mode.OPTIMAL:

            def solve(graph: CandidateGraph) -> np.ndarray:
                return solve_optimal(
                    graph,
                    pop.capacity,
                    lock_mentee=locks.mentee,
                    lock_mentor=locks.mentor,
                    workers=options.workers,
                    executor=executor,
                )

            mentor_of, proven, rounds = complete_for_matching(
                lists,
                solve,
                locks.places_left(pop.capacity),
                locks.mentee_mask(pop.mentees.size),
                per_mentor=options.top_k,
            )
            matching_certificate = MatchingCertificate(
                proven, lists.extended_mentees, rounds, lists.pairs_checked
            )
            graph = lists.graph
            choices, choice_points = Lists(graph.starts(), graph.mentor), graph.points
        else:
            mentor_of, prefs, certificate = _solve_stable(lists, locks, options)
            choices = Lists(
                np.searchsorted(prefs.mentee, np.arange(prefs.n_mentees + 1)), prefs.mentor
            )
            choice_points = prefs.points
    with _timed(timings, "explain"):
        locked = locks.mentee_mask(pop.mentees.size)
        assignments, points_of = _assignments(pop, mentor_of, locked, weights)
        unmatched = explain_unmatched(
            pop,
            run.funnel,
            choices,
            choice_points,
            Outcome(mentor_of, points_of, locked),
            options.closest_shown,
        )
        impossible = impossible_choices(pop, constraints, run.excluded_keys)
    return MatchResult(
        assignments=tuple(assignments),
        unmatched=tuple(unmatched),
        summary=summarise(options.mode, assignments, pop.mentees.size),
        certificate=certificate,
        matching_certificate=matching_certificate,
        impossible_choices=tuple(impossible),
        timings=timings,
    )
