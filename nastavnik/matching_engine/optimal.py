"""Optimal mode, a lexicographic objective under the mentors' capacities: first the largest
number of matched mentees, then, among the assignments matching that many, the largest total
score. Over the candidate graph it is a maximum flow of minimum cost:

    mentee (supply 1) ──cap 1, cost −points──▶ mentor ──cap = capacity──▶ sink

solved in two exact phases (see ``flow.solve_bundle``), not with a bonus per matched mentee.
Costs are whole points (at most 1,000), which keeps OR-Tools' cost scaling short.
(``engine`` extends the candidate lists until no mentee could be matched on the full graph of
admissible pairs who is not matched here.)
Three things make a region fast:

* Locks are placed first and use up their mentors' places.
* The graph falls apart into independent components (blocks rarely touch each other). Where no
  mentor of a component is wanted by more mentees than it has places, everyone simply gets
  their best candidate: no flow needed.
* The remaining components are solved separately — a cost-scaling flow costs more than linearly
  in its size — small ones bundled to save call overhead, big ones spread over processes
  where cores are idle.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from nastavnik.matching_engine.candidates import CandidateGraph
from nastavnik.matching_engine.flow import Bundle, solve_bundle, warm_up
from nastavnik.matching_engine.population import UNMATCHED, place_in_group

#: Components are bundled into flow problems of about this many edges.
BUNDLE_EDGES = 60_000
#: Below this many edges left for the flow, processes cost more than they save.
PARALLEL_MIN_EDGES = 400_000
MAX_WORKERS = 4


def start_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes, started at once so that they boot while the components are found.
    A long-lived caller (a task worker) may start one and pass it to every run.

    "spawn" keeps them small and independent of the caller: a forked worker would carry (and
    be measured with) the whole region, and fork is unsafe in a threaded server. As always with
    spawn, a script calling the engine must guard its entry point with
    ``if __name__ == "__main__"``.
    """
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    for _ in range(workers):
        pool.submit(warm_up)
    return pool


def _solve_bundles(bundles: list[Bundle], pool: Executor | None) -> list[np.ndarray]:
    if pool is None or len(bundles) == 1:
        return [solve_bundle(b) for b in bundles]
    # Largest first, so that no big bundle starts last and leaves the other workers idle.
    largest_first = sorted(range(len(bundles)), key=lambda b: -bundles[b].mentee.size)
    solved = pool.map(solve_bundle, [bundles[b] for b in largest_first])
    found = dict(zip(largest_first, solved, strict=True))
    return [found[b] for b in range(len(bundles))]


def _components(mentee: np.ndarray, mentor: np.ndarray, m: int, n: int) -> np.ndarray:
    """Component label of every mentee (0…m-1) and mentor (m…m+n-1)."""
    adjacency = sparse.coo_matrix(
        (np.ones(mentee.size, dtype=np.int8), (mentee, m + mentor.astype(np.int64))),
        shape=(m + n, m + n),
    ).tocsr()
    return csgraph.connected_components(adjacency, directed=False)[1]


def _best_edges(mentee: np.ndarray) -> np.ndarray:
    """Each mentee's first edge: its best, since edges come best first."""
    first = np.ones(mentee.size, dtype=np.bool_)
    first[1:] = mentee[1:] != mentee[:-1]
    return np.flatnonzero(first)


def _grouped(group: np.ndarray) -> np.ndarray:
    """A stable order by group; small group numbers sort by radix."""
    narrow = np.int16 if group.max(initial=0) < np.iinfo(np.int16).max else np.int32
    return np.argsort(group.astype(narrow), kind="stable")


