"""The score of a pair: each criterion in [0, 1], weighted by the curator, in whole points.

``score = Σ weight_c × value_c / Σ weight`` scaled to 0…1000 points and rounded; the points of
each criterion are the same products rounded by largest remainder, so a pair's explanation adds
up to its score exactly. Everything works on arrays of pairs (mentee index, mentor index), and
the candidate search and the explanations run the very same arithmetic, so a pair scores the
same alone or among millions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from nastavnik.matching_engine.model import (
    CRITERIA,
    SCORE_SCALE,
    Missing,
    PairScore,
    Strictness,
    Weights,
)
from nastavnik.matching_engine.population import (
    NO_CODE,
    STRICTNESS_CODES,
    Lists,
    Population,
    index_ranges,
)
from nastavnik.matching_engine.rules import (
    FORMAT_FIT,
    common_slots,
    results_higher,
    results_rule,
    slots_known,
)

#: Two common weekly slots are enough for regular meetings; more do not make a pair better.
SLOTS_WANTED = 2
#: Where either side left the slots blank, nothing is known about time: it scores nothing
#: (the explanation says «время не указано»), never a guess.
TIME_UNKNOWN = 0.0
#: Ten years of experience count fully.
EXPERIENCE_FULL_YEARS = 10.0

_SOFT = STRICTNESS_CODES[Strictness.SOFT]
_FORMAT_FIT = FORMAT_FIT.ravel()


@dataclass(frozen=True, slots=True)
class SharedItems:
    """The items each pair has in common: ``items[pair_of_item == p]`` for pair p."""

    pair_of_item: np.ndarray
    items: np.ndarray

    def counts(self, pairs: int) -> np.ndarray:
        return np.bincount(self.pair_of_item, minlength=pairs).astype(np.int32)


def shared_items(
    left: Lists, right: Lists, universe: int, li: np.ndarray, rj: np.ndarray
) -> SharedItems:
    """The items row ``li[p]`` of ``left`` shares with row ``rj[p]`` of ``right``, per pair.

    Right's items are keyed ``row * universe + item`` and sorted once; each of left's items is
    then looked up with a binary search, so no pair-sized dense table is ever built.
    """
    lengths = left.lengths[li]
    total = int(lengths.sum())
    if total == 0 or right.items.size == 0:
        return SharedItems(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32))
    right_keys = np.sort(right.row_of_item().astype(np.int64) * universe + right.items)
    pair_of_item = np.repeat(np.arange(li.size), lengths)
    items = left.items[index_ranges(left.start[li], lengths)]
    wanted = rj[pair_of_item].astype(np.int64) * universe + items
    at = np.minimum(np.searchsorted(right_keys, wanted), right_keys.size - 1)
    found = right_keys[at] == wanted
    return SharedItems(pair_of_item[found], items[found])


def shared_terms(pop: Population, mi: np.ndarray, mj: np.ndarray) -> SharedItems:
    return shared_items(pop.mentees.terms, pop.mentors.terms, len(pop.terms), mi, mj)


def shared_subjects(pop: Population, mi: np.ndarray, mj: np.ndarray) -> SharedItems:
    return shared_items(pop.mentees.subjects, pop.mentors.subjects, len(pop.subjects), mi, mj)


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    return np.divide(part, whole, out=np.zeros(part.shape, dtype=np.float64), where=whole > 0)


def rank_value(rank: np.ndarray, list_length: np.ndarray) -> np.ndarray:
    """A first choice is worth 1, the last of n choices 1/n, no choice 0."""
    return np.where(rank > 0, _share(list_length - rank + 1, list_length), 0.0)


def pair_keys(pop: Population, mi: np.ndarray, mj: np.ndarray) -> np.ndarray:
    return mi.astype(np.int64) * pop.pair_base + mj


def preference_value(pop: Population, mi: np.ndarray, mj: np.ndarray) -> np.ndarray:
    """Mean of the two sides' rank values. Only pairs where someone gave ranks are looked up:
    after a group meeting most people name two or three others, not everyone."""
    mentee_lists = pop.mentees.preferences.lengths
    mentor_lists = pop.mentors.preferences.lengths
    value = np.zeros(mi.size, dtype=np.float64)
    named = np.flatnonzero((mentee_lists[mi] > 0) | (mentor_lists[mj] > 0))
    if named.size:
        i, j = mi[named], mj[named]
        keys = pair_keys(pop, i, j)
        by_mentee = rank_value(pop.mentee_ranks.lookup(keys), mentee_lists[i])
        by_mentor = rank_value(pop.mentor_ranks.lookup(keys), mentor_lists[j])
        value[named] = (by_mentee + by_mentor) / 2
    return value


def role_model_value(pop: Population, mi: np.ndarray, mj: np.ndarray) -> np.ndarray:
    """The mentor takes on the role model the mentee seeks, and, where the results rule is
    soft, has the higher results. A hard results rule is a filter, not a score. A mentee
    without a role model scores nothing here: unknown is not a fit."""
    sought = pop.mentee_role_model[mi]
    fits = (sought != NO_CODE) & pop.mentor_any_role_model[mj]
    check = np.flatnonzero(~fits & (sought != NO_CODE))
    if check.size:
        code = sought[check]
        word = pop.mentor_role_models[mj[check], code // 64]
        fits[check] = ((word >> (code % 64).astype(np.uint64)) & np.uint64(1)) == 1
    if pop.role_model_results_rule.size and (pop.role_model_results_rule == _SOFT).any():
        soft = results_rule(pop, mi) == _SOFT
        fits &= ~soft | results_higher(pop, mi, mj)
    return fits.astype(np.float64)


def time_value(pop: Population, mi: np.ndarray, mj: np.ndarray, common: np.ndarray) -> np.ndarray:
    fit = np.minimum(common / SLOTS_WANTED, 1.0)
    return np.where(slots_known(pop, mi, mj), fit, TIME_UNKNOWN)


def format_value(pop: Population, mi: np.ndarray, mj: np.ndarray) -> np.ndarray:
    mentee_format = pop.mentees.meeting_format[mi].astype(np.intp)
    return _FORMAT_FIT[mentee_format * 3 + pop.mentors.meeting_format[mj]]


def experience_value(pop: Population, mj: np.ndarray) -> np.ndarray:
    return np.minimum(pop.mentor_experience[mj] / EXPERIENCE_FULL_YEARS, 1.0)


def _criterion_values(
    pop: Population,
    mi: np.ndarray,
    mj: np.ndarray,
    terms: np.ndarray | None,
    subjects: np.ndarray | None,
    common: np.ndarray | None,
) -> Iterator[np.ndarray]:
    """Each criterion's values in [0, 1], one array at a time, in the order of CRITERIA.
    Overlaps the candidate search already counted are passed in, not counted again."""
    if terms is None:
        terms = shared_terms(pop, mi, mj).counts(mi.size)
    yield _share(terms, pop.mentees.terms.lengths[mi])
    if subjects is None:
        subjects = shared_subjects(pop, mi, mj).counts(mi.size)
    yield _share(subjects, pop.mentees.subjects.lengths[mi])
    yield time_value(pop, mi, mj, common_slots(pop, mi, mj) if common is None else common)
    yield format_value(pop, mi, mj)
    yield preference_value(pop, mi, mj)
    yield role_model_value(pop, mi, mj)
    yield experience_value(pop, mj)


def point_factors(weights: Weights) -> np.ndarray:
    """Points a criterion adds per unit of value: weight / Σ weights × 1000."""
    w = np.asarray(weights.as_tuple(), dtype=np.float64)
    return w * (SCORE_SCALE / w.sum())


def score_pairs(
    pop: Population,
    mi: np.ndarray,
    mj: np.ndarray,
    weights: Weights,
    *,
    terms: np.ndarray | None = None,
    subjects: np.ndarray | None = None,
    common: np.ndarray | None = None,
) -> np.ndarray:
    """Points of each pair (0…1000)."""
    total = np.zeros(mi.size, dtype=np.float64)
    values = _criterion_values(pop, mi, mj, terms, subjects, common)
    for factor, value in zip(point_factors(weights), values, strict=True):
        total += value * factor
    return np.rint(total).astype(np.int32)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Scores of some pairs, criterion by criterion."""

    points: np.ndarray
    criterion_points: np.ndarray
    values: np.ndarray


