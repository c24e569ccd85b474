"""The sparse candidate graph: for every mentee the best few mentors it could be paired with.

A region never becomes a dense mentees × mentors table. Mentors sit in blocks — their form and
organisation, or their form and municipality when they let other organisations use the base —
and a mentee reaches two blocks: its own organisation's and its municipality's shared one.

One sparse product finds, for a batch of mentees, every mentor in reach together with the
number of request terms and subjects they share. Its columns are (block, term) pairs, so a
mentee only meets mentors of its own blocks. The values carry three counts in one integer:

    1 per shared request term, 2**10 per shared subject, 2**20 for "same block"

The "same block" column is added only where a mentee's reach is small (``pool_limit``); in a
larger pool only mentors sharing a term or a subject turn up (an inverted index), which is what
keeps a municipality of shared mentors sparse; of those, the ``pool_limit`` sharing the most
are scored. Pairs are then checked against the hard rules (one family, the role model's rules,
a common weekly slot, the curator's exclusions), scored, and the ``top_k`` best per mentee
kept. Pairs named after the group meeting join as candidates wherever the two people are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from nastavnik.matching_engine.model import (
    CRITERIA,
    SCORE_SCALE,
    Constraints,
    Criterion,
    RunOptions,
    Weights,
)
from nastavnik.matching_engine.population import Population, place_in_group, sort_order
from nastavnik.matching_engine.rules import check_pairs, common_slots
from nastavnik.matching_engine.scoring import pair_keys, point_factors, score_pairs

_SUBJECT_UNIT = 1 << 10
_SAME_BLOCK = 1 << 20
_COUNT_MASK = _SUBJECT_UNIT - 1
_OVERLAP_CRITERIA = frozenset({Criterion.REQUESTS, Criterion.SUBJECTS, Criterion.PREFERENCES})
#: Pairs scored at once; bounds the memory of the candidate search.
_PAIRS_PER_BATCH = 1_500_000


@dataclass(frozen=True, slots=True)
class CandidateGraph:
    """Edges sorted by mentee, best first. Indices are positions in the run's lists."""

    n_mentees: int
    n_mentors: int
    mentee: np.ndarray
    mentor: np.ndarray
    points: np.ndarray

    @property
    def size(self) -> int:
        return int(self.mentee.size)

    def starts(self) -> np.ndarray:
        """Where each mentee's edges begin (CSR row pointer)."""
        return np.searchsorted(self.mentee, np.arange(self.n_mentees + 1)).astype(np.int64)


@dataclass(frozen=True, slots=True)
class Funnel:
    """For every mentee, how many mentors were left after each step of the search."""

    of_form: np.ndarray
    taking_part: np.ndarray
    considered: np.ndarray
    person_rules: np.ndarray
    can_meet: np.ndarray
    not_excluded: np.ndarray


@dataclass(frozen=True, slots=True)
class Reach:
    """What the candidate lists leave out, per mentee, so that the engine can prove a result
    over every admissible pair (or extend the lists where it cannot).

    An admissible pair: same form, both taking part, the mentor with places, the mentor in one
    of the mentee's two blocks (or the pair named after the group meeting), every hard rule
    kept and not excluded by the curator.
    """

    #: The mentee's list holds every admissible mentor.
    complete: np.ndarray
    #: An upper bound on the points of any admissible mentor outside the list (−1: none).
    outside_bound: np.ndarray
    #: Per mentee its two blocks (own organisation, municipality's shared base), and the
    #: mentors of every block (CSR: ``block_mentors[block_start[b]:block_start[b + 1]]``).
    mentee_blocks: np.ndarray
    block_start: np.ndarray
    block_mentors: np.ndarray
    #: Each mentor's block.
    mentor_block: np.ndarray


@dataclass(frozen=True, slots=True)
class _Blocks:
    mentee_own: np.ndarray
    mentee_shared: np.ndarray
    mentor: np.ndarray
    count: int


