"""Results that hold over every admissible pair, not only over the top-k candidate lists."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nastavnik.matching_engine import (
    MenteeProfile,
    MentorProfile,
    Mode,
    Proposer,
    RunOptions,
    Weights,
    run_matching,
)
from nastavnik.matching_engine.engine import prepare_run
from nastavnik.matching_engine.tests.instances import (
    TEST_CONSTRAINTS,
    mentees_and_mentors,
    rank_list_blocking_pairs,
)

FORM = "teacher-teacher"
#: Lists so long that they hold every admissible pair: the full graph.
FULL = {"top_k": 1000, "pool_limit": 1000}


SLOT = frozenset({"пн-вечер"})


def mentee(id_: str, **fields) -> MenteeProfile:
    fields.setdefault("availability", SLOT)
    return MenteeProfile(id_, FORM, organisation="o1", municipality="m", **fields)


def mentor(id_: str, **fields) -> MentorProfile:
    fields.setdefault("availability", SLOT)
    return MentorProfile(id_, FORM, organisation="o1", municipality="m", **fields)


def two_mentees_one_favourite() -> tuple[list[MenteeProfile], list[MentorProfile]]:
    """Both mentees' best mentor is X (one place); Y, worse for both, is free. With one
    candidate per mentee the lists hold only X."""
    mentees = [
        mentee("a", request_text="робототехника олимпиада"),
        mentee("b", request_text="робототехника проекты"),
    ]
    mentors = [
        mentor("X", capacity=1, competencies=("робототехника", "олимпиада", "проекты")),
        mentor("Y", capacity=1, competencies=("шахматы",)),
    ]
    return mentees, mentors


def test_optimal_extends_the_lists_rather_than_leave_a_mentee_alone():
    mentees, mentors = two_mentees_one_favourite()
    options = RunOptions(top_k=1)
    run = prepare_run(mentees, mentors, Weights(), TEST_CONSTRAINTS, options, {})
    assert run.graph.mentor.tolist() == [0, 0]  # both lists: X only
    result = run_matching(mentees, mentors, Weights(), TEST_CONSTRAINTS, options)
    assert result.summary.matched == 2
    certificate = result.matching_certificate
    assert certificate is not None and certificate.most_matched_proven
    assert certificate.outside_pairs_checked >= 1


def test_a_mentor_in_too_few_lists_is_offered_before_the_first_solve():
    # Both lists hold X only, so Y would keep its place and the check after the solve would
    # find it and solve again; offered to the mentees of its block first, one solve matches
    # both mentees and proves it.
    mentees, mentors = two_mentees_one_favourite()
    options = RunOptions(top_k=1)
    run = prepare_run(mentees, mentors, Weights(), TEST_CONSTRAINTS, options, {})
    assert 1 not in run.graph.mentor.tolist()  # Y is in no list
    result = run_matching(mentees, mentors, Weights(), TEST_CONSTRAINTS, options)
    assert {(a.mentee_id, a.mentor_id) for a in result.assignments} == {("a", "Y"), ("b", "X")}
    certificate = result.matching_certificate
    assert certificate is not None and certificate.most_matched_proven
    assert certificate.rounds == 1
    assert certificate.lists_extended == 0
    # Each mentor's pairs with the two mentees, checked one by one (X is in two lists for one
    # place: fewer than three times its places, so it is offered too).
    assert certificate.outside_pairs_checked == 4


def test_stable_mode_finds_the_blocking_pair_outside_the_lists():
    # With the lists only, b is left «all mentors full» while Y is free and would take b:
    # a blocking pair the old certificate, counting only the lists, did not see.
    mentees, mentors = two_mentees_one_favourite()
    options = RunOptions(mode=Mode.STABLE, top_k=1)
    result = run_matching(mentees, mentors, Weights(), TEST_CONSTRAINTS, options)
    pairs = {(a.mentee_id, a.mentor_id) for a in result.assignments}
    assert {mentor for _, mentor in pairs} == {"X", "Y"}
    assert not result.unmatched
    certificate = result.certificate
    assert certificate is not None
    assert certificate.blocking_pairs == 0
    assert certificate.all_admissible
    # The one left alone had its list completed (X, Y); the other's list starts with its best.
    assert certificate.lists_extended == 1
    assert certificate.pairs_checked == 3


def test_a_complete_list_needs_no_extension():
    mentees, mentors = two_mentees_one_favourite()
    result = run_matching(mentees, mentors, Weights(), TEST_CONSTRAINTS, RunOptions())
    assert result.matching_certificate is not None
    assert result.matching_certificate.lists_extended == 0
    assert result.matching_certificate.outside_pairs_checked == 0
    assert result.matching_certificate.rounds == 1


@settings(max_examples=40, deadline=None)
@given(mentees_and_mentors(max_mentees=10, max_mentors=6), st.integers(1, 2))
def test_short_lists_match_as_many_as_the_full_graph(people, short):
    mentees, mentors = people
    options = RunOptions(top_k=short, pool_limit=short)
    result = run_matching(mentees, mentors, Weights(), TEST_CONSTRAINTS, options)
    full = run_matching(mentees, mentors, Weights(), TEST_CONSTRAINTS, RunOptions(**FULL))
    assert result.summary.matched == full.summary.matched
    assert result.matching_certificate is not None
    assert result.matching_certificate.most_matched_proven


@settings(max_examples=40, deadline=None)
@given(
    mentees_and_mentors(max_mentees=10, max_mentors=6),
    st.integers(1, 2),
    st.sampled_from(list(Proposer)),
)
def test_short_lists_leave_no_blocking_pair_in_the_full_graph(people, short, proposer):
    mentees, mentors = people
    options = RunOptions(mode=Mode.STABLE, proposer=proposer, top_k=short, pool_limit=short)
    result = run_matching(mentees, mentors, Weights(), TEST_CONSTRAINTS, options)
    assert result.certificate is not None and result.certificate.blocking_pairs == 0

    # By the definition, over the rank lists of the full graph.
    full_options = RunOptions(mode=Mode.STABLE, **FULL)
    run = prepare_run(mentees, mentors, Weights(), TEST_CONSTRAINTS, full_options, {})
    assert rank_list_blocking_pairs(run, result.assignments) == []
