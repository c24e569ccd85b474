"""The people of a run as columns of numbers, so that scoring and the rules run over millions of
candidate pairs at numpy speed instead of one Python object at a time.

Strings (forms, organisations, terms, slots …) become small integer codes; sets become CSR
lists (terms, subjects) or bit sets (weekly slots, role models), and missing numbers become NaN.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np

from nastavnik.matching_engine import text
from nastavnik.matching_engine.model import (
    DEFAULT_CAPACITY,
    Constraints,
    MeetingFormat,
    MenteeProfile,
    MentorProfile,
    PersonId,
    Strictness,
)

FORMAT_CODES = {MeetingFormat.IN_PERSON: 0, MeetingFormat.REMOTE: 1, MeetingFormat.BOTH: 2}
STRICTNESS_CODES = {Strictness.OFF: 0, Strictness.SOFT: 1, Strictness.HARD: 2}
NO_CODE = -1
#: In a mentor-of-each-mentee array: no mentor.
UNMATCHED = -1
#: Terms kept per person: a questionnaire is a few sentences, and the candidate search packs
#: shared-term counts into ten bits.
MAX_TERMS = 500


class Codes:
    """Interns strings as 0, 1, 2 … in order of first sight.

    Whole collections (a person's slots, subjects, terms) are memoised too: a region repeats
    the same few thousand of them, and interning each string again is most of the indexing.
    """

    def __init__(self, normalise: Callable[[str], str] | None = None) -> None:
        self.index: dict[str, int] = {}
        self.names: list[str] = []
        self._normalise = normalise
        self._collections: dict[Hashable, tuple[int, ...]] = {}

    def code(self, name: str) -> int:
        if self._normalise is not None:
            name = self._normalise(name)
        found = self.index.get(name)
        if found is None:
            found = self.index[name] = len(self.names)
            self.names.append(name)
        return found

    def codes(self, names: tuple[str, ...] | frozenset[str]) -> tuple[int, ...]:
        """Codes of a collection, each once; a set's in sorted order, so that runs in different
        processes (string hashing differs) explain themselves the same way."""
        found = self._collections.get(names)
        if found is None:
            ordered = sorted(names) if isinstance(names, frozenset) else names
            found = self._collections[names] = tuple(dict.fromkeys(map(self.code, ordered)))
        return found

    def __len__(self) -> int:
        return len(self.names)


@dataclass(frozen=True, slots=True)
class Lists:
    """A list of small integer lists in CSR form: row r is ``items[start[r]:start[r + 1]]``."""

    start: np.ndarray
    items: np.ndarray

    @classmethod
    def of(cls, rows: Sequence[Sequence[int]]) -> Lists:
        lengths = np.fromiter((len(row) for row in rows), dtype=np.int64, count=len(rows))
        start = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=start[1:])
        items = np.fromiter(chain.from_iterable(rows), dtype=np.int32, count=int(start[-1]))
        return cls(start, items)

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.start)

    def row(self, r: int) -> np.ndarray:
        return self.items[self.start[r] : self.start[r + 1]]

    def row_of_item(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.start) - 1, dtype=np.int32), self.lengths)


def bitsets(lists: Lists, universe: int) -> np.ndarray:
    """Each row's codes as bits of ``ceil(universe / 64)`` words (at least one)."""
    words = max(1, -(-universe // 64))
    bits = np.zeros((len(lists.start) - 1, words), dtype=np.uint64)
    items = lists.items.astype(np.int64)
    np.bitwise_or.at(
        bits,
        (lists.row_of_item(), items // 64),
        np.left_shift(np.uint64(1), (items % 64).astype(np.uint64)),
    )
    return bits


def common_bits(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Bits set in both rows, pair by pair (rows already gathered: same shape)."""
    if a.shape[1] == 1:
        return np.bitwise_count(a[:, 0] & b[:, 0]).astype(np.int32)
    return np.bitwise_count(a & b).sum(axis=1, dtype=np.int32)


_KEY_LIMIT = 1 << 62


def place_in_group(sorted_groups: np.ndarray) -> np.ndarray:
    """0, 1, 2 … within each run of equal values of a sorted array (linear, no search)."""
    n = sorted_groups.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    new_group = np.empty(n, dtype=np.bool_)
    new_group[0] = True
    np.not_equal(sorted_groups[1:], sorted_groups[:-1], out=new_group[1:])
    starts = np.flatnonzero(new_group)
    lengths = np.diff(np.append(starts, n))
    return np.arange(n) - np.repeat(starts, lengths)


def index_ranges(start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(start[k], start[k] + length[k])`` (linear, no Python loop)."""
    total = int(length.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(length) - length, length)
    return np.repeat(start, length) + offsets


def sort_order(*columns: tuple[np.ndarray, int], distinct: bool = False) -> np.ndarray:
    """Order of rows by several integer columns, most significant first; each column is given
    with its span (values lie in 0 … span-1). Ties keep their order; ``distinct`` says there are
    none (the last column tells every row apart), which allows a faster, unstable sort.

    The columns are packed into one int64 key where the spans allow it: one sort of an int64
    array is about twenty times faster than numpy's lexsort over the same columns.
    """
    span = 1
    for _, column_span in columns:
        span *= max(1, column_span)
    if span >= _KEY_LIMIT:
        return np.lexsort(tuple(column for column, _ in reversed(columns)))
    key = np.zeros(columns[0][0].size, dtype=np.int64)
    for column, column_span in columns:
        key *= max(1, column_span)
        key += column
    return np.argsort(key, kind="quicksort" if distinct else "stable")


@dataclass(slots=True)
class Side:
    """Columns shared by mentees and mentors."""

    ids: list[PersonId]
    form: np.ndarray
    organisation: np.ndarray
    municipality: np.ndarray
    family: np.ndarray
    grade: np.ndarray
    age: np.ndarray
    results: np.ndarray
    meeting_format: np.ndarray
    slots: np.ndarray
    slot_count: np.ndarray
    subjects: Lists
    terms: Lists
    consent_valid: np.ndarray
    documents_valid: np.ndarray
    eligible: np.ndarray
    #: Explicit preferences over the other side, best first, as indices of the other side.
    preferences: Lists

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def can_take_part(self) -> np.ndarray:
        return self.consent_valid & self.documents_valid & self.eligible


@dataclass(frozen=True, slots=True)
class PairRanks:
    """The ranks one side gave the other, looked up by pair key (``mentee * base + mentor``)."""

    keys: np.ndarray
    ranks: np.ndarray

    @classmethod
    def of(cls, keys: np.ndarray, ranks: np.ndarray) -> PairRanks:
        order = np.argsort(keys, kind="stable")
        return cls(keys[order], ranks[order])

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """1 for a first choice, 2 for a second …, 0 where no rank was given."""
        if self.keys.size == 0:
            return np.zeros(keys.shape, dtype=np.int32)
        at = np.minimum(np.searchsorted(self.keys, keys), self.keys.size - 1)
        return np.where(self.keys[at] == keys, self.ranks[at], 0).astype(np.int32)


def _ranks_given(preferences: Lists, base: int, *, by_mentee: bool) -> PairRanks:
    owner = preferences.row_of_item().astype(np.int64)
    other = preferences.items.astype(np.int64)
    rank = (np.arange(preferences.items.size) - preferences.start[owner] + 1).astype(np.int32)
    keys = owner * base + other if by_mentee else other * base + owner
    return PairRanks.of(keys, rank)


@dataclass(slots=True)
class Population:
    mentees: Side
    mentors: Side
    #: Role model each mentee seeks (code, or NO_CODE).
    mentee_role_model: np.ndarray
    #: Role models each mentor takes on, as bits; ``mentor_any_role_model`` when none are named.
    mentor_role_models: np.ndarray
    mentor_any_role_model: np.ndarray
    mentor_shared: np.ndarray
    mentor_experience: np.ndarray
    capacity: np.ndarray
    #: Per form code: the ученик–ученик rule (mentor older or in a higher grade).
    form_mentor_older: np.ndarray
    #: Per role-model code: the results rule as a STRICTNESS_CODES value.
    role_model_results_rule: np.ndarray
    #: The same two rules per mentee, so a pair needs one lookup.
    mentee_needs_older_mentor: np.ndarray
    mentee_results_rule: np.ndarray
    forms: Codes
    organisations: Codes
    municipalities: Codes
    terms: Codes
    subjects: Codes
    slots: Codes
    role_models: Codes
    mentee_index: dict[PersonId, int]
    mentor_index: dict[PersonId, int]
    #: Ranks mentees gave mentors, and mentors gave mentees.
    mentee_ranks: PairRanks
    mentor_ranks: PairRanks

    @property
    def pair_base(self) -> int:
        """Pairs are keyed as ``mentee * pair_base + mentor`` in one int64."""
        return max(1, self.mentors.size)


def fold(name: str) -> str:
    return " ".join(name.lower().replace("ё", "е").split())


def _number(value: float | None) -> float:
    return np.nan if value is None else float(value)


@dataclass(slots=True)
class _Interning:
    forms: Codes
    organisations: Codes
    municipalities: Codes
    families: Codes
    terms: Codes
    subjects: Codes
    slots: Codes
    role_models: Codes


def _side(
    people: Sequence[MenteeProfile] | Sequence[MentorProfile],
    term_lists: Sequence[Sequence[int]],
    preferences: list[list[int]],
    slot_lists: Lists,
    codes: _Interning,
) -> Side:
    n = len(people)
    subjects = Lists.of([codes.subjects.codes(frozenset(p.subjects)) for p in people])
    slots = bitsets(slot_lists, len(codes.slots))
    return Side(
        ids=[p.id for p in people],
        form=np.fromiter((codes.forms.code(p.form or "") for p in people), np.int32, n),
        organisation=np.fromiter(
            (codes.organisations.code(p.organisation) for p in people), np.int32, n
        ),
        municipality=np.fromiter(
            (codes.municipalities.code(p.municipality) for p in people), np.int32, n
        ),
        family=np.fromiter(
            (codes.families.code(p.family) if p.family else NO_CODE for p in people), np.int32, n
        ),
        grade=np.fromiter((_number(p.grade) for p in people), np.float64, n),
        age=np.fromiter((_number(p.age) for p in people), np.float64, n),
        results=np.fromiter((_number(p.results) for p in people), np.float64, n),
        meeting_format=np.fromiter(
            (FORMAT_CODES[MeetingFormat(p.meeting_format)] for p in people), np.int8, n
        ),
        slots=slots,
        slot_count=np.bitwise_count(slots).sum(axis=1, dtype=np.int32),
        subjects=subjects,
        terms=Lists.of(term_lists),
        consent_valid=np.fromiter((p.consent_valid for p in people), np.bool_, n),
        documents_valid=np.fromiter((p.documents_valid for p in people), np.bool_, n),
        eligible=np.fromiter((p.eligible for p in people), np.bool_, n),
        preferences=Lists.of(preferences),
    )


@lru_cache(maxsize=100_000)
def need_terms(
    topics: tuple[str, ...], request_text: str, synonyms: text.Synonyms = text.DEFAULT_SYNONYMS
) -> tuple[str, ...]:
    """What a mentee asks for: the terms of the chosen topics and of the free text."""
    return text.terms_of_all((*topics, request_text), synonyms)[:MAX_TERMS]


@lru_cache(maxsize=100_000)
def offer_terms(
    competencies: tuple[str, ...],
    about_text: str,
    subjects: frozenset[str],
    synonyms: text.Synonyms = text.DEFAULT_SYNONYMS,
) -> tuple[str, ...]:
    # A mentor who teaches a subject offers it even when the questionnaire does not say so.
    return text.terms_of_all((*competencies, about_text, *sorted(subjects)), synonyms)[:MAX_TERMS]


def effective_capacity(mentor: MentorProfile, constraints: Constraints) -> int:
    if mentor.capacity is not None:
        return mentor.capacity
    group_size = constraints.form_rules(mentor.form or "").group_size
    return group_size if group_size is not None else DEFAULT_CAPACITY


def build_population(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    constraints: Constraints,
) -> Population:
    codes = _Interning(
        forms=Codes(),
        organisations=Codes(),
        municipalities=Codes(),
        families=Codes(),
        terms=Codes(),
        subjects=Codes(fold),
        slots=Codes(fold),
        role_models=Codes(),
    )
    mentee_index = {m.id: i for i, m in enumerate(mentees)}
    mentor_index = {m.id: j for j, m in enumerate(mentors)}
    synonyms = constraints.synonyms
    mentee_terms = [
        codes.terms.codes(need_terms(tuple(m.topics), m.request_text, synonyms)) for m in mentees
    ]
    mentor_terms = [
        codes.terms.codes(
            offer_terms(tuple(m.competencies), m.about_text, frozenset(m.subjects), synonyms)
        )
        for m in mentors
    ]
    # Both sides' slots are named before either becomes bit sets, so the bits agree.
    mentee_slots = Lists.of([codes.slots.codes(frozenset(m.availability)) for m in mentees])
    mentor_slots = Lists.of([codes.slots.codes(frozenset(m.availability)) for m in mentors])
    mentee_side = _side(
        mentees,
        mentee_terms,
        [[mentor_index[p] for p in m.preferences] for m in mentees],
        mentee_slots,
        codes,
    )
    mentor_side = _side(
        mentors,
        mentor_terms,
        [[mentee_index[p] for p in m.preferences] for m in mentors],
        mentor_slots,
        codes,
    )

    mentee_role_model = np.fromiter(
        (codes.role_models.code(m.role_model) if m.role_model else NO_CODE for m in mentees),
        np.int32,
        len(mentees),
    )
    offered = Lists.of([codes.role_models.codes(frozenset(m.role_models)) for m in mentors])
    n = len(mentors)
    base = max(1, n)
    form_mentor_older = np.array(
        [constraints.form_rules(form).mentor_older for form in codes.forms.names], dtype=np.bool_
    )
    results_rules = np.array(
        [
            STRICTNESS_CODES[constraints.role_model_rules(rm).mentor_results_higher]
            for rm in codes.role_models.names
        ]
        + [STRICTNESS_CODES[Strictness.OFF]],  # the last one stands for "no role model"
        dtype=np.int8,
    )
    return Population(
        mentees=mentee_side,
        mentors=mentor_side,
        mentee_role_model=mentee_role_model,
        mentor_role_models=bitsets(offered, len(codes.role_models)),
        mentor_any_role_model=offered.lengths == 0,
        mentor_shared=np.fromiter((m.shared for m in mentors), np.bool_, n),
        mentor_experience=np.fromiter((m.experience_years for m in mentors), np.float64, n),
        capacity=np.fromiter((effective_capacity(m, constraints) for m in mentors), np.int32, n),
        form_mentor_older=form_mentor_older,
        role_model_results_rule=results_rules[:-1],
        mentee_needs_older_mentor=form_mentor_older[mentee_side.form],
        mentee_results_rule=results_rules[mentee_role_model],
        forms=codes.forms,
        organisations=codes.organisations,
        municipalities=codes.municipalities,
        terms=codes.terms,
        subjects=codes.subjects,
        slots=codes.slots,
        role_models=codes.role_models,
        mentee_index=mentee_index,
        mentor_index=mentor_index,
        mentee_ranks=_ranks_given(mentee_side.preferences, base, by_mentee=True),
        mentor_ranks=_ranks_given(mentor_side.preferences, base, by_mentee=False),
    )
