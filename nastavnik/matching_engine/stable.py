"""Stable mode: deferred acceptance (Gale–Shapley with capacities) on ranked preferences.

Everybody ranks their candidates: first the people they named after the group meeting, in the
order they gave, then the rest by score. The proposing side gets its best stable partners.

Proposals are made in rounds, all free proposers at once, with numpy: the outcome of deferred
acceptance does not depend on the order of proposals, so the rounds give the same matching as
the textbook one-at-a-time loop. Each mentor's held mentees live in a run of ``capacity`` slots,
so a round costs only what its proposals touch.

The result comes with a certificate: the number of blocking pairs (a mentee and a mentor who
would both rather have each other than what they got) — zero for a stable matching.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nastavnik.matching_engine.candidates import CandidateGraph
from nastavnik.matching_engine.model import SCORE_SCALE, Proposer
from nastavnik.matching_engine.population import (
    UNMATCHED,
    index_ranges,
    place_in_group,
    sort_order,
)

_EMPTY = -1
_NOT_RANKED = np.iinfo(np.int32).max


@dataclass(frozen=True, slots=True)
class RankedPreferences:
    """Acceptable pairs with each side's rank of the other (0 = first choice), sorted by mentee
    and then the mentee's rank."""

    n_mentees: int
    n_mentors: int
    mentee: np.ndarray
    mentor: np.ndarray
    mentee_rank: np.ndarray
    mentor_rank: np.ndarray
    points: np.ndarray

    @property
    def size(self) -> int:
        return int(self.mentee.size)


def _rank_within(group: np.ndarray, group_span: int, *keys: tuple[np.ndarray, int]) -> np.ndarray:
    """Rank of every entry inside its group by the keys (most significant first)."""
    order = sort_order((group, group_span), *keys, distinct=True)
    rank = np.empty(group.size, dtype=np.int32)
    rank[order] = place_in_group(group[order])
    return rank


def _given_first(given: np.ndarray) -> tuple[np.ndarray, int]:
    """Ranks given (1, 2 …) as they are, then everyone not ranked."""
    not_ranked = int(given.max(initial=0)) + 1
    return np.where(given > 0, given, not_ranked), not_ranked + 1


def ranked_preferences(
    graph: CandidateGraph, mentee_given: np.ndarray, mentor_given: np.ndarray
) -> RankedPreferences:
    """Complete rank lists over the candidate graph: ranks given after the group meeting
    (``*_given``: 1, 2 … per edge, 0 for none) first, the rest by points, then by index."""
    by_points = (SCORE_SCALE - graph.points.astype(np.int64), SCORE_SCALE + 1)
    mentee_rank = _rank_within(
        graph.mentee,
        graph.n_mentees,
        _given_first(mentee_given),
        by_points,
        (graph.mentor, graph.n_mentors),
    )
    mentor_rank = _rank_within(
        graph.mentor,
        graph.n_mentors,
        _given_first(mentor_given),
        by_points,
        (graph.mentee, graph.n_mentees),
    )
    order = sort_order(
        (graph.mentee, graph.n_mentees), (mentee_rank, int(mentee_rank.max(initial=0)) + 1)
    )
    return RankedPreferences(
        graph.n_mentees,
        graph.n_mentors,
        graph.mentee[order],
        graph.mentor[order],
        mentee_rank[order],
        mentor_rank[order],
        graph.points[order],
    )


@dataclass(frozen=True, slots=True)
class _Side:
    """Entries of a preference list sorted by owner (the proposer) and the owner's rank."""

    owner: np.ndarray
    target: np.ndarray
    target_rank: np.ndarray
    owner_capacity: np.ndarray
    target_capacity: np.ndarray


def _distinct(values: np.ndarray, size: int) -> np.ndarray:
    """The distinct values, sorted, of an array of small non-negative integers (a mask is
    cheaper than numpy's unique for the many small rounds of deferred acceptance)."""
    seen = np.zeros(size, dtype=np.bool_)
    seen[values] = True
    return np.flatnonzero(seen)


