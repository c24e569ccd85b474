"""Stable mode: the same matching as the reference ``matching`` package, no blocking pair."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident

from nastavnik.matching_engine import (
    Constraints,
    FormRules,
    MenteeProfile,
    MentorProfile,
    Mode,
    Proposer,
    RunOptions,
    run_matching,
)
from nastavnik.matching_engine.candidates import CandidateGraph
from nastavnik.matching_engine.stable import (
    UNMATCHED,
    blocking_pairs,
    deferred_acceptance,
    ranked_preferences,
)
from nastavnik.matching_engine.tests.instances import stable_blocking_pairs

#: Unknown time fails the «common time» rule: everyone here meets on Monday evening.
SLOT = frozenset({"пн-вечер"})


def random_preferences(rng: np.random.Generator, n_mentees: int, n_mentors: int):
    mask = rng.random((n_mentees, n_mentors)) < 0.6
    mi, mj = np.nonzero(mask)
    graph = CandidateGraph(
        n_mentees,
        n_mentors,
        mi.astype(np.int32),
        mj.astype(np.int32),
        rng.integers(0, 1001, mi.size).astype(np.int32),
    )
    # Some ranks given after the group meeting, the rest by points.
    mentee_given = np.where(rng.random(mi.size) < 0.3, rng.integers(1, 4, mi.size), 0)
    mentor_given = np.where(rng.random(mi.size) < 0.3, rng.integers(1, 4, mi.size), 0)
    prefs = ranked_preferences(graph, mentee_given, mentor_given)
    return prefs, rng.integers(1, 4, n_mentors)


def lists_of(prefs):
    mentees: dict[int, list[int]] = {}
    for i, j in zip(prefs.mentee.tolist(), prefs.mentor.tolist(), strict=True):
        mentees.setdefault(i, []).append(j)
    mentors: dict[int, list[int]] = {j: [] for j in range(prefs.n_mentors)}
    order = np.lexsort((prefs.mentor_rank, prefs.mentor))
    for i, j in zip(prefs.mentee[order].tolist(), prefs.mentor[order].tolist(), strict=True):
        mentors[j].append(i)
    return mentees, mentors


def reference_matching(prefs, capacity, optimal: str) -> list[int]:
    mentees, mentors = lists_of(prefs)
    offset = prefs.n_mentees  # the package wants distinct names for both sides
    game = HospitalResident.create_from_dictionaries(
        {i: [j + offset for j in js] for i, js in mentees.items()},
        {j + offset: list(ids) for j, ids in mentors.items() if ids},
        {j + offset: int(capacity[j]) for j, ids in mentors.items() if ids},
    )
    mentor_of = [UNMATCHED] * prefs.n_mentees
    for hospital, residents in game.solve(optimal=optimal).items():
        for resident in residents:
            mentor_of[resident.name] = hospital.name - offset
    return mentor_of


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_mentees=st.integers(1, 25), n_mentors=st.integers(1, 10))
def test_same_matching_as_the_matching_package(seed, n_mentees, n_mentors):
    prefs, capacity = random_preferences(np.random.default_rng(seed), n_mentees, n_mentors)
    for proposer, optimal in ((Proposer.MENTEE, "resident"), (Proposer.MENTOR, "hospital")):
        mentor_of = deferred_acceptance(prefs, capacity, proposer)
        assert mentor_of.tolist() == reference_matching(prefs, capacity, optimal)
        assert blocking_pairs(prefs, capacity, mentor_of).size == 0
        mentees, mentors = lists_of(prefs)
        taken = {i: int(j) for i, j in enumerate(mentor_of.tolist()) if j != UNMATCHED}
        places = {j: int(c) for j, c in enumerate(capacity)}
        assert stable_blocking_pairs(mentees, mentors, places, taken) == []


def test_the_certificate_finds_a_blocking_pair_when_there_is_one():
    prefs, capacity = random_preferences(np.random.default_rng(5), 12, 4)
    mentor_of = np.full(12, UNMATCHED, dtype=np.int32)  # nobody matched: everyone blocks
    found = blocking_pairs(prefs, capacity, mentor_of)
    assert found.size == prefs.size


def test_the_proposing_side_gets_its_first_choices_when_they_disagree():
    # Two mentees, two mentors of one place each; each mentee's first choice ranks it last.
    mentees = [
        MenteeProfile("a", "teacher-teacher", preferences=("X", "Y"), availability=SLOT),
        MenteeProfile("b", "teacher-teacher", preferences=("Y", "X"), availability=SLOT),
    ]
    mentors = [
        MentorProfile(
            "X", "teacher-teacher", capacity=1, preferences=("b", "a"), availability=SLOT
        ),
        MentorProfile(
            "Y", "teacher-teacher", capacity=1, preferences=("a", "b"), availability=SLOT
        ),
    ]

    def pairs(proposer: Proposer) -> set[tuple[str, str]]:
        options = RunOptions(mode=Mode.STABLE, proposer=proposer)
        result = run_matching(mentees, mentors, options=options)
        assert result.certificate is not None and result.certificate.blocking_pairs == 0
        return {(a.mentee_id, a.mentor_id) for a in result.assignments}

    assert pairs(Proposer.MENTEE) == {("a", "X"), ("b", "Y")}
    assert pairs(Proposer.MENTOR) == {("b", "X"), ("a", "Y")}


def test_group_form_mentor_takes_its_group():
    mentees = [
        MenteeProfile(f"e{i}", "employer-pupil", organisation="o", availability=SLOT)
        for i in range(7)
    ]
    mentors = [MentorProfile("boss", "employer-pupil", organisation="o", availability=SLOT)]
    constraints = Constraints(forms={"employer-pupil": FormRules(group_size=5)})
    for mode in Mode:
        result = run_matching(mentees, mentors, constraints=constraints, options=RunOptions(mode))
        assert result.summary.matched == 5
        assert {u.reason.value for u in result.unmatched} == {"all_mentors_full"}
