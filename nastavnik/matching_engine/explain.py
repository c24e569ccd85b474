"""Why a mentee was left without a mentor.

The reason is the first step of the search that left nobody: the mentee cannot take part yet
(consent, documents, eligibility), no mentor of the form is in reach, none of them can take part,
none shares a request (large pools only), the rules exclude them all (family, role model),
none has a common time, the curator excluded the rest — or there were candidates and all of
them are full, in which case the closest ones are listed with who took their places.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nastavnik.matching_engine.candidates import Funnel
from nastavnik.matching_engine.model import (
    ClosestMentor,
    Constraints,
    Impossible,
    ImpossibleChoice,
    PersonId,
    TakenPlace,
    Unmatched,
    UnmatchedReason,
)
from nastavnik.matching_engine.population import UNMATCHED, Lists, Population, index_ranges
from nastavnik.matching_engine.rules import check_pairs


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the solver decided, per mentee."""

    mentor_of: np.ndarray
    points_of: np.ndarray
    locked: np.ndarray


def _funnel_reason(pop: Population, funnel: Funnel, i: int) -> UnmatchedReason:
    steps = (
        (funnel.of_form, UnmatchedReason.NO_MENTOR_OF_FORM),
        (funnel.taking_part, UnmatchedReason.NO_ELIGIBLE_MENTOR),
        (funnel.considered, UnmatchedReason.NO_SHARED_REQUEST),
        (funnel.person_rules, UnmatchedReason.RULES_EXCLUDE_ALL),
        (funnel.can_meet, UnmatchedReason.NO_COMMON_TIME),
        (funnel.not_excluded, UnmatchedReason.EXCLUDED_BY_CURATOR),
    )
    for remaining, reason in steps:
        if remaining[i] == 0:
            if reason == UnmatchedReason.NO_COMMON_TIME and pop.mentees.slot_count[i] == 0:
                return UnmatchedReason.NO_TIME_GIVEN
            return reason
    # Candidates were found and then none kept: only exclusions remove them that late.
    return UnmatchedReason.EXCLUDED_BY_CURATOR


def _own_reason(pop: Population, i: int) -> UnmatchedReason | None:
    if not pop.mentees.consent_valid[i]:
        return UnmatchedReason.CONSENT_MISSING
    if not pop.mentees.documents_valid[i]:
        return UnmatchedReason.DOCUMENTS_MISSING
    if not pop.mentees.eligible[i]:
        return UnmatchedReason.NOT_ELIGIBLE
    return None


def _funnel_counts(funnel: Funnel, i: int, candidates: int) -> dict[str, int]:
    return {
        "mentors_of_form": int(funnel.of_form[i]),
        "taking_part": int(funnel.taking_part[i]),
        "considered": int(funnel.considered[i]),
        "pass_rules": int(funnel.person_rules[i]),
        "can_meet": int(funnel.can_meet[i]),
        "not_excluded": int(funnel.not_excluded[i]),
        "candidates": candidates,
    }


def _places_taken(
    pop: Population, outcome: Outcome, mentors: np.ndarray
) -> dict[int, tuple[TakenPlace, ...]]:
    """Who holds the places of the given mentors (only those a curator will be shown)."""
    shown = np.zeros(pop.mentors.size, dtype=np.bool_)
    shown[mentors] = True
    matched = np.flatnonzero(outcome.mentor_of != UNMATCHED)
    matched = matched[shown[outcome.mentor_of[matched]]]
    taken: dict[int, list[TakenPlace]] = {}
    for i, j, points, locked in zip(
        matched.tolist(),
        outcome.mentor_of[matched].tolist(),
        outcome.points_of[matched].tolist(),
        outcome.locked[matched].tolist(),
        strict=True,
    ):
        taken.setdefault(j, []).append(TakenPlace(pop.mentees.ids[i], points, locked))
    return {j: tuple(places) for j, places in taken.items()}


def _closest_choices(choices: Lists, mentees: np.ndarray, shown: int) -> np.ndarray:
    """Positions in ``choices.items`` of each given mentee's first ``shown`` choices."""
    first = choices.start[mentees]
    count = np.minimum(choices.start[mentees + 1] - first, shown)
    return index_ranges(first, count)


def explain_unmatched(
    pop: Population,
    funnel: Funnel,
    choices: Lists,
    choice_points: np.ndarray,
    outcome: Outcome,
    closest_shown: int,
) -> list[Unmatched]:
    """``choices`` lists each mentee's candidate mentors in the mentee's order of preference
    (the solver's view), with ``choice_points`` aligned to it."""
    unmatched = np.flatnonzero(outcome.mentor_of == UNMATCHED)
    closest_mentors = choices.items[_closest_choices(choices, unmatched, closest_shown)]
    taken = _places_taken(pop, outcome, closest_mentors)
    ids: list[PersonId] = pop.mentors.ids
    explained = []
    for i in unmatched.tolist():
        start, stop = int(choices.start[i]), int(choices.start[i + 1])
        counts = _funnel_counts(funnel, i, stop - start)
        own = _own_reason(pop, i)
        if own is not None:
            explained.append(Unmatched(pop.mentees.ids[i], own, (), counts))
            continue
        if stop == start:
            reason = _funnel_reason(pop, funnel, i)
            explained.append(Unmatched(pop.mentees.ids[i], reason, (), counts))
            continue
        last = min(stop, start + closest_shown)
        closest = tuple(
            ClosestMentor(ids[j], points, taken.get(j, ()))
            for j, points in zip(
                choices.items[start:last].tolist(), choice_points[start:last].tolist(), strict=True
            )
        )
        explained.append(
            Unmatched(pop.mentees.ids[i], UnmatchedReason.ALL_MENTORS_FULL, closest, counts)
        )
    return explained


def impossible_choices(
    pop: Population, constraints: Constraints, excluded_keys: np.ndarray
) -> list[ImpossibleChoice]:
    """Every mentor a mentee named whom the hard rules rule out, with the first rule that
    does, in the order the rules are checked."""
    keys = pop.mentee_ranks.keys
    if keys.size == 0:
        return []
    mi = (keys // pop.pair_base).astype(np.int32)
    mj = (keys % pop.pair_base).astype(np.int32)
    checks = check_pairs(pop, mi, mj, constraints)
    no_time = (pop.mentees.slot_count[mi] == 0) | (pop.mentors.slot_count[mj] == 0)
    steps = (
        (pop.mentees.form[mi] != pop.mentors.form[mj], Impossible.OTHER_FORM),
        (~pop.mentors.can_take_part[mj] | (pop.capacity[mj] <= 0), Impossible.MENTOR_UNAVAILABLE),
        (~checks.not_family, Impossible.FAMILY),
        (~checks.role_model, Impossible.ROLE_MODEL_RULE),
        (~checks.common_time & no_time, Impossible.TIME_NOT_GIVEN),
        (~checks.common_time, Impossible.NO_COMMON_TIME),
        (~checks.format, Impossible.FORMAT),
        (np.isin(keys, excluded_keys), Impossible.EXCLUDED_BY_CURATOR),
    )
    reason = np.full(keys.size, -1, dtype=np.int64)
    for code, (fails, _) in enumerate(steps):
        reason[(reason < 0) & fails] = code
    found = np.flatnonzero(reason >= 0)
    ranks = pop.mentee_ranks.ranks[found]
    return [
        ImpossibleChoice(pop.mentees.ids[i], pop.mentors.ids[j], int(r), steps[c][1])
        for i, j, r, c in zip(
            mi[found].tolist(),
            mj[found].tolist(),
            ranks.tolist(),
            reason[found].tolist(),
            strict=True,
        )
    ]