def _blocks(pop: Population) -> _Blocks:
    forms, orgs = len(pop.forms), max(1, len(pop.organisations))
    munis = max(1, len(pop.municipalities))
    shared_base = forms * orgs

    def own(form: np.ndarray, org: np.ndarray) -> np.ndarray:
        return form.astype(np.int64) * orgs + org

    def shared(form: np.ndarray, muni: np.ndarray) -> np.ndarray:
        return shared_base + form.astype(np.int64) * munis + muni

    mentees, mentors = pop.mentees, pop.mentors
    mentor_block = np.where(
        pop.mentor_shared,
        shared(mentors.form, mentors.municipality),
        own(mentors.form, mentors.organisation),
    )
    return _Blocks(
        mentee_own=own(mentees.form, mentees.organisation),
        mentee_shared=shared(mentees.form, mentees.municipality),
        mentor=mentor_block,
        count=shared_base + forms * munis,
    )


def _reach(blocks: _Blocks, mentor_mask: np.ndarray) -> np.ndarray:
    per_block = np.bincount(blocks.mentor[mentor_mask], minlength=blocks.count)
    return per_block[blocks.mentee_own] + per_block[blocks.mentee_shared]


def _keyed(rows: np.ndarray, block: np.ndarray, local: np.ndarray, width: int) -> np.ndarray:
    return block[rows] * width + local


def _mentor_columns(
    pop: Population, blocks: _Blocks, mentor_ok: np.ndarray, width: int
) -> tuple[np.ndarray, sparse.csr_matrix]:
    """The mentors' (block, term) columns and the mentor × column matrix carrying the units."""
    terms_, subjects = pop.mentors.terms, pop.mentors.subjects
    n_terms, n_subjects = len(pop.terms), len(pop.subjects)
    rows = np.concatenate(
        [
            terms_.row_of_item(),
            subjects.row_of_item(),
            np.arange(pop.mentors.size, dtype=np.int32),
        ]
    )
    local = np.concatenate(
        [
            terms_.items.astype(np.int64),
            n_terms + subjects.items.astype(np.int64),
            np.full(pop.mentors.size, n_terms + n_subjects, dtype=np.int64),
        ]
    )
    units = np.concatenate(
        [
            np.ones(terms_.items.size, dtype=np.int32),
            np.full(subjects.items.size, _SUBJECT_UNIT, dtype=np.int32),
            np.full(pop.mentors.size, _SAME_BLOCK, dtype=np.int32),
        ]
    )
    keep = mentor_ok[rows]
    rows, local, units = rows[keep], local[keep], units[keep]
    keys = _keyed(rows, blocks.mentor, local, width)
    columns, column_of = np.unique(keys, return_inverse=True)
    matrix = sparse.csr_matrix(
        (units, (rows, column_of.ravel())), shape=(pop.mentors.size, columns.size)
    )
    return columns, matrix


def _mentee_matrix(
    pop: Population,
    blocks: _Blocks,
    columns: np.ndarray,
    mentee_ok: np.ndarray,
    small_pool: np.ndarray,
    width: int,
) -> sparse.csr_matrix:
    """Mentee × column ones: the mentee's terms and subjects in both of its blocks, and the
    "same block" column where its pool is small."""
    terms_, subjects = pop.mentees.terms, pop.mentees.subjects
    n_terms, n_subjects = len(pop.terms), len(pop.subjects)
    term_rows, subject_rows = terms_.row_of_item(), subjects.row_of_item()
    everyone = np.arange(pop.mentees.size, dtype=np.int32)
    local_parts = [
        terms_.items.astype(np.int64),
        n_terms + subjects.items.astype(np.int64),
        np.full(everyone.size, n_terms + n_subjects, dtype=np.int64),
    ]
    row_parts = [term_rows, subject_rows, everyone]
    keys, rows = [], []
    for block in (blocks.mentee_own, blocks.mentee_shared):
        for part_rows, local in zip(row_parts, local_parts, strict=True):
            keys.append(_keyed(part_rows, block, local, width))
            rows.append(part_rows)
    all_keys, all_rows = np.concatenate(keys), np.concatenate(rows)
    is_same_block = (all_keys % width) == n_terms + n_subjects
    wanted = mentee_ok[all_rows] & (~is_same_block | small_pool[all_rows])
    all_keys, all_rows = all_keys[wanted], all_rows[wanted]
    if columns.size == 0:
        return sparse.csr_matrix((pop.mentees.size, 0), dtype=np.int32)
    at = np.minimum(np.searchsorted(columns, all_keys), columns.size - 1)
    found = columns[at] == all_keys
    return sparse.csr_matrix(
        (np.ones(int(found.sum()), dtype=np.int32), (all_rows[found], at[found])),
        shape=(pop.mentees.size, columns.size),
    )


