"""Test instances and plain-Python reference checks, written without the engine's internals so
that the engine is checked against something other than itself."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st

from nastavnik.matching_engine import (
    Constraints,
    FormRules,
    MatchResult,
    MeetingFormat,
    MenteeProfile,
    MentorProfile,
    RoleModelRules,
    Strictness,
)
from nastavnik.matching_engine.candidates import CandidateGraph
from nastavnik.matching_engine.engine import stable_preferences

FORMS = ("student-student", "teacher-teacher", "group-form")
UNDERACHIEVER = "Успевающий – неуспевающий"
ROLE_MODELS = (None, UNDERACHIEVER, "Лидер – пассивный")
SLOTS = ("пн-вечер", "вт-вечер", "ср-день", "сб-утро")
TEXTS = (
    "Хочу подготовиться к ОГЭ по математике",
    "нужна помощь по физике",
    "олимпиады по информатике и программирование",
    "проект по биологии",
    "",
)
OFFERS = (
    "Математика, подготовка к ОГЭ",
    "физика и олимпиады",
    "программирование на Python, информатика",
    "Исследовательские проекты по биологии",
    "",
)
SUBJECTS = ("Математика", "Физика", "Информатика", "Биология")

TEST_CONSTRAINTS = Constraints(
    forms={
        "student-student": FormRules(mentor_older=True),
        "group-form": FormRules(group_size=3),
    },
    role_models={UNDERACHIEVER: RoleModelRules(mentor_results_higher=Strictness.HARD)},
)


def mentor_capacity(mentor: MentorProfile, constraints: Constraints) -> int:
    if mentor.capacity is not None:
        return mentor.capacity
    size = constraints.form_rules(mentor.form or "").group_size
    return size if size is not None else 2


def takes_part(person: MenteeProfile | MentorProfile) -> bool:
    return person.consent_valid and person.documents_valid and person.eligible


def _greater(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and a > b


def keeps_person_rules(
    mentee: MenteeProfile, mentor: MentorProfile, constraints: Constraints
) -> bool:
    """Same form, both take part, not one family, the role model's hard rules."""
    if mentee.form != mentor.form or not (takes_part(mentee) and takes_part(mentor)):
        return False
    if mentee.family is not None and mentee.family == mentor.family:
        return False
    rules = constraints.form_rules(mentee.form or "")
    older = _greater(mentor.grade, mentee.grade) or _greater(mentor.age, mentee.age)
    if rules.mentor_older and not older:
        return False
    strictness = constraints.role_model_rules(mentee.role_model).mentor_results_higher
    return not (strictness == Strictness.HARD and not _greater(mentor.results, mentee.results))


def can_meet(mentee: MenteeProfile, mentor: MentorProfile, constraints: Constraints) -> bool:
    def fold(slots: Iterable[str]) -> set[str]:
        return {s.lower().strip() for s in slots}

    if not constraints.require_common_slot or not mentee.availability or not mentor.availability:
        return True
    return bool(fold(mentee.availability) & fold(mentor.availability))


def allowed(mentee: MenteeProfile, mentor: MentorProfile, constraints: Constraints) -> bool:
    """Every hard rule of a pair the engine may propose (locks aside)."""
    return (
        keeps_person_rules(mentee, mentor, constraints)
        and can_meet(mentee, mentor, constraints)
        and (mentee.id, mentor.id) not in constraints.exclusions
    )


def in_reach(mentee: MenteeProfile, mentor: MentorProfile) -> bool:
    same_org = mentee.organisation == mentor.organisation and not mentor.shared
    shared = mentor.shared and mentee.municipality == mentor.municipality
    named = mentor.id in mentee.preferences or mentee.id in mentor.preferences
    return same_org or shared or named


def assert_capacities_kept(
    result: MatchResult, mentors: Sequence[MentorProfile], constraints: Constraints
) -> None:
    load = Counter(a.mentor_id for a in result.assignments)
    by_id = {m.id: m for m in mentors}
    for mentor_id, taken in load.items():
        assert taken <= mentor_capacity(by_id[mentor_id], constraints), mentor_id
    assert len({a.mentee_id for a in result.assignments}) == len(result.assignments)


def stable_blocking_pairs(
    mentee_lists: dict[int, list[int]],
    mentor_lists: dict[int, list[int]],
    capacity: dict[int, int],
    mentor_of: dict[int, int | None],
) -> list[tuple[int, int]]:
    """Blocking pairs by the definition, one pair at a time."""
    held: dict[int, list[int]] = {j: [] for j in mentor_lists}
    for i, j in mentor_of.items():
        if j is not None:
            held[j].append(i)
    blocking = []
    for i, choices in mentee_lists.items():
        current = mentor_of.get(i)
        for j in choices:
            if j == current:
                break
            ranking = mentor_lists[j]
            worst = max((ranking.index(k) for k in held[j]), default=-1)
            if len(held[j]) < capacity[j] or ranking.index(i) < worst:
                blocking.append((i, j))
    return blocking


def brute_force_best(graph: CandidateGraph, capacity: np.ndarray, bonus: int) -> int:
    """The best total of (points + bonus) over every assignment of the graph's edges."""
    options: list[list[tuple[int, int]]] = [[(-1, 0)] for _ in range(graph.n_mentees)]
    edges = zip(graph.mentee.tolist(), graph.mentor.tolist(), graph.points.tolist(), strict=True)
    for i, j, p in edges:
        options[i].append((j, p + bonus))
    best = 0
    for choice in itertools.product(*options):
        load = Counter(j for j, _ in choice if j >= 0)
        if all(load[j] <= capacity[j] for j in load):
            best = max(best, sum(v for _, v in choice))
    return best


# ---------------------------------------------------------------------------------------------
# Hypothesis strategies