def _local_numbers(bundle_of: np.ndarray, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Number the present nodes 0, 1 … inside each bundle; also the nodes in bundle order."""
    nodes = np.flatnonzero(present)
    nodes = nodes[_grouped(bundle_of[nodes])]
    local = np.full(bundle_of.size, -1, dtype=np.int32)
    local[nodes] = place_in_group(bundle_of[nodes])
    return local, nodes


@dataclass(frozen=True, slots=True)
class _Bundled:
    bundles: list[Bundle]
    #: For each bundle, the caller's positions of its edges, in the bundle's order.
    edges: list[np.ndarray]


def _bundles(
    mentee: np.ndarray,
    mentor: np.ndarray,
    value: np.ndarray,
    capacity: np.ndarray,
    label: np.ndarray,
    m: int,
    hard: np.ndarray,
) -> _Bundled:
    """Whole contested components packed into bundles of about ``BUNDLE_EDGES`` edges, each
    with its mentees and mentors numbered from 0 (no per-bundle search or sort)."""
    if hard.size == 0:
        return _Bundled([], [])
    per_component = np.bincount(label[mentee[hard]], minlength=label.max() + 1)
    first_edge = np.cumsum(per_component) - per_component
    _, bundle_of_component = np.unique(first_edge // BUNDLE_EDGES, return_inverse=True)
    bundle_of = bundle_of_component[label]
    mentee_bundle, mentor_bundle = bundle_of[:m], bundle_of[m:]
    in_use = np.zeros(label.size, dtype=np.bool_)
    in_use[mentee[hard]] = True
    in_use[m + mentor[hard]] = True
    mentee_local, mentees = _local_numbers(mentee_bundle, in_use[:m])
    mentor_local, mentors = _local_numbers(mentor_bundle, in_use[m:])
    mentee_bounds = np.searchsorted(mentee_bundle[mentees], np.arange(bundle_of.max() + 2))
    mentor_bounds = np.searchsorted(mentor_bundle[mentors], np.arange(bundle_of.max() + 2))

    order = hard[_grouped(mentee_bundle[mentee[hard]])]
    cuts = np.flatnonzero(np.diff(mentee_bundle[mentee[order]])) + 1
    bundled = _Bundled([], [])
    for part in np.split(order, cuts):
        b = mentee_bundle[mentee[part[0]]]
        bundled.bundles.append(
            Bundle(
                mentee=mentee_local[mentee[part]],
                mentor=mentor_local[mentor[part]],
                value=value[part].astype(np.int32),
                capacity=capacity[mentors[mentor_bounds[b] : mentor_bounds[b + 1]]].astype(
                    np.int32
                ),
                n_mentees=int(mentee_bounds[b + 1] - mentee_bounds[b]),
            )
        )
        bundled.edges.append(part)
    return bundled


def _best_first(graph: CandidateGraph, edges: np.ndarray) -> np.ndarray:
    """The edges grouped by mentee, best first, as candidate graphs come; sorted if not."""
    mentee, points = graph.mentee[edges], graph.points[edges]
    same_mentee = mentee[1:] == mentee[:-1]
    if (mentee[1:] >= mentee[:-1]).all() and (~same_mentee | (points[1:] <= points[:-1])).all():
        return edges
    return edges[np.lexsort((-points.astype(np.int64), mentee))]


def default_workers(edges: int) -> int:
    """Processes for a solve of this many edges: as many as there are idle cores (up to
    ``MAX_WORKERS``). On a machine whose cores other work keeps busy, processes only add their
    start and the copying of the graph to a solve that gets no faster: one, this process.
    The result is the same either way."""
    if edges < PARALLEL_MIN_EDGES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        # The load counts this process too.
        busy = max(0.0, os.getloadavg()[0] - 1.0)
    except OSError:
        busy = 0.0
    return max(1, min(int((cores or 1) - busy), MAX_WORKERS))


def solve_optimal(
    graph: CandidateGraph,
    capacity: np.ndarray,
    *,
    lock_mentee: np.ndarray | None = None,
    lock_mentor: np.ndarray | None = None,
    excluded: np.ndarray | None = None,
    workers: int = 0,
    executor: Executor | None = None,
) -> np.ndarray:
    """The mentor of every mentee (``UNMATCHED`` for none), locks included.

    ``excluded`` is a boolean per edge of the graph the curator struck out. ``workers``: 1 for
    this process only, 0 to decide by the size of the problem. An ``executor`` given by the
    caller is used (and left running) instead of starting processes.
    """
    mentor_of = np.full(graph.n_mentees, UNMATCHED, dtype=np.int32)
    places = capacity.astype(np.int64).copy()
    if lock_mentee is not None and lock_mentor is not None and lock_mentee.size:
        mentor_of[lock_mentee] = lock_mentor
        places -= np.bincount(lock_mentor, minlength=places.size)
    usable = (mentor_of[graph.mentee] == UNMATCHED) & (places[graph.mentor] > 0)
    if excluded is not None:
        usable &= ~excluded
    edges = _best_first(graph, np.flatnonzero(usable))
    mentee, mentor = graph.mentee[edges], graph.mentor[edges]
    value = graph.points[edges].astype(np.int64)
    if edges.size == 0:
        return mentor_of

    workers = workers or default_workers(edges.size)
    own_pool = start_pool(workers) if workers > 1 and executor is None else None
    pool = (executor if workers > 1 else None) or own_pool
    try:
        best = _best_edges(mentee)
        wanted = np.bincount(mentor[best], minlength=places.size)
        label = _components(mentee, mentor, graph.n_mentees, graph.n_mentors)
        contested = np.zeros(label.max() + 1, dtype=np.bool_)
        contested[label[graph.n_mentees + np.flatnonzero(wanted > places)]] = True

        easy = best[~contested[label[mentee[best]]]]
        mentor_of[mentee[easy]] = mentor[easy]

        hard = np.flatnonzero(contested[label[mentee]])
        bundled = _bundles(mentee, mentor, value, places, label, graph.n_mentees, hard)
        solved = _solve_bundles(bundled.bundles, pool)
    finally:
        if own_pool is not None:
            own_pool.shutdown(cancel_futures=True)
    for edges_of_bundle, used in zip(bundled.edges, solved, strict=True):
        chosen = edges_of_bundle[used]
        mentor_of[mentee[chosen]] = mentor[chosen]
    return mentor_of