def _batches(expected_pairs: np.ndarray) -> list[tuple[int, int]]:
    """Contiguous mentee ranges of about ``_PAIRS_PER_BATCH`` expected pairs each."""
    cumulative = np.cumsum(expected_pairs)
    ranges, start = [], 0
    while start < expected_pairs.size:
        done = int(cumulative[start - 1]) if start else 0
        stop = int(np.searchsorted(cumulative, done + _PAIRS_PER_BATCH, side="right"))
        stop = min(max(stop, start + 1), expected_pairs.size)
        ranges.append((start, stop))
        start = stop
    return ranges


def best_per_mentee(
    mentee: np.ndarray, mentor: np.ndarray, points: np.ndarray, k: int, n_mentors: int
) -> np.ndarray:
    """Positions of each mentee's ``k`` best edges, sorted by mentee then best first (ties go to
    the lower mentor index, so runs are reproducible)."""
    order = sort_order(
        (mentee, int(mentee.max(initial=0)) + 1),
        (SCORE_SCALE - points, SCORE_SCALE + 1),
        (mentor, n_mentors),
        distinct=True,
    )
    return order[place_in_group(mentee[order]) < k]


def _strongest_overlaps(
    mentee: np.ndarray, mentor: np.ndarray, units: np.ndarray, keep: np.ndarray, limit: int
) -> None:
    """Of the pairs kept so far in large pools (``keep`` marks them), keep only each mentee's
    ``limit`` mentors sharing the most subjects, then request terms (the inverted index's own
    ranking). Changes ``keep`` in place."""
    rows = np.flatnonzero(keep)
    order = sort_order(
        (mentee[rows], int(mentee.max(initial=0)) + 1),
        (_SAME_BLOCK - units[rows], _SAME_BLOCK + 1),
        (mentor[rows], int(mentor.max(initial=0)) + 1),
        distinct=True,
    )
    ranked = rows[order]
    keep[ranked[place_in_group(mentee[ranked]) >= limit]] = False


def _reduce_sorted(ufunc: np.ufunc, out: np.ndarray, at: np.ndarray, values: np.ndarray) -> None:
    """``ufunc.at(out, at, values)`` for ``at`` sorted (pairs come grouped by mentee): one
    reduction per run of equal indices, much faster than ``ufunc.at``."""
    if at.size == 0:
        return
    first = np.flatnonzero(np.concatenate([[True], at[1:] != at[:-1]]))
    target = at[first]
    out[target] = ufunc(out[target], ufunc.reduceat(values, first))