def maybe(values: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly a value, sometimes None (a questionnaire left blank)."""
    return st.one_of(values, values, values, st.none())


@st.composite
def mentees_and_mentors(
    draw: st.DrawFn, max_mentees: int = 8, max_mentors: int = 5
) -> tuple[list[MenteeProfile], list[MentorProfile]]:
    n_mentees = draw(st.integers(0, max_mentees))
    n_mentors = draw(st.integers(0, max_mentors))
    mentee_ids = [f"e{i}" for i in range(n_mentees)]
    mentor_ids = [f"r{j}" for j in range(n_mentors)]
    # Dense enough that most examples make pairs: mostly one form, one organisation, valid
    # consents; the rest still turns up often.
    flags = st.sampled_from((True,) * 9 + (False,))
    forms = st.sampled_from(draw(st.sampled_from((FORMS[:1], FORMS[1:], FORMS))))
    organisations = st.sampled_from(("o1", "o1", "o1", "o2"))
    mentors = [
        MentorProfile(
            id=mentor_id,
            form=draw(forms),
            organisation=draw(organisations),
            municipality="m1",
            shared=draw(st.booleans()),
            role_models=frozenset(draw(st.sets(st.sampled_from(ROLE_MODELS[1:]), max_size=1))),
            competencies=(draw(st.sampled_from(OFFERS)),),
            subjects=frozenset(draw(st.sets(st.sampled_from(SUBJECTS), max_size=2))),
            grade=draw(maybe(st.integers(5, 11))),
            age=draw(maybe(st.integers(11, 60))),
            results=draw(maybe(st.floats(2, 5))),
            family=draw(st.sampled_from((None, None, None, "f1", "f2"))),
            availability=frozenset(draw(st.sets(st.sampled_from(SLOTS), max_size=3))),
            meeting_format=draw(st.sampled_from(tuple(MeetingFormat))),
            experience_years=draw(st.integers(0, 20)),
            capacity=draw(st.one_of(st.none(), st.integers(1, 2))),
            preferences=tuple(draw(st.permutations(mentee_ids)))[: draw(st.integers(0, 3))],
            consent_valid=draw(flags),
            documents_valid=draw(flags),
            eligible=draw(flags),
        )
        for mentor_id in mentor_ids
    ]
    mentees = [
        MenteeProfile(
            id=mentee_id,
            form=draw(forms),
            organisation=draw(organisations),
            municipality="m1",
            role_model=draw(st.sampled_from(ROLE_MODELS)),
            request_text=draw(st.sampled_from(TEXTS)),
            subjects=frozenset(draw(st.sets(st.sampled_from(SUBJECTS), max_size=2))),
            grade=draw(maybe(st.integers(5, 11))),
            age=draw(maybe(st.integers(10, 40))),
            results=draw(maybe(st.floats(2, 5))),
            family=draw(st.sampled_from((None, None, None, "f1", "f2"))),
            availability=frozenset(draw(st.sets(st.sampled_from(SLOTS), max_size=3))),
            meeting_format=draw(st.sampled_from(tuple(MeetingFormat))),
            preferences=tuple(draw(st.permutations(mentor_ids)))[: draw(st.integers(0, 3))],
            consent_valid=draw(flags),
            documents_valid=draw(flags),
            eligible=draw(flags),
        )
        for mentee_id in mentee_ids
    ]
    return mentees, mentors


def feasible_locks(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    constraints: Constraints,
    wanted: Iterable[tuple[int, int]],
) -> frozenset[tuple[str | int, str | int]]:
    """Locks from wanted (mentee index, mentor index) pairs that keep every rule a lock must."""
    locks: set[tuple[str | int, str | int]] = set()
    locked_mentees: set[object] = set()
    load: Counter[object] = Counter()
    for i, j in wanted:
        mentee, mentor = mentees[i % len(mentees)], mentors[j % len(mentors)]
        if (
            mentee.id not in locked_mentees
            and keeps_person_rules(mentee, mentor, constraints)
            and load[mentor.id] < mentor_capacity(mentor, constraints)
            and (mentee.id, mentor.id) not in constraints.exclusions
        ):
            locks.add((mentee.id, mentor.id))
            locked_mentees.add(mentee.id)
            load[mentor.id] += 1
    return frozenset(locks)


def rank_list_blocking_pairs(
    run: Any, assignments: Iterable[Any], *, without_locked: bool = False
) -> list[tuple[int, int]]:
    """The blocking pairs of the assignments by the definition, one pair at a time, over the
    rank lists `prepare_run` gave the engine (`stable_blocking_pairs`). `without_locked` leaves
    the locked mentees out: their pairs were fixed, not chosen."""
    pop = run.population
    places = run.locks.places_left(pop.capacity)
    prefs = stable_preferences(pop, run.graph, run.locks, places)
    mentee_lists: dict[int, list[int]] = {}
    for i, j in zip(prefs.mentee.tolist(), prefs.mentor.tolist(), strict=True):
        mentee_lists.setdefault(i, []).append(j)
    mentor_lists: dict[int, list[int]] = {j: [] for j in range(pop.mentors.size)}
    order = np.lexsort((prefs.mentor_rank, prefs.mentor))
    for i, j in zip(prefs.mentee[order].tolist(), prefs.mentor[order].tolist(), strict=True):
        mentor_lists[j].append(i)
    locked = set(run.locks.mentee.tolist()) if without_locked else set()
    mentor_of = {
        pop.mentee_index[a.mentee_id]: pop.mentor_index[a.mentor_id]
        for a in assignments
        if pop.mentee_index[a.mentee_id] not in locked
    }
    capacity = {j: int(places[j]) for j in range(pop.mentors.size)}
    return stable_blocking_pairs(mentee_lists, mentor_lists, capacity, mentor_of)
