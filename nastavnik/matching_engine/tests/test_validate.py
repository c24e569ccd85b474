"""Bad input is refused with a clear message, a stable code and the ids at fault."""

from __future__ import annotations

import copy

import pytest

from nastavnik.matching_engine import (
    Constraints,
    EngineInputError,
    FormRules,
    MenteeProfile,
    MentorProfile,
    RunOptions,
    Weights,
    run_matching,
)
from nastavnik.matching_engine.tests.instances import TEST_CONSTRAINTS, UNDERACHIEVER

FORM = "teacher-teacher"


def mentee(id_: str, **fields) -> MenteeProfile:
    return MenteeProfile(id_, fields.pop("form", FORM), organisation="o", **fields)


def mentor(id_: str, **fields) -> MentorProfile:
    return MentorProfile(id_, fields.pop("form", FORM), organisation="o", **fields)


def refused(mentees, mentors, weights=None, constraints=None, options=None) -> EngineInputError:
    before = copy.deepcopy((mentees, mentors))
    with pytest.raises(EngineInputError) as caught:
        run_matching(mentees, mentors, weights, constraints, options)
    assert (mentees, mentors) == before, "nothing is changed"
    return caught.value


def test_a_mentee_without_a_form():
    error = refused([mentee("e1"), mentee("e2", form=None), mentee("e3", form=" ")], [])
    assert error.code == "mentee_without_form"
    assert error.ids == ("e2", "e3")
    assert "no mentoring form" in str(error)
    assert "e2, e3" in str(error)


def test_a_mentor_without_a_form():
    assert refused([], [mentor("r1", form="")]).code == "mentor_without_form"


def test_a_mentor_of_capacity_zero():
    error = refused([mentee("e1")], [mentor("r1", capacity=0), mentor("r2")])
    assert error.code == "mentor_capacity_not_positive"
    assert error.ids == ("r1",)


def test_a_group_form_of_size_zero():
    constraints = Constraints(forms={"club": FormRules(group_size=0)})
    error = refused([mentee("e1")], [mentor("r1")], constraints=constraints)
    assert error.code == "group_size_not_positive"
    assert error.ids == ("club",)


def test_a_mentor_over_the_limit_of_two_outside_group_forms():
    error = refused([mentee("e1")], [mentor("r1", capacity=3)])
    assert error.code == "mentor_capacity_above_limit"
    assert "more than 2 mentees" in str(error)


@pytest.mark.parametrize(
    "weights",
    [
        Weights(0, 0, 0, 0, 0, 0, 0),
        Weights(requests=-1),
        Weights(time=float("nan")),
        Weights(format=float("inf")),
    ],
)
def test_weights_all_zero_or_negative(weights):
    error = refused([mentee("e1")], [mentor("r1")], weights=weights)
    assert error.code in {"weights_all_zero", "weights_negative"}


def test_all_zero_weights_are_named():
    error = refused([mentee("e1")], [mentor("r1")], weights=Weights(0, 0, 0, 0, 0, 0, 0))
    assert error.code == "weights_all_zero"
    negative = refused([mentee("e1")], [mentor("r1")], weights=Weights(subjects=-2))
    assert negative.ids == ("subjects",)


def test_preferences_naming_people_outside_the_run():
    error = refused(
        [mentee("e1", preferences=("r1", "ghost"))], [mentor("r1", preferences=("e9",))]
    )
    assert error.code == "preference_outside_run"
    assert set(error.ids) == {("e1", "ghost"), ("r1", "e9")}


def test_a_person_named_twice_in_one_list():
    error = refused([mentee("e1", preferences=("r1", "r1"))], [mentor("r1")])
    assert error.code == "preference_repeated"


def test_duplicate_people():
    assert refused([mentee("e1"), mentee("e1")], []).code == "duplicate_mentee"


@pytest.mark.parametrize(
    ("people", "lock", "code"),
    [
        (([mentee("e1")], [mentor("r1")]), ("e1", "nobody"), "lock_outside_run"),
        (
            ([mentee("e1")], [mentor("r1", form="student-student")]),
            ("e1", "r1"),
            "lock_breaks_form",
        ),
        (
            ([mentee("e1", consent_valid=False)], [mentor("r1")]),
            ("e1", "r1"),
            "lock_breaks_consent",
        ),
        (
            ([mentee("e1")], [mentor("r1", documents_valid=False)]),
            ("e1", "r1"),
            "lock_breaks_documents",
        ),
        (([mentee("e1")], [mentor("r1", eligible=False)]), ("e1", "r1"), "lock_breaks_eligibility"),
        (
            ([mentee("e1", family="F")], [mentor("r1", family="F")]),
            ("e1", "r1"),
            "lock_breaks_family",
        ),
        (
            (
                [mentee("e1", form="student-student", grade=9)],
                [mentor("r1", form="student-student", grade=8)],
            ),
            ("e1", "r1"),
            "lock_breaks_role_model",
        ),
        (
            (
                [mentee("e1", role_model=UNDERACHIEVER, results=4.5)],
                [mentor("r1", results=4.0)],
            ),
            ("e1", "r1"),
            "lock_breaks_role_model",
        ),
    ],
)
def test_a_lock_that_breaks_a_hard_rule(people, lock, code):
    constraints = Constraints(
        locks=frozenset({lock}),
        forms=TEST_CONSTRAINTS.forms,
        role_models=TEST_CONSTRAINTS.role_models,
    )
    error = refused(*people, constraints=constraints)
    assert error.code == code
    assert error.ids == ((lock[1],) if code == "lock_over_capacity" else (lock,))


def test_locks_over_a_mentors_places():
    constraints = Constraints(locks=frozenset({("e1", "r1"), ("e2", "r1")}))
    error = refused([mentee("e1"), mentee("e2")], [mentor("r1", capacity=1)], None, constraints)
    assert error.code == "lock_over_capacity"
    assert error.ids == ("r1",)


def test_a_mentee_locked_twice_and_a_lock_also_excluded():
    people = ([mentee("e1")], [mentor("r1"), mentor("r2")])
    twice = Constraints(locks=frozenset({("e1", "r1"), ("e1", "r2")}))
    assert refused(*people, constraints=twice).code == "lock_mentee_twice"
    both = Constraints(locks=frozenset({("e1", "r1")}), exclusions=frozenset({("e1", "r1")}))
    assert refused(*people, constraints=both).code == "lock_excluded"


def test_exclusions_naming_people_outside_the_run():
    constraints = Constraints(exclusions=frozenset({("e1", "ghost")}))
    error = refused([mentee("e1")], [mentor("r1")], constraints=constraints)
    assert error.code == "exclusion_outside_run"


def test_options_out_of_range():
    error = refused([mentee("e1")], [mentor("r1")], options=RunOptions(top_k=0))
    assert error.code == "options_invalid"
    assert error.ids == ("top_k",)


def test_an_unknown_meeting_format():
    error = refused([mentee("e1", meeting_format="by pigeon")], [mentor("r1")])
    assert error.code == "meeting_format_unknown"