def _deferred_acceptance(side: _Side) -> np.ndarray:
    """For every target's slot the entry it holds at the end (``_EMPTY`` if none)."""
    n_owners, n_targets = side.owner_capacity.size, side.target_capacity.size
    list_start = np.searchsorted(side.owner, np.arange(n_owners + 1))
    next_entry = list_start[:-1].copy()
    holding = np.zeros(n_owners, dtype=np.int64)
    slot_start = np.zeros(n_targets + 1, dtype=np.int64)
    np.cumsum(side.target_capacity, out=slot_start[1:])
    slots = np.full(int(slot_start[-1]), _EMPTY, dtype=np.int64)
    rank_span = int(side.target_rank.max(initial=0)) + 1

    active = np.flatnonzero(list_start[1:] > list_start[:-1])
    while active.size:
        free = side.owner_capacity[active] - holding[active]
        count = np.minimum(free, list_start[active + 1] - next_entry[active])
        proposals = index_ranges(next_entry[active], count)
        next_entry[active] += count
        if proposals.size == 0:
            break
        targets = _distinct(side.target[proposals], n_targets)
        their_slots = index_ranges(slot_start[targets], side.target_capacity[targets])
        held = slots[their_slots]
        held = held[held != _EMPTY]
        contest = np.concatenate([held, proposals])
        key = side.target[contest].astype(np.int64) * rank_span + side.target_rank[contest]
        # A mentor ranks each mentee once: no ties, so the faster unstable sort will do.
        contest = contest[np.argsort(key)]
        contest_target = side.target[contest]
        place = place_in_group(contest_target)
        kept = place < side.target_capacity[contest_target]
        slots[their_slots] = _EMPTY
        slots[slot_start[contest_target[kept]] + place[kept]] = contest[kept]
        np.add.at(holding, side.owner[proposals], 1)
        rejected = contest[~kept]
        np.subtract.at(holding, side.owner[rejected], 1)
        active = _distinct(side.owner[rejected], n_owners)
        active = active[next_entry[active] < list_start[active + 1]]
    return slots


def _held_entries(slots: np.ndarray) -> np.ndarray:
    return slots[slots != _EMPTY]


def deferred_acceptance(
    prefs: RankedPreferences, capacity: np.ndarray, proposer: Proposer = Proposer.MENTEE
) -> np.ndarray:
    """The mentor of every mentee (``UNMATCHED`` for none) in the proposer-optimal stable
    matching. ``capacity`` is each mentor's number of free places."""
    ones = np.ones(prefs.n_mentees, dtype=np.int64)
    capacity = capacity.astype(np.int64)
    mentor_of = np.full(prefs.n_mentees, UNMATCHED, dtype=np.int32)
    if proposer == Proposer.MENTEE:
        side = _Side(prefs.mentee, prefs.mentor, prefs.mentor_rank, ones, capacity)
        held = _held_entries(_deferred_acceptance(side))
    else:
        order = sort_order(
            (prefs.mentor, prefs.n_mentors),
            (prefs.mentor_rank, int(prefs.mentor_rank.max(initial=0)) + 1),
            distinct=True,
        )
        side = _Side(
            prefs.mentor[order], prefs.mentee[order], prefs.mentee_rank[order], capacity, ones
        )
        held = order[_held_entries(_deferred_acceptance(side))]
    mentor_of[prefs.mentee[held]] = prefs.mentor[held]
    return mentor_of


def blocking_pairs(
    prefs: RankedPreferences, capacity: np.ndarray, mentor_of: np.ndarray
) -> np.ndarray:
    """Positions of the acceptable pairs that block ``mentor_of``: the mentee is free or ranks
    the mentor above its own, and the mentor has a free place or ranks the mentee above the
    worst mentee it holds."""
    held = prefs.mentor == mentor_of[prefs.mentee]
    current = np.full(prefs.n_mentees, _NOT_RANKED, dtype=np.int64)
    current[prefs.mentee[held]] = prefs.mentee_rank[held]
    filled = np.bincount(prefs.mentor[held], minlength=prefs.n_mentors)
    worst = np.full(prefs.n_mentors, -1, dtype=np.int64)
    np.maximum.at(worst, prefs.mentor[held], prefs.mentor_rank[held])
    mentee_wants = prefs.mentee_rank < current[prefs.mentee]
    mentor_wants = (filled[prefs.mentor] < capacity[prefs.mentor]) | (
        prefs.mentor_rank < worst[prefs.mentor]
    )
    return np.flatnonzero(mentee_wants & mentor_wants)