def split_points(raw: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Whole points per criterion adding up to ``points``: floors, then one more point to the
    criteria with the largest remainders (ties to the earlier criterion)."""
    floors = np.floor(raw)
    remainders = raw - floors
    deficit = points - floors.sum(axis=1).astype(np.int64)
    order = np.argsort(-remainders, axis=1, kind="stable")
    bonus = np.zeros(raw.shape, dtype=np.int64)
    place = np.arange(raw.shape[1])[None, :] < deficit[:, None]
    np.put_along_axis(bonus, order, place.astype(np.int64), axis=1)
    return floors.astype(np.int64) + bonus


def breakdown(pop: Population, mi: np.ndarray, mj: np.ndarray, weights: Weights) -> Breakdown:
    values = np.empty((mi.size, len(CRITERIA)), dtype=np.float64)
    raw = np.empty_like(values)
    total = np.zeros(mi.size, dtype=np.float64)
    columns = _criterion_values(pop, mi, mj, None, None, None)
    for c, (factor, value) in enumerate(zip(point_factors(weights), columns, strict=True)):
        values[:, c] = value
        raw[:, c] = value * factor
        total += raw[:, c]
    points = np.rint(total).astype(np.int32)
    return Breakdown(points, split_points(raw, points), values)


def _names_per_pair(found: SharedItems, names: list[str], pairs: int) -> list[tuple[str, ...]]:
    order = np.argsort(found.pair_of_item, kind="stable")
    words = [names[k] for k in found.items[order].tolist()]
    ends = np.cumsum(found.counts(pairs)).tolist()
    starts = [0, *ends[:-1]][: len(ends)]
    return [tuple(words[a:b]) for a, b in zip(starts, ends, strict=True)]


def _common_slot_names(pop: Population, mi: np.ndarray, mj: np.ndarray) -> list[tuple[str, ...]]:
    both = pop.mentees.slots[mi] & pop.mentors.slots[mj]
    bits = np.unpackbits(both.view(np.uint8), axis=1, bitorder="little")
    pair_of_item, code = np.nonzero(bits)
    return _names_per_pair(SharedItems(pair_of_item, code), pop.slots.names, mi.size)


#: What a pair's score could not know, named in its explanation (codes of ``Missing``).
def missing_data(pop: Population, mi: np.ndarray, mj: np.ndarray) -> list[tuple[str, ...]]:
    checks = (
        (Missing.MENTEE_TIME, pop.mentees.slot_count[mi] == 0),
        (Missing.MENTOR_TIME, pop.mentors.slot_count[mj] == 0),
        (Missing.ROLE_MODEL, pop.mentee_role_model[mi] == NO_CODE),
        (Missing.MENTEE_REQUEST, pop.mentees.terms.lengths[mi] == 0),
        (Missing.MENTOR_OFFER, pop.mentors.terms.lengths[mj] == 0),
        (Missing.MENTEE_SUBJECTS, pop.mentees.subjects.lengths[mi] == 0),
    )
    table = np.stack([flags for _, flags in checks], axis=1) if mi.size else None
    if table is None:
        return []
    codes = [code.value for code, _ in checks]
    return [tuple(c for c, flag in zip(codes, row, strict=True) if flag) for row in table.tolist()]


def pair_scores(
    pop: Population, mi: np.ndarray, mj: np.ndarray, weights: Weights
) -> list[PairScore]:
    """Readable scores: the numbers plus the terms, subjects and slots the two share, and the
    data that were missing."""
    found = breakdown(pop, mi, mj, weights)
    missing = missing_data(pop, mi, mj)
    weight_tuple = weights.as_tuple()
    pairs = mi.size
    terms = _names_per_pair(shared_terms(pop, mi, mj), pop.terms.names, pairs)
    subjects = _names_per_pair(shared_subjects(pop, mi, mj), pop.subjects.names, pairs)
    slots = _common_slot_names(pop, mi, mj)
    return [
        PairScore(
            points=points,
            criterion_points=tuple(criterion_points),
            criterion_values=tuple(values),
            weights=weight_tuple,
            matched_terms=matched_terms,
            matched_subjects=matched_subjects,
            common_slots=common,
            missing=lacking,
        )
        for (
            points,
            criterion_points,
            values,
            matched_terms,
            matched_subjects,
            common,
            lacking,
        ) in zip(
            found.points.tolist(),
            found.criterion_points.tolist(),
            found.values.tolist(),
            terms,
            subjects,
            slots,
            missing,
            strict=True,
        )
    ]