@dataclass(slots=True)
class _Search:
    """One run's candidate search, batch after batch of mentees."""

    pop: Population
    weights: Weights
    constraints: Constraints
    options: RunOptions
    excluded_keys: np.ndarray
    mentee_matrix: sparse.csr_matrix
    by_column: sparse.csr_matrix
    large_pool: np.ndarray
    counts: dict[str, np.ndarray]
    outside_bound: np.ndarray
    mentee: list[np.ndarray] = field(default_factory=list)
    mentor: list[np.ndarray] = field(default_factory=list)
    points: list[np.ndarray] = field(default_factory=list)

    def _count(self, step: str, mask: np.ndarray, row_start: np.ndarray, start: int) -> None:
        """Per mentee of the batch, its pairs that ``mask`` marks (the pairs come grouped by
        mentee, mentee ``start + r``'s from ``row_start[r]`` to ``row_start[r + 1]``)."""
        marked = np.concatenate([[0], np.cumsum(mask, dtype=np.int64)])
        self.counts[step][start : start + row_start.size - 1] = np.diff(marked[row_start])

    def _bound_outside(
        self,
        start: int,
        stop: int,
        mi: np.ndarray,
        units: np.ndarray,
        points: np.ndarray,
        best: np.ndarray,
    ) -> None:
        """The most points an admissible mentor left out of a mentee's list can score: the
        best scored one beyond the top k, and in a large pool the best one the search never
        scored (it shares fewer subjects and terms than the weakest kept, or nothing)."""
        bound = self.outside_bound
        cut = np.ones(mi.size, dtype=np.bool_)
        cut[best] = False
        _reduce_sorted(np.maximum, bound, mi[cut], points[cut].astype(bound.dtype))
        rows = np.arange(start, stop)
        large = rows[self.large_pool[rows]]
        if large.size == 0:
            return
        weakest = np.full(self.pop.mentees.size, _SAME_BLOCK, dtype=np.int64)
        _reduce_sorted(np.minimum, weakest, mi, units.astype(weakest.dtype))
        scored = np.bincount(mi - start, minlength=stop - start)[large - start]
        # Without a cut every mentor sharing something was scored: the rest share nothing.
        was_cut = scored >= self.options.pool_limit
        s_cut = np.where(was_cut, (weakest[large] >> 10) & _COUNT_MASK, 0)
        t_cut = np.where(was_cut, weakest[large] & _COUNT_MASK, 0)
        n_terms = self.pop.mentees.terms.lengths[large].astype(np.float64)
        n_subjects = self.pop.mentees.subjects.lengths[large].astype(np.float64)
        factor = dict(zip(CRITERIA, point_factors(self.weights), strict=True))
        # Time, format, role model and experience at their best; preferences score only on
        # named pairs, which are always in the list.
        rest = sum(factor[c] for c in CRITERIA if c not in _OVERLAP_CRITERIA)

        def share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
            return np.divide(part, whole, out=np.zeros(part.size), where=whole > 0)

        same_subjects = factor[Criterion.SUBJECTS] * share(s_cut, n_subjects) + factor[
            Criterion.REQUESTS
        ] * share(np.minimum(t_cut, n_terms), n_terms)
        fewer_subjects = np.where(
            s_cut >= 1,
            factor[Criterion.SUBJECTS] * share(s_cut - 1, n_subjects)
            + factor[Criterion.REQUESTS] * (n_terms > 0),
            0.0,
        )
        never_scored = np.ceil(rest + np.maximum(same_subjects, fewer_subjects) + 1e-6)
        bound[large] = np.maximum(bound[large], never_scored.astype(np.int64))

    def batch(self, start: int, stop: int) -> None:
        pop, options = self.pop, self.options
        product = (self.mentee_matrix[start:stop] @ self.by_column).tocsr()
        row_start = product.indptr.astype(np.int64)
        rows = np.repeat(np.arange(start, stop, dtype=np.int32), np.diff(row_start))
        mi, mj, units = rows, product.indices.astype(np.int32), product.data
        del product
        self.counts["considered"][start:stop] = np.diff(row_start)
        common = common_slots(pop, mi, mj)
        checks = check_pairs(pop, mi, mj, self.constraints, common=common)
        self._count("person", checks.person_rules, row_start, start)
        keep = checks.all_rules
        self._count("meet", keep, row_start, start)
        if self.excluded_keys.size:
            keep &= ~np.isin(pair_keys(pop, mi, mj), self.excluded_keys)
        self._count("kept", keep, row_start, start)
        large = keep & self.large_pool[mi]
        if large.any():
            _strongest_overlaps(mi, mj, units, large, options.pool_limit)
            keep &= ~self.large_pool[mi] | large
        mi, mj, units, common = mi[keep], mj[keep], units[keep], common[keep]
        terms, subjects = units & _COUNT_MASK, (units >> 10) & _COUNT_MASK
        points = score_pairs(
            pop, mi, mj, self.weights, terms=terms, subjects=subjects, common=common
        )
        best = best_per_mentee(mi, mj, points, options.top_k, pop.mentors.size)
        self._bound_outside(start, stop, mi, units, points, best)
        self.mentee.append(mi[best])
        self.mentor.append(mj[best])
        self.points.append(points[best])


