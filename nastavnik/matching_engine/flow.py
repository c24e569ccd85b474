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

    ``value`` is what a pair is worth to the optimiser (points plus the match bonus).
    """

    mentee: np.ndarray
    mentor: np.ndarray
    value: np.ndarray
    capacity: np.ndarray
    n_mentees: int


def solve_bundle(bundle: Bundle) -> np.ndarray:
    """Positions (in the bundle) of the edges of a best assignment.

    mentee (supply 1) ──cap 1, cost −value──▶ mentor ──cap = capacity──▶ sink
    mentee ──cap 1, cost 0 (left without a mentor)──▶ sink
    """
    m, n = bundle.n_mentees, bundle.capacity.size
    sink = m + n
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([bundle.mentee, m + np.arange(n), np.arange(m)]).astype(np.int32),
        np.concatenate([m + bundle.mentor, np.full(n + m, sink)]).astype(np.int32),
        np.concatenate([np.ones(bundle.mentee.size), bundle.capacity, np.ones(m)]).astype(np.int64),
        np.concatenate([-bundle.value, np.zeros(n + m)]).astype(np.int64),
    )
    supplies = np.zeros(m + n + 1, dtype=np.int64)
    supplies[:m] = 1
    supplies[sink] = -m
    flow.set_nodes_supplies(np.arange(m + n + 1), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    return np.flatnonzero(flow.flows(np.arange(bundle.mentee.size)) > 0).astype(np.int32)


def warm_up() -> None:
    """Nothing: submitted first so that worker processes start while the caller prepares."""
