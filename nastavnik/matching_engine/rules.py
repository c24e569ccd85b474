"""Hard rules on a pair, checked for many pairs at once.

Same form and taking part (consent, documents, eligibility) are settled before pairs exist:
candidates are only drawn among people who may take part, inside their form. What is left is
checked here, pair by pair.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nastavnik.matching_engine.model import Constraints, Strictness
from nastavnik.matching_engine.population import (
    NO_CODE,
    STRICTNESS_CODES,
    Population,
    common_bits,
)

#: In person with remote only is the one combination that cannot work; «both» fits anything.
FORMAT_FIT = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 1.0]])

_HARD = STRICTNESS_CODES[Strictness.HARD]


@dataclass(frozen=True, slots=True)
class RuleChecks:
    """One boolean per pair and rule: True where the pair keeps the rule."""

    not_family: np.ndarray
    role_model: np.ndarray
    common_time: np.ndarray
    format: np.ndarray

    @property
    def all_rules(self) -> np.ndarray:
        return self.not_family & self.role_model & self.common_time & self.format

    @property
    def person_rules(self) -> np.ndarray:
        """The rules about who the two people are, as opposed to when and how they meet."""
        return self.not_family & self.role_model


def not_one_family(pop: Population, mi: np.ndarray, mj: np.ndarray) -> np.ndarray:
    ok = np.ones(mi.size, dtype=np.bool_)
    family = pop.mentees.family[mi]
    known = np.flatnonzero(family != NO_CODE)
    ok[known] = family[known] != pop.mentors.family[mj[known]]
    return ok


def mentor_older(pop: Population, mi: np.ndarray, mj: np.ndarray) -> np.ndarray:
    """Older or in a higher grade; unknown ages and grades do not pass (NaN compares False)."""
    return (pop.mentors.grade[mj] > pop.mentees.grade[mi]) | (
        pop.mentors.age[mj] > pop.mentees.age[mi]
    )


def results_higher(pop: Population, mi: np.ndarray, mj: np.ndarray) -> np.ndarray:
    return pop.mentors.results[mj] > pop.mentees.results[mi]


def results_rule(pop: Population, mi: np.ndarray) -> np.ndarray:
    """The strictness of the results rule for each mentee's role model (0 without one)."""
    return pop.mentee_results_rule[mi]


def role_model_rules(pop: Population, mi: np.ndarray, mj: np.ndarray) -> np.ndarray:
    """The role model's hard rules, checked only on the pairs they apply to."""
    ok = np.ones(mi.size, dtype=np.bool_)
    older = np.flatnonzero(pop.mentee_needs_older_mentor[mi])
    ok[older] = mentor_older(pop, mi[older], mj[older])
    higher = np.flatnonzero(results_rule(pop, mi) == _HARD)
    ok[higher] &= results_higher(pop, mi[higher], mj[higher])
    return ok


def common_slots(pop: Population, mi: np.ndarray, mj: np.ndarray) -> np.ndarray:
    return common_bits(pop.mentees.slots[mi], pop.mentors.slots[mj])


def slots_known(pop: Population, mi: np.ndarray, mj: np.ndarray) -> np.ndarray:
    return (pop.mentees.slot_count[mi] > 0) & (pop.mentors.slot_count[mj] > 0)


def format_fit(pop: Population, mi: np.ndarray, mj: np.ndarray) -> np.ndarray:
    return FORMAT_FIT[pop.mentees.meeting_format[mi], pop.mentors.meeting_format[mj]]


def check_pairs(
    pop: Population,
    mi: np.ndarray,
    mj: np.ndarray,
    constraints: Constraints,
    common: np.ndarray | None = None,
) -> RuleChecks:
    everyone = np.ones(mi.shape, dtype=np.bool_)
    if constraints.require_common_slot:
        if common is None:
            common = common_slots(pop, mi, mj)
        # Fails closed: a side that gave no time cannot be shown to share one.
        common_time = common > 0
    else:
        common_time = everyone
    meeting = format_fit(pop, mi, mj) > 0 if constraints.format_must_fit else everyone
    return RuleChecks(
        not_family=not_one_family(pop, mi, mj),
        role_model=role_model_rules(pop, mi, mj),
        common_time=common_time,
        format=meeting,
    )