def _new_search(
    pop: Population,
    weights: Weights,
    constraints: Constraints,
    options: RunOptions,
    excluded_keys: np.ndarray,
    blocks: _Blocks,
    mentee_ok: np.ndarray,
    mentor_ok: np.ndarray,
    small_pool: np.ndarray,
) -> _Search:
    """A search over the mentees `mentee_ok` and the mentors `mentor_ok`; mentees in a small
    pool score every mentor in reach, the others the strongest overlaps."""
    width = len(pop.terms) + len(pop.subjects) + 1
    columns, mentor_matrix = _mentor_columns(pop, blocks, mentor_ok, width)
    return _Search(
        pop,
        weights,
        constraints,
        options,
        excluded_keys,
        mentee_matrix=_mentee_matrix(pop, blocks, columns, mentee_ok, small_pool, width),
        by_column=mentor_matrix.T.tocsr(),
        large_pool=~small_pool,
        counts={
            step: np.zeros(pop.mentees.size, dtype=np.int64)
            for step in ("considered", "person", "meet", "kept")
        },
        outside_bound=np.full(pop.mentees.size, -1, dtype=np.int64),
    )


def candidate_graph(
    pop: Population,
    weights: Weights,
    constraints: Constraints,
    options: RunOptions,
    excluded_keys: np.ndarray,
) -> tuple[CandidateGraph, Funnel, Reach]:
    blocks = _blocks(pop)
    mentee_ok = pop.mentees.can_take_part
    mentor_ok = pop.mentors.can_take_part & (pop.capacity > 0)
    of_form = _reach(blocks, np.ones(pop.mentors.size, dtype=np.bool_))
    taking_part = _reach(blocks, mentor_ok)
    small_pool = taking_part <= options.pool_limit
    search = _new_search(
        pop, weights, constraints, options, excluded_keys, blocks, mentee_ok, mentor_ok, small_pool
    )
    for start, stop in _batches(np.where(mentee_ok, taking_part, 0) + 1):
        search.batch(start, stop)
    funnel = Funnel(
        of_form=of_form,
        taking_part=taking_part,
        considered=search.counts["considered"],
        person_rules=search.counts["person"],
        can_meet=search.counts["meet"],
        not_excluded=search.counts["kept"],
    )
    complete = small_pool & (search.counts["kept"] <= options.top_k)
    block_start, block_mentors = _block_members(blocks, mentor_ok)
    reach = Reach(
        complete=complete | ~mentee_ok,
        outside_bound=np.where(complete | ~mentee_ok, -1, search.outside_bound),
        mentee_blocks=np.stack([blocks.mentee_own, blocks.mentee_shared], axis=1),
        block_start=block_start,
        block_mentors=block_mentors,
        mentor_block=blocks.mentor,
    )
    return _with_preferred_pairs(search, excluded_keys), funnel, reach


