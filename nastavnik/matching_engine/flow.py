"""One min-cost-flow problem, solved by OR-Tools.

Kept apart from the rest of the engine so that a worker process imports only numpy and
OR-Tools: the package itself loads its modules lazily.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow


@dataclass(frozen=True, slots=True)
class Bundle:
    """Some whole components of the candidate graph, mentees and mentors renumbered from 0.

    ``value`` is what a pair is worth to the optimiser: its points (0…1000).
    """

    mentee: np.ndarray
    mentor: np.ndarray
    value: np.ndarray
    capacity: np.ndarray
    n_mentees: int


def solve_bundle(bundle: Bundle) -> np.ndarray:
    """Positions (in the bundle) of the edges of a best assignment: the most mentees matched,
    and of all assignments matching that many, the largest total of points.

    mentee (supply 1) ──cap 1, cost −value──▶ mentor ──cap = capacity──▶ sink

    Two phases, both exact (OR-Tools' ``solve_max_flow_with_min_cost``): a maximum flow fixes
    how many mentees can be matched, then a min-cost flow of exactly that amount picks the
    largest total. So no score, however high, is ever traded for a mentee left alone.
    """
    m, n = bundle.n_mentees, bundle.capacity.size
    sink = m + n
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([bundle.mentee, m + np.arange(n)]).astype(np.int32),
        np.concatenate([m + bundle.mentor, np.full(n, sink)]).astype(np.int32),
        np.concatenate([np.ones(bundle.mentee.size), bundle.capacity]).astype(np.int64),
        np.concatenate([-bundle.value, np.zeros(n)]).astype(np.int64),
    )
    supplies = np.zeros(m + n + 1, dtype=np.int64)
    supplies[:m] = 1
    supplies[sink] = -m
    flow.set_nodes_supplies(np.arange(m + n + 1), supplies)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    return np.flatnonzero(flow.flows(np.arange(bundle.mentee.size)) > 0).astype(np.int32)


def warm_up() -> None:
    """Nothing: submitted first so that worker processes start while the caller prepares."""
