"""Results that hold over every admissible pair, not only over the top-k candidate lists.

The lists keep a region sparse, but a mentee's 31st mentor, or one in a large pool that shares
no term, is still a mentor the rules allow. Two checks, each extending the lists of the mentees
concerned (to every admissible mentor) and solving again until nothing is left to find:

* optimal mode — **no mentee left alone who could be matched**: first, a mentor in few lists
  (fewer than three times its places) is offered to some mentees in reach — its admissible
  pairs with them join the lists — since otherwise it keeps a free place the search below finds,
  and the component is solved a second time. Then an alternating search from the
  mentees left without a mentor, over the lists and, for a list that is not complete, over every
  mentor of the mentee's blocks (a superset of its admissible mentors). If it reaches no mentor
  with a free place there is no augmenting path in the full admissible graph (Berge), so the
  number matched is the most the full graph allows; if it does, the incomplete lists on the way
  are extended and the flow solved again.
* stable mode — **no blocking pair among all admissible pairs**: a mentee matched within a list
  that starts with its best candidates cannot prefer a mentor outside it; the other mentees
  (those left alone, and those whose match scores no more than the bound on what the list left
  out) have their full lists checked, and where a blocking pair is found the lists are
  extended and deferred acceptance runs again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from nastavnik.matching_engine.candidates import (
    CandidateGraph,
    Reach,
    admissible,
    admissible_pairs,
    best_per_mentee,
    extended,
)
from nastavnik.matching_engine.model import SCORE_SCALE, Constraints, Weights
from nastavnik.matching_engine.optimal import _components
from nastavnik.matching_engine.population import UNMATCHED, Population, index_ranges
from nastavnik.matching_engine.scoring import pair_keys

#: Rounds of extending and solving again; each round completes at least one list, and in
#: practice one or two rounds settle a region.
MAX_ROUNDS = 12
#: A mentor in fewer lists than this many times its places is offered before the first solve.
SHORT_LIST_FACTOR = 3
#: Of the mentees in reach of such a mentor, this many times the top k are checked.
OFFER_CHECKED = 2
#: Pairs checked at once when offering those mentors; bounds the memory.
OFFER_PAIRS = 1_000_000
#: A large odd number: where each offered mentor starts among the mentees of its block.
_SPREAD = 2_654_435_761


@dataclass(slots=True)
class GrowingLists:
    """The candidate graph as it grows, and which mentees' lists are complete."""

    pop: Population
    weights: Weights
    constraints: Constraints
    excluded_keys: np.ndarray
    reach: Reach
    graph: CandidateGraph
    complete: np.ndarray
    extended_mentees: int = 0
    #: Pairs checked outside the lists and found not admissible (sorted pair keys).
    rejected_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: Pairs checked one by one outside the lists.
    pairs_checked: int = 0

    def check_pairs(self, mi: np.ndarray, mj: np.ndarray) -> np.ndarray:
        """Check pairs outside the lists: admissible ones join the graph, the others are
        remembered as rejected. Returns the mentees that gained an edge."""
        ok, points = admissible(
            self.pop, self.weights, self.constraints, self.excluded_keys, mi, mj
        )
        keys = pair_keys(self.pop, mi, mj)
        self.rejected_keys = np.sort(np.concatenate([self.rejected_keys, keys[~ok]]))
        self.pairs_checked += int(mi.size)
        if ok.any():
            self.graph = extended(self.pop, self.graph, mi[ok], mj[ok], points[ok])
        return np.unique(mi[ok])

    def full_lists(self, mentees: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return admissible_pairs(
            self.pop, self.weights, self.constraints, self.excluded_keys, mentees
        )

    def extend(
        self, mentees: np.ndarray, found: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    ) -> None:
        mentees = mentees[~self.complete[mentees]]
        if mentees.size == 0:
            return
        mi, mj, points = self.full_lists(mentees) if found is None else found
        keep = np.isin(mi, mentees)
        self.graph = extended(self.pop, self.graph, mi[keep], mj[keep], points[keep])
        self.complete[mentees] = True
        self.extended_mentees += int(mentees.size)


def _free_places(pop: Population, places: np.ndarray, mentor_of: np.ndarray, locked: np.ndarray):
    held = mentor_of[(mentor_of != UNMATCHED) & ~locked]
    return places - np.bincount(held, minlength=places.size)


@dataclass(frozen=True, slots=True)
class Suspects:
    """What could still let one more mentee be matched: unchecked pairs (a reached mentee
    and a reached free mentor of its blocks), and, where only checked pairs lead to a free
    mentor, the incomplete lists on the paths there. Both empty: proven."""

    pairs_mentee: np.ndarray
    pairs_mentor: np.ndarray
    path_mentees: np.ndarray

    @property
    def none(self) -> bool:
        return self.pairs_mentee.size == 0 and self.path_mentees.size == 0


def augmenting_suspects(
    lists: GrowingLists, mentor_of: np.ndarray, places: np.ndarray, locked: np.ndarray
) -> Suspects:
    """An alternating search (over the lists, and over whole blocks where a list is
    incomplete) from the mentees left alone towards mentors with a free place."""
    pop, graph, reach = lists.pop, lists.graph, lists.reach
    m, n = pop.mentees.size, pop.mentors.size
    free = _free_places(pop, places, mentor_of, locked) > 0
    starts = graph.starts()
    matched = np.flatnonzero((mentor_of != UNMATCHED) & ~locked)
    holders = matched[np.argsort(mentor_of[matched], kind="stable")]
    holder_start = np.searchsorted(mentor_of[holders], np.arange(n + 1))

    mentor_parent = np.full(n, -1, dtype=np.int64)
    mentee_parent = np.full(m, -1, dtype=np.int64)
    seen_mentee = np.zeros(m, dtype=np.bool_)
    seen_block = np.zeros(reach.block_start.size - 1, dtype=np.bool_)
    frontier = np.flatnonzero(
        (mentor_of == UNMATCHED) & ~locked & pop.mentees.can_take_part
    ).astype(np.int64)
    seen_mentee[frontier] = True
    hits: list[np.ndarray] = []
    while frontier.size:
        # Over the lists.
        lengths = starts[frontier + 1] - starts[frontier]
        edge = index_ranges(starts[frontier], lengths)
        from_mentee, to_mentor = np.repeat(frontier, lengths), graph.mentor[edge].astype(np.int64)
        # Over whole blocks, for incomplete lists.
        open_list = frontier[~lists.complete[frontier]]
        blocks = reach.mentee_blocks[open_list].ravel()
        owners = np.repeat(open_list, 2)
        fresh = ~seen_block[blocks]
        blocks, owners = blocks[fresh], owners[fresh]
        blocks, first = np.unique(blocks, return_index=True)
        owners = owners[first]
        seen_block[blocks] = True
        sizes = reach.block_start[blocks + 1] - reach.block_start[blocks]
        block_mentors = reach.block_mentors[index_ranges(reach.block_start[blocks], sizes)]
        from_mentee = np.concatenate([from_mentee, np.repeat(owners, sizes)])
        to_mentor = np.concatenate([to_mentor, block_mentors.astype(np.int64)])

        new = mentor_parent[to_mentor] < 0
        to_mentor, from_mentee = to_mentor[new], from_mentee[new]
        to_mentor, first = np.unique(to_mentor, return_index=True)
        mentor_parent[to_mentor] = from_mentee[first]
        hits.append(to_mentor[free[to_mentor]])
        full = to_mentor[~free[to_mentor]]
        counts = holder_start[full + 1] - holder_start[full]
        nxt = holders[index_ranges(holder_start[full], counts)].astype(np.int64)
        via = np.repeat(full, counts)
        keep = ~seen_mentee[nxt]
        nxt, via = nxt[keep], via[keep]
        seen_mentee[nxt] = True
        mentee_parent[nxt] = via
        frontier = nxt
    empty = np.zeros(0, dtype=np.int64)
    reached = np.concatenate(hits) if hits else empty
    if reached.size == 0:
        return Suspects(empty, empty, empty)
    # The last step of a path: a reached mentee with an incomplete list and a reached free
    # mentor of its blocks. Those pairs are checked one by one (rules, exclusions).
    x, f = _block_pairs(reach, np.flatnonzero(seen_mentee & ~lists.complete), reached)
    keys = pair_keys(pop, x, f)
    # A sort, not numpy's unique: membership needs no distinct values, and unique costs more.
    known = np.sort(
        np.concatenate([lists.rejected_keys, pair_keys(pop, graph.mentee, graph.mentor)])
    )
    fresh = ~_sorted_isin(keys, known)
    if fresh.any():
        return Suspects(x[fresh], f[fresh], empty)
    # Only checked pairs reach a free mentor: a path further back uses a whole block; the
    # incomplete lists on the paths get every admissible mentor.
    real = np.zeros(n, dtype=np.bool_)
    in_graph = seen_mentee[graph.mentee]
    real[graph.mentor[in_graph]] = True
    reached = reached[real[reached]]
    if reached.size == 0:
        return Suspects(empty, empty, empty)
    # Every reached incomplete list in the blocks of those mentors gets completed at once (few
    # rounds matter more than few edges: each round solves a component again), and the
    # incomplete lists on the first paths found.
    free_blocks = np.zeros(seen_block.size, dtype=np.bool_)
    free_blocks[reach.mentor_block[reached]] = True
    near = seen_mentee & ~lists.complete & free_blocks[reach.mentee_blocks].any(axis=1)
    on_path: list[np.ndarray] = [np.flatnonzero(near)]
    mentee = mentor_parent[reached]
    while mentee.size:
        on_path.append(mentee[~lists.complete[mentee]])
        via = mentee_parent[mentee]
        mentee = mentor_parent[via[via >= 0]]
    return Suspects(empty, empty, np.unique(np.concatenate(on_path)))


def _sorted_isin(values: np.ndarray, sorted_known: np.ndarray) -> np.ndarray:
    if sorted_known.size == 0:
        return np.zeros(values.size, dtype=np.bool_)
    at = np.minimum(np.searchsorted(sorted_known, values), sorted_known.size - 1)
    return sorted_known[at] == values


def _block_pairs(
    reach: Reach, mentees: np.ndarray, mentors: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every (mentee, mentor) of the given ones where the mentor sits in one of the mentee's
    blocks."""
    mentor_block = reach.mentor_block[mentors]
    order = np.argsort(mentor_block, kind="stable")
    mentors, mentor_block = mentors[order], mentor_block[order]
    xs, fs = [], []
    for column in range(reach.mentee_blocks.shape[1]):
        block = reach.mentee_blocks[mentees, column]
        lo = np.searchsorted(mentor_block, block, side="left")
        hi = np.searchsorted(mentor_block, block, side="right")
        count = hi - lo
        xs.append(np.repeat(mentees, count))
        fs.append(mentors[index_ranges(lo, count)])
    x, f = np.concatenate(xs).astype(np.int64), np.concatenate(fs).astype(np.int64)
    return x, f


def _touched(graph: CandidateGraph, mentees: np.ndarray) -> CandidateGraph:
    """The edges of the graph's components that hold any of the mentees: the only part a
    solution changes in when those mentees' lists grow."""
    label = _components(graph.mentee, graph.mentor, graph.n_mentees, graph.n_mentors)
    wanted = np.zeros(label.max(initial=0) + 1, dtype=np.bool_)
    wanted[label[mentees]] = True
    keep = wanted[label[graph.mentee]]
    return CandidateGraph(
        graph.n_mentees, graph.n_mentors, graph.mentee[keep], graph.mentor[keep], graph.points[keep]
    )


def offer_listless_mentors(
    lists: GrowingLists, places: np.ndarray, locked: np.ndarray, per_mentor: int
) -> None:
    """Before the first solve: a mentor in fewer lists than twice its places is likely to keep
    a free place while mentees of its blocks are left alone (few mentees' top k hold it), and
    the check after the solve would then find it and solve the whole component again. So its
    pairs with up to ``OFFER_CHECKED`` times ``per_mentor`` mentees in reach whose lists are
    incomplete (consecutive ones from a place that differs from mentor to mentor, so that the
    mentors of one block meet different mentees) are checked one by one now, and the best
    ``per_mentor`` admissible ones per mentor join the lists: one solve instead of two, most
    of the time. It only adds candidates; what is proved afterwards is proved as before."""
    pop, graph, reach = lists.pop, lists.graph, lists.reach
    in_lists = np.bincount(graph.mentor, minlength=pop.mentors.size)
    short = np.flatnonzero(
        pop.mentors.can_take_part & (places > 0) & (in_lists < SHORT_LIST_FACTOR * places)
    )
    open_mentee = np.flatnonzero(pop.mentees.can_take_part & ~lists.complete & ~locked)
    if short.size == 0 or open_mentee.size == 0:
        return
    per_mentor = max(1, per_mentor)
    # The open mentees of every block (CSR over blocks).
    blocks = reach.mentee_blocks[open_mentee].ravel()
    owners = np.repeat(open_mentee, reach.mentee_blocks.shape[1])
    order = np.argsort(blocks, kind="stable")
    blocks, owners = blocks[order], owners[order]
    block_start = np.searchsorted(blocks, np.arange(reach.block_start.size))
    first = block_start[reach.mentor_block[short]]
    in_block = block_start[reach.mentor_block[short] + 1] - first
    counts = np.minimum(in_block, OFFER_CHECKED * per_mentor)
    offset = (short.astype(np.int64) * _SPREAD) % np.maximum(in_block, 1)
    # Mentors in chunks of about OFFER_PAIRS pairs.
    chunk_of = np.cumsum(counts) // OFFER_PAIRS
    for chunk in np.unique(chunk_of):
        at = chunk_of == chunk
        mj = np.repeat(short[at], counts[at])
        step = index_ranges(np.zeros(int(at.sum()), dtype=np.int64), counts[at])
        position = (np.repeat(offset[at], counts[at]) + step) % np.repeat(in_block[at], counts[at])
        mi = owners[np.repeat(first[at], counts[at]) + position]
        if mi.size == 0:
            continue
        ok, points = admissible(pop, lists.weights, lists.constraints, lists.excluded_keys, mi, mj)
        lists.pairs_checked += int(mi.size)
        keys = pair_keys(pop, mi, mj)
        lists.rejected_keys = np.sort(np.concatenate([lists.rejected_keys, keys[~ok]]))
        mi, mj, points = mi[ok], mj[ok], points[ok]
        best = best_per_mentee(mj, mi, points, per_mentor, pop.mentees.size)
        if best.size:
            lists.graph = extended(pop, lists.graph, mi[best], mj[best], points[best])


def complete_for_matching(
    lists: GrowingLists,
    solve: Callable[[CandidateGraph], np.ndarray],
    places: np.ndarray,
    locked: np.ndarray,
    per_mentor: int = 30,
) -> tuple[np.ndarray, bool, int]:
    """Offer the mentors in too few lists (``offer_listless_mentors``), solve, extend the
    lists that could let one more mentee be matched, solve again — only the components the
    extended lists belong to, the rest keeps its (optimal) solution. Returns the matching,
    whether it is proven to match as many as the full graph allows, and the rounds."""
    offer_listless_mentors(lists, places, locked, per_mentor)
    mentor_of = solve(lists.graph)
    for round_ in range(1, MAX_ROUNDS + 1):
        suspects = augmenting_suspects(lists, mentor_of, places, locked)
        if suspects.none:
            return mentor_of, True, round_
        if suspects.pairs_mentee.size:
            grown = lists.check_pairs(suspects.pairs_mentee, suspects.pairs_mentor)
        else:
            grown = suspects.path_mentees[~lists.complete[suspects.path_mentees]]
            lists.extend(grown)
        if grown.size == 0:
            continue
        part = _touched(lists.graph, grown)
        moved = np.zeros(mentor_of.size, dtype=np.bool_)
        moved[part.mentee] = True
        moved &= ~locked
        again = solve(part)
        mentor_of = np.where(moved, again, mentor_of)
    return mentor_of, False, MAX_ROUNDS


def _key(given: np.ndarray, points: np.ndarray, other: np.ndarray, span: int) -> np.ndarray:
    """A side's preference as one number, smaller is better: ranks given first, then points,
    then the other's index — the order ``stable.ranked_preferences`` uses."""
    not_given = np.iinfo(np.int32).max // 2
    rank = np.where(given > 0, given, not_given).astype(np.int64)
    return (rank * (SCORE_SCALE + 1) + (SCORE_SCALE - points.astype(np.int64))) * span + other


@dataclass(frozen=True, slots=True)
class OutsideCheck:
    blocking_mentees: np.ndarray
    blocking_pairs: int
    pairs_checked: int
    found: tuple[np.ndarray, np.ndarray, np.ndarray]


def blocking_outside(
    lists: GrowingLists, mentor_of: np.ndarray, places: np.ndarray, locked: np.ndarray
) -> OutsideCheck:
    """Blocking pairs among the full lists of the mentees whose list could hide one."""
    pop, graph = lists.pop, lists.graph
    m, n = pop.mentees.size, pop.mentors.size
    points_of = np.full(m, -1, dtype=np.int64)
    in_graph = mentor_of[graph.mentee] == graph.mentor
    points_of[graph.mentee[in_graph]] = graph.points[in_graph]
    matched = (mentor_of != UNMATCHED) & ~locked
    current_given = np.zeros(m, dtype=np.int64)
    idx = np.flatnonzero(matched)
    current_given[idx] = pop.mentee_ranks.lookup(pair_keys(pop, idx, mentor_of[idx]))
    # A matched mentee whose list holds all its best candidates prefers its mentor to anyone
    # outside: named mentors are always in the list, the rest score at most the bound.
    safe = matched & ((current_given > 0) | (points_of > lists.reach.outside_bound))
    to_check = np.flatnonzero(~lists.complete & ~safe & ~locked & pop.mentees.can_take_part)
    empty = np.zeros(0, dtype=np.int64)
    if to_check.size == 0:
        return OutsideCheck(empty, 0, 0, (empty, empty, empty))
    mi, mj, points = lists.full_lists(to_check)
    keys = pair_keys(pop, mi, mj)
    mentee_key = _key(pop.mentee_ranks.lookup(keys), points, mj, n)
    current_key = np.full(m, np.iinfo(np.int64).max, dtype=np.int64)
    current_key[idx] = _key(current_given[idx], points_of[idx], mentor_of[idx], n)
    mentee_wants = mentee_key < current_key[mi]

    free = _free_places(pop, places, mentor_of, locked)
    held_keys = pair_keys(pop, idx, mentor_of[idx])
    held_mentor_key = _key(pop.mentor_ranks.lookup(held_keys), points_of[idx], idx, m)
    worst = np.full(n, -1, dtype=np.int64)
    np.maximum.at(worst, mentor_of[idx], held_mentor_key)
    mentor_key = _key(pop.mentor_ranks.lookup(keys), points, mi, m)
    mentor_wants = (free[mj] > 0) | (mentor_key < worst[mj])
    blocking = mentee_wants & mentor_wants & (mentor_of[mi] != mj)
    return OutsideCheck(
        np.unique(mi[blocking]).astype(np.int64),
        int(blocking.sum()),
        int(mi.size),
        (mi, mj, points),
    )