def _block_members(blocks: _Blocks, mentor_ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mentors = np.flatnonzero(mentor_ok).astype(np.int32)
    mentors = mentors[np.argsort(blocks.mentor[mentors], kind="stable")]
    start = np.searchsorted(blocks.mentor[mentors], np.arange(blocks.count + 1))
    return start.astype(np.int64), mentors


def admissible_pairs(
    pop: Population,
    weights: Weights,
    constraints: Constraints,
    excluded_keys: np.ndarray,
    mentees: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every admissible pair of the given mentees, scored: the full lists the top k and the
    pool limit leave short. Sorted by mentee, best first."""
    blocks = _blocks(pop)
    wanted = np.zeros(pop.mentees.size, dtype=np.bool_)
    wanted[mentees] = True
    mentee_ok = pop.mentees.can_take_part & wanted
    mentor_ok = pop.mentors.can_take_part & (pop.capacity > 0)
    taking_part = _reach(blocks, mentor_ok)
    everyone = int(pop.mentors.size) + 1
    options = RunOptions(top_k=everyone, pool_limit=everyone)
    small_pool = np.ones(pop.mentees.size, dtype=np.bool_)
    search = _new_search(
        pop, weights, constraints, options, excluded_keys, blocks, mentee_ok, mentor_ok, small_pool
    )
    for start, stop in _batches(np.where(mentee_ok, taking_part, 0) + 1):
        if mentee_ok[start:stop].any():
            search.batch(start, stop)
    pref_mi, pref_mj = _preferred_pairs(pop, constraints, excluded_keys)
    named = wanted[pref_mi]
    pref_mi, pref_mj = pref_mi[named], pref_mj[named]
    pref_points = score_pairs(pop, pref_mi, pref_mj, weights)
    return _merged(
        pop,
        [*search.mentee, pref_mi],
        [*search.mentor, pref_mj],
        [*search.points, pref_points],
    )


def _merged(
    pop: Population, mentee: list[np.ndarray], mentor: list[np.ndarray], points: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges made one set (each pair once), sorted by mentee and best first."""
    mi = np.concatenate(mentee).astype(np.int32)
    mj = np.concatenate(mentor).astype(np.int32)
    pts = np.concatenate(points).astype(np.int32)
    _, first = np.unique(pair_keys(pop, mi, mj), return_index=True)
    mi, mj, pts = mi[first], mj[first], pts[first]
    order = best_per_mentee(mi, mj, pts, max(mi.size, 1), pop.mentors.size)
    return mi[order], mj[order], pts[order]


def extended(
    pop: Population, graph: CandidateGraph, mi: np.ndarray, mj: np.ndarray, points: np.ndarray
) -> CandidateGraph:
    """The graph with more edges (a mentee's full list added to its top k)."""
    a, b, c = _merged(pop, [graph.mentee, mi], [graph.mentor, mj], [graph.points, points])
    return CandidateGraph(graph.n_mentees, graph.n_mentors, a, b, c)


def _keeps_rules(
    pop: Population,
    constraints: Constraints,
    excluded_keys: np.ndarray,
    mi: np.ndarray,
    mj: np.ndarray,
) -> np.ndarray:
    """Whether each pair keeps every hard rule: one form, both may take part, the mentor has
    a place, the constraints hold, and the curator has not excluded it."""
    ok = (
        (pop.mentees.form[mi] == pop.mentors.form[mj])
        & pop.mentees.can_take_part[mi]
        & pop.mentors.can_take_part[mj]
        & (pop.capacity[mj] > 0)
        & check_pairs(pop, mi, mj, constraints).all_rules
    )
    if excluded_keys.size:
        ok &= ~np.isin(pair_keys(pop, mi, mj), excluded_keys)
    return ok


def _preferred_pairs(
    pop: Population, constraints: Constraints, excluded_keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs someone named after the group meeting that keep every hard rule: they are
    candidates even outside the blocks, since the two have met."""
    base = pop.pair_base
    keys = np.union1d(pop.mentee_ranks.keys, pop.mentor_ranks.keys)
    mi, mj = (keys // base).astype(np.int32), (keys % base).astype(np.int32)
    ok = _keeps_rules(pop, constraints, excluded_keys, mi, mj)
    return mi[ok], mj[ok]


def _with_preferred_pairs(search: _Search, excluded_keys: np.ndarray) -> CandidateGraph:
    pop = search.pop
    pref_mi, pref_mj = _preferred_pairs(pop, search.constraints, excluded_keys)
    pref_points = score_pairs(pop, pref_mi, pref_mj, search.weights)
    # Named pairs come on top of the top k, never instead of them.
    mi, mj, points = _merged(
        pop,
        [*search.mentee, pref_mi],
        [*search.mentor, pref_mj],
        [*search.points, pref_points],
    )
    return CandidateGraph(pop.mentees.size, pop.mentors.size, mi, mj, points)


def admissible(
    pop: Population,
    weights: Weights,
    constraints: Constraints,
    excluded_keys: np.ndarray,
    mi: np.ndarray,
    mj: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """For pairs in reach (a mentor of the mentee's blocks), whether each is admissible, and
    its points."""
    mi, mj = mi.astype(np.int32), mj.astype(np.int32)
    ok = _keeps_rules(pop, constraints, excluded_keys, mi, mj)
    points = np.zeros(mi.size, dtype=np.int32)
    if ok.any():
        points[ok] = score_pairs(pop, mi[ok], mj[ok], weights)
    return ok, points
